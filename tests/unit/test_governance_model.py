"""settings.yml: every problem at once, each with file, line and key; a valid file parsed."""

from __future__ import annotations

from pathlib import Path

import pytest

from repokit.errors import ConfigError
from repokit.governance.model import load


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.yml"
    path.write_text(text)
    return path


def test_a_probot_settings_file_is_read(tmp_path: Path) -> None:
    settings = load(
        write(
            tmp_path,
            "repository:\n  name: draagon-ai\n  description: Agents\n  topics: ai, agents, llm\n"
            "  has_downloads: true\n  allow_squash_merge: true\n"
            "branches:\n  - name: main\n    protection:\n      enforce_admins: false\n"
            "      required_pull_request_reviews: {required_approving_review_count: 1}\n"
            "codeowners:\n  - {pattern: '*', owners: ['@doug']}\n",
        )
    )
    assert settings.repository == {"description": "Agents", "allow_squash_merge": True}
    assert settings.topics == ("ai", "agents", "llm")
    assert settings.branches[0].name == "main"
    assert settings.branches[0].protection["enforce_admins"] is False
    assert settings.codeowners is not None and settings.codeowners[0].owners == ("@doug",)
    assert any("has_downloads" in note for note in settings.notes)


def test_every_problem_is_reported_with_its_line_and_key(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "repository:\n"
        "  descriptoin: typo\n"  # line 2
        "  has_wiki: 'no'\n"  # line 3
        "branches:\n"
        "  - name: main\n"
        "    protection:\n"
        "      required_pull_request_reviews:\n"
        "        required_approving_review_count: 9\n"  # line 8
        "      allow_force_pushes: 1\n"  # line 9
        "      required_status_checks: {contexts: [a], from_workflows: true}\n",  # line 10
    )
    with pytest.raises(ConfigError) as info:
        load(path)
    message = info.value.message
    assert f"{path}: 5 problem(s):" in message
    assert f"{path}:2: repository.descriptoin: unknown key (did you mean 'description'?)" in message
    assert f"{path}:3: repository.has_wiki: expected true/false or null, got text" in message
    assert "required_approving_review_count: must be 0 to 6, got 9" in message
    assert f"{path}:9: branches[0].protection.allow_force_pushes: expected true/false" in message
    assert "give one of contexts, checks or from_workflows" in message


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load(write(tmp_path, "repository:\n  description: [unclosed\n"))
    assert "invalid YAML" in info.value.message


def test_a_missing_file_says_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load(tmp_path / "nope.yml")
    assert info.value.hint and "--config" in info.value.hint


def test_what_real_files_write_is_read_as_github_takes_it(tmp_path: Path) -> None:
    """Seen in public settings files: a colour that YAML reads as an endless float, a topic
    in capitals (GitHub lowercases it), probot's null review count (not set)."""
    from repokit.governance.plan import desired_write_shape

    settings = load(
        write(
            tmp_path,
            "repository:\n  topics: [Nix, nix, flakes]\n"
            "labels:\n  - {name: done, color: 5e8741}\n  - {name: old, color: 008672}\n"
            "branches:\n  - name: main\n    protection:\n"
            "      required_pull_request_reviews: {required_approving_review_count: null}\n",
        )
    )
    assert settings.topics == ("nix", "flakes")
    colors = [item.fields["color"] for item in settings.sections["labels"].items]
    assert colors == ["5e8741", "008672"]
    shape = desired_write_shape(settings.branches[0].protection, None)
    assert shape == {"required_pull_request_reviews": {}}


def test_other_tools_names_of_the_security_toggles_are_read_as_them(tmp_path: Path) -> None:
    probot = load(write(tmp_path, "repository:\n  vulnerability_alerts: true\n"))
    assert probot.security == {"enable_vulnerability_alerts": True}
    safe_settings = load(
        write(
            tmp_path,
            "repository:\n  security:\n    enableVulnerabilityAlerts: true\n"
            "    enableAutomatedSecurityFixes: false\n",
        )
    )
    assert safe_settings.security == {
        "enable_vulnerability_alerts": True,
        "enable_automated_security_fixes": False,
    }


def test_a_security_alias_that_contradicts_the_toggle_is_refused(tmp_path: Path) -> None:
    text = "repository:\n  enable_vulnerability_alerts: false\n  vulnerability_alerts: true\n"
    with pytest.raises(ConfigError) as caught:
        load(write(tmp_path, text))
    assert caught.value.message.splitlines()[1].endswith(
        "settings.yml:3: repository.vulnerability_alerts: "
        "true contradicts repository.enable_vulnerability_alerts"
    )
