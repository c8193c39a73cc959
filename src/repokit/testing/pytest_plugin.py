"""repokit's pytest plugin (entry point ``pytest11``): gathers the fixture modules.

Nothing here is active until a test asks for one of the fixtures, except the LLM mode
switch, which every run reads (standard library and pytest only; see ``llm_plugin``).
"""

pytest_plugins: list[str] = [
    "repokit.testing.github_plugin",
    "repokit.testing.llm_usage",
    "repokit.testing.llm_plugin",
]
