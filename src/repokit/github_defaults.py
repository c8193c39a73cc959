"""What GitHub gives a new repository: its settings, and its nine labels.

Shared by the export (a value at GitHub's default is left out of the file: the file says
only what was chosen) and by the emulator's ``serve-github`` (a repository as GitHub
creates it). Facts from GitHub's REST description (the defaults of ``POST /user/repos``)
and its documentation of default labels.
"""

from __future__ import annotations

from typing import Any

#: The fields of ``PATCH /repos/{owner}/{repo}`` with the values of a new repository.
REPOSITORY: dict[str, Any] = {
    "description": None,
    "homepage": None,
    "visibility": "public",
    "default_branch": "main",
    "has_issues": True,
    "has_projects": True,
    "has_wiki": True,
    "has_discussions": False,
    "is_template": False,
    "allow_squash_merge": True,
    "allow_merge_commit": True,
    "allow_rebase_merge": True,
    "allow_auto_merge": False,
    "delete_branch_on_merge": False,
    "allow_update_branch": False,
    "use_squash_pr_title_as_default": False,
    "squash_merge_commit_title": "COMMIT_OR_PR_TITLE",
    "squash_merge_commit_message": "COMMIT_MESSAGES",
    "merge_commit_title": "MERGE_MESSAGE",
    "merge_commit_message": "PR_TITLE",
    "archived": False,
    "allow_forking": True,
    "web_commit_signoff_required": False,
}

#: probot's security toggles: both off on a new repository.
SECURITY_TOGGLES = {"enable_vulnerability_alerts": False, "enable_automated_security_fixes": False}

#: The labels of a new repository: (name, color, description).
LABELS = (
    ("bug", "d73a4a", "Something isn't working"),
    ("documentation", "0075ca", "Improvements or additions to documentation"),
    ("duplicate", "cfd3d7", "This issue or pull request already exists"),
    ("enhancement", "a2eeef", "New feature or request"),
    ("good first issue", "7057ff", "Good for newcomers"),
    ("help wanted", "008672", "Extra attention is needed"),
    ("invalid", "e4e669", "This doesn't seem right"),
    ("question", "d876e3", "Further information is requested"),
    ("wontfix", "ffffff", "This will not be worked on"),
)
