"""The mock LLM mode: the official SDKs answered by the emulator, nothing leaving the machine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from llm_project import make_project, report, run_pytest, track_costs

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"

SCRIPTED = """\
import json
from agent import ask, summarise

def test_a_scripted_answer(llm_mock):
    llm_mock.reply("Paris", lambda request: request.prompt.upper())
    assert ask("Capital of France?") == "Paris"
    assert ask("shout this") == "SHOUT THIS"
    assert [r.provider for r in llm_mock.requests] == ["openai", "openai"]
    assert llm_mock.requests[0].body["messages"][1]["content"] == "Capital of France?"

def test_an_unscripted_answer_is_the_same_every_time():
    first, second = ask("Capital of Spain?"), ask("Capital of Spain?")
    assert first == second == "Mock answer from the repokit LLM emulator to: Capital of Spain?"

def test_canned_answers_from_a_file(llm_mock, tmp_path):
    canned = tmp_path / "answers.json"
    canned.write_text(json.dumps([{"when": "France", "reply": "Paris"}]))
    llm_mock.load(canned)
    assert ask("Capital of France?") == "Paris"
    assert ask("Capital of Peru?").endswith("Capital of Peru?")

def test_streamed_answers(llm_mock):
    llm_mock.reply("one two three", "four five")
    assert ask("count", stream=True) == "one two three"
    assert summarise("count on", stream=True) == "four five"
    assert summarise("plain") == "Mock answer from the repokit LLM emulator to: Summarise: plain"

def test_the_mode(llm_mode):
    assert llm_mode == "mock"
"""


def test_scripted_default_canned_and_streamed_answers(tmp_path: Path) -> None:
    project = make_project(tmp_path, SCRIPTED)
    result = run_pytest(project, "--llm-mode", "mock")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "LLM mode: mock (emulator at http://127.0.0.1:" in result.stdout
    usage = report(project)
    assert usage["mode"] == "mock"
    rows = {(r["provider"], r["model"]): r for r in usage["usage"]}
    assert rows[("openai", "gpt-4o-mini")]["calls"] == 7
    assert rows[("anthropic", "claude-3-5-haiku-latest")]["calls"] == 2
    # the usage the answers reported: "four five" is 9 characters, about 3 tokens
    assert rows[("anthropic", "claude-3-5-haiku-latest")]["output_tokens"] > 3
    costs = track_costs(project, SCRIPTS)
    assert costs.returncode == 0, costs.stderr
    assert "Estimated LLM costs: $0.0000 (mock LLM mode" in costs.stdout


LEAKY = """\
import openai

def test_a_client_that_ignores_the_base_url():
    client = openai.OpenAI(base_url="https://api.openai.com/v1", max_retries=0)
    client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])

def test_another_provider_named_in_the_ini():
    import os
    assert os.environ["DEEPSEEK_BASE_URL"].endswith("/deepseek/v1")
    client = openai.OpenAI(base_url=os.environ["DEEPSEEK_BASE_URL"])
    answer = client.chat.completions.create(
        model="deepseek-chat", messages=[{"role": "user", "content": "hi"}]
    )
    assert answer.usage.prompt_tokens == 1

@pytest.mark.llm_real
def test_only_against_the_real_provider():
    raise AssertionError("must not run in mock mode")
"""


def test_a_real_provider_host_fails_the_test_with_the_host_named(tmp_path: Path) -> None:
    project = make_project(tmp_path, "import pytest\n" + LEAKY)
    (project / "pytest.ini").write_text("[pytest]\nllm_base_url_env = DEEPSEEK_BASE_URL=deepseek\n")
    result = run_pytest(project, env={"REPOKIT_LLM_MODE": "mock"})
    assert result.returncode == 1, result.stdout
    assert (
        "FAILED tests/test_agent.py::test_a_client_that_ignores_the_base_url - Failed: "
        "mock LLM mode: a request to api.openai.com would leave the machine" in result.stdout
    )
    assert "PASSED tests/test_agent.py::test_another_provider_named_in_the_ini" in result.stdout
    skipped = "calls the real LLM providers; this run's LLM mode is mock"
    assert re.search(rf"SKIPPED \[1\] tests/test_agent.py:\d+: {skipped}", result.stdout)
    rows = report(project)["usage"]
    assert [(r["provider"], r["model"]) for r in rows] == [("deepseek", "deepseek-chat")]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        ([], {"REPOKIT_LLM_MODE": "fake"}, "$REPOKIT_LLM_MODE is 'fake': the LLM mode is one of"),
        (["--llm-mode", "mock", "--llm-record"], {}, "--llm-record records real LLM calls"),
    ],
)
def test_a_wrong_mode_is_one_line(
    tmp_path: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    project = make_project(tmp_path, "def test_nothing():\n    pass\n")
    result = run_pytest(project, *args, env=env)
    assert result.returncode == pytest.ExitCode.USAGE_ERROR
    assert message in result.stderr
    assert "Traceback" not in result.stderr


MANY = """\
import pytest
from agent import ask, summarise

@pytest.mark.parametrize("n", range(100))
def test_two_calls(n):
    assert ask(f"question {n}").endswith(f"question {n}")
    assert summarise(f"text {n}", stream=n % 2 == 0).endswith(f"text {n}")
"""

COUNT_CONNECTIONS = """\
import ipaddress, json, os, socket, pytest

_connect = socket.socket.connect
outside = []

def connect(self, address):
    host = address[0] if isinstance(address, tuple) else None
    if host is not None and not ipaddress.ip_address(host).is_loopback:
        outside.append(host)
    return _connect(self, address)

socket.socket.connect = connect

def pytest_sessionfinish(session):
    name = os.environ.get("PYTEST_XDIST_WORKER", "main")
    with open(f"outside-{name}.json", "w") as out:
        json.dump(outside, out)
"""


def test_200_mocked_calls_under_xdist_stay_on_the_machine_and_cost_nothing(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path, MANY, conftest=COUNT_CONNECTIONS)
    result = run_pytest(project, "-q", "--llm-mode", "mock", "-n", "2")
    assert result.returncode == 0, result.stdout[-3000:]
    outside = [(project / f).read_text() for f in sorted(p.name for p in project.glob("outside-*"))]
    assert len(outside) == 3 and all(text == "[]" for text in outside)  # 2 workers, 1 controller
    usage = report(project)
    assert usage["mode"] == "mock" and usage["totals"]["calls"] == 200
    costs = track_costs(project, SCRIPTS)
    assert costs.returncode == 0, costs.stderr
    assert "Estimated LLM costs: $0.0000" in costs.stdout
