"""Reading LLM traffic: the usage each wire format reports, providers, secrets, cassettes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repokit.testing.llm import wire
from repokit.testing.llm.cassettes import body_fields, cassette_path, secrets_in
from repokit.testing.llm.hosts import is_llm_request, provider_of
from repokit.testing.llm.usage import ReportedUsage, usage_of

ANSWER = wire.Answer("one two three", "gpt-4o-mini", 12, 4, "chatcmpl-1")


def test_openai_whole_and_streamed() -> None:
    whole = json.dumps(wire.openai_completion(ANSWER))
    assert usage_of(whole) == ReportedUsage("gpt-4o-mini", 12, 4)
    stream = b"".join(wire.openai_stream(ANSWER, include_usage=True))
    assert usage_of(stream) == ReportedUsage("gpt-4o-mini", 12, 4)
    without = b"".join(wire.openai_stream(ANSWER, include_usage=False))
    assert usage_of(without, request_model="gpt-4o-mini") is None


def test_anthropic_whole_and_streamed() -> None:
    answer = wire.Answer("hello there", "claude-3-5-haiku-latest", 30, 7, "msg_1")
    assert usage_of(json.dumps(wire.anthropic_message(answer))) == ReportedUsage(
        "claude-3-5-haiku-latest", 30, 7
    )
    stream = b"".join(wire.anthropic_stream(answer))
    assert b"event: message_start" in stream and b"event: message_stop" in stream
    assert usage_of(stream) == ReportedUsage("claude-3-5-haiku-latest", 30, 7)


def test_groq_streams_its_usage_under_x_groq() -> None:
    chunk = {
        "id": "c",
        "model": "llama-3.1-8b-instant",
        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
        "x_groq": {"usage": {"prompt_tokens": 40, "completion_tokens": 9}},
    }
    stream = f"data: {json.dumps(chunk)}\n\ndata: [DONE]\n\n"
    assert usage_of(stream) == ReportedUsage("llama-3.1-8b-instant", 40, 9)


@pytest.mark.parametrize(
    "body", [b"", b"not json", b'{"error": {"message": "rate limited"}}', b'{"usage": null}']
)
def test_an_answer_without_usage_reports_none(body: bytes) -> None:
    assert usage_of(body) is None


@pytest.mark.parametrize(
    ("url", "llm", "provider"),
    [
        ("https://api.openai.com/v1/chat/completions", True, "openai"),
        ("https://api.groq.com/openai/v1/chat/completions", True, "groq"),
        ("https://api.anthropic.com/v1/messages", True, "anthropic"),
        ("http://127.0.0.1:5/deepseek/v1/chat/completions", True, "deepseek"),
        # a gateway or local stand-in: the provider whose API shape it speaks
        ("http://127.0.0.1:5/v1/chat/completions", True, "openai"),
        ("https://llm-gateway.example/team-a/v1/chat/completions", True, "openai"),
        ("http://localhost:4000/v1/messages", True, "anthropic"),
        ("http://127.0.0.1:5/api/v3/repos/acme/widget", False, "api"),
        ("https://pypi.org/simple/", False, "simple"),
    ],
)
def test_llm_calls_and_their_provider(url: str, llm: bool, provider: str) -> None:
    assert is_llm_request(url) is llm
    assert provider_of(url) == provider


def test_secrets_are_found_by_value_and_by_shape() -> None:
    environ = {"OPENAI_API_KEY": "abcdefgh12345678", "HOME": "/root", "SHORT_TOKEN": "abc"}
    assert secrets_in("the key abcdefgh12345678 leaked", environ) == ["OPENAI_API_KEY"]
    assert secrets_in("echo sk-ant-" + "x" * 20, {})[0].startswith("a key shaped like")
    assert secrets_in("no key here, abc, /root", environ) == []


def test_cassette_paths_and_the_fields_that_decide_a_match() -> None:
    root = Path("/p/tests/cassettes")
    assert cassette_path(root, "tests/unit/test_a.py::TestB::test_c[x-1]") == (
        root / "unit" / "test_a" / "TestB.test_c[x-1].yaml"
    )
    assert (
        cassette_path(root, "test_top.py::test_d[a b/c]")
        == root / "test_top" / "test_d[a_b_c].yaml"
    )
    one = json.dumps({"model": "m", "messages": [], "user": "u1", "metadata": {"run": 1}})
    two = json.dumps({"model": "m", "messages": [], "user": "u2"})
    assert body_fields(one) == body_fields(two)
    assert body_fields(two) != body_fields(json.dumps({"model": "n", "messages": []}))


def test_tokens_are_estimated_from_the_text() -> None:
    assert wire.estimate_tokens("") == 0
    assert wire.estimate_tokens("abc") == 1
    assert wire.estimate_tokens("a" * 40) == 10
    assert wire.chunks_of("one two  three") == ["one", " two", " ", " three"]
