"""The ``repokit`` console script: the same collection as ``inv``, without a tasks.py."""

from __future__ import annotations

import gc
import sys
from typing import TYPE_CHECKING

from repokit import __version__
from repokit.errors import quiet_broken_pipe

if TYPE_CHECKING:
    from repokit.program import RepokitProgram


def _load_program() -> RepokitProgram:
    """Invoke and repokit's collection of tasks, imported with the cyclic GC paused.

    Importing (and compiling, where no bytecode is cached) makes hundreds of thousands of
    objects, none of them garbage; the collections they trigger cost about a quarter of the
    start. The modules then live as long as the process: :func:`gc.freeze` keeps later
    collections from walking them again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        from repokit.program import RepokitProgram
        from repokit.tasks.console import namespace
    finally:
        if enabled:
            gc.enable()
    gc.freeze()
    return RepokitProgram(
        name="repokit", binary="repokit", version=__version__, namespace=namespace
    )


def main() -> None:
    program = _load_program()
    try:
        program.run()
        sys.stdout.flush()
    except BrokenPipeError:
        quiet_broken_pipe()


if __name__ == "__main__":
    main()
