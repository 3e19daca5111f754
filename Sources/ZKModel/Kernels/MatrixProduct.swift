/// Matrix products: Gemm and numpy-style (batched, broadcasting) MatMul. Sums are accumulated
/// in `Double`, so integer-valued operands (the quantized ops) multiply exactly.
enum MatrixProductKernels {
    /// `alpha · A' · B' + beta · C` (shapes already checked).
    static func gemm(_ a: FloatTensor, _ b: FloatTensor, _ c: FloatTensor?, _ attributes: GemmAttributes) -> FloatTensor {
        let (m, k) = attributes.transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let n = attributes.transposeB ? b.shape[0] : b.shape[1]
        let cIndex = c.map { Broadcasting.sourceIndices(of: $0.shape, broadcastTo: [m, n]) }
        var values = [Float](repeating: 0, count: m * n)
        a.values.withUnsafeBufferPointer { av in
            b.values.withUnsafeBufferPointer { bv in
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = 0.0
                        for p in 0..<k {
                            let x = attributes.transposeA ? av[p * m + i] : av[i * k + p]
                            let y = attributes.transposeB ? bv[j * k + p] : bv[p * n + j]
                            sum += Double(x) * Double(y)
                        }
                        var result = Double(attributes.alpha) * sum
                        if let c, let cIndex { result += Double(attributes.beta) * Double(c.values[cIndex[i * n + j]]) }
                        values[i * n + j] = Float(result)
                    }
                }
            }
        }
        return FloatTensor(validatedShape: [m, n], values: values)
    }

    /// The unrounded sums of numpy `matmul(a, b)` and the result's shape (shapes already checked).
    static func matMulSums(_ a: FloatTensor, _ b: FloatTensor) -> (shape: [Int], sums: [Double]) {
        let a2 = a.shape.count == 1 ? [1] + a.shape : a.shape
        let b2 = b.shape.count == 1 ? b.shape + [1] : b.shape
        let m = a2[a2.count - 2]
        let k = a2[a2.count - 1]
        let n = b2[b2.count - 1]
        let aBatch = Array(a2.dropLast(2))
        let bBatch = Array(b2.dropLast(2))
        let batch = Broadcasting.shape([aBatch, bBatch]) ?? []
        let aIndex = Broadcasting.sourceIndices(of: aBatch, broadcastTo: batch)
        let bIndex = Broadcasting.sourceIndices(of: bBatch, broadcastTo: batch)
        var sums = [Double](repeating: 0, count: aIndex.count * m * n)
        a.values.withUnsafeBufferPointer { av in
            b.values.withUnsafeBufferPointer { bv in
                for batchIndex in 0..<aIndex.count {
                    let aBase = aIndex[batchIndex] * m * k
                    let bBase = bIndex[batchIndex] * k * n
                    let outBase = batchIndex * m * n
                    for i in 0..<m {
                        for j in 0..<n {
                            var sum = 0.0
                            for p in 0..<k { sum += Double(av[aBase + i * k + p]) * Double(bv[bBase + p * n + j]) }
                            sums[outBase + i * n + j] = sum
                        }
                    }
                }
            }
        }
        var shape = batch
        if a.shape.count > 1 { shape.append(m) }
        if b.shape.count > 1 { shape.append(n) }
        return (shape, sums)
    }

    static func matMul(_ a: FloatTensor, _ b: FloatTensor) -> FloatTensor {
        let (shape, sums) = matMulSums(a, b)
        return FloatTensor(validatedShape: shape, values: sums.map { Float($0) })
    }
}
