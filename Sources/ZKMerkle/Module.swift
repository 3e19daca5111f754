// ZKMerkle: see the module's files.
