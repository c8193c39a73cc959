"""The real and cached LLM modes: record against a provider, replay with it gone, price both.

The "provider" is the LLM emulator started here, reached through the SDKs' base-URL
variables exactly as a real provider is reached through its default URL.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from llm_project import make_project, report, run_pytest, track_costs

from repokit.testing.llm.emulator import LLMEmulator

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
KEY = "sk-proj-" + "Q7" * 16  # the shape of an OpenAI key; not a credential

TESTS = """\
import asyncio
import openai
import pytest
from agent import ask, summarise

@pytest.mark.parametrize("city", ["Paris", "Lima"])
def test_ask(city):
    assert ask(f"Where is {city}?").endswith(f"Where is {city}?")

def test_streams():
    assert ask("Stream please", stream=True).endswith("Stream please")
    assert summarise("a long text", stream=True).endswith("Summarise: a long text")

def test_an_async_client():
    async def main():
        async with openai.AsyncOpenAI() as client:
            answer = await client.chat.completions.create(
                model="gpt-4o", messages=[{"role": "user", "content": "async hello"}]
            )
        return answer.choices[0].message.content
    assert asyncio.run(main()).endswith("async hello")

def test_without_llm_calls():
    assert True
"""


@pytest.fixture
def provider() -> Iterator[LLMEmulator]:
    with LLMEmulator() as emulator:
        yield emulator


def provider_env(emulator: LLMEmulator) -> dict[str, str]:
    return {
        "OPENAI_BASE_URL": emulator.base_url("openai"),
        "ANTHROPIC_BASE_URL": emulator.base_url("anthropic"),
        "OPENAI_API_KEY": KEY,
        "ANTHROPIC_API_KEY": "sk-ant-" + "k9" * 12,
        "REPOKIT_LLM_MODE": "real",
    }


def test_recorded_in_real_mode_then_replayed_under_xdist_with_the_provider_gone(
    tmp_path: Path, provider: LLMEmulator
) -> None:
    project = make_project(tmp_path, TESTS)
    env = provider_env(provider)
    recorded = run_pytest(project, "--llm-record", "--llm-budget", "2.00", env=env)
    assert recorded.returncode == 0, recorded.stdout
    assert "within the budget $2.00" in recorded.stdout
    assert "LLM mode: real (calls the providers, recording cassettes)" in recorded.stdout
    assert len(provider.requests) == 5
    cassettes = sorted(p.relative_to(project).as_posix() for p in project.rglob("*.yaml"))
    assert cassettes == [
        "tests/cassettes/test_agent/test_an_async_client.yaml",
        "tests/cassettes/test_agent/test_ask[Lima].yaml",
        "tests/cassettes/test_agent/test_ask[Paris].yaml",
        "tests/cassettes/test_agent/test_streams.yaml",
    ]
    for cassette in project.rglob("*.yaml"):
        text = cassette.read_text()
        assert KEY not in text and "authorization" not in text.lower()
        assert "x-api-key" not in text.lower()
    real = report(project)
    real_costs = track_costs(project, SCRIPTS)
    assert real_costs.returncode == 0, real_costs.stderr
    assert "(real LLM mode: spent)" in real_costs.stdout

    provider.stop()  # the provider is gone: only the cassettes can answer
    env["REPOKIT_LLM_MODE"] = "cached"
    del env["OPENAI_API_KEY"], env["ANTHROPIC_API_KEY"]  # a replay needs no key
    replayed = run_pytest(project, "-n", "2", env=env)  # each worker replays its tests
    assert replayed.returncode == 0, replayed.stdout
    cached = report(project)
    assert cached["mode"] == "cached" and real["mode"] == "real"
    assert cached["usage"] == real["usage"]
    by_model = {r["model"]: r for r in cached["usage"]}
    assert by_model["gpt-4o-mini"]["calls"] == 3 and by_model["gpt-4o"]["calls"] == 1
    assert by_model["claude-3-5-haiku-latest"]["input_tokens"] > 0
    cached_costs = track_costs(project, SCRIPTS)
    assert "(cached LLM mode: what the replayed calls would cost live" in cached_costs.stdout
    first, second = (
        line
        for line in (real_costs.stdout + cached_costs.stdout).splitlines()
        if line.startswith("Estimated LLM costs: $")
    )
    assert first.split()[3] == second.split()[3] != "$0.0000"  # the same price, not zero


def test_a_call_without_a_recording_fails_and_names_the_command(
    tmp_path: Path, provider: LLMEmulator
) -> None:
    project = make_project(tmp_path, TESTS)
    env = provider_env(provider)
    assert run_pytest(project, "--llm-record", env=env).returncode == 0
    (project / "tests" / "test_agent.py").write_text(TESTS.replace("Where is", "What is"))
    env["REPOKIT_LLM_MODE"] = "cached"
    before = len(provider.requests)
    result = run_pytest(project, env=env)
    assert result.returncode == 1
    url = provider.base_url("openai") + "/chat/completions"
    assert (
        "FAILED tests/test_agent.py::test_ask[Paris] - Failed: cached LLM mode: no recording of "
        f"POST {url} in tests/cassettes/test_agent/test_ask[Paris].yaml; "
        "record it with `pytest --llm-mode real --llm-record`"
    ) in result.stdout
    assert "PASSED tests/test_agent.py::test_streams" in result.stdout
    assert len(provider.requests) == before  # nothing reached the provider


LEAKS_THE_KEY = """\
import os
from agent import ask

