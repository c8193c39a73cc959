"""Test helpers that repokit ships for its own tests and for its users' tests."""
