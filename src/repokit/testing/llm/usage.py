"""The usage an LLM response reports, read from its body, whole or streamed.

OpenAI-style bodies report ``usage.prompt_tokens``/``completion_tokens`` (Groq's streamed
chunks put it under ``x_groq.usage``); Anthropic's and OpenAI's Responses API report
``usage.input_tokens``/``output_tokens``. A stream is a sequence of server-sent events:
OpenAI sends its usage in the last chunk (when asked), Anthropic sends the input tokens in
``message_start`` and the running output count in ``message_delta``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ReportedUsage:
    model: str
    input_tokens: int
    output_tokens: int


def usage_of(body: bytes | str, *, request_model: str = "") -> ReportedUsage | None:
    """The usage ``body`` reports, or None when it reports none (an error, an embedding...)."""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except ValueError:
            return None
        return _from_object(data, request_model) if isinstance(data, Mapping) else None
    return _from_events(text, request_model)


def _from_object(data: Mapping[str, Any], request_model: str) -> ReportedUsage | None:
    usage = data.get("usage")
    if not isinstance(usage, Mapping):
        return None
    input_tokens, output_tokens = _tokens(usage)
    if input_tokens is None and output_tokens is None:
        return None
    model = str(data.get("model") or request_model)
    return ReportedUsage(model, input_tokens or 0, output_tokens or 0)


def _tokens(usage: Mapping[str, Any]) -> tuple[int | None, int | None]:
    if "prompt_tokens" in usage or "completion_tokens" in usage:
        return _int(usage.get("prompt_tokens")), _int(usage.get("completion_tokens"))
    return _int(usage.get("input_tokens")), _int(usage.get("output_tokens"))


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _from_events(text: str, request_model: str) -> ReportedUsage | None:
    model = request_model
    input_tokens: int | None = None
    output_tokens: int | None = None
    for line in text.splitlines():
        if not line.startswith("data:"):
            continue
        payload = line[5:].strip()
        if not payload.startswith("{"):
            continue
        try:
            event = json.loads(payload)
        except ValueError:
            continue
        if not isinstance(event, Mapping):
            continue
        message = event.get("message") if event.get("type") == "message_start" else event
        if isinstance(message, Mapping) and message.get("model"):
            model = str(message["model"])
        for usage in _usages_in(event):
            got_in, got_out = _tokens(usage)
            input_tokens = got_in if got_in is not None else input_tokens
            output_tokens = got_out if got_out is not None else output_tokens
    if input_tokens is None and output_tokens is None:
        return None
    return ReportedUsage(model, input_tokens or 0, output_tokens or 0)


def _usages_in(event: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The usage objects of one event: its own, its message's, Groq's ``x_groq``."""
    found = []
    for holder in (event, event.get("message"), event.get("x_groq"), event.get("response")):
        if isinstance(holder, Mapping) and isinstance(holder.get("usage"), Mapping):
            found.append(holder["usage"])
    return found
