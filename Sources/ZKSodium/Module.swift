// ZKSodium: see the module's files.
