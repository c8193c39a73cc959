"""Tag families named after the package, in monorepos and multi-package repositories.

LANGGRAPH is the newest tags of langchain-ai/langgraph (libs/checkpoint is the distribution
langgraph-checkpoint, libs/checkpoint-postgres langgraph-checkpoint-postgres, libs/sdk-py
langgraph-sdk, libs/langgraph langgraph), newest first, as ``git tag --sort=-creatordate``
lists them.
"""

from __future__ import annotations

import pytest

from repokit.release.conventions import infer_tag_format

LANGGRAPH = [
    *("sdk==0.4.3", "1.2.11", "checkpointpostgres==3.1.2", "checkpoint==4.2.0"),
    *("checkpointpostgres==3.1.1", "checkpointsqlite==3.1.1", "1.2.10", "cli==0.4.31"),
    *("1.2.9", "1.2.8", "cli==0.4.30", "sdk==0.4.2", "checkpoint==4.1.1"),
]


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("langgraph-checkpoint", "checkpoint"), "checkpoint=={version}"),
        (("langgraph-checkpoint-postgres", "checkpoint-postgres"), "checkpointpostgres=={version}"),
        (("langgraph-checkpoint-sqlite", "checkpoint-sqlite"), "checkpointsqlite=={version}"),
        (("langgraph-sdk", "sdk-py"), "sdk=={version}"),
        (("langgraph-cli", "cli"), "cli=={version}"),
        (("langgraph", "langgraph"), "{version}"),  # its own plain tags, no sibling's
    ],
)
def test_a_monorepo_package_takes_its_own_family(names: tuple[str, ...], expected: str) -> None:
    assert infer_tag_format(LANGGRAPH, names, below_root=True) == expected


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        (["other@2.0.0", "pkg@1.4.0"], "pkg@{version}"),
        (["other@v2.0.0", "pkg@v1.4.0"], "pkg@v{version}"),
        (["other/v2.0.0", "pkg/v1.4.0"], "pkg/v{version}"),
        (["other-v2.0.0", "pkg-v1.4.0"], "pkg-v{version}"),
        (["other-2.0.0", "pkg-1.4.0"], "pkg-{version}"),
        (["other==2.0.0", "my_pkg==1.4.0"], "my_pkg=={version}"),
    ],
)
def test_every_family_shape_is_read(tags: list[str], expected: str) -> None:
    assert infer_tag_format(tags, ("my-pkg" if "my_pkg" in expected else "pkg",)) == expected


def test_a_sibling_family_is_never_taken() -> None:
    tags = ["sdk==0.4.3", "cli==0.4.31", "checkpoint==4.2.0"]
    assert infer_tag_format(tags, ("langgraph-store", "store"), below_root=True) is None
    assert infer_tag_format(tags, ("langgraph-store", "store")) is None
    # a package whose name's tail is a sibling's whole name takes its own family first
    tags = ["postgres==1.0.0", "checkpoint-postgres==3.1.2"]
    names = ("langgraph-checkpoint-postgres", "checkpoint-postgres")
    assert infer_tag_format(tags, names, below_root=True) == "checkpoint-postgres=={version}"
