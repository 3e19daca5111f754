// `import ZKVerifier` is all a verifying program needs: the types that appear in the verifier's
// API (the field, the circuit description inside a key, digests, wire errors) come with it.
@_exported import ZKCircuit
@_exported import ZKField
@_exported import ZKSodium
@_exported import ZKWire
