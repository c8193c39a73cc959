"""GitHub Actions expressions (``${{ ... }}``): parse and evaluate them as the runner does.

Covers what workflows use in ``if:``, ``env:``, ``with:`` and ``run:``: literals, context
access (``matrix.python-version``, ``steps.build.outputs.path``, ``github['ref']``),
``!``, comparisons, ``&&``/``||`` (which return an operand, as on GitHub), parentheses and
the functions ``success() failure() always() cancelled() contains() startsWith()
endsWith() format() join() toJSON() fromJSON() hashFiles()``. Comparisons follow GitHub's
loose rules: strings compare case-insensitively, mixed types compare as numbers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from repokit.ci.functions import FUNCTIONS, hash_files
from repokit.ci.values import compare, to_text, truthy
from repokit.errors import WorkflowError

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>-?(?:0x[0-9a-fA-F]+|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?))
    | (?P<string>'(?:[^']|'')*')
    | (?P<op>==|!=|<=|>=|&&|\|\||[!<>()\[\],.*])
    | (?P<name>[A-Za-z_][A-Za-z0-9_-]*)
    )""",
    re.VERBOSE,
)
_EMBEDDED = re.compile(r"\$\{\{(.*?)\}\}", re.DOTALL)
_STATUS_FUNCTIONS = ("success", "failure", "always", "cancelled")


class Unresolved(Exception):
    """An expression refers to something not known here (for static analysis)."""


@dataclass
class Context:
    """What expressions can see: named contexts and the job's status so far."""

    values: Mapping[str, Any]
    status: str = "success"  # "success", "failure" or "cancelled"
    #: When set, reading a context not in ``values`` raises Unresolved instead of giving null.
    strict: bool = False
    #: The workspace ``hashFiles()`` reads; None where no files are at hand.
    root: Path | None = None

    def with_env(self, env: Mapping[str, str]) -> Context:
        """This context with ``env`` replaced (a step's own env added to the job's)."""
        return Context({**self.values, "env": dict(env)}, self.status, self.strict, self.root)


def evaluate(expression: str, context: Context) -> Any:
    """The value of one expression (without the ``${{ }}``)."""
    parser = _Parser(_tokens(expression), expression, context)
    value = parser.parse_or()
    if parser.position != len(parser.tokens):
        raise WorkflowError(
            f"expression {expression!r}: unexpected {parser.tokens[parser.position][1]!r}",
            hint="check the expression's syntax against GitHub's documentation",
        )
    return value


def evaluate_condition(condition: str | bool | None, context: Context) -> bool:
    """An ``if:`` value: true when it holds. No condition means ``success()``.

    As on GitHub, a condition that calls no status function runs only while the job is
    succeeding (``success() && (condition)``).
    """
    if condition is None:
        return context.status == "success"
    if isinstance(condition, bool):
        return condition and context.status == "success"
    text = str(condition).strip()
    whole = _EMBEDDED.fullmatch(text)
    if whole:
        text = whole.group(1).strip()
    value = truthy(evaluate(text, context))
    if not calls_status_function(text):
        return value and context.status == "success"
    return value


def calls_status_function(condition: str | bool | None) -> bool:
    """Whether an ``if:`` calls success(), failure(), always() or cancelled(): without one,
    GitHub runs the step or job only while everything before it succeeded."""
    text = str(condition) if condition is not None else ""
    return any(re.search(rf"\b{name}\s*\(", text) for name in _STATUS_FUNCTIONS)


def interpolate(text: str, context: Context) -> str:
    """``text`` with every ``${{ expression }}`` replaced by its value as a string."""
    return _EMBEDDED.sub(lambda match: to_text(evaluate(match.group(1), context)), text)


