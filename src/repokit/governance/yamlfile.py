"""Reading a settings file safely, and reporting its problems with file, line and key.

A settings file may come from a pull request or from another repository (``_extends``), so
it is read defensively: at most 1 MB, UTF-8, nested at most a hundred levels, and its
aliases may expand it tenfold at most (a few hundred bytes of nested aliases would expand
to gigabytes: the "billion laughs"). Every refusal is one line.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from repokit.errors import ConfigError
from repokit.governance.text import one_line

MAX_BYTES = 1_000_000
HINT = "see the Governance section of the README for the format"


def read_text(path: Path) -> str:
    """The file's text, refused in one line when it is not a readable UTF-8 file under 1 MB."""
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise IsADirectoryError(path)
        if size > MAX_BYTES:
            msg = f"{path}: {size} bytes is too large for a settings file (1 MB at most)"
            raise ConfigError(msg, hint="a settings file is a few kilobytes: check the path")
        data = path.read_bytes()
    except FileNotFoundError:
        msg = f"{path}: no settings file"
        hint = "write governance/settings.yml or .github/settings.yml, or pass --config"
        raise ConfigError(msg, hint=hint) from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory", hint="pass the settings file itself") from None
    except OSError as error:
        msg = f"{path}: cannot read: {error.strerror or error}"
        raise ConfigError(msg, hint="check the path and its permissions") from None
    return decode(data, str(path))


