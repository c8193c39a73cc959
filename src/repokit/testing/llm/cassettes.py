"""Cassettes of LLM traffic (vcrpy): recorded in real mode, replayed in cached mode.

One cassette per test, ``<cassette dir>/<test module>/<test name>.yaml``. Only LLM calls
(:func:`repokit.testing.llm.hosts.is_llm_request`) go into a cassette; any other request
passes through untouched, and only the httpx clients the LLM SDKs use are patched. A
request matches a recording on method, URL and the meaningful fields of its JSON body.

Nothing secret is written: the auth headers are removed when recording, and a cassette
that still holds an API key (a key echoed in an answer, a key in a URL) is refused.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from repokit.testing.llm.hosts import is_llm_request, provider_of
from repokit.testing.llm.usage import usage_of

RECORD_COMMAND = "pytest --llm-mode real --llm-record"

#: Request headers that carry credentials or identify the account: never recorded.
SECRET_REQUEST_HEADERS = (
    "authorization",
    "x-api-key",
    "api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "x-goog-api-key",
)
#: Response headers that identify the account or a session: never recorded.
SECRET_RESPONSE_HEADERS = (
    "set-cookie",
    "openai-organization",
    "openai-project",
    "anthropic-organization-id",
)
#: Body fields that differ between runs without changing the answer.
VOLATILE_BODY_FIELDS = ("user", "metadata", "request_id")
#: Shapes of provider keys, for keys that are not in this run's environment.
KEY_PATTERNS = (
    re.compile(r"sk-ant-[A-Za-z0-9_\-]{16,}"),
    re.compile(r"sk-(?:proj-)?[A-Za-z0-9_\-]{20,}"),
    re.compile(r"gsk_[A-Za-z0-9]{20,}"),
    re.compile(r"xai-[A-Za-z0-9]{20,}"),
    re.compile(r"AIza[0-9A-Za-z_\-]{30,}"),
)
_KEY_VARIABLE = re.compile(r"(API_KEY|_TOKEN|_SECRET|_KEY)$")

UsageSink = Callable[[str, str, int, int], None]


def cassette_path(directory: Path, nodeid: str) -> Path:
    """Where a test's cassette lives.

    ``tests/test_agent.py::TestX::test_y[a]`` -> ``<directory>/test_agent/TestX.test_y[a].yaml``
    """
    module, _, name = nodeid.partition("::")
    relative = Path(module).with_suffix("")
    if relative.parts and relative.parts[0] == "tests":
        relative = Path(*relative.parts[1:]) if len(relative.parts) > 1 else relative
    safe = re.sub(r"[^A-Za-z0-9_.\-\[\]]+", "_", name.replace("::", "."))
    return directory / relative / f"{safe}.yaml"


def body_fields(body: bytes | str | None) -> Any:
    """What of a request body decides the answer: the JSON without its volatile fields."""
    if not body:
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return body
    if isinstance(data, dict):
        for name in VOLATILE_BODY_FIELDS:
            data.pop(name, None)
    return data


def _match_body(recorded: Any, current: Any) -> None:
    if body_fields(recorded.body) != body_fields(current.body):
        raise AssertionError("the request bodies differ")


def secrets_in(text: str, environ: dict[str, str] | None = None) -> list[str]:
    """Names of the secrets ``text`` contains: key variables' values, then key shapes."""
    environ = dict(os.environ) if environ is None else environ
    found = [
        name
        for name, value in sorted(environ.items())
        if _KEY_VARIABLE.search(name) and len(value) >= 8 and value in text
    ]
    found += [f"a key shaped like {p.pattern[:8]}..." for p in KEY_PATTERNS if p.search(text)]
    return found


