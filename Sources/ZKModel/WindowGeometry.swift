/// The resolved geometry of a 2-D sliding window (convolution or pooling) over `[N, C, H, W]`:
/// sizes, strides, dilations, explicit pads and the output's spatial size.
public struct WindowGeometry: Sendable, Hashable {
    public var inputSize: [Int]
    public var kernel: [Int]
    public var strides: [Int]
    public var dilations: [Int]
    /// `[top, left, bottom, right]`.
    public var pads: [Int]
    public var outputSize: [Int]

    /// Resolves padding and computes the output size; `nil` describes why this fails.
    public static func resolve(
        inputSize: [Int], kernel: [Int], strides: [Int], dilations: [Int], padding: Padding, ceilMode: Bool = false
    ) -> Result<WindowGeometry, WindowGeometryError> {
        let rank = inputSize.count
        guard kernel.count == rank, kernel.allSatisfy({ $0 > 0 && $0 <= 1 << 20 }) else {
            return .failure(.init("kernel shape \(kernel) must have \(rank) positive sizes"))
        }
        guard strides.count == rank, strides.allSatisfy({ $0 > 0 && $0 <= 1 << 20 }) else {
            return .failure(.init("strides \(strides) must be \(rank) positive numbers"))
        }
        guard dilations.count == rank, dilations.allSatisfy({ $0 > 0 && $0 <= 1 << 20 }) else {
            return .failure(.init("dilations \(dilations) must be \(rank) positive numbers"))
        }
        guard inputSize.allSatisfy({ $0 >= 0 && $0 <= 1 << 40 }) else {
            return .failure(.init("invalid spatial size \(inputSize)"))
        }
        guard let pads = padding.resolved(inputSizes: inputSize, kernel: kernel, strides: strides, dilations: dilations)
        else {
            return .failure(.init("pads must be \(2 * rank) non-negative numbers"))
        }
        guard pads.allSatisfy({ $0 <= 1 << 20 }) else { return .failure(.init("pads \(pads) are too large")) }
        var output: [Int] = []
        for axis in 0..<rank {
            let extent = (kernel[axis] - 1) * dilations[axis] + 1
            let padded = inputSize[axis] + pads[axis] + pads[rank + axis]
            guard padded >= extent else {
                return .failure(.init("window \(extent) is larger than the padded input \(padded) on spatial axis \(axis)"))
            }
            var size: Int
            if ceilMode {
                size = (padded - extent + strides[axis] - 1) / strides[axis] + 1
                // The last window must start inside the input or the begin padding.
                if (size - 1) * strides[axis] >= inputSize[axis] + pads[axis] { size -= 1 }
            } else {
                size = (padded - extent) / strides[axis] + 1
            }
            output.append(size)
        }
        return .success(
            WindowGeometry(
                inputSize: inputSize, kernel: kernel, strides: strides, dilations: dilations, pads: pads,
                outputSize: output))
    }
}

/// Why a window geometry is invalid.
public struct WindowGeometryError: Error, Sendable, Hashable {
    public var reason: String
    init(_ reason: String) { self.reason = reason }
}
