import ZKFuzzTargets

/// libFuzzer's entry point for the proving-key decoder (`ProvingKeyTarget`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ProvingKeyTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
