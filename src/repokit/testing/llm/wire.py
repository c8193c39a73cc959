"""The answers of the LLM emulator in the providers' wire formats, whole and streamed.

Two families cover the SDKs people use: OpenAI's chat completions (also spoken by Groq,
Mistral, DeepSeek, Together, OpenRouter, vLLM, Ollama...) and Anthropic's messages. Each
answer reports its usage the way the provider does, so the usage read from the traffic is
the same code path in every mode. Token counts are estimated (about four characters per
token): deterministic, and close enough for a cost estimate of a mocked run.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

OPENAI = "openai-chat"
ANTHROPIC = "anthropic-messages"


@dataclass(frozen=True)
class Answer:
    """What the emulator answers one request with."""

    text: str
    model: str
    input_tokens: int
    output_tokens: int
    #: The answer's id, derived from a per-run counter (deterministic within a run).
    id: str


def estimate_tokens(text: str) -> int:
    """About four characters per token, and at least one for any text."""
    return max(1, (len(text) + 3) // 4) if text else 0


def prompt_text(body: Mapping[str, Any]) -> str:
    """Every piece of text the request sends: system prompt and messages."""
    parts: list[str] = []
    system = body.get("system")
    if system is not None:
        parts.append(_text_of(system))
    for message in body.get("messages") or []:
        if isinstance(message, Mapping):
            parts.append(_text_of(message.get("content")))
    return "\n".join(p for p in parts if p)


def last_user_text(body: Mapping[str, Any]) -> str:
    for message in reversed(body.get("messages") or []):
        if isinstance(message, Mapping) and message.get("role") == "user":
            return _text_of(message.get("content"))
    return ""


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content blocks: [{"type": "text", "text": ...}, ...]
        return "\n".join(
            str(block.get("text", "")) for block in content if isinstance(block, Mapping)
        )
    return ""


def chunks_of(text: str) -> list[str]:
    """The pieces a streamed answer arrives in: one word (with its space) each."""
    pieces: list[str] = []
    for index, word in enumerate(text.split(" ")):
        pieces.append(word if index == 0 else " " + word)
    return [p for p in pieces if p] or [""]


# OpenAI chat completions ------------------------------------------------------------------


def openai_completion(answer: Answer) -> dict[str, Any]:
    return {
        "id": answer.id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": answer.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.text, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": _openai_usage(answer),
        "system_fingerprint": "fp_repokit_mock",
    }


def _openai_usage(answer: Answer) -> dict[str, int]:
    return {
        "prompt_tokens": answer.input_tokens,
        "completion_tokens": answer.output_tokens,
        "total_tokens": answer.input_tokens + answer.output_tokens,
    }


def openai_stream(answer: Answer, *, include_usage: bool) -> Iterator[bytes]:
    """Server-sent events of ``chat.completion.chunk`` objects, ending with ``[DONE]``.

    As OpenAI does, the usage comes in a last chunk without choices, and only when the
    request asked for it (``stream_options.include_usage``).
    """
    created = int(time.time())

    def chunk(delta: dict[str, Any], finish: str | None) -> dict[str, Any]:
        return {
            "id": answer.id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": answer.model,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }

    yield _sse(chunk({"role": "assistant", "content": ""}, None))
    for piece in chunks_of(answer.text):
        yield _sse(chunk({"content": piece}, None))
    yield _sse(chunk({}, "stop"))
    if include_usage:
        last = chunk({}, None)
        last["choices"] = []
        last["usage"] = _openai_usage(answer)
        yield _sse(last)
    yield b"data: [DONE]\n\n"


# Anthropic messages -----------------------------------------------------------------------


def anthropic_message(answer: Answer) -> dict[str, Any]:
    return {
        "id": answer.id,
        "type": "message",
        "role": "assistant",
        "model": answer.model,
        "content": [{"type": "text", "text": answer.text}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": answer.input_tokens, "output_tokens": answer.output_tokens},
    }


def anthropic_stream(answer: Answer) -> Iterator[bytes]:
    """The event sequence of a streamed message: start, one text block, delta, stop."""
    start = anthropic_message(answer)
    start["content"] = []
    start["stop_reason"] = None
    start["usage"] = {"input_tokens": answer.input_tokens, "output_tokens": 1}
    yield _sse({"type": "message_start", "message": start}, event="message_start")
    block_start = {
        "type": "content_block_start",
        "index": 0,
        "content_block": {"type": "text", "text": ""},
    }
    yield _sse(block_start, event="content_block_start")
    yield _sse({"type": "ping"}, event="ping")
    for piece in chunks_of(answer.text):
        delta = {"type": "content_block_delta", "index": 0}
        delta["delta"] = {"type": "text_delta", "text": piece}
        yield _sse(delta, event="content_block_delta")
    yield _sse({"type": "content_block_stop", "index": 0}, event="content_block_stop")
    message_delta = {
        "type": "message_delta",
        "delta": {"stop_reason": "end_turn", "stop_sequence": None},
        "usage": {"output_tokens": answer.output_tokens},
    }
    yield _sse(message_delta, event="message_delta")
    yield _sse({"type": "message_stop"}, event="message_stop")


# Errors -----------------------------------------------------------------------------------


def error_body(family: str, status: int, message: str) -> dict[str, Any]:
    if family == ANTHROPIC:
        kind = "invalid_request_error" if status < 500 else "api_error"
        return {"type": "error", "error": {"type": kind, "message": message}}
    return {"error": {"message": message, "type": "invalid_request_error", "code": None}}


def _sse(data: Mapping[str, Any], *, event: str | None = None) -> bytes:
    head = f"event: {event}\n" if event else ""
    return f"{head}data: {json.dumps(data, separators=(',', ':'))}\n\n".encode()