class _Persister:
    """Writes a cassette only when recording, and never one that holds a secret."""

    record = False

    @classmethod
    def load_cassette(cls, path: str, serializer: Any) -> Any:
        from vcr.persisters.filesystem import FilesystemPersister

        return FilesystemPersister.load_cassette(path, serializer)

    @classmethod
    def save_cassette(cls, path: str, cassette_dict: Any, serializer: Any) -> None:
        if not cls.record:
            return
        from vcr.persisters.filesystem import FilesystemPersister
        from vcr.serialize import serialize

        found = secrets_in(serialize(cassette_dict, serializer))
        if found:
            pytest.fail(
                f"refusing to write the cassette {path}: it contains {found[0]} "
                "(an API key in an answer or a URL); keep keys out of prompts and answers",
                pytrace=False,
            )
        FilesystemPersister.save_cassette(path, cassette_dict, serializer)


class _RecordingPersister(_Persister):
    record = True


@contextmanager
def cassette(path: Path, *, mode: str, record: bool, on_usage: UsageSink) -> Iterator[None]:
    """Replay (``cached``) or pass through and observe (``real``) the LLM calls of one test."""
    import vcr

    def keep_llm_only(request: Any) -> Any:
        if not is_llm_request(request.uri):
            return None
        for name in list(request.headers):
            if name.lower() in SECRET_REQUEST_HEADERS:
                del request.headers[name]
        return request

    def observe(response: dict[str, Any]) -> dict[str, Any]:
        headers = response.get("headers") or {}
        for name in list(headers):
            if name.lower() in SECRET_RESPONSE_HEADERS:
                del headers[name]
        return response

    recorder = vcr.VCR(
        record_mode="none" if mode == "cached" else "all",
        match_on=["method", "scheme", "host", "port", "path", "query", "llm_body"],
        before_record_request=keep_llm_only,
        before_record_response=observe,
        decode_compressed_response=True,
        skip_patchers=("httplib", "requests", "boto3", "urllib3", "httplib2", "tornado"),
        filter_query_parameters=["key", "api_key"],
    )
    recorder.register_persister(_RecordingPersister if record else _Persister)
    recorder.register_matcher("llm_body", _match_body)
    with recorder.use_cassette(str(path)) as tape:
        loaded = len(tape.data)
        if mode == "cached":
            _fail_on_miss(tape, path)
        yield
        if mode == "cached":
            interactions = [tape.data[i] for i, n in tape.play_counts.items() for _ in range(n)]
        else:
            interactions = tape.data[loaded:]
        for request, response in interactions:
            _count(request, response, on_usage)


def _fail_on_miss(tape: Any, path: Path) -> None:
    """Fail the test at the missing call itself, with the command that records it.

    vcrpy asks a write-protected cassette's ``filter_request`` only for a request it cannot
    replay, and then raises an exception the SDKs catch and retry as a connection error.
    The test's failure (a BaseException) passes through the SDK's retries instead.
    """
    filter_request = tape.filter_request

    def missing(request: Any) -> Any:
        kept = filter_request(request)
        if kept:
            pytest.fail(_miss(path, kept), pytrace=False)
        return kept

    tape.filter_request = missing


def _miss(path: Path, request: Any) -> str:
    what = f"{request.method} {request.uri}" if request is not None else "an LLM call"
    shown = path.relative_to(Path.cwd()) if path.is_relative_to(Path.cwd()) else path
    return (
        f"cached LLM mode: no recording of {what} in {shown}; " f"record it with `{RECORD_COMMAND}`"
    )


def _count(request: Any, response: dict[str, Any], on_usage: UsageSink) -> None:
    body = (response.get("body") or {}).get("string", b"")
    fields = body_fields(request.body)
    model = str(fields.get("model") or "") if isinstance(fields, dict) else ""
    usage = usage_of(body, request_model=model)
    provider = provider_of(request.uri)
    if usage is None:
        on_usage(provider, model or "unknown", 0, 0)
    else:
        on_usage(
            provider, usage.model or model or "unknown", usage.input_tokens, usage.output_tokens
        )
