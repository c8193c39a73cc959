"""No way in for a bad file: hostile YAML, injected CODEOWNERS lines, odd URLs.

Every bad input is a one-line RepokitError (no traceback); the fuzzed cases run the real
files of tests/data/settings through random damage, and arbitrary text and bytes.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from repokit.errors import ConfigError, RepokitError, UsageError
from repokit.github import api_base
from repokit.governance.codeowners import parse, render, validate
from repokit.governance.model import CodeownersRule, load

DATA = Path(__file__).resolve().parent.parent / "data" / "settings"
#: GOVERNANCE_FUZZ_FILES=FOLDER adds that folder's settings files to the damaged ones (by hand).
FOLDERS = [
    DATA,
    *(Path(p) for p in os.environ.get("GOVERNANCE_FUZZ_FILES", "").split(os.pathsep) if p),
]
REAL = [p.read_text(encoding="utf-8") for folder in FOLDERS for p in sorted(folder.glob("*.yml"))]
#: GOVERNANCE_EXAMPLES=20000 runs a longer fuzz once, by hand; CI keeps 300.
FUZZ = settings(
    max_examples=int(os.environ.get("GOVERNANCE_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def write(tmp_path: Path, data: str | bytes) -> Path:
    path = tmp_path / "settings.yml"
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def refused(path: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load(path)
    return caught.value.message


def test_an_alias_bomb_is_refused_at_once(tmp_path: Path) -> None:
    bomb = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)
    )
    assert len(bomb) < 500
    # how fast: tests/performance/test_governance_benchmark.py
    assert "its YAML aliases expand to more than" in refused(write(tmp_path, bomb))


def test_anchors_and_merge_keys_are_read_as_probot_reads_them(tmp_path: Path) -> None:
    text = (
        "x-protection: &protection\n"
        "  required_status_checks: {strict: true, contexts: [ci]}\n"
        "  enforce_admins: true\n"
        "labels:\n"
        "  - &bug {name: bug, color: d73a4a, description: Broken}\n"
        "  - <<: *bug\n"
        "    name: regression\n"
        "branches:\n"
        "  - {name: main, protection: *protection}\n"
        "  - name: next\n"
        "    protection:\n"
        "      <<: *protection\n"
        "      enforce_admins: false\n"
    )
    settings = load(write(tmp_path, text))
    labels = {item.key: dict(item.fields) for item in settings.sections["labels"].items}
    assert labels["regression"] == {"color": "d73a4a", "description": "Broken"}
    main, following = settings.branches
    assert main.protection["enforce_admins"] is True
    assert following.protection["enforce_admins"] is False
    assert following.protection["required_status_checks"] == {"strict": True, "contexts": ["ci"]}


def test_an_alias_inside_its_own_anchor_is_refused(tmp_path: Path) -> None:
    assert "expand to more than" in refused(write(tmp_path, "a: &a [1, *a]\n"))


@pytest.mark.parametrize(
    "text",
    [
        "[" * 20_000,
        "a: " + "[" * 101 + "]" * 101 + "\n",
        "".join(f"{' ' * i}k:\n" for i in range(102)),
    ],
)
def test_nesting_deeper_than_a_hundred_levels_is_refused_at_once(tmp_path: Path, text: str) -> None:
    assert "nested more than 100 levels deep" in refused(write(tmp_path, text))


def test_a_file_over_1_mb_is_refused(tmp_path: Path) -> None:
    assert "too large" in refused(write(tmp_path, "# x\n" * 300_000))


def test_a_byte_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    message = refused(write(tmp_path, b"repository:\n  description: caf\xe9\n"))
    assert message.endswith("settings.yml:2: not UTF-8 (byte 0xe9)")


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        load(tmp_path)


@pytest.mark.parametrize(
    ("protection", "said"),
    [
        ("required_status_checks: {contexts: [{app_id: 1}]}", "contexts: expected a list of names"),
        ("required_status_checks: {from_workflows: [1]}", "from_workflows: expected a list"),
        ("restrictions: {users: [alice, [bob]]}", "restrictions.users: expected a list of names"),
        ("required_status_checks: {checks: [{context: ci, app_id: x}]}", "each entry is"),
        ("required_pull_request_reviews: {dismissal_restrictions: {users: alice}}", "users"),
    ],
)
def test_values_of_the_wrong_shape_are_problems_not_tracebacks(
    tmp_path: Path, protection: str, said: str
) -> None:
    text = f"branches:\n  - name: main\n    protection:\n      {protection}\n"
    assert said in refused(write(tmp_path, text))


@pytest.mark.parametrize(
    ("pattern", "said"),
    [
        ("/src/\n*\t@mallory", "control character"),
        ("/docs/\r* @mallory", "control character"),
        ("#secret", "starts with #"),
        ("docs/ #x", "holds #"),
        ("!keep", "negation"),
    ],
)
def test_codeowners_injection_is_refused_at_load(tmp_path: Path, pattern: str, said: str) -> None:
    path = write(tmp_path, "codeowners: []\n")
    path.write_text(
        "codeowners:\n  - pattern: " + repr(pattern).replace("'", '"') + "\n    owners: ['@doug']\n"
    )
    assert said in refused(path)


def test_an_owner_with_a_line_break_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, 'codeowners:\n  - {pattern: "*", owners: ["@doug\\n* @mallory"]}\n')
    assert "is not @user, @org/team or an email" in refused(path)


def test_codeowners_is_parsed_as_github_reads_it() -> None:
    text = "# header\n/path\\ with\\ space/ @a @b # trailing comment\n*.py\t@c\n\n"
    assert [(r.pattern, r.owners, r.line) for r in parse(text)] == [
        ("/path with space/", ("@a", "@b"), 2),
        ("*.py", ("@c",), 3),
    ]


rule = st.builds(
    CodeownersRule,
    st.text(min_size=1, max_size=20),
    st.lists(
        st.one_of(st.sampled_from(["@a", "@org/team", "x@y.io"]), st.text(min_size=1, max_size=12)),
        min_size=1,
        max_size=3,
    ).map(tuple),
)


@FUZZ
@given(st.lists(rule, min_size=1, max_size=4))
def test_what_validation_accepts_github_reads_back_unchanged(rules: list[CodeownersRule]) -> None:
    try:
        validate(rules, "settings.yml")
    except ConfigError:
        return
    read = parse(render(rules, "settings.yml"))
    assert [(r.pattern, r.owners) for r in rules] == [(r.pattern, r.owners) for r in read]


def damaged(text: str, data: st.DataObject) -> str:
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(text)))
        cut = data.draw(st.integers(0, 8))
        insert = data.draw(
            st.sampled_from(["", ":", "- ", "\n", "  ", "{", "[", "*a", "&a ", "null", "'"])
        )
        text = text[:at] + insert + text[at + cut :]
    return text


@FUZZ
@given(st.data())
def test_damaged_real_files_are_read_or_refused_in_one_error(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    text = damaged(data.draw(st.sampled_from(REAL)), data)
    path = tmp_path_factory.mktemp("fuzz") / "settings.yml"
    path.write_text(text, encoding="utf-8")
    try:
        load(path)
    except RepokitError as error:
        assert error.message.splitlines()[0].startswith(str(path))


@FUZZ
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_read_or_refused(
    tmp_path_factory: pytest.TempPathFactory, raw: bytes
) -> None:
    path = tmp_path_factory.mktemp("bytes") / "settings.yml"
    path.write_bytes(raw)
    with contextlib.suppress(RepokitError):
        load(path)


@FUZZ
@given(st.text(max_size=60))
def test_any_api_url_is_accepted_or_refused_in_one_line(url: str) -> None:
    try:
        api_base(url or "x")
    except UsageError as error:
        assert "\n" not in error.message


@FUZZ
@given(st.text(max_size=40))
def test_any_repository_name_is_accepted_or_refused_in_one_line(name: str) -> None:
    from repokit.github import repository_slug

    try:
        slug = repository_slug(Path("."), name or "x")
    except UsageError as error:
        assert "\n" not in error.message
    else:
        assert slug.count("/") == 1


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(max_size=12), inner, max_size=3),
    max_leaves=12,
)


@FUZZ
@given(
    st.sampled_from(["pull_request", "pull_request_target", "push"]),
    st.one_of(
        json_values,
        st.fixed_dictionaries({"pull_request": json_values}),
        st.fixed_dictionaries(
            {
                "pull_request": st.dictionaries(
                    st.sampled_from(["head", "base"]),
                    json_values
                    | st.fixed_dictionaries(
                        {"repo": json_values | st.fixed_dictionaries({"full_name": json_values})}
                    ),
                )
            }
        ),
    ),
)
def test_any_event_payload_is_allowed_or_refused_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, name: str, payload: object
) -> None:
    import json

    from repokit.errors import PreflightError
    from repokit.governance.guards import refuse_fork_event

    path = tmp_path_factory.mktemp("event") / "event.json"
    path.write_text(json.dumps(payload))
    env = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": name, "GITHUB_EVENT_PATH": str(path)}
    try:
        refuse_fork_event(env)
    except PreflightError as error:
        assert "\n" not in error.message
