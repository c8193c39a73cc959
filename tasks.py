from repokit.tasks.development import namespace  # noqa: F401 (Invoke finds it by this name)
