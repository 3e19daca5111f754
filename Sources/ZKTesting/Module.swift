// ZKTesting: see the module's files.
