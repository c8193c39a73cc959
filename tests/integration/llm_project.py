"""A small project whose agent calls the official openai and anthropic SDKs, run by pytest."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# Each SDK is imported when first used, as an agent with optional providers does: a test
# process that calls one provider pays for one SDK's import (seconds each) only.
AGENT = """\
import functools


@functools.cache
def openai_client():
    import openai

    return openai.OpenAI()


@functools.cache
def anthropic_client():
    import anthropic

    return anthropic.Anthropic()


def ask(question, stream=False):
    client = openai_client()
    messages = [{"role": "system", "content": "Answer in one word."},
                {"role": "user", "content": question}]
    if not stream:
        answer = client.chat.completions.create(model="gpt-4o-mini", messages=messages)
        return answer.choices[0].message.content
    parts = client.chat.completions.create(
        model="gpt-4o-mini", messages=messages, stream=True,
        stream_options={"include_usage": True},
    )
    return "".join(c.choices[0].delta.content or "" for c in parts if c.choices)


def summarise(text, stream=False):
    client = anthropic_client()
    request = dict(model="claude-3-5-haiku-latest", max_tokens=100,
                   messages=[{"role": "user", "content": f"Summarise: {text}"}])
    if not stream:
        return client.messages.create(**request).content[0].text
    with client.messages.stream(**request) as answer:
        return "".join(answer.text_stream)
"""

#: Variables of the outer run that must not reach the project's run.
_OUTER = (
    "REPOKIT_LLM_MODE",
    "OPENAI_BASE_URL",
    "GROQ_BASE_URL",
    "ANTHROPIC_BASE_URL",
    "OPENAI_API_KEY",
    "GROQ_API_KEY",
    "ANTHROPIC_API_KEY",
)


#: Plugins of this environment the project's runs have no use for: each costs its import.
_UNRELATED = ("-p", "no:hypothesispytest", "-p", "no:benchmark", "-p", "no:pytest_cov")


def make_project(root: Path, tests: str, conftest: str = "") -> Path:
    (root / "tests").mkdir(parents=True, exist_ok=True)
    (root / "agent.py").write_text(AGENT)
    (root / "pyproject.toml").write_text('[project]\nname = "agent"\nversion = "0"\n')
    (root / "tests" / "test_agent.py").write_text(tests)
    (root / "tests" / "conftest.py").write_text(
        "import sys, pathlib\nsys.path.insert(0, str(pathlib.Path(__file__).parents[1]))\n"
        + conftest
    )
    return root


def run_pytest(
    root: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in _OUTER}
    clean = {k: v for k, v in clean.items() if not k.startswith("PYTEST_XDIST")}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *_UNRELATED, "-rA", *args],
        cwd=root,
        capture_output=True,
        text=True,
        env={**clean, "COLUMNS": "400", **(env or {})},
        check=False,
    )


def report(root: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((root / "test-reports" / "llm-usage.json").read_text())
    return data


def track_costs(root: Path, scripts: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(scripts / "track_llm_costs.py"), "--alert-threshold", "5.00"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
    )
