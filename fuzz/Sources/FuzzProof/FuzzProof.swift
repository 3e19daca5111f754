import ZKFuzzTargets

/// libFuzzer's entry point for the proof decoder and the verifier (`ProofTarget`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ProofTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
