"""The GitHub REST API emulator: :class:`GitHubEmulator`, served on 127.0.0.1 over real HTTP.

Every request passes, in order: an injected fault, if one waits; authentication
(401 "Bad credentials"); the primary rate limit (403 when exhausted, headers on
every answer); routing (404); the request body against GitHub's OpenAPI
description (a violation answers 422); the handler, under the state's lock; and
the response against the description (a violation answers 500). Violations are
kept in :attr:`GitHubEmulator.violations` so that a test cannot pass on a request
GitHub would refuse.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from repokit.redact import register_secret
from repokit.testing.github.faults import SECONDARY_RATE_LIMIT_MESSAGE, Fault, FaultQueue
from repokit.testing.github.openapi import Contract, Violation
from repokit.testing.github.routes import ROUTES
from repokit.testing.github.routing import ApiError, ApiRequest, ApiResponse, Route, Router
from repokit.testing.github.state import GitHubState

logger = logging.getLogger(__name__)

MASK = "***"
_REQUEST_TIMEOUT_SECONDS = 30
#: How often the serving loop looks for stop(): the longest stop() waits.
_POLL_SECONDS = 0.02


@dataclass(frozen=True)
class LoggedRequest:
    """One request the emulator received (the token is never kept)."""

    method: str
    path: str
    query: dict[str, list[str]]
    #: The JSON body, or None (no body, or a binary upload: see ``size``).
    body: Any
    size: int
    #: The answer's status; None when the connection was dropped on purpose.
    status: int | None
    login: str | None

    @property
    def is_write(self) -> bool:
        return self.method != "GET"


class GitHubEmulator(GitHubState):
    """GitHub's REST API for tests: seed it, start it, point PyGithub at :attr:`url`.

    >>> with GitHubEmulator(contract=Contract.load(path)) as github:
    ...     github.add_repo("acme", "widget", admins=["alice"])
    ...     github.add_token("t0ken", "alice")
    ...     Github(auth=Token("t0ken"), base_url=github.url).get_repo("acme/widget")
    """

    def __init__(self, *, contract: Contract | None = None, routes: Iterable[Route] = ROUTES):
        super().__init__()
        self.contract = contract
        self.router = Router(routes)
        self.faults = FaultQueue()
        self.violations: list[Violation] = []
        self._requests: list[LoggedRequest] = []
        self._log_lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self, port: int = 0) -> GitHubEmulator:
        """Serve on 127.0.0.1 at ``port`` (0: any free port; :attr:`url` tells which)."""
        if self._server is not None:
            return self
        self._server = _Server(("127.0.0.1", port), _Handler, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": _POLL_SECONDS},
            name="github-emulator",
            daemon=True,
        )
        self._thread.start()
        logger.debug("GitHub emulator serving at %s", self.url)
        return self

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.close_open_connections()
        server.server_close()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> GitHubEmulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The API's base URL (``base_url`` for PyGithub, ``GITHUB_API_URL`` for the rest)."""
        if self._server is None:
            msg = "the GitHub emulator is not running: call start() first"
            raise RuntimeError(msg)
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    # -- seeding that touches secrets ---------------------------------------------------------

    def add_token(self, token: str, login: str) -> None:
        """Requests bearing ``token`` act as ``login``; the token is redacted everywhere."""
        register_secret(token)
        super().add_token(token, login)

    # -- faults -------------------------------------------------------------------------------

    def fail_next(self, count: int = 1, *, status: int = 502, only: str | None = None) -> None:
        """Answer the next ``count`` requests with a server error ``status``."""
        message = {500: "Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}
        self.faults.add(Fault(status, message.get(status, "Server Error"), only=only), count)

    def secondary_rate_limit(
        self, count: int = 1, *, retry_after: int = 60, status: int = 403, only: str | None = None
    ) -> None:
        """Refuse the next ``count`` requests for a secondary rate limit (403, or the 429 form)."""
        headers = {"retry-after": str(retry_after)}
        fault = Fault(status, SECONDARY_RATE_LIMIT_MESSAGE, headers=headers, only=only)
        self.faults.add(fault, count)

    def reject_credentials(self, count: int = 1, *, only: str | None = None) -> None:
        """Answer the next ``count`` requests 401 "Bad credentials", whatever their token."""
        self.faults.add(Fault(401, "Bad credentials", only=only), count)

    def drop_next(self, count: int = 1, *, only: str | None = None, served: bool = False) -> None:
        """Close the connection of the next ``count`` requests without answering (after
        carrying them out, with ``served``)."""
        self.faults.add(Fault(drop=True, only=only, served=served), count)

    def exhaust_rate_limit(self, *, reset_in: int = 60) -> None:
        """Use up the primary rate limit: requests answer 403 until ``reset_in`` seconds pass."""
        with self.lock:
            self.rate_limit.used = self.rate_limit.limit
            self.rate_limit.reset = int(time.time()) + reset_in

    # -- what happened ------------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request received so far, oldest first."""
        with self._log_lock:
            return list(self._requests)

    def writes(self) -> list[LoggedRequest]:
        """The requests that were not GETs (for "nothing was changed" assertions)."""
        return [entry for entry in self.requests if entry.is_write]

    def clear_log(self) -> None:
        with self._log_lock:
            self._requests.clear()

    def take_violations(self) -> list[Violation]:
        """The contract violations so far, forgotten (for tests that provoke one on purpose)."""
        with self._log_lock:
            found, self.violations[:] = list(self.violations), []
        return found

    # -- serving ------------------------------------------------------------------------------

    def handle(
        self, method: str, target: str, headers: dict[str, str], raw_body: bytes
    ) -> ApiResponse | None:
        """The answer to one request (None: drop the connection). Thread-safe."""
        parsed = urllib.parse.urlsplit(target)
        path = parsed.path
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        body, login, response = None, None, None
        fault = self.faults.take(method, path)
        if fault is not None and fault.drop:
            if fault.served:
                login = self._authenticate(headers)
                self._serve(method, path, query, headers, raw_body, login)
            self._log(method, path, query, raw_body, None, None)
            return None
        if fault is not None:
            response = ApiError(fault.status, fault.message, headers=fault.headers).response()
        else:
            login = self._authenticate(headers)
            response, body = self._serve(method, path, query, headers, raw_body, login)
        response.headers = {**self._rate_limit_headers(), **response.headers}  # a fault's win
        self._log(method, path, query, raw_body, response.status, login, body)
        return response

    def _serve(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        raw_body: bytes,
        login: str | None,
    ) -> tuple[ApiResponse, Any]:
        body: Any = None
        if login is None:
            return ApiError(401, "Bad credentials").response(), body
        with self.lock:
            if self.rate_limit.exhausted():
                account = self.account(login)
                user_id = account.id if account else 0
                message = f"API rate limit exceeded for user ID {user_id}."
                return ApiError(403, message).response(), body
            if path != "/rate_limit":
                self.rate_limit.spend()
        found = self.router.resolve(method, path)
        if found is None:
            return ApiError(404, "Not Found").response(), body
        route, params = found
        content_type = headers.get("content-type", "").split(";")[0].strip()
        if raw_body and content_type in ("", "application/json") and not route.binary_body:
            try:
                body = json.loads(raw_body)
            except ValueError:
                return ApiError(400, "Problems parsing JSON").response(), body
        operation = self.contract.operation(*route.operation_key) if self.contract else None
        if self.contract is not None and operation is not None:
            problems = self.contract.request_errors(operation, body, query=query)
            if problems:
                detail = self._violation(
                    "request", method, path, operation.operation_id, None, problems
                )
                return ApiError(422, f"Invalid request.\n\n{detail}").response(), body
        request = ApiRequest(
            method=method,
            path=path,
            query=query,
            params=params,
            body=body,
            raw_body=raw_body,
            content_type=content_type,
            login=login,
            root=self.url,
            accept=headers.get("accept", ""),
        )
        try:
            with self.lock:
                response = route.handler(self, request)
        except ApiError as error:
            response = error.response()
        except Exception as error:  # a bug in the emulator: fail the test, keep serving
            logger.exception("GitHub emulator: %s %s failed", method, path)
            problems = [f"the handler raised {type(error).__name__}: {error}"]
            self._violation("emulator", method, path, route.handler.__name__, 500, problems)
            return ApiError(500, "emulator: the handler failed").response(), body
        if self.contract is not None:
            response = self._checked_response(route, method, path, response)
        return response, body

    def _checked_response(
        self, route: Route, method: str, path: str, response: ApiResponse
    ) -> ApiResponse:
        assert self.contract is not None
        operation = self.contract.operation(*route.operation_key)
        if operation is None:
            problems = [f"{route.operation_key} is not in the OpenAPI description"]
            self._violation("response", method, path, "unknown", response.status, problems)
            return ApiError(500, "emulator: undescribed operation").response()
        problems = self.contract.response_errors(operation, response.status, response.body)
        if problems:
            self._violation(
                "response", method, path, operation.operation_id, response.status, problems
            )
            return ApiError(500, "emulator: response violates GitHub's description").response()
        return response

    def _authenticate(self, headers: dict[str, str]) -> str | None:
        scheme, _, token = headers.get("authorization", "").partition(" ")
        if scheme.lower() not in ("token", "bearer") or not token.strip():
            return None
        with self.lock:
            return self.tokens.get(token.strip())

    def _rate_limit_headers(self) -> dict[str, str]:
        with self.lock:
            limit = self.rate_limit
            return {
                "x-ratelimit-limit": str(limit.limit),
                "x-ratelimit-remaining": str(limit.remaining),
                "x-ratelimit-reset": str(limit.reset),
                "x-ratelimit-used": str(limit.used),
                "x-ratelimit-resource": "core",
            }

    def _violation(
        self,
        direction: str,
        method: str,
        path: str,
        operation_id: str,
        status: int | None,
        problems: list[str],
    ) -> str:
        """Record a violation; its detail (without any token) is returned."""
        detail = self._scrub("; ".join(problems))
        violation = Violation(direction, method, path, operation_id, status, detail)
        logger.warning("OpenAPI contract violation: %s", violation)
        with self._log_lock:
            self.violations.append(violation)
        return detail

    def _log(
        self,
        method: str,
        path: str,
        query: dict[str, list[str]],
        raw_body: bytes,
        status: int | None,
        login: str | None,
        body: Any = None,
    ) -> None:
        entry = LoggedRequest(
            method=method,
            path=path,
            query={key: [self._scrub(v) for v in values] for key, values in query.items()},
            body=json.loads(self._scrub(json.dumps(body))) if body is not None else None,
            size=len(raw_body),
            status=status,
            login=login,
        )
        with self._log_lock:
            self._requests.append(entry)

    def _scrub(self, text: str) -> str:
        """``text`` without any token the emulator knows (they can appear in bodies or queries)."""
        with self.lock:
            tokens = sorted(self.tokens, key=len, reverse=True)
        for token in tokens:
            text = text.replace(token, MASK)
        return text


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        emulator: GitHubEmulator,
    ) -> None:
        self.emulator = emulator
        self.open_connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, handler)

    def close_open_connections(self) -> None:
        """Wake handler threads waiting on kept-alive connections so they end."""
        with self.connections_lock:
            connections = list(self.open_connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = _REQUEST_TIMEOUT_SECONDS
    server: _Server

    def version_string(self) -> str:
        return "GitHub.com"

    def setup(self) -> None:
        super().setup()
        with self.server.connections_lock:
            self.server.open_connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.open_connections.discard(self.connection)
        super().finish()

    def do_GET(self) -> None:
        self._answer()

    def do_POST(self) -> None:
        self._answer()

    def do_PUT(self) -> None:
        self._answer()

    def do_PATCH(self) -> None:
        self._answer()

    def do_DELETE(self) -> None:
        self._answer()

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        raw_body = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        response = self.server.emulator.handle(self.command, self.path, headers, raw_body)
        if response is None:
            self.close_connection = True
            return
        payload = b"" if response.body is None else json.dumps(response.body).encode()
        self.send_response(response.status)
        if response.body is not None:
            self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("X-GitHub-Media-Type", "github.v3; format=json")
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        if payload:
            self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)
