"""Cost and performance monitoring: LLM cost tracking and reports, benchmark and flake gates."""
