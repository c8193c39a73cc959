"""Conventional Commits: parse commit messages, and the raw ``git log`` text that carries them.

Pure functions only; :mod:`repokit.release.changelog` fetches the text through
:mod:`repokit.gitrepo`.

A header is ``type(scope)!: description``: the type is case-insensitive (stored lower case),
the scope and ``!`` are optional. A change is breaking when the header has ``!`` or a footer
line starts with ``BREAKING CHANGE:`` or ``BREAKING-CHANGE:``; the note runs on over the
following lines until a blank line or the next footer. git's own ``Revert "<header>"``
subject counts as type ``revert``. Any other message is kept with ``type`` None. A gitmoji
before the type, as an emoji or as its ``:code:`` (``🐛 fix(x): ...``, ``:bug: fix: ...``),
is read past: the commit has the type that follows it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Container, Iterable
from typing import NamedTuple

from repokit.release.noise import (
    NOISE_SCOPES,
    NOISE_STARTS,
    QUIET_TYPES,
    is_bot_author,
    is_noise,
    is_update_subject,
)

#: Opens every record of :data:`LOG_FORMAT`; a control character no commit message holds in
#: practice (git keeps it, but nobody types it), like the field separator below.
RECORD_START = "\x1e"
FIELD_SEPARATOR = "\x1f"
#: ``git log --format`` that :func:`parse_log` reads: the hash, the author (``Name <email>``,
#: to tell bots) and the raw message. git is fastest at printing the message whole (``%B``);
#: :func:`split_message` cuts it as ``%s`` and ``%b`` would. Merge commits are left out by
#: git itself (``--no-merges``).
LOG_FORMAT = "%x1e%H%x1f%an <%ae>%x1f%B"
#: What git counts as white space in a message (``isspace`` in git's own ctype).
_GIT_SPACE = " \t\r"

#: A gitmoji before the type: emoji characters (with their joiners and variation selectors)
#: or a ``:code:``.
GITMOJI = r"(?:(?::[a-z0-9_+-]+:|[\u2190-\u2bff\U0001f000-\U0001faff\ufe0f\u200d]+)[ \t]*)?"
_HEADER = re.compile(
    GITMOJI + r"(?P<type>[A-Za-z][A-Za-z0-9_-]*)"
    r"(?:\((?P<scope>[^()\r\n]+)\))?"
    r"(?P<bang>!)?"
    r":[ \t]+(?P<description>\S.*)",
    re.DOTALL,
)
_REVERT = re.compile(r'Revert "(?P<header>.+)"\s*\Z', re.DOTALL)
_BREAKING = re.compile(r"^BREAKING[ -]CHANGE:[ \t]*(?P<note>.*)$")
#: A git trailer / Conventional Commits footer: ``Token: value`` or ``Token #value``.
_FOOTER = re.compile(r"^(?:[A-Za-z][A-Za-z0-9-]*|BREAKING CHANGE)(?::[ \t]| #)")


class Commit(NamedTuple):
    """One commit as the changelog sees it; ``type`` is None for a non-conventional message.

    A named tuple rather than a frozen dataclass: as immutable, and several times cheaper
    to make, which counts when a history of 100,000 commits is read.
    """

    sha: str
    subject: str
    body: str
    type: str | None
    scope: str | None
    description: str
    breaking: bool
    breaking_notes: tuple[str, ...]
    #: ``Name <email>``; empty when the commit was not read from the history.
    author: str = ""

    @property
    def short(self) -> str:
        """The abbreviated hash shown in changelogs."""
        return self.sha[:7]


def parse_commit(sha: str, subject: str, body: str = "", author: str = "") -> Commit:
    """The :class:`Commit` for one message (``subject``: its first line; ``body``: the rest)."""
    subject = subject.strip()
    body = body.strip("\r\n")
    notes = breaking_notes(body) if "BREAKING" in body else ()
    header = _HEADER.fullmatch(subject)
    if header is None:
        revert = _REVERT.fullmatch(subject)
        if revert is not None:
            reverted = revert.group("header")
            return Commit(sha, subject, body, "revert", None, reverted, bool(notes), notes, author)
        return Commit(sha, subject, body, None, None, subject, bool(notes), notes, author)
    scope = header.group("scope")
    return Commit(
        sha,
        subject,
        body,
        header.group("type").lower(),
        scope.strip() if scope else None,
        header.group("description").strip(),
        bool(notes) or header.group("bang") is not None,
        notes,
        author,
    )


def breaking_notes(body: str) -> tuple[str, ...]:
    """The text of every ``BREAKING CHANGE:`` / ``BREAKING-CHANGE:`` footer of ``body``.

    A note continues on the following lines (joined with one space) until a blank line or
    another footer starts.
    """
    notes: list[str] = []
    current: list[str] | None = None
    for raw in body.splitlines():
        line = raw.rstrip()
        found = _BREAKING.match(line)
        if found is not None:
            if current:
                notes.append(" ".join(current))
            note = found.group("note").strip()
            current = [note] if note else []
        elif current is not None and line and not _FOOTER.match(line):
            current.append(line.strip())
        elif current is not None:
            if current:
                notes.append(" ".join(current))
            current = None
    if current:
        notes.append(" ".join(current))
    return tuple(notes)


#: Every record of :data:`LOG_FORMAT`: its hash and author, then either the usual shape (a
#: conventional one-line subject, then nothing or a blank line and a body whose first line is
#: not blank), read into its parts in the same pass, or else the raw message for
#: :func:`split_message`. A subject behind a gitmoji takes the second way: rare, and kept
#: out of the pattern every record goes through.
_RECORD = re.compile(
    r"\x1e(?P<sha>[^\x1e\x1f]*)\x1f(?P<author>[^\x1e\x1f]*)\x1f(?:"
    r"(?P<subject>(?P<type>[A-Za-z][A-Za-z0-9_-]*)"
    r"(?:\((?P<scope>[^()\r\n]+)\))?"
    r"(?P<bang>!)?"
    r":[ \t]+(?P<description>\S[^\n]*))\n"
    r"(?:\n+(?![ \t\r\n])(?P<body>[^\x1e]*))?(?=\x1e|\Z)"
    r"|(?P<message>[^\x1e]*))"
)


def parse_log(
    text: str, only_types: Container[str] | None = None, *, drop_noise: bool = False
) -> list[Commit]:
    """The commits in the output of ``git log --format=`` :data:`LOG_FORMAT`, in log order.

    ``text`` holds whole records (it may be one piece of a longer output). One regular
    expression reads them all in C, the usual ones into their parts; only the others go
    through :func:`split_message` and :func:`parse_commit`. With ``only_types``, the
    conventional commits of other types are left out unless they are breaking changes
    (before any object is made for them): those a changelog section does not show. With
    ``drop_noise``, the commits of bots and the dependency and hook updates are left out
    (see :mod:`repokit.release.noise`).
    """
    commits: list[Commit] = []
    append = commits.append
    bot = is_bot_author
    update = is_update_subject
    starts = NOISE_STARTS
    for found in _RECORD.findall(text):
        sha, author, subject, type_, scope, bang, description, body, message = found
        if not type_:
            commit = parse_commit(sha, *split_message(message), author=author)
            if _wanted(commit.type, commit.breaking, only_types) and not (
                drop_noise and is_noise(author, commit.type, commit.scope, commit.description)
            ):
                append(commit)
            continue
        type_ = type_.lower()
        # "BREAKING" anywhere in the body may be a footer: such a commit is parsed in full.
        footers = "BREAKING" in body
        if only_types is not None and type_ not in only_types and not (bang or footers):
            continue
        if drop_noise and (
            bot(author)
            or (scope and type_ in QUIET_TYPES and scope.strip().lower() in NOISE_SCOPES)
            or (description[:1] in starts and update(description))
        ):
            continue
        body = body.rstrip("\r\n")  # it starts with no line break (see _RECORD)
        notes = breaking_notes(body) if footers else ()
        append(
            Commit(
                sha,
                subject.rstrip(),  # the type starts it
                body,
                type_,
                scope.strip() if scope else None,
                description.rstrip(),  # \S starts it
                bool(notes or bang),
                notes,
                author,
            )
        )
    return commits


def _wanted(type_: str | None, breaking: bool, only_types: Container[str] | None) -> bool:
    """Whether :func:`parse_log` keeps a commit of ``type_`` (None: not conventional)."""
    return only_types is None or type_ is None or type_ in only_types or breaking


def split_message(message: str) -> tuple[str, str]:
    """``(subject, body)`` of a raw commit message, as git's ``%s`` and ``%b`` show them.

    The subject is the first paragraph (after any blank lines), its lines joined with one
    space; the body is the rest, from its first line that is not blank. The usual message, a
    one-line subject then a blank line, is cut with one ``partition``.
    """
    subject, _, rest = message.partition("\n")
    if subject.strip(_GIT_SPACE) and (not rest or rest[0] == "\n"):
        body = rest.lstrip("\n")
        if not body or body[0] not in _GIT_SPACE:
            return subject, body
    return _split_lines(message)


def _split_lines(message: str) -> tuple[str, str]:
    """:func:`split_message` line by line, for subjects over several lines and blank lines
    that hold spaces."""
    lines = message.split("\n")
    at = 0
    while at < len(lines) and not lines[at].strip(_GIT_SPACE):
        at += 1
    subject: list[str] = []
    while at < len(lines) and lines[at].strip(_GIT_SPACE):
        subject.append(lines[at].rstrip(_GIT_SPACE))
        at += 1
    while at < len(lines) and not lines[at].strip(_GIT_SPACE):
        at += 1
    return " ".join(subject), "\n".join(lines[at:])


def release_commit_pattern(commit_message: str) -> re.Pattern[str]:
    """A pattern matching the subject of the commits made from the ``commit_message`` template.

    The subject is the first paragraph joined into one line, as git's ``%s`` shows it; the
    ``{version}`` placeholder matches any version.
    """
    subject = _template_subject(commit_message)
    return re.compile(r"\S+".join(re.escape(part) for part in subject.split("{version}")))


def _template_subject(commit_message: str) -> str:
    """The subject of the commits made from ``commit_message``, with its ``{version}``."""
    paragraph = commit_message.strip().split("\n\n", 1)[0]
    return " ".join(line.strip() for line in paragraph.splitlines())


#: The release commits of the common tools and of hand-made releases: never changelog entries.
#: commitizen ``bump: version 1.2.0 → 1.3.0``; semantic-release ``chore(release): 1.2.0`` and
#: a bare ``1.2.0``; release-please ``chore(main): release 1.2.0``; tbump ``Bump to 1.2.0``;
#: bump-my-version ``Bump version: 1.2.0 → 1.3.0``; ``Release version 8.4.2``.
_TOOL_RELEASE = re.compile(
    r"""(?ix)
    (?: bump:\s*version\b.*
      | chore\(release\)!?:.*
      | (?:chore|build|release)(?:\([^)]*\))?!?:\s*(?:release|releasing|bump(?:ed)?\s+version)\b.*
      | release(?:\([^)]*\))?:\s*v?\d+\.\d+.*
      | (?:prepare\s+)?(?:release|releasing|bump(?:ed)?)
        (?:\s+version)?(?:\s+to)?:?\s+v?\d+\.\d+\S*.*
      | v?\d+\.\d+(?:\.\d+)?\S*
    )""",
)


def is_tool_release(subject: str) -> bool:
    """Whether ``subject`` is a release commit made by a release tool or by hand."""
    # Every such subject starts with bump, build, chore, prepare, release, v or a digit: the
    # first character turns most commits away before the pattern runs.
    first = subject[:1]
    if first not in _TOOL_RELEASE_START and not first.isdecimal():
        return False
    return _TOOL_RELEASE.fullmatch(subject) is not None


_TOOL_RELEASE_START = frozenset("bBcCpPrRvV")


def release_commit_matcher(commit_message: str) -> Callable[[str], bool]:
    """Whether a subject is that of a commit made from the ``commit_message`` template.

    :func:`release_commit_pattern`, checked only on the subjects that start with the
    template's text before ``{version}``.
    """
    pattern = release_commit_pattern(commit_message)
    prefix = _template_subject(commit_message).split("{version}", 1)[0]

    def is_release(subject: str) -> bool:
        return subject.startswith(prefix) and pattern.fullmatch(subject) is not None

    return is_release


def summarize(commits: Iterable[Commit]) -> tuple[bool, bool]:
    """``(any breaking change, any feature)``: what ``--bump auto`` needs to pick the part."""
    breaking = feature = False
    for commit in commits:
        breaking = breaking or commit.breaking
        feature = feature or commit.type == "feat"
    return breaking, feature
