"""The LLM emulator: OpenAI-compatible chat completions and Anthropic messages on loopback.

A real HTTP server (as the GitHub emulator is), so the SDKs run their whole stack: request
building, retries, streaming parsers. Each provider gets a path prefix, which is what its
base-URL variable points at::

    OPENAI_BASE_URL     http://127.0.0.1:PORT/openai/v1
    GROQ_BASE_URL       http://127.0.0.1:PORT/groq            (the SDK adds /openai/v1)
    ANTHROPIC_BASE_URL  http://127.0.0.1:PORT/anthropic       (the SDK adds /v1)

Any path ending in ``/chat/completions`` is answered as OpenAI, any ending in ``/messages``
as Anthropic; the first path segment names the provider in the usage it reports.

The answers come from the :class:`Script`: replies queued by the test, then a function of
the request, then canned answers from a file, then a deterministic default.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any

from repokit.testing.llm import wire
from repokit.testing.llm.hosts import provider_of

_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class LLMRequest:
    """One request the emulator answered (headers are not kept: they carry the API key)."""

    provider: str
    family: str  # wire.OPENAI or wire.ANTHROPIC
    path: str
    body: dict[str, Any]

    @property
    def model(self) -> str:
        return str(self.body.get("model") or "")

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))

    @property
    def prompt(self) -> str:
        """The last user message: what a canned answer is chosen by."""
        return wire.last_user_text(self.body)


#: A scripted reply: a text, or a function of the request that returns the text.
Reply = str | Callable[[LLMRequest], str]


@dataclass
class Script:
    """What the emulator answers; thread-safe, reset between tests."""

    queued: list[Reply] = field(default_factory=list)
    function: Callable[[LLMRequest], str] | None = None
    canned: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def answer(self, request: LLMRequest) -> str:
        with self.lock:
            reply = self.queued.pop(0) if self.queued else self.function
            canned = list(self.canned)
        if reply is not None:
            return reply(request) if callable(reply) else reply
        prompt = request.prompt
        for needle, text in canned:
            if needle in prompt:
                return text
        return default_answer(request)

    def reset(self) -> None:
        with self.lock:
            self.queued.clear()
            self.function = None
            self.canned.clear()


def default_answer(request: LLMRequest) -> str:
    """The same answer for the same request: it names the emulator and echoes the prompt."""
    prompt = " ".join(request.prompt.split())
    if len(prompt) > 80:
        prompt = prompt[:77] + "..."
    return f"Mock answer from the repokit LLM emulator to: {prompt}"


def load_canned(path: Path) -> list[tuple[str, str]]:
    """Canned answers from a JSON file: ``[{"when": "text in the prompt", "reply": "..."}]``."""
    from repokit.errors import ConfigError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file", hint="give the canned answers' path") from None
    except ValueError as error:
        msg = f"{path}: not valid JSON (line {getattr(error, 'lineno', '?')})"
        raise ConfigError(msg, hint='expected [{"when": "...", "reply": "..."}]') from None
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a list", hint='[{"when": "...", "reply": "..."}]')
    answers = []
    for index, entry in enumerate(data):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("when"), str)
            and isinstance(entry.get("reply"), str)
        ):
            msg = f"{path}: [{index}] needs the strings when and reply"
            raise ConfigError(msg, hint='{"when": "text in the prompt", "reply": "the answer"}')
        answers.append((entry["when"], entry["reply"]))
    return answers


UsageSink = Callable[[str, str, int, int], None]


class LLMEmulator:
    """The server; ``with LLMEmulator() as llm: ... llm.url``. Started once per test run."""

    def __init__(self, *, on_usage: UsageSink | None = None) -> None:
        self.script = Script()
        self.requests: list[LLMRequest] = []
        self.on_usage = on_usage
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the LLM emulator is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def base_url(self, provider: str) -> str:
        """The value of the provider's base-URL variable (see the module's docstring)."""
        suffix = {"groq": "", "anthropic": ""}.get(provider, "/v1")
        return f"{self.url}/{provider}{suffix}"

    def start(self) -> LLMEmulator:
        handler = type("Handler", (_Handler,), {"emulator": self})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": _POLL_SECONDS},
            name="repokit-llm-emulator",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> LLMEmulator:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    def answer(self, request: LLMRequest) -> wire.Answer:
        text = self.script.answer(request)
        with self._lock:
            self.requests.append(request)
            number = next(self._ids)
        prefix = "msg_mock" if request.family == wire.ANTHROPIC else "chatcmpl-mock"
        answer = wire.Answer(
            text=text,
            model=request.model or "mock-model",
            input_tokens=wire.estimate_tokens(wire.prompt_text(request.body)),
            output_tokens=wire.estimate_tokens(text),
            id=f"{prefix}{number:06d}",
        )
        if self.on_usage is not None:
            self.on_usage(request.provider, answer.model, answer.input_tokens, answer.output_tokens)
        return answer


class _Handler(BaseHTTPRequestHandler):
    emulator: LLMEmulator
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed ACK

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: pytest shows what matters."""

    def do_POST(self) -> None:
        path = self.path.split("?", 1)[0]
        family = _family(path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if family is None:
            self._json(404, wire.error_body(wire.OPENAI, 404, f"no such endpoint: POST {path}"))
            return
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._json(400, wire.error_body(family, 400, "the request body is not JSON"))
            return
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            self._json(400, wire.error_body(family, 400, "the request needs a messages list"))
            return
        request = LLMRequest(provider_of(self.path), family, path, body)
        try:
            answer = self.emulator.answer(request)
        except Exception as error:  # a scripted function failed: the test sees a 500
            self._json(500, wire.error_body(family, 500, f"the scripted reply failed: {error}"))
            return
        if not request.stream:
            whole = wire.openai_completion if family == wire.OPENAI else wire.anthropic_message
            self._json(200, whole(answer))
            return
        if family == wire.OPENAI:
            options = body.get("stream_options") or {}
            events = wire.openai_stream(answer, include_usage=bool(options.get("include_usage")))
        else:
            events = wire.anthropic_stream(answer)
        self._stream(events)

    def do_GET(self) -> None:
        self._json(404, wire.error_body(wire.OPENAI, 404, f"no such endpoint: GET {self.path}"))

    def _json(self, status: int, data: dict[str, Any]) -> None:
        payload = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _stream(self, events: Iterator[bytes]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            for event in events:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(event), event))
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()


def _family(path: str) -> str | None:
    if path.rstrip("/").endswith("/chat/completions"):
        return wire.OPENAI
    if path.rstrip("/").endswith("/messages"):
        return wire.ANTHROPIC
    return None
