"""Reading a settings file and checking every request body before any write.

A file with 500 labels, 50 milestones and a full branch protection: read, validated, and
each of the 551 create requests checked against GitHub's request schema. This is the cost
repokit adds before the first write; it should stay well under a second.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from repokit.errors import ConfigError
from repokit.governance.items import RECONCILERS
from repokit.governance.model import load
from repokit.governance.plan import desired_write_shape, merged_protection, put_body
from repokit.governance.schemas import check

PROTECTION = """\
branches:
  - name: main
    protection:
      required_pull_request_reviews:
        required_approving_review_count: 2
        dismiss_stale_reviews: true
      required_status_checks: {strict: true, contexts: [lint, test, build]}
      enforce_admins: null
      restrictions: null
"""


def settings_file(directory: Path) -> Path:
    labels = "".join(
        f"  - {{name: label-{n}, color: '{n % 0xFFFFFF:06x}', description: Label {n}}}\n"
        for n in range(500)
    )
    milestones = "".join(f"  - {{title: 'v{n}.0', state: open}}\n" for n in range(50))
    path = directory / "settings.yml"
    path.write_text(f"labels:\n{labels}milestones:\n{milestones}{PROTECTION}")
    return path


def validated(path: Path) -> int:
    settings = load(path)
    requests = []
    for section, items in settings.sections.items():
        reconciler = RECONCILERS[section]
        for item in items.items:
            request = reconciler.create("acme/widget", item.key, item)
            requests.append((section, request.method, request.operation, request.body))
    for rule in settings.branches:
        body = put_body(merged_protection(None, desired_write_shape(rule.protection, None)))
        requests.append(
            (rule.name, "PUT", "/repos/{owner}/{repo}/branches/{branch}/protection", body)
        )
    assert check(requests) == []
    return len(requests)


def test_reading_and_checking_a_large_settings_file(
    benchmark: BenchmarkFixture, tmp_path: Path
) -> None:
    path = settings_file(tmp_path)
    assert benchmark(validated, path) == 551


#: Nine anchors, each a list of nine aliases to the one before: 9**9 nodes once expanded,
#: from a file of under 500 bytes. It must be refused before it is expanded.
ALIAS_BOMB = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
)


def refusal(path: Path) -> str:
    try:
        load(path)
    except ConfigError as refused:
        return refused.message
    raise AssertionError(f"{path} was read")


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (ALIAS_BOMB, "its YAML aliases expand to more than"),
        ("[" * 20_000, "nested more than 100 levels deep"),
    ],
    ids=["alias-bomb", "20000-brackets"],
)
def test_a_hostile_settings_file_is_refused_at_once(
    benchmark: BenchmarkFixture, tmp_path: Path, text: str, said: str
) -> None:
    """A refusal, not a hang: the expansion and nesting bounds stop the reader early."""
    path = tmp_path / "settings.yml"
    path.write_text(text)
    assert said in benchmark(refusal, path)
