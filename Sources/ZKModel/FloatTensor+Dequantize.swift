extension FloatTensor {
    /// ONNX DequantizeLinear: `(q − zeroPoint) · scale`, with the scale and zero point per tensor
    /// or per slice along `axis` (this tensor holds the integers `q` as floats).
    public func dequantized(scale: FloatTensor, zeroPoint: FloatTensor?, axis: Int) -> FloatTensor {
        QuantizedKernels.dequantize(self, scale: scale, zeroPoint: zeroPoint, axis: axis)
    }
}
