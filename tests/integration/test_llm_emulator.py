"""The LLM emulator's answers to requests no SDK would send, over real HTTP."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from repokit.errors import ConfigError
from repokit.testing.llm.emulator import LLMEmulator, LLMRequest, load_canned


@pytest.fixture
def emulator() -> Iterator[LLMEmulator]:
    with LLMEmulator() as running:
        yield running


def post(url: str, body: bytes) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, method="POST")
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_wrong_requests_get_the_providers_error_shapes(emulator: LLMEmulator) -> None:
    status, body = post(emulator.url + "/openai/v1/embeddingz", b"{}")
    assert (
        status == 404 and "no such endpoint: POST /openai/v1/embeddingz" in body["error"]["message"]
    )
    status, body = post(emulator.base_url("anthropic") + "/v1/messages", b"{not json")
    assert status == 400 and body["type"] == "error"
    assert body["error"] == {
        "type": "invalid_request_error",
        "message": "the request body is not JSON",
    }
    status, body = post(emulator.base_url("openai") + "/chat/completions", b'{"model": "m"}')
    assert status == 400 and body["error"]["message"] == "the request needs a messages list"
    assert emulator.requests == []


def test_a_failing_scripted_reply_is_a_500_naming_it(emulator: LLMEmulator) -> None:
    def broken(request: LLMRequest) -> str:
        raise ValueError(f"no answer for {request.model}")

    emulator.script.function = broken
    body = json.dumps({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]})
    status, answer = post(emulator.base_url("openai") + "/chat/completions", body.encode())
    assert status == 500
    assert answer["error"]["message"] == "the scripted reply failed: no answer for gpt-4o"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[{", "not valid JSON (line 1)"),
        ('{"when": "x"}', "expected a list"),
        ('[{"when": "x"}]', "[0] needs the strings when and reply"),
    ],
)
def test_a_bad_canned_answers_file_is_one_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "answers.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_canned(path)
    with pytest.raises(ConfigError, match="no such file"):
        load_canned(tmp_path / "missing.json")
