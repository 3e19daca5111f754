// ZKCommit: see the module's files.
