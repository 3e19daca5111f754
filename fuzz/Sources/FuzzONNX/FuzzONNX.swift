import ZKFuzzTargets

/// libFuzzer's entry point for the ONNX importer and the compiler (`ONNXTarget`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ONNXTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
