"""LLM test modes: the emulator (mock), cassettes (cached), usage read from the traffic."""
