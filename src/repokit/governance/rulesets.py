"""Repository rulesets: ``rulesets:`` in GitHub's REST shape, one reconciler.

A ``required_status_checks`` rule may say ``from_workflows: true`` (or a list of workflow
files) in its parameters, as branch protection does: the checks are then the job names the
workflows report, carrying GitHub Actions' app id. A ruleset is compared with the live one
field by field, the live ruleset may hold more (GitHub fills in defaults); any difference
replaces it whole (PUT).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from repokit.governance.items import Reconciler
from repokit.governance.model import GITHUB_ACTIONS_APP_ID
from repokit.governance.plan import Request
from repokit.governance.sections import Item, ItemList

#: What the file may give, besides the name.
FIELDS = ("target", "enforcement", "bypass_actors", "conditions", "rules")
_TEMPLATE = "/repos/{owner}/{repo}/rulesets"

#: Given a ruleset's ``from_workflows`` and the branch it protects: the check names.
Resolver = Callable[[Any, str], list[str]]


def protected_branch(ruleset: Mapping[str, Any], default: str) -> str:
    """The branch a ruleset's conditions name first (its default branch otherwise)."""
    conditions = ruleset.get("conditions")
    ref = conditions.get("ref_name") if isinstance(conditions, Mapping) else None
    for include in ref.get("include") or [] if isinstance(ref, Mapping) else []:
        text = str(include)
        if text.startswith("refs/heads/") and not any(c in text for c in "*?["):
            return text.removeprefix("refs/heads/")
    return default


def resolved(items: ItemList, resolve: Resolver, default_branch: str) -> ItemList:
    """The rulesets with ``from_workflows`` replaced by the checks it names."""
    result = []
    for item in items.items:
        rules = []
        for rule in item.fields.get("rules") or []:
            parameters = rule.get("parameters") if isinstance(rule, Mapping) else None
            if isinstance(parameters, Mapping) and parameters.get("from_workflows"):
                branch = protected_branch(item.fields, default_branch)
                names = resolve(parameters["from_workflows"], branch)
                parameters = {k: v for k, v in parameters.items() if k != "from_workflows"}
                parameters["required_status_checks"] = [
                    {"context": name, "integration_id": GITHUB_ACTIONS_APP_ID} for name in names
                ]
                rule = {**rule, "parameters": parameters}
            rules.append(rule)
        fields = {**item.fields, "rules": rules} if "rules" in item.fields else dict(item.fields)
        result.append(Item(item.key, fields, item.line))
    return ItemList(tuple(result), items.prune)


def _sort_key(entry: Any) -> str:
    if isinstance(entry, Mapping):
        return str(entry.get("type") or entry.get("actor_type") or entry.get("context") or "") + (
            str(entry.get("actor_id") or "")
        )
    return str(entry)


def covers(live: Any, want: Any) -> bool:
    """``want`` is in ``live``: every key it gives has the same value (lists in any order)."""
    if isinstance(want, Mapping):
        return isinstance(live, Mapping) and all(covers(live.get(k), v) for k, v in want.items())
    if isinstance(want, list):
        if not isinstance(live, list) or len(live) != len(want):
            return False
        return all(
            covers(a, b)
            for a, b in zip(sorted(live, key=_sort_key), sorted(want, key=_sort_key), strict=True)
        )
    return bool(live == want) or (want is None and live in (None, [], {}))


def _wanted(item: Item) -> dict[str, Any]:
    want = {k: item.fields[k] for k in FIELDS if k in item.fields}
    want.setdefault("target", "branch")
    return want


def _body(key: str, item: Item) -> dict[str, Any]:
    return {"name": key, **{k: v for k, v in _wanted(item).items() if v is not None}}


RULESETS = Reconciler(
    section="rulesets",
    collection="rulesets",
    live_key=lambda live: str(live["name"]),
    live_fields=lambda live: {k: live.get(k) for k in FIELDS},
    desired_fields=_wanted,
    create=lambda repo, key, item: Request(
        "POST", f"/repos/{repo}/rulesets", _TEMPLATE, _body(key, item)
    ),
    update=lambda repo, live, item: Request(
        "PUT",
        f"/repos/{repo}/rulesets/{live['id']}",
        f"{_TEMPLATE}/{{ruleset_id}}",
        _body(str(live["name"]), item),
    ),
    delete=lambda repo, live: Request(
        "DELETE", f"/repos/{repo}/rulesets/{live['id']}", f"{_TEMPLATE}/{{ruleset_id}}"
    ),
    same=covers,
)
