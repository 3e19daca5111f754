// ZKPoly: see the module's files.
