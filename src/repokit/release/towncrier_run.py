"""Release notes rendered by towncrier itself, and the news file edit it would make.

towncrier is run as a command (``towncrier build --draft``): the project's own (its
``.venv``), else the one installed with ``repokit[towncrier]``, else one on PATH. The draft
is exactly what ``towncrier build`` writes; it goes into the news file after the
configuration's ``start_string``, as towncrier places it, so the release shows the edit
before making it and towncrier never touches the work tree.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

from repokit.edits import FileEdit
from repokit.release.fragments import FragmentsError, TowncrierConfig

EXTRA_HINT = (
    "install it: pip install 'repokit[towncrier]' (or add towncrier to the project's environment)"
)


def command(root: Path) -> list[str]:
    """How to run towncrier for the project at ``root``; refuses naming the extra without one."""
    for venv in (".venv", "venv", ".env"):
        for name in ("bin/towncrier", "Scripts/towncrier.exe"):
            found = root / venv / name
            if found.is_file():
                return [str(found)]
    if importlib.util.find_spec("towncrier") is not None:
        return [sys.executable, "-m", "towncrier"]
    on_path = shutil.which("towncrier")
    if on_path:
        return [on_path]
    msg = "the notes are news fragments, and towncrier is not installed"
    raise FragmentsError(msg, hint=EXTRA_HINT)


def draft(config: TowncrierConfig, version: str, date: str | None, name: str | None) -> str:
    """The section towncrier renders for ``version`` from the pending fragments."""
    args = [*command(config.base), "build", "--draft", "--version", version]
    args += ["--config", str(config.config_file), "--dir", str(config.base)]
    if date is not None:
        args += ["--date", date]
    if name:
        args += ["--name", name]
    done = _run(args, config.base)
    if done.returncode != 0 and not name and config.package and not config.name:
        # towncrier imports the package for its name, which fails outside the project's
        # environment; its fallback for a plain package is the titled package name
        done = _run([*args, "--name", config.package.title()], config.base)
    if done.returncode != 0:
        why = (done.stderr.strip() or done.stdout.strip()).splitlines()
        msg = f"towncrier build --draft failed: {why[-1] if why else f'exit {done.returncode}'}"
        hint = f"check {config.where} (run 'towncrier build --draft' to see the whole error)"
        raise FragmentsError(msg, hint=hint)
    # ``click.echo`` ends the content with one newline of its own
    return done.stdout[:-1] if done.stdout.endswith("\n") else done.stdout


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    return subprocess.run(
        args, cwd=cwd, capture_output=True, text=True, encoding="utf-8", env=env, check=False
    )


def news_edit(config: TowncrierConfig, content: str, news_file: Path) -> FileEdit:
    """The news file with ``content`` added where ``towncrier build`` adds it.

    After ``start_string`` when the file has it (the text before it ends with one blank
    line), else on top; a new file holds the content alone.
    """
    try:
        before: bytes | None = news_file.read_bytes()
    except FileNotFoundError:
        before = None
    existing = "" if before is None or not config.single_file else before.decode("utf-8")
    existing = existing.replace("\r\n", "\n")
    header, start, body = existing.partition(config.start_string)
    if start:
        header = f"{header.rstrip()}\n\n{config.start_string}\n"
        body = body.lstrip()
    else:
        header, body = "", existing.lstrip()
    after = header + (content + body if body else content.rstrip() + "\n")
    return FileEdit(news_file, before, after.encode("utf-8"))
