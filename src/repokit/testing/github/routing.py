"""Requests, responses and the routing table's vocabulary, free of HTTP server details."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from repokit.testing.github.openapi import template_pattern

if TYPE_CHECKING:
    from repokit.testing.github.state import GitHubState

DOCUMENTATION_URL = "https://docs.github.com/rest"


@dataclass(frozen=True)
class ApiRequest:
    """One request as a handler sees it: authenticated, parsed, with its path parameters."""

    method: str
    path: str
    query: dict[str, list[str]]
    params: dict[str, str]
    body: Any
    raw_body: bytes
    content_type: str
    #: The authenticated user (every route needs a valid token).
    login: str
    #: ``http://127.0.0.1:<port>``: the base of every URL the emulator hands out.
    root: str
    accept: str = ""

    def query_value(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def json_object(self) -> dict[str, Any]:
        """The body as a JSON object (an empty one when no body was sent)."""
        if self.body is None:
            return {}
        if not isinstance(self.body, dict):
            raise ApiError(400, "Problems parsing JSON")
        return self.body


@dataclass
class ApiResponse:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


class ApiError(Exception):
    """An error answer in GitHub's shape: ``{"message", "documentation_url", "status"}``."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        errors: list[dict[str, Any]] | list[str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers or {}

    def response(self) -> ApiResponse:
        body: dict[str, Any] = {
            "message": self.message,
            "documentation_url": DOCUMENTATION_URL,
            "status": str(self.status),
        }
        if self.errors is not None:
            body["errors"] = self.errors
        return ApiResponse(self.status, body, dict(self.headers))


Handler = Callable[["GitHubState", ApiRequest], ApiResponse]


@dataclass(frozen=True)
class Route:
    """``method template`` served by ``handler``.

    ``operation`` names the description's path template when the emulator serves the
    operation under another path (the uploads host, or a legacy URL GitHub hands out).
    """

    method: str
    template: str
    handler: Handler
    operation: str | None = None
    #: The body is raw bytes (an upload), never parsed as JSON.
    binary_body: bool = False
    pattern: re.Pattern[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", template_pattern(self.template))

    @property
    def operation_key(self) -> tuple[str, str]:
        """(path template, method) of the described operation this route implements."""
        return (self.operation or self.template, self.method.lower())


class Router:
    """Finds the route of a request; templates with more literal text win."""

    def __init__(self, routes: Iterable[Route]) -> None:
        self.routes = tuple(routes)
        self._ordered = sorted(
            self.routes,
            key=lambda route: len(re.sub(r"\{\w+\}", "", route.template)),
            reverse=True,
        )

    def resolve(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        for route in self._ordered:
            if route.method != method:
                continue
            found = route.pattern.match(path)
            if found:
                params = {
                    key: urllib.parse.unquote(value) for key, value in found.groupdict().items()
                }
                return route, params
        return None
