// ZKML: the umbrella module. `import ZKML` brings the whole public API: ONNX import, the
// compiler, keys, the prover and the verifier, and the field. Beside the re-exports it holds only
// re-exports (setup for a compiled model, `Setup.run(model:)`, lives in ZKSetup).
@_exported import ZKCircuit
@_exported import ZKCompiler
@_exported import ZKField
@_exported import ZKModel
@_exported import ZKONNX
@_exported import ZKProver
@_exported import ZKSetup
@_exported import ZKVerifier
