"""The routing table: every request the emulator answers, and the handler that answers it.

Each route implements one operation of GitHub's OpenAPI description; the committed
subset of the description (tests/contract/github-openapi.json) holds exactly the
operations listed here (scripts/update_github_openapi.py reads this table).
"""

from __future__ import annotations

from repokit.testing.github.api import (
    access,
    accounts,
    branches,
    commits,
    contents,
    deployment_policies,
    environments,
    labels,
    releases,
    repos,
    rulesets,
)
from repokit.testing.github.routing import Route

REPO = "/repos/{owner}/{repo}"
BRANCH = f"{REPO}/branches/{{branch}}"
RELEASE = f"{REPO}/releases/{{release_id}}"
TEAM_REPO = "/orgs/{org}/teams/{team_slug}/repos/{owner}/{repo}"
MILESTONE = f"{REPO}/milestones/{{milestone_number}}"
ENVIRONMENT = f"{REPO}/environments/{{environment_name}}"
POLICIES = f"{ENVIRONMENT}/deployment-branch-policies"
RULESET = f"{REPO}/rulesets/{{ruleset_id}}"

ROUTES: tuple[Route, ...] = (
    Route("GET", "/user", accounts.get_authenticated_user),
    Route("GET", "/users/{username}", accounts.get_user),
    Route("GET", "/orgs/{org}", accounts.get_org),
    Route("GET", "/orgs/{org}/teams/{team_slug}", accounts.get_team),
    Route("GET", TEAM_REPO, accounts.get_team_repo_permission),
    # A team's `url` is /organizations/{org_id}/team/{team_id}; PyGithub's
    # Team.get_repo_permission follows it, so the same operation is served there too.
    Route(
        "GET",
        "/organizations/{org_id}/team/{team_id}/repos/{owner}/{repo}",
        accounts.get_team_repo_permission_legacy,
        operation=TEAM_REPO,
    ),
    Route("GET", "/rate_limit", accounts.get_rate_limit),
    Route("GET", REPO, repos.get_repo),
    Route("PATCH", REPO, repos.update_repo),
    Route("GET", f"{REPO}/topics", repos.get_topics),
    Route("PUT", f"{REPO}/topics", repos.replace_topics),
    Route(
        "GET", f"{REPO}/collaborators/{{username}}/permission", repos.get_collaborator_permission
    ),
    Route("GET", f"{REPO}/branches", branches.list_branches),
    Route("GET", BRANCH, branches.get_branch),
    Route("GET", f"{BRANCH}/protection", branches.get_protection),
    Route("PUT", f"{BRANCH}/protection", branches.update_protection),
    Route("DELETE", f"{BRANCH}/protection", branches.delete_protection),
    Route("GET", f"{BRANCH}/protection/required_signatures", branches.get_required_signatures),
    Route("POST", f"{BRANCH}/protection/required_signatures", branches.add_required_signatures),
    Route(
        "DELETE", f"{BRANCH}/protection/required_signatures", branches.delete_required_signatures
    ),
    Route("GET", f"{REPO}/contents/{{path}}", contents.get_content),
    Route("PUT", f"{REPO}/contents/{{path}}", contents.put_content),
    Route("GET", f"{REPO}/codeowners/errors", contents.get_codeowners_errors),
    Route("GET", f"{REPO}/releases", releases.list_releases),
    Route("POST", f"{REPO}/releases", releases.create_release),
    Route("GET", f"{REPO}/releases/tags/{{tag}}", releases.get_release_by_tag),
    Route("GET", RELEASE, releases.get_release),
    Route("PATCH", RELEASE, releases.update_release),
    Route("DELETE", RELEASE, releases.delete_release),
    Route("GET", f"{RELEASE}/assets", releases.list_assets),
    # Uploads go to another host on GitHub (uploads.github.com, from the release's
    # upload_url); here they go to the /uploads prefix of the same server.
    Route(
        "POST",
        f"/uploads{RELEASE}/assets",
        releases.upload_asset,
        operation=f"{RELEASE}/assets",
        binary_body=True,
    ),
    Route("GET", f"{REPO}/commits", commits.list_commits),
    Route("GET", f"{REPO}/commits/{{ref}}", commits.get_commit),
    Route("GET", f"{REPO}/commits/{{ref}}/check-runs", commits.list_check_runs),
    Route("GET", f"{REPO}/labels", labels.list_labels),
    Route("POST", f"{REPO}/labels", labels.create_label),
    Route("PATCH", f"{REPO}/labels/{{name}}", labels.update_label),
    Route("DELETE", f"{REPO}/labels/{{name}}", labels.delete_label),
    Route("GET", f"{REPO}/milestones", labels.list_milestones),
    Route("POST", f"{REPO}/milestones", labels.create_milestone),
    Route("PATCH", MILESTONE, labels.update_milestone),
    Route("DELETE", MILESTONE, labels.delete_milestone),
    Route("GET", f"{REPO}/collaborators", access.list_collaborators),
    Route("PUT", f"{REPO}/collaborators/{{username}}", access.add_collaborator),
    Route("DELETE", f"{REPO}/collaborators/{{username}}", access.remove_collaborator),
    Route("GET", f"{REPO}/invitations", access.list_invitations),
    Route("GET", f"{REPO}/teams", access.list_repo_teams),
    Route("PUT", TEAM_REPO, access.add_team_repo),
    Route("DELETE", TEAM_REPO, access.remove_team_repo),
    Route("GET", f"{REPO}/vulnerability-alerts", access.get_vulnerability_alerts),
    Route("PUT", f"{REPO}/vulnerability-alerts", access.set_vulnerability_alerts),
    Route("DELETE", f"{REPO}/vulnerability-alerts", access.set_vulnerability_alerts),
    Route("GET", f"{REPO}/automated-security-fixes", access.get_security_fixes),
    Route("PUT", f"{REPO}/automated-security-fixes", access.set_security_fixes),
    Route("DELETE", f"{REPO}/automated-security-fixes", access.set_security_fixes),
    Route("GET", f"{REPO}/environments", environments.list_environments),
    Route("GET", ENVIRONMENT, environments.get_environment),
    Route("PUT", ENVIRONMENT, environments.put_environment),
    Route("DELETE", ENVIRONMENT, environments.delete_environment),
    Route("GET", POLICIES, deployment_policies.list_policies),
    Route("POST", POLICIES, deployment_policies.create_policy),
    Route("GET", f"{POLICIES}/{{branch_policy_id}}", deployment_policies.get_policy),
    Route("DELETE", f"{POLICIES}/{{branch_policy_id}}", deployment_policies.delete_policy),
    Route("GET", f"{REPO}/autolinks", environments.list_autolinks),
    Route("POST", f"{REPO}/autolinks", environments.create_autolink),
    Route("DELETE", f"{REPO}/autolinks/{{autolink_id}}", environments.delete_autolink),
    Route("GET", f"{REPO}/rulesets", rulesets.list_rulesets),
    Route("POST", f"{REPO}/rulesets", rulesets.create_ruleset),
    Route("GET", RULESET, rulesets.get_ruleset),
    Route("PUT", RULESET, rulesets.update_ruleset),
    Route("DELETE", RULESET, rulesets.delete_ruleset),
)
