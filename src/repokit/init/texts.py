"""The files ``repokit init`` writes, as pure functions of what is there already.

Each function takes a file's current text (None: the file does not exist) and returns
the text with repokit added; what the user wrote is kept line for line, and a file that
already has repokit's part comes back unchanged, so running init twice changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import tomlkit

from repokit.governance.model import CodeownersRule

TASKS_IMPORT = "from repokit.tasks import namespace"
TASKS_PY = f'"""Invoke tasks: repokit\'s commands (inv --list)."""\n\n{TASKS_IMPORT}\n'
#: Invoke reads the collection of a tasks module from ``ns`` or ``namespace`` if set.
_NAMESPACE = re.compile(r"^(ns|namespace)\s*=", re.MULTILINE)
MAKE_TARGETS = {
    "ci": "repokit ci",
    "release": "repokit release --bump $(or $(BUMP),{bump})",
    "governance": "repokit governance",
}


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def tasks_py(before: str | None) -> str:
    """tasks.py importing repokit's collection, or combining it with the file's own tasks.

    An existing tasks.py keeps its tasks at the top level and gets repokit's under
    ``repokit.`` (``inv repokit.release``), the way Invoke documents combining
    collections; a tasks.py that already imports repokit.tasks is left alone.
    """
    if before is None or not before.strip():
        return TASKS_PY
    if "repokit.tasks" in before:
        return before
    nl = newline_of(before)
    match = _NAMESPACE.search(before)
    lines = ["", "# repokit's commands, as the collection 'repokit' (repokit init)"]
    lines.append("from repokit.tasks import namespace as _repokit  # noqa: E402")
    if match:
        name = match.group(1)
    else:
        name = "namespace"
        lines += [
            "import sys as _sys  # noqa: E402",
            "",
            "from invoke import Collection as _Collection  # noqa: E402",
            "",
            "namespace = _Collection.from_module(_sys.modules[__name__])",
        ]
    lines.append(f'{name}.add_collection(_repokit, name="repokit")')
    body = before if before.endswith(("\n", "\r")) else before + nl
    return body + nl.join(lines) + nl


def defined_targets(makefile: str) -> set[str]:
    """The targets a Makefile defines (``name:`` at the start of a line, not ``name :=``)."""
    found: set[str] = set()
    for match in re.finditer(r"^([A-Za-z0-9_.\- ]+?)\s*::?(?!=)", makefile, re.MULTILINE):
        found.update(match.group(1).split())
    return found


def makefile(before: str | None, *, python: bool = True, bump: str = "patch") -> str:
    """The Makefile with the targets ci, release and governance added where missing.

    ``release`` only for a Python project: elsewhere it could only fail. Existing targets,
    even of the same name, are never touched: a project whose ``make ci`` already does
    something keeps it. ``make release`` bumps ``bump`` unless told BUMP=...: the bump the
    project's version scheme takes (``calver`` for a date with the day).
    """
    text = before or ""
    wanted = [name for name in MAKE_TARGETS if python or name != "release"]
    missing = [name for name in wanted if name not in defined_targets(text)]
    if not missing:
        return text
    nl = newline_of(text) if text else "\n"
    lines = [] if not text else ([""] if text.endswith(("\n", "\r")) else ["", ""])
    said = ", ".join("make release BUMP=minor" if n == "release" else f"make {n}" for n in wanted)
    lines += [
        f"# repokit (repokit init): {said}",
        f".PHONY: {' '.join(missing)}",
    ]
    for name in missing:
        lines += [f"{name}:", "\t" + MAKE_TARGETS[name].replace("{bump}", bump)]
    return text + nl.join(lines) + nl


def pyproject(before: str, settings: dict[str, list[str]]) -> str:
    """pyproject.toml with the ``[tool.repokit]`` keys of ``settings`` that it lacks.

    A key the file sets already is kept as the user wrote it; with nothing to add the text
    comes back byte for byte.
    """
    document = tomlkit.parse(before)
    tool = document.get("tool")
    table = tool.get("repokit") if tool is not None else None
    missing = {k: v for k, v in settings.items() if table is None or k not in table}
    if not missing:
        return before
    if table is None:
        table = tomlkit.table()
        for key, value in missing.items():
            table.add(key, value)
        if tool is None:
            tool = tomlkit.table(is_super_table=True)
            document.add("tool", tool)
        tool.add("repokit", table)
    else:
        for key, value in missing.items():
            table.add(key, value)
    return tomlkit.dumps(document)


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def governance_starter(
    branch: str,
    codeowners: Sequence[CodeownersRule],
    source: str,
    pull_request_workflows: Sequence[str] = (),
) -> str:
    """A settings file to start from: the branch protection of repokit's spec, the required
    checks of the workflows that run on pull requests, and the CODEOWNERS rules, if any.

    Only ``pull_request_workflows`` are named in ``from_workflows``: a deploy or release
    workflow never reports on a pull request. With none, the checks are left commented.
    """
    reviews_by_owners = "true" if codeowners else "false"
    listed = ", ".join(_quoted(name) for name in pull_request_workflows)
    checks = [
        "      required_status_checks:",
        "        strict: true",
        f"        from_workflows: [{listed}]   # the checks these pull-request workflows report",
    ]
    if len(checks[-1]) > 100:  # one workflow a line, as a reviewer reads a long list
        checks[-1] = "        from_workflows:   # the checks these pull-request workflows report"
        checks += [f"          - {_quoted(name)}" for name in pull_request_workflows]
    if not pull_request_workflows:
        checks = [
            "      # no workflow runs on every pull request yet; once one does, require its",
            "      # checks (`repokit checks` lists them):",
            "      # required_status_checks:",
            "      #   strict: true",
            "      #   from_workflows: [pr.yml]",
        ]
    lines = [
        "# The desired state of this repository on GitHub, applied by `repokit governance`.",
        "# Started by `repokit init`: review it, then `repokit governance --dry-run` shows",
        "# what applying it would change. With a GitHub token, `repokit governance.export",
        "# --force` writes the repository's live settings here instead.",
        "",
        "# repository:",
        "#   delete_branch_on_merge: true",
        "#   allow_merge_commit: false",
        "",
        "branches:",
        f"  - name: {_quoted(branch)}",
        "    protection:",
        "      required_pull_request_reviews:",
        "        required_approving_review_count: 1",
        "        dismiss_stale_reviews: true",
        f"        require_code_owner_reviews: {reviews_by_owners}",
        *checks,
        "      enforce_admins: false",
        "      required_conversation_resolution: true",
        "      allow_force_pushes: false",
        "      allow_deletions: false",
        "      restrictions: null",
    ]
    if codeowners:
        lines += ["", f"# imported from {source}; `repokit codeowners` writes it back"]
        lines.append("codeowners:")
        for rule in codeowners:
            owners = ", ".join(_quoted(owner) for owner in rule.owners)
            lines += [f"  - pattern: {_quoted(rule.pattern)}", f"    owners: [{owners}]"]
    return "\n".join(lines) + "\n"
