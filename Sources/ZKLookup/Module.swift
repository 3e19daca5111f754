// ZKLookup: see the module's files.
