"""The emulator's request handlers, one module per group of endpoints."""
