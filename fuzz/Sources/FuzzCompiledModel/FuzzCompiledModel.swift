import ZKFuzzTargets

/// libFuzzer's entry point for the compiled-model decoder (`CompiledModelTarget`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    CompiledModelTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
