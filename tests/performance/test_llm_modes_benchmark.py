"""The cost of the LLM test modes per call, through the official openai SDK.

Targets: the mock mode's round trip to the emulator, and the cached mode's replay of a
recorded call, each under 5 ms a call.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import openai
import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from repokit.testing.llm.cassettes import cassette
from repokit.testing.llm.emulator import LLMEmulator

MESSAGES = [{"role": "user", "content": "What is the capital of France?"}]


def ask(client: openai.OpenAI) -> str:
    answer = client.chat.completions.create(model="gpt-4o-mini", messages=MESSAGES)  # type: ignore[arg-type]
    return str(answer.choices[0].message.content)


@pytest.fixture(scope="module")
def emulator() -> Iterator[LLMEmulator]:
    with LLMEmulator() as running:
        yield running


def test_mock_mode_round_trip_per_call(benchmark: BenchmarkFixture, emulator: LLMEmulator) -> None:
    client = openai.OpenAI(base_url=emulator.base_url("openai"), api_key="mock-llm-key")
    ask(client)  # the connection is open, as in a test run
    answer = benchmark.pedantic(ask, args=(client,), rounds=300, warmup_rounds=10)
    assert answer.endswith("What is the capital of France?")


def test_cached_mode_replay_per_call(benchmark: BenchmarkFixture, tmp_path: Path) -> None:
    path = tmp_path / "test_replay.yaml"
    usage: list[Any] = []
    with LLMEmulator() as provider:
        client = openai.OpenAI(base_url=provider.base_url("openai"), api_key="mock-llm-key")
        with cassette(path, mode="real", record=True, on_usage=lambda *row: usage.append(row)):
            recorded = ask(client)
    # the provider is gone: each round replays the recording from a freshly opened cassette
    tapes = ExitStack()

    def fresh_cassette() -> tuple[tuple[openai.OpenAI], dict[str, Any]]:
        tapes.close()
        tapes.enter_context(
            cassette(path, mode="cached", record=False, on_usage=lambda *row: usage.append(row))
        )
        return (client,), {}

    try:
        answer = benchmark.pedantic(ask, setup=fresh_cassette, rounds=200, warmup_rounds=5)
    finally:
        tapes.close()
    assert answer == recorded
    assert len(usage) >= 200 and usage[-1][:2] == ("openai", "gpt-4o-mini")