def decode(data: bytes, source: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        msg = f"{source}:{line}: not UTF-8 (byte 0x{data[error.start]:02x})"
        raise ConfigError(msg, hint="save the file as UTF-8") from None


#: The deepest nesting of mappings and lists a settings file may have.
MAX_DEPTH = 100
#: How much larger than the file its aliases may make the document (and 1 MB at most).
MAX_EXPANSION = 10


def parse(text: str, source: str) -> Any:
    """The YAML document (ruamel round-trip nodes, which know their lines), checked first.

    Anchors, aliases and merge keys (``<<: *defaults``) are read as YAML 1.1 and js-yaml
    (probot's reader) read them, but the document they expand to is bounded: ten times the
    file's size and 1 MB at most, so a "billion laughs" is refused before it is built.
    Nesting deeper than a hundred levels is refused before the parser sees it.
    """
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    size = len(text.encode("utf-8"))
    if size > MAX_BYTES:
        msg = f"{source}: too large for a settings file (1 MB at most)"
        raise ConfigError(msg, hint="a settings file is a few kilobytes")
    _refuse_deep_brackets(text, source)
    try:
        aliased = _refuse_deep_nesting(text, source)
        # without an alias the document is the file's own size: no need to compose it
        root = YAML(typ="rt").compose(text) if aliased else None
        if root is not None:
            limit = min(MAX_EXPANSION * max(size, 1), MAX_BYTES)
            if _expanded_size(root, {}, set(), limit) > limit:
                msg = (
                    f"{source}: its YAML aliases expand to more than {limit} bytes "
                    f"({MAX_EXPANSION}x the file, 1 MB at most)"
                )
                raise ConfigError(msg, hint="write the values out, or use fewer aliases")
        return _reader().load(text)
    except YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        msg = f"{source}{line}: invalid YAML: {problem}"
        raise ConfigError(msg, hint="fix the YAML syntax at that line") from None
    except (ValueError, TypeError, RecursionError) as error:
        msg = f"{source}: invalid YAML: {type(error).__name__}: {str(error).splitlines()[0]}"
        raise ConfigError(msg, hint="fix the YAML syntax") from None


def _reader() -> Any:
    """A round-trip reader whose floats keep the text they were written as: ``5e8741`` is a
    colour to GitHub, but to YAML a number too large for a float."""
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import RoundTripConstructor

    class Constructor(RoundTripConstructor):
        def construct_yaml_float(self, node: Any) -> Any:
            value = super().construct_yaml_float(node)
            value.written = node.value
            return value

    Constructor.add_constructor("tag:yaml.org,2002:float", Constructor.construct_yaml_float)
    yaml = YAML(typ="rt")
    yaml.Constructor = Constructor
    return yaml


def _too_deep(source: str, line: int) -> ConfigError:
    msg = f"{source}:{line}: nested more than {MAX_DEPTH} levels deep"
    return ConfigError(msg, hint="a settings file nests a few levels: check the brackets")


def _refuse_deep_brackets(text: str, source: str) -> None:
    """Flow brackets (``[`` and ``{``) nested too deep, found by counting, outside comments:
    the parser takes minutes over twenty thousand of them."""
    depth, line = 0, 1
    for row in text.split("\n"):
        for index, char in enumerate(row):
            if char == "#" and (index == 0 or row[index - 1] in " \t"):
                break
            if char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise _too_deep(source, line)
            elif char in "]}":
                depth = max(depth - 1, 0)
        line += 1


def _refuse_deep_nesting(text: str, source: str) -> bool:
    """Mappings and lists, block or flow, nested more than MAX_DEPTH levels; and whether the
    document holds an alias (only then can it expand beyond the file's size)."""
    from ruamel.yaml import YAML
    from ruamel.yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent

    depth, aliased = 0, False
    for event in YAML(typ="rt").parse(text):
        if isinstance(event, AliasEvent):
            aliased = True
        elif isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _too_deep(source, event.start_mark.line + 1 if event.start_mark else 0)
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
    return aliased


def _expanded_size(node: Any, sizes: dict[int, int], open_nodes: set[int], limit: int) -> int:
    """About how many bytes ``node`` takes once every alias is written out (memoised per
    node, so a billion laughs is counted, not built); past ``limit`` it stops counting."""
    from ruamel.yaml.nodes import MappingNode, SequenceNode

    known = sizes.get(id(node))
    if known is not None:
        return known
    if id(node) in open_nodes:  # an alias inside its own anchor: endless
        return limit + 1
    open_nodes.add(id(node))
    total = 2
    if isinstance(node, SequenceNode):
        children: list[Any] = list(node.value)
    elif isinstance(node, MappingNode):
        children = [part for pair in node.value for part in pair]
    else:
        children = []
        total += len(str(node.value))
    for child in children:
        total += _expanded_size(child, sizes, open_nodes, limit)
        if total > limit:
            break
    open_nodes.discard(id(node))
    sizes[id(node)] = total
    return total


class Problems:
    """Every problem of a file, collected so that all are reported at once."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []
        #: Keys no one applies (GitHub ignores them too): shown, not refused.
        self.notes: list[str] = []

    def add(self, line: int, key: str, text: str) -> None:
        """One problem; a key holding a line break or an escape is shown escaped."""
        self.items.append(f"{self.source}:{line}: {one_line(key)}: {one_line(text)}")

    def raise_any(self) -> None:
        if self.items:
            count = len(self.items)
            msg = f"{self.source}: {count} problem(s):\n  " + "\n  ".join(self.items)
            raise ConfigError(msg, hint="fix them; nothing was changed")


def line_of(node: Any, key: Any) -> int:
    """The line of ``key`` in a ruamel mapping (that of the mapping when unknown)."""
    try:
        return int(node.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return int(getattr(getattr(node, "lc", None), "line", -1) or -1) + 1


def item_line(node: Any, index: int) -> int:
    try:
        return int(node.lc.item(index)[0]) + 1
    except (AttributeError, KeyError, TypeError, IndexError):
        return 0


#: How alike an unknown key must be to a known one to be taken for its typo.
TYPO_CUTOFF = 0.8


def check_keys(problems: Problems, node: Mapping[str, Any], prefix: str, known: Any) -> None:
    """A key that looks like a typo of a known one is refused; any other unknown key is one
    that no tool applies (probot sends it, GitHub ignores it): it is noted and ignored."""
    for key in node:
        if key not in known:
            close = difflib.get_close_matches(str(key), [str(k) for k in known], 1, TYPO_CUTOFF)
            if close:
                text = f"unknown key (did you mean {close[0]!r}?)"
                problems.add(line_of(node, key), f"{prefix}{key}", text)
            else:
                at = f"{problems.source}:{line_of(node, key)}"
                problems.notes.append(f"{at}: {prefix}{key} is not a setting GitHub has: ignored")


Types = Mapping[str, "type | tuple[type, ...]"]


def check_types(problems: Problems, node: Mapping[str, Any], prefix: str, types: Types) -> None:
    """Unknown keys and values of the wrong type; null is accepted where the type allows it."""
    check_keys(problems, node, prefix, types)
    for key, value in node.items():
        expected = types.get(key)
        if expected is None:
            continue
        wanted = expected if isinstance(expected, tuple) else (expected,)
        if not is_a(value, wanted):
            names = " or ".join(type_name(t) for t in wanted)
            problems.add(
                line_of(node, key),
                f"{prefix}{key}",
                f"expected {names}, got {type_name(type(value))}",
            )


def is_a(value: Any, wanted: tuple[type, ...]) -> bool:
    # true/false is an int to Python, but not a number to GitHub
    if isinstance(value, bool):
        return bool in wanted or object in wanted
    return isinstance(value, wanted)


def strings(problems: Problems, node: Mapping[str, Any], key: str, prefix: str) -> list[str] | None:
    """``node[key]`` as a list of text; a problem (and None) for anything else."""
    value = node.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(v, str) and not isinstance(v, bool) for v in value
    ):
        problems.add(line_of(node, key), f"{prefix}{key}", "expected a list of names (text)")
        return None
    return [str(v) for v in value]


def type_name(kind: type) -> str:
    if issubclass(kind, bool):
        return "true/false"
    if issubclass(kind, Mapping):
        return "a mapping"
    if issubclass(kind, list):
        return "a list"
    if kind is type(None):
        return "null"
    if kind is object:
        return "anything"
    return {"str": "text", "int": "a number"}.get(kind.__name__, kind.__name__)


def as_written(value: Any) -> str:
    """A scalar as the file wrote it: ``color: 5319e7`` is a float to YAML and ``008672`` the
    number 8672, but both are colours to GitHub (ruamel keeps how a number was written)."""
    import io

    from ruamel.yaml import YAML

    if isinstance(value, str):
        return value
    written = getattr(value, "written", None)
    if isinstance(written, str):
        return written
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        out = io.StringIO()
        YAML(typ="rt").dump(value, out)
        return out.getvalue().splitlines()[0]
    return str(value)


def plain(value: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
