from repokit.tasks import namespace  # noqa: F401