def references(text: str) -> list[str]:
    """The expressions embedded in ``text``."""
    return [match.group(1).strip() for match in _EMBEDDED.finditer(text)]


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    text = text.rstrip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise WorkflowError(
                f"expression {text!r}: cannot read {text[position:].strip()[:20]!r}",
                hint="check the expression's syntax against GitHub's documentation",
            )
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    """A recursive-descent parser that evaluates while it parses."""

    def __init__(self, tokens: list[tuple[str, str]], source: str, context: Context) -> None:
        self.tokens = tokens
        self.position = 0
        self.source = source
        self.context = context

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        token = self.peek()
        if token is None or (value is not None and token[1] != value):
            expected = f"{value!r}" if value else "more"
            raise WorkflowError(
                f"expression {self.source!r}: expected {expected}",
                hint="check the expression's parentheses and operators",
            )
        self.position += 1
        return token

    def at(self, value: str) -> bool:
        token = self.peek()
        return token is not None and token[0] == "op" and token[1] == value

    def parse_or(self) -> Any:
        value = self.parse_and()
        while self.at("||"):
            self.take()
            right = self.parse_and()
            value = value if truthy(value) else right
        return value

    def parse_and(self) -> Any:
        value = self.parse_comparison()
        while self.at("&&"):
            self.take()
            right = self.parse_comparison()
            value = right if truthy(value) else value
        return value

    def parse_comparison(self) -> Any:
        value = self.parse_unary()
        while any(self.at(op) for op in ("==", "!=", "<", "<=", ">", ">=")):
            op = self.take()[1]
            value = compare(op, value, self.parse_unary())
        return value

    def parse_unary(self) -> Any:
        if self.at("!"):
            self.take()
            return not truthy(self.parse_unary())
        return self.parse_access(self.parse_primary())

    def parse_primary(self) -> Any:
        kind, text = self.take()
        if kind == "number":
            number = float(int(text, 16)) if text.lower().startswith("0x") else float(text)
            return int(number) if number.is_integer() else number
        if kind == "string":
            return text[1:-1].replace("''", "'")
        if kind == "op" and text == "(":
            value = self.parse_or()
            self.take(")")
            return value
        if kind == "name":
            lowered = text.lower()
            if lowered in ("true", "false"):
                return lowered == "true"
            if lowered == "null":
                return None
            if self.at("("):
                return self.call(text)
            return self.lookup(text)
        raise WorkflowError(
            f"expression {self.source!r}: unexpected {text!r}",
            hint="check the expression's syntax against GitHub's documentation",
        )

    def parse_access(self, value: Any) -> Any:
        while self.at(".") or self.at("["):
            if self.take()[1] == ".":
                _kind, name = self.take()
                if name == "*":
                    value = _star(value)
                    continue
                value = _member(value, name)
            else:
                key = self.parse_or()
                self.take("]")
                value = _member(value, key)
        return value

    def lookup(self, name: str) -> Any:
        for key, value in self.context.values.items():
            if key.lower() == name.lower():
                return value
        if self.context.strict:
            raise Unresolved(name)
        return None

    def call(self, name: str) -> Any:
        self.take("(")
        arguments: list[Any] = []
        while not self.at(")"):
            arguments.append(self.parse_or())
            if not self.at(")"):
                self.take(",")
        self.take(")")
        if name.lower() == "hashfiles":
            return hash_files(self.context.root, [to_text(a) for a in arguments])
        function = FUNCTIONS.get(name.lower())
        if function is not None:
            return function(arguments)
        status = self.context.status
        lowered = name.lower()
        if lowered == "success":
            return status == "success"
        if lowered == "failure":
            return status == "failure"
        if lowered == "always":
            return True
        if lowered == "cancelled":
            return status == "cancelled"
        raise WorkflowError(
            f"expression {self.source!r}: unknown function {name}()",
            hint="repokit knows GitHub's built-in functions only",
        )


def _member(value: Any, key: Any) -> Any:
    if isinstance(value, Mapping):
        for name, item in value.items():
            if str(name).lower() == str(key).lower():
                return item
        return None
    if isinstance(value, list) and isinstance(key, (int, float)) and 0 <= int(key) < len(value):
        return value[int(key)]
    return None


def _star(value: Any) -> list[Any]:
    if isinstance(value, Mapping):
        return list(value.values())
    return list(value) if isinstance(value, list) else []
