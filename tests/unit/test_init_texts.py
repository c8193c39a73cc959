"""The texts repokit init writes: what the user wrote is kept, a second pass changes nothing."""

from __future__ import annotations

import tomllib

from repokit.governance.model import CodeownersRule
from repokit.init import texts


def test_a_missing_tasks_py_gets_the_one_line() -> None:
    assert texts.tasks_py(None).splitlines()[-1] == "from repokit.tasks import namespace"
    assert texts.tasks_py(texts.tasks_py(None)) == texts.tasks_py(None)


def test_an_existing_namespace_gets_repokit_as_a_sub_collection() -> None:
    before = "from invoke import Collection, task\n\nns = Collection()\n"
    after = texts.tasks_py(before)
    assert after.startswith(before)
    assert after.endswith('ns.add_collection(_repokit, name="repokit")\n')
    assert "from_module" not in after
    assert texts.tasks_py(after) == after


def test_makefile_targets_are_added_only_where_missing_and_keep_crlf() -> None:
    before = "release:\r\n\t./ship.sh\r\nVERSION := 1\r\n"
    after = texts.makefile(before)
    assert after.startswith(before)
    assert "\r\nci:\r\n\trepokit ci\r\n" in after
    assert "governance:\r\n" in after
    assert after.count("release:") == 1
    assert texts.makefile(after) == after


def test_defined_targets_ignore_variable_assignments() -> None:
    assert texts.defined_targets("ci := 1\nall test: dep\n\techo\n") == {"all", "test"}


def test_pyproject_keeps_the_users_keys_and_bytes() -> None:
    before = '[project]\nname = "x"  # ours\n\n[tool.repokit]\nversion_files = ["a.py"]\n'
    assert texts.pyproject(before, {"version_files": ["b.py"]}) == before
    plain = '[project]\nname = "x"  # ours\n'
    after = texts.pyproject(plain, {"version_files": ["x/__init__.py"]})
    assert after.startswith(plain)
    assert tomllib.loads(after)["tool"]["repokit"] == {"version_files": ["x/__init__.py"]}


def test_the_governance_starter_quotes_what_yaml_would_misread() -> None:
    rules = [CodeownersRule("*", ("@acme/core",)), CodeownersRule("#x", ('a"b@example.com',))]
    text = texts.governance_starter("master", rules, ".github/CODEOWNERS")
    assert '  - pattern: "*"\n    owners: ["@acme/core"]' in text
    assert '  - pattern: "#x"\n    owners: ["a\\"b@example.com"]' in text
    assert "require_code_owner_reviews: true" in text


def test_the_starter_requires_only_the_pull_request_workflows() -> None:
    text = texts.governance_starter("main", [], "", ["ci.yml", "lint.yml"])
    assert '        from_workflows: ["ci.yml", "lint.yml"]' in text
    assert "from_workflows: true" not in text
    none = texts.governance_starter("main", [], "")
    assert "\n      required_status_checks:" not in none, "no workflow: no required checks"
    assert "      #   from_workflows: [pr.yml]\n" in none


def test_a_release_target_only_for_a_python_project() -> None:
    go = texts.makefile("build:\n\tgo build ./...\n", python=False)
    assert "release" not in go
    assert "\nci:\n\trepokit ci\n" in go and "\ngovernance:\n" in go
    assert texts.makefile(go, python=False) == go
    assert "\nrelease:\n\trepokit release" in texts.makefile(None)


def test_a_deploy_workflow_is_never_pointed_at_pull_requests() -> None:
    from repokit.governance.check_hints import unreported_hint

    deploy = "on:\n  workflow_dispatch:\njobs: {}\n"
    hint = unreported_hint("deploy.yml", deploy, ("workflow_dispatch",), ["ci.yml"])
    assert "pull_request" not in hint.replace("pull-request workflows", "")
    assert "leave deploy.yml out" in hint and "from_workflows: [ci.yml]" in hint
    switched_off = "on:\n  # DISABLED: Uncomment when ready for automated CI\n  # pull_request:\n"
    hint = unreported_hint("pr.yml", switched_off, ("workflow_dispatch",), [])
    assert "inv workflows.enable --workflow pr" in hint
    filtered = unreported_hint("ci.yml", "", ("pull_request",), [])
    assert "widen ci.yml's pull_request filter" in filtered


def test_a_long_list_of_workflows_is_one_a_line() -> None:
    names = [f"test-{n}.yml" for n in ("unit", "integration", "sqlite", "pyodide", "playwright")]
    text = texts.governance_starter("main", [], "", names)
    assert "        from_workflows:   # the checks" in text
    assert '          - "test-pyodide.yml"\n' in text
    assert max(len(line) for line in text.splitlines()) <= 100


def test_make_release_bumps_what_the_version_scheme_takes() -> None:
    assert "\trepokit release --bump $(or $(BUMP),patch)\n" in texts.makefile(None)
    dated = texts.makefile(None, bump="calver")
    assert "\trepokit release --bump $(or $(BUMP),calver)\n" in dated
