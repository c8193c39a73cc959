"""``repokit init``: adopt repokit in an existing repository in one command.

:mod:`repokit.init.texts` computes each file's new text from its old one (pure, never
removing or changing a line the user wrote); :mod:`repokit.init.plan` reads the
repository and turns those texts into the FileEdits the command shows and applies.
"""
