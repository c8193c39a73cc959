from repokit.tasks import namespace  # noqa: F401 (Invoke finds the collection by this name)
