"""Which host a line of a step's output says could not be reached.

GitHub's runners reach the whole internet; this machine may not (no route to github.com, to
a coverage service, to a hook's repository). A step that fails after such a line cannot be
judged here: the job is partial, naming the host, never failed (GitHub might pass it) nor
passed. The messages are those of git and curl, Python's urllib3 and urllib, Node, and safety.
"""

from __future__ import annotations

import re

_NAMED = (
    # git and curl: "Could not resolve host: github.com"
    re.compile(r"Could not resolve host:? '?(?P<host>[A-Za-z0-9.-]+)"),
    # urllib3 2: "Failed to resolve 'github.com' ([Errno -2] Name or service not known)"
    re.compile(r"Failed to resolve '(?P<host>[A-Za-z0-9.-]+)'"),
    # urllib3 1 and requests: "HTTPSConnectionPool(host='api.github.com', port=443): ...
    # Failed to establish a new connection: [Errno -3] Temporary failure in name resolution"
    re.compile(
        r"ConnectionPool\(host='(?P<host>[A-Za-z0-9.-]+)'.*"
        r"(?:name resolution|Name or service not known|nodename nor servname)"
    ),
    # Node: "getaddrinfo ENOTFOUND github.com"
    re.compile(r"getaddrinfo (?:ENOTFOUND|EAI_AGAIN) (?P<host>[A-Za-z0-9.-]+)"),
)
# Python's urllib and socket, uv, and safety ("Check your network connection, unable to reach
# the server."), which do not name the host
_UNNAMED = re.compile(
    r"\[Errno -[235]\] (?:Name or service not known|Temporary failure in name resolution"
    r"|No address associated with hostname)|unable to reach the server"
    r"|failed to lookup address information"  # uv, which names the URL lines before
)


#: Names no resolver answers, on GitHub's runners either (RFC 2606 and 6761): a step that
#: fails on one fails there too, so it is judged here like any other failure.
_NOWHERE = (".invalid", ".test", ".example", ".localhost")


def unreachable_host(line: str) -> str | None:
    """The host ``line`` says could not be reached (``"a host"`` when it names none), unless
    it is a name that GitHub's runner could not reach either."""
    for pattern in _NAMED:
        match = pattern.search(line)
        if match:
            host = match.group("host").rstrip(".").lower()
            return None if f".{host}".endswith(_NOWHERE) else host
    return "a host" if _UNNAMED.search(line) else None


# sudo missing (a root container, a minimal system) or asking for a password: a runner's
# sudo needs none; here a job is given none, as it would change this machine
_SUDO = re.compile(
    r"sudo: (?:command not found|a terminal is required|a password is required)"
    r"|line \d+: sudo: not found"
)


def needs_sudo(line: str) -> bool:
    """Whether ``line`` says a command needed ``sudo``, which a job does not get here."""
    return _SUDO.search(line) is not None
