"""Pricing LLM usage: the seed's per-call form, configured prices, and genai-prices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from genai_prices import Usage as TokenUsage
from genai_prices import calc_price

from repokit.monitoring.costs import Usage, load_mode, load_usage, price
from repokit.monitoring.inputs import InputError


def write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "usage.json"
    path.write_text(json.dumps(data))
    return path


def test_the_seeds_simple_form_at_the_seeds_prices(tmp_path: Path) -> None:
    report = price(load_usage(write(tmp_path, {"groq_calls": 1000, "evaluator_calls": 500})))
    assert report.total == pytest.approx(1000 * 0.0001 + 500 * 0.0002)
    configured = price(
        load_usage(write(tmp_path, {"groq_calls": 10})), {"per_call": {"groq_calls": 0.01}}
    )
    assert configured.total == pytest.approx(0.1)


def test_known_models_are_priced_by_genai_prices() -> None:
    usages = [
        Usage("openai", "gpt-4o", calls=3, input_tokens=12_000, output_tokens=3_000),
        Usage(
            "anthropic", "claude-3-5-haiku-latest", calls=2, input_tokens=5_000, output_tokens=900
        ),
    ]
    expected = sum(
        float(
            calc_price(
                TokenUsage(input_tokens=u.input_tokens, output_tokens=u.output_tokens),
                u.model,
                provider_id=u.provider,
            ).total_price
        )
        for u in usages
    )
    report = price(usages)
    assert report.total == pytest.approx(expected)
    assert report.total > 0
    assert {line.priced_by for line in report.lines} == {"genai-prices"}


def test_a_model_behind_a_gateway_is_priced_by_its_name() -> None:
    # a gateway speaking the chat-completions shape serves another provider's model
    through_gateway = price([Usage("openai", "claude-3-5-haiku-latest", 1, 1_000_000, 0)])
    direct = price([Usage("anthropic", "claude-3-5-haiku-latest", 1, 1_000_000, 0)])
    assert through_gateway.total == pytest.approx(direct.total)
    assert through_gateway.total > 0


def test_configured_prices_cover_unknown_models() -> None:
    settings = {"models": {"groq/my-finetune": {"input_per_mtok": 1.0, "output_per_mtok": 2.0}}}
    report = price([Usage("groq", "my-finetune", 5, 1_000_000, 500_000)], settings)
    assert report.total == pytest.approx(1.0 + 1.0)
    with pytest.raises(InputError) as info:
        price([Usage("groq", "my-finetune", 5, 1, 1)])
    assert "no known price for model my-finetune" in info.value.message
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"groq_calls": -1}, "negative count"),
        ({"usage": [{"provider": "openai", "model": "gpt-4o", "calls": "3"}]}, "whole number"),
        ({"something": 1}, "neither a usage list"),
        ([1, 2], "expected a JSON object"),
    ],
)
def test_bad_reports_are_one_clear_line(tmp_path: Path, data: object, words: str) -> None:
    with pytest.raises(InputError) as info:
        load_usage(write(tmp_path, data))
    assert words in info.value.message


def test_malformed_json_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{nope")
    with pytest.raises(InputError, match="not valid JSON"):
        load_usage(bad)
    with pytest.raises(InputError, match="no such file"):
        load_usage(tmp_path / "missing.json")


def test_a_mock_run_costs_nothing_and_a_cached_one_what_it_would_cost(tmp_path: Path) -> None:
    usage = [Usage("openai", "gpt-4o", calls=3, input_tokens=1_000_000, output_tokens=0)]
    assert price(usage, mode="mock").total == 0.0
    assert price(usage, mode="cached").total == price(usage).total > 0
    unknown = [Usage("mock", "my-test-model", calls=1, input_tokens=5)]
    assert price(unknown, mode="mock").lines[0].priced_by == "mock"
    report = tmp_path / "usage.json"
    report.write_text(json.dumps({"schema": 1, "mode": "cached", "usage": []}))
    assert load_mode(report) == "cached"
    report.write_text(json.dumps({"mode": "dream", "usage": []}))
    with pytest.raises(InputError, match="mode is 'dream'"):
        load_mode(report)
