"""An environment's deployment patterns: the shapes a file may give, and the plan, pure."""

from __future__ import annotations

from pathlib import Path

import pytest

from repokit.errors import ConfigError
from repokit.governance.deployment_pattern_syntax import Pattern, wanted
from repokit.governance.deployment_patterns import managed, plan
from repokit.governance.model import load
from repokit.governance.sections import ItemList


def environments(tmp_path: Path, policy: str, *, prune: bool = False) -> ItemList:
    path = tmp_path / "settings.yml"
    head = "environments:\n  prune: true\n  items:\n" if prune else "environments:\n"
    path.write_text(f"{head}  - name: production\n    deployment_branch_policy: {policy}\n")
    return load(path).sections["environments"]


@pytest.mark.parametrize(
    ("policy", "patterns"),
    [
        ("{protected_branches: false, custom_branch_policies: true}", None),
        ("{protected_branches: true, custom_branch_policies: false}", None),
        ("{protected_branches: false, custom_branch_policies: []}", []),
        (
            "{protected_branches: false, custom_branch_policies: [main, 'release/*']}",
            [Pattern("main", "branch"), Pattern("release/*", "branch")],
        ),
        (
            "{protected_branches: false, custom_branch_policies: [{name: 'v*', type: tag},"
            " {name: main}, {name: dev, type: null}]}",
            [Pattern("v*", "tag"), Pattern("main", "branch"), Pattern("dev", "branch")],
        ),
        (
            "{protected_branches: false, custom_branch_policies: "
            "[{names: ['v*', 'r-*'], type: tag}, {names: [main], type: branch}]}",
            [Pattern("v*", "tag"), Pattern("r-*", "tag"), Pattern("main", "branch")],
        ),
        # probot/settings (repository-settings/app): custom_branches, the flags left out
        ("{protected_branches: true}", None),
        (
            "{custom_branches: [main, 'dev/*', {name: 'v*', type: tag}]}",
            [Pattern("main", "branch"), Pattern("dev/*", "branch"), Pattern("v*", "tag")],
        ),
        (
            "{protected_branches: false, custom_branch_policies: true, custom_branches: [main]}",
            [Pattern("main", "branch")],
        ),
    ],
)
def test_every_shape_of_the_patterns_reads_as_name_and_type(
    tmp_path: Path, policy: str, patterns: list[Pattern] | None
) -> None:
    items = environments(tmp_path, policy)
    (item,) = items.items

    assert wanted(item.fields["deployment_branch_policy"]) == patterns
    assert managed(items) == ([] if patterns is None else ["production"])


@pytest.mark.parametrize(
    ("policy", "said"),
    [
        (
            "{protected_branches: false, custom_branch_policies: [{name: main, names: [dev]}]}",
            "[0]: give name: (one pattern) or names: (a list), not both",
        ),
        (
            "{protected_branches: false, custom_branch_policies: [{type: tag}]}",
            "[0]: give name: (one pattern) or names: (a list)",
        ),
        (
            "{protected_branches: false, custom_branch_policies: [{name: 'v*', type: Tag}]}",
            "[0].type: expected branch or tag, got 'Tag'",
        ),
        (
            "{protected_branches: false, custom_branch_policies: [' ']}",
            "[0]: a pattern is non-empty text, such as release/*",
        ),
        (
            "{protected_branches: false, custom_branch_policies: [{names: main}]}",
            "[0].names: expected a list, got text",
        ),
        (
            "{protected_branches: false, custom_branch_policies: [main, {name: main}]}",
            "[1]: branch main is listed twice (also line 3)",
        ),
        (
            "{protected_branches: false, custom_branch_policies: yes please}",
            "custom_branch_policies: expected true/false or a list, got text",
        ),
        (
            "{custom_branch_policies: false, custom_branches: [main]}",
            "custom_branch_policies: false, yet custom_branches lists patterns: make it true "
            "or leave it out",
        ),
        (
            "{custom_branch_policies: [main], custom_branches: [main]}",
            "custom_branches: list the patterns once: in custom_branches, or in "
            "custom_branch_policies",
        ),
        (
            "{custom_branches: [{name: 'v*', type: tags}]}",
            "custom_branches[0].type: expected branch or tag, got 'tags'",
        ),
    ],
)
def test_a_bad_pattern_is_refused_with_its_line_and_key(
    tmp_path: Path, policy: str, said: str
) -> None:
    with pytest.raises(ConfigError) as info:
        environments(tmp_path, policy)

    (problem,) = info.value.message.splitlines()[1:]
    assert "settings.yml:3: environments[0].deployment_branch_policy." in problem
    assert problem.endswith(said)


def test_the_same_name_as_a_branch_and_as_a_tag_are_two_patterns(tmp_path: Path) -> None:
    items = environments(
        tmp_path, "{protected_branches: false, custom_branch_policies: [v1, {name: v1, type: tag}]}"
    )

    assert wanted(items.items[0].fields["deployment_branch_policy"]) == [
        Pattern("v1", "branch"),
        Pattern("v1", "tag"),
    ]


LIVE = {
    "production": [
        {"id": 7, "name": "main", "type": "branch"},
        {"id": 8, "name": "v*", "type": "branch"},
    ]
}
POLICY = "{protected_branches: false, custom_branch_policies: [main, {name: 'v*', type: tag}]}"


def test_the_plan_adds_what_is_missing_and_keeps_the_rest_as_unmanaged(tmp_path: Path) -> None:
    found = plan("acme/widget", environments(tmp_path, POLICY), LIVE, prune=False)

    assert [(c.setting, c.live, c.desired) for c in found.changes] == [
        ("production tag pattern v*", "absent", "present")
    ]
    ((text, request, line),) = found.writes
    assert text == "add tag pattern v* to environment production"
    assert (request.method, request.path, request.body) == (
        "POST",
        "/repos/acme/widget/environments/production/deployment-branch-policies",
        {"name": "v*", "type": "tag"},
    )
    assert line == 2
    assert found.unmanaged == ["production: v* (branch)"]


@pytest.mark.parametrize("by_section", [False, True])
def test_pruning_deletes_what_the_file_does_not_list_by_its_id(
    tmp_path: Path, by_section: bool
) -> None:
    items = environments(tmp_path, POLICY, prune=by_section)

    found = plan("acme/widget", items, LIVE, prune=not by_section)

    assert found.unmanaged == []
    assert [(c.setting, c.desired) for c in found.changes] == [
        ("production tag pattern v*", "present"),
        ("production branch pattern v*", "absent (pruned)"),
    ]
    assert [(r.method, r.path) for _, r, _ in found.writes] == [
        ("POST", "/repos/acme/widget/environments/production/deployment-branch-policies"),
        ("DELETE", "/repos/acme/widget/environments/production/deployment-branch-policies/8"),
    ]


def test_true_alone_leaves_the_live_patterns_alone(tmp_path: Path) -> None:
    items = environments(tmp_path, "{protected_branches: false, custom_branch_policies: true}")

    found = plan("acme/widget", items, LIVE, prune=True)

    assert (found.changes, found.writes, found.unmanaged) == ([], [], [])
