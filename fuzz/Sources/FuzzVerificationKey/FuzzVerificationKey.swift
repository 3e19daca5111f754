import ZKFuzzTargets

/// libFuzzer's entry point for the verification-key decoder (`VerificationKeyTarget`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    VerificationKeyTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
