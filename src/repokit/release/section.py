"""Rendering one changelog section from commits: a pure function and its incremental form.

:class:`SectionEntries` formats each commit's entry as the commit arrives, so that the
changelog of a long history is rendered while ``git log`` is still writing it (see
:func:`repokit.release.changelog.section`); :func:`render_section` is the same over a list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from repokit.release.conventional import Commit

BREAKING = "Breaking changes"
OTHER = "Other"
#: Section titles in the order they appear; "Other" holds non-conventional commits and the
#: types listed in ``[tool.repokit] changelog_types``.
SECTION_ORDER = (
    BREAKING,
    "Features",
    "Bug fixes",
    "Performance",
    "Reverts",
    "Documentation",
    OTHER,
)
SECTION_OF_TYPE = {
    "feat": "Features",
    "fix": "Bug fixes",
    "perf": "Performance",
    "revert": "Reverts",
    "docs": "Documentation",
}
NO_CHANGES = "No notable changes."


class SectionEntries:
    """The entries of one section under their titles, added commit by commit, in order.

    With ``repo_url`` hashes link to their commits, and :meth:`render` closes the section
    with a link reference definition for its heading; without it hashes are plain text.
    ``include_other=False`` leaves out the commits whose message is not conventional;
    ``extra_types`` go under "Other" with their type (the other types are left out, unless
    the commit is a breaking change).
    """

    def __init__(
        self,
        *,
        repo_url: str | None,
        include_other: bool = True,
        extra_types: Sequence[str] = (),
    ) -> None:
        self.repo_url = repo_url
        self._entries: dict[str, list[str]] = {title: [] for title in SECTION_ORDER}
        #: The title of each type that has one; None (not conventional) is a key too.
        self._title_of: dict[str | None, str | None] = dict.fromkeys(extra_types, OTHER)
        self._title_of.update(SECTION_OF_TYPE)
        self._title_of[None] = OTHER if include_other else None
        self._commit_url = f"{repo_url}/commit/" if repo_url else None

    def add(self, commits: Iterable[Commit]) -> None:
        """Format the entries of ``commits``: one a commit, and one for each breaking note."""
        title_of = self._title_of.get
        breaking = self._entries[BREAKING]
        entries = self._entries
        commit_url = self._commit_url
        for commit in commits:
            kind = commit.type
            title = title_of(kind)
            if title is None and not commit.breaking:
                continue
            sha = commit.sha
            ref = f" ({sha[:7]})" if commit_url is None else f" ([{sha[:7]}]({commit_url}{sha}))"
            scope = f"**{commit.scope}:** " if commit.scope else ""
            if commit.breaking:
                for note in commit.breaking_notes or (commit.description,):
                    breaking.append(f"- {scope}{note}{ref}")
            if title is None:
                continue
            if title == OTHER and kind is not None:
                scope = f"**{kind}({commit.scope}):** " if commit.scope else f"**{kind}:** "
            entries[title].append(f"- {scope}{commit.description}{ref}")

    def render(
        self, version: str, date: dt.date | str | None, *, previous_tag: str | None, tag: str | None
    ) -> str:
        """The section ``## [version] - date`` of the entries added so far.

        ``date`` None leaves the date out (the ``Unreleased`` section); ``tag`` None compares
        with HEAD.
        """
        heading = f"## [{version}]" if date is None else f"## [{version}] - {date}"
        parts = [heading, ""]
        for title in SECTION_ORDER:
            if self._entries[title]:
                parts += [f"### {title}", "", *self._entries[title], ""]
        if len(parts) == 2:
            parts += [NO_CHANGES, ""]
        if self.repo_url:
            parts.append(f"[{version}]: {compare_url(self.repo_url, previous_tag, tag)}")
        else:
            parts.pop()
        return "\n".join(parts) + "\n"


def render_section(
    version: str,
    date: dt.date | str | None,
    commits: Iterable[Commit],
    *,
    repo_url: str | None,
    previous_tag: str | None,
    tag: str | None,
    include_other: bool = True,
    extra_types: Sequence[str] = (),
) -> str:
    """One Keep a Changelog section (``## [version] - date``) for ``commits``, in their order.

    The options are those of :class:`SectionEntries` and :meth:`SectionEntries.render`.
    """
    entries = SectionEntries(
        repo_url=repo_url, include_other=include_other, extra_types=extra_types
    )
    entries.add(commits)
    return entries.render(version, date, previous_tag=previous_tag, tag=tag)


def compare_url(repo_url: str, previous_tag: str | None, tag: str | None) -> str:
    """Where GitHub shows the changes of a release: a compare view, or the commits of the first."""
    target = tag or "HEAD"
    if previous_tag:
        return f"{repo_url}/compare/{previous_tag}...{target}"
    return f"{repo_url}/commits/{target}"