def test_a_prompt_with_the_key():
    assert ask("my key is " + os.environ["OPENAI_API_KEY"])
"""


def test_a_cassette_that_would_hold_a_key_is_not_written(
    tmp_path: Path, provider: LLMEmulator
) -> None:
    project = make_project(tmp_path, LEAKS_THE_KEY)
    result = run_pytest(project, "--llm-record", env=provider_env(provider))
    assert result.returncode == 1
    assert (
        "ERROR tests/test_agent.py::test_a_prompt_with_the_key - Failed: refusing to write the "
        "cassette " in result.stdout
    )
    assert "it contains OPENAI_API_KEY" in result.stdout
    assert KEY not in result.stdout + result.stderr
    assert not list(project.rglob("*.yaml"))


def test_a_real_run_over_its_budget_fails_after_writing_the_report(
    tmp_path: Path, provider: LLMEmulator
) -> None:
    project = make_project(tmp_path, TESTS)
    env = provider_env(provider)
    over = run_pytest(project, "--llm-budget", "0.000001", env=env)
    assert over.returncode == 1, over.stdout
    assert "5 passed" in over.stdout  # every test passed: the budget failed the run
    assert "LLM BUDGET EXCEEDED: this run cost $0.00" in over.stdout
    assert report(project)["totals"]["calls"] == 5
    mocked = run_pytest(project, "--llm-budget", "0.000001", "--llm-mode", "mock")
    assert mocked.returncode == 0, mocked.stdout
    assert "LLM cost of this mock run: $0.0000 (nothing was spent)" in mocked.stdout


def test_a_budget_holds_for_calls_through_a_gateway(tmp_path: Path, provider: LLMEmulator) -> None:
    # a gateway (LiteLLM, a company proxy) or a local stand-in: no provider in its URL
    project = make_project(tmp_path, TESTS)
    env = {**provider_env(provider), "OPENAI_BASE_URL": f"{provider.url}/v1"}
    env["ANTHROPIC_BASE_URL"] = provider.url
    result = run_pytest(project, "--llm-budget", "100", env=env)
    assert result.returncode == 0, result.stdout
    assert "within the budget $100.00" in result.stdout
    providers = {(row["provider"], row["model"]) for row in report(project)["usage"]}
    assert providers == {
        ("openai", "gpt-4o-mini"),
        ("openai", "gpt-4o"),
        ("anthropic", "claude-3-5-haiku-latest"),
    }


def test_without_vcrpy_the_default_stays_out_of_the_way_and_a_chosen_mode_says_why(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path, "def test_nothing():\n    pass\n")
    (project / "conftest.py").write_text("import sys\nsys.modules['vcr'] = None  # not installed\n")
    default = run_pytest(project)
    assert default.returncode == 0, default.stdout
    assert "LLM mode: cached (inactive: the extra 'testing' is not installed (vcrpy;" in (
        default.stdout
    )
    for mode in ("cached", "mock"):
        chosen = run_pytest(project, "--llm-mode", mode)
        assert chosen.returncode == pytest.ExitCode.USAGE_ERROR
        assert (
            f"the {mode} LLM mode needs the extra 'testing' (vcrpy not installed): "
            "pip install 'repokit[testing]'"
        ) in chosen.stderr
