"""Text that cannot spoof a plan: refused in the file, escaped when it comes from GitHub."""

from __future__ import annotations

from pathlib import Path

import pytest

from repokit.errors import ConfigError
from repokit.governance.items import LABELS, plan_items
from repokit.governance.model import load
from repokit.governance.reconcile import show
from repokit.governance.sections import ItemList
from repokit.governance.text import one_line


@pytest.mark.parametrize(
    ("value", "codepoint"),
    [
        ('"bug\\nX-Evil: 1"', "U+000A (LINE FEED)"),
        ('"bug\\0"', "U+0000"),
        ('"a\\u2028b"', "U+2028 (LINE SEPARATOR)"),
        ('"a\\x85b"', "U+0085"),
        ('"a\\tb"', "U+0009 (TAB)"),
        ('"\\e]0;pwned\\a"', "U+001B (ESCAPE)"),
        ('"abc\\u202egpj.exe"', "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ],
)
def test_a_name_that_could_spoof_the_plan_is_refused_naming_field_and_codepoint(
    tmp_path: Path, value: str, codepoint: str
) -> None:
    path = tmp_path / "settings.yml"
    path.write_text(f"labels:\n  - name: ok\n    description: {value}\n")
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert f"settings.yml:3: labels[0].description: holds {codepoint}" in caught.value.message


def test_patterns_and_keys_are_checked_too(tmp_path: Path) -> None:
    path = tmp_path / "settings.yml"
    path.write_text('codeowners:\n  - {pattern: "a\\u2029b", owners: ["@x"]}\n"k\\ty": 1\n')
    with pytest.raises(ConfigError) as caught:
        load(path)
    assert "codeowners[0].pattern: holds U+2029 (PARAGRAPH SEPARATOR)" in caught.value.message
    assert "k\\ty: holds U+0009 (TAB)" in caught.value.message
    assert "\t" not in caught.value.message


def test_emoji_and_a_block_scalars_last_line_break_are_text(tmp_path: Path) -> None:
    path = tmp_path / "settings.yml"
    path.write_text(
        'labels:\n  - name: "\U0001f468\u200d\U0001f4bb dev"\n'
        "    description: >\n      Work on it\n"
    )
    assert load(path).sections["labels"].items[0].key == "\U0001f468\u200d\U0001f4bb dev"


def test_values_from_github_print_on_one_line() -> None:
    assert show("bug\nX-Evil: 1") == "bug\\nX-Evil: 1"
    assert show("\x1b]0;pwned\x07") == "\\u001b]0;pwned\\u0007"
    assert one_line("a\u2028b\x85c") == "a\\u2028b\\u0085c"
    live = [{"name": "evil\nX-Injected: yes", "color": "ffffff", "description": ""}]
    found = plan_items(LABELS, "acme/widget", ItemList(()), live, prune=True)
    assert found.writes[0][0] == "delete labels evil\\nX-Injected: yes"
    assert "\n" not in found.changes[0].setting
