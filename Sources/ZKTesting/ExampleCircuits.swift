import ZKCircuit

/// Small circuits with seeded random int8 weights, for tests of the circuit, the checker and the
/// proof system.
public enum ExampleCircuits {
    /// A dense network `in → hidden… → out`: each layer is matMul (int8 weights, int32 bias) →
    /// requantize (multiplier, shift) → ReLU clamped to [0, 127] through a function table, except
    /// the last, whose requantized output is the public output (int8 range, no activation).
    ///
    /// - Returns: the circuit, the known values (input, weights, biases) and a description.
    public static func mlp(
        sizes: [Int], activationBits: Int = 10, multiplier: Int64 = 3, shift: Int = 10,
        using rng: inout SeededGenerator
    ) -> (circuit: Circuit, known: [TensorID: [Int64]]) {
        precondition(sizes.count >= 2)
        var tensors: [TensorInfo] = []
        var relations: [Relation] = []
        var known: [TensorID: [Int64]] = [:]
        func add(_ info: TensorInfo) -> TensorID { tensors.append(info); return tensors.count - 1 }
        func randomInt8() -> Int64 { Int64(Int8(truncatingIfNeeded: rng.next())) }

        let reluTable = LookupTableSpec.function(name: "relu-clamp[0,127]", bits: activationBits) { min(max($0, 0), 127) }
        let tables: [LookupTableSpec] = [.range(bits: 8), .range(bits: shift - 8 * ((shift - 1) / 8)), reluTable]
        let input = add(TensorInfo(name: "input", shape: [sizes[0]], storage: .publicInput, minimum: -128, maximum: 127))
        known[input] = (0..<sizes[0]).map { _ in randomInt8() }
        var current = input
        var outputID = -1
        for layer in 0..<(sizes.count - 1) {
            let (inSize, outSize) = (sizes[layer], sizes[layer + 1])
            let last = layer == sizes.count - 2
            let w = add(TensorInfo(name: "w\(layer)", shape: [outSize, inSize], storage: .weight, minimum: -128, maximum: 127))
            known[w] = (0..<(outSize * inSize)).map { _ in randomInt8() }
            let b = add(TensorInfo(name: "b\(layer)", shape: [outSize], storage: .constant, minimum: -1 << 20, maximum: 1 << 20))
            known[b] = (0..<outSize).map { _ in Int64(Int16(truncatingIfNeeded: rng.next())) }
            let acc = add(TensorInfo(name: "acc\(layer)", shape: [outSize], storage: .virtual, minimum: -1 << 30, maximum: 1 << 30))
            relations.append(.matMul(output: acc, weights: w, input: current, bias: b))
            let half = Int64(1) << Int64(activationBits - 1)
            let y = add(TensorInfo(
                name: last ? "output" : "y\(layer)", shape: [outSize], storage: last ? .publicOutput : .advice,
                minimum: last ? -(Int64(1) << 40) : -half, maximum: last ? Int64(1) << 40 : half - 1))
            let limbCount = (shift + 7) / 8
            let limbs = (0..<limbCount).map { k in
                add(TensorInfo(name: "r\(layer).\(k)", shape: [outSize], storage: .advice, minimum: 0, maximum: 255))
            }
            relations.append(.requantize(output: y, input: acc, remainderLimbs: limbs, multiplier: multiplier, shift: shift))
            for (k, limb) in limbs.enumerated() {
                relations.append(.lookup(input: limb, output: nil, table: k == limbCount - 1 ? 1 : 0))
            }
            if last {
                outputID = y
            } else {
                let a = add(TensorInfo(name: "a\(layer)", shape: [outSize], storage: .advice, minimum: 0, maximum: 127))
                relations.append(.lookup(input: y, output: a, table: 2))
                current = a
            }
        }
        let circuit = Circuit(tensors: tensors, relations: relations, tables: tables, input: input, output: outputID)
        return (circuit, known)
    }
}
