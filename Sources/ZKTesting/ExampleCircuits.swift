import ZKCircuit

/// Small circuits with seeded random int8 weights, for tests of the circuit, the checker and the
/// proof system.
public enum ExampleCircuits {
    /// A dense network `in → hidden… → out`: each layer is matMul (int8 weights, int16 bias) →
    /// requantize (shift chosen from the fan-in) → ReLU clamped to [0, 127] through a function
    /// table, except the last, whose requantized output is the public output (unless
    /// `finalActivation`).
    ///
    /// - Returns: the circuit, the known values (input, weights, biases) and a description.
    public static func mlp(
        sizes: [Int], activationBits: Int = 10, finalActivation: Bool = false, using rng: inout SeededGenerator
    ) -> (circuit: Circuit, known: [TensorID: [Int64]]) {
        precondition(sizes.count >= 2)
        var draft = CircuitDraft()
        func add(_ info: TensorInfo) -> TensorID { draft.add(info) }
        func randomInt8() -> Int64 { Int64(Int8(truncatingIfNeeded: rng.next())) }
        let reluTable = draft.table(.function(name: "relu-clamp[0,127]", bits: activationBits) { min(max($0, 0), 127) })
        func rangeTable(_ bits: Int) -> Int { draft.table(.range(bits: bits)) }
        let input = add(TensorInfo(name: "input", shape: [sizes[0]], storage: .publicInput, minimum: -128, maximum: 127))
        draft.known[input] = (0..<sizes[0]).map { _ in randomInt8() }
        var current = input
        var outputID = -1
        for layer in 0..<(sizes.count - 1) {
            let (inSize, outSize) = (sizes[layer], sizes[layer + 1])
            let last = layer == sizes.count - 2
            // Scale so that four standard deviations of a random accumulator land within half the
            // activation table's domain: σ ≈ √K · 74 · 74 for uniform int8 operands.
            var shift = 1
            while Double(1 << shift) * Double(1 << (activationBits - 2)) < 4 * Double(inSize).squareRoot() * 74 * 74 { shift += 1 }
            let multiplier: Int64 = 1
            let w = add(TensorInfo(name: "w\(layer)", shape: [outSize, inSize], storage: .weight, minimum: -128, maximum: 127))
            draft.known[w] = (0..<(outSize * inSize)).map { _ in randomInt8() }
            let b = add(TensorInfo(name: "b\(layer)", shape: [outSize], storage: .constant, minimum: -1 << 20, maximum: 1 << 20))
            draft.known[b] = (0..<outSize).map { _ in Int64(Int16(truncatingIfNeeded: rng.next())) }
            let acc = add(TensorInfo(name: "acc\(layer)", shape: [outSize], storage: .virtual, minimum: -1 << 30, maximum: 1 << 30))
            draft.relations.append(.matMul(output: acc, weights: w, input: current, bias: b))
            let half = Int64(1) << Int64(activationBits - 1)
            let publicY = last && !finalActivation
            let y = add(TensorInfo(
                name: publicY ? "output" : "y\(layer)", shape: [outSize], storage: publicY ? .publicOutput : .advice,
                minimum: -half, maximum: half - 1))
            let limbCount = (shift + 7) / 8
            let limbs = (0..<limbCount).map { k in
                add(TensorInfo(name: "r\(layer).\(k)", shape: [outSize], storage: .advice, minimum: 0, maximum: 255))
            }
            draft.relations.append(.requantize(output: y, input: acc, remainderLimbs: limbs, multiplier: multiplier, shift: shift))
            for (k, limb) in limbs.enumerated() {
                draft.relations.append(.lookup(input: limb, output: nil, table: rangeTable(k == limbCount - 1 ? shift - 8 * k : 8)))
            }
            if publicY {
                outputID = y
            } else {
                let a = add(TensorInfo(
                    name: last ? "output" : "a\(layer)", shape: [outSize], storage: last ? .publicOutput : .advice,
                    minimum: 0, maximum: 127))
                draft.relations.append(.lookup(input: y, output: a, table: reluTable))
                current = a
                outputID = a
            }
        }
        return (draft.circuit(input: input, output: outputID), draft.known)
    }
}

extension ExampleCircuits {
    /// Requantization and a clamped ReLU over `count` values, with the int32 accumulators as the
    /// public input (no matrix product): the non-linear part of a layer on its own.
    public static func requantizeReLU(
        count: Int, activationBits: Int = 10, multiplier: Int64 = 3, shift: Int = 10, using rng: inout SeededGenerator
    ) -> (circuit: Circuit, known: [TensorID: [Int64]]) {
        var tensors: [TensorInfo] = []
        func add(_ info: TensorInfo) -> TensorID { tensors.append(info); return tensors.count - 1 }
        let reluTable = LookupTableSpec.function(name: "relu-clamp[0,127]", bits: activationBits) { min(max($0, 0), 127) }
        let tables: [LookupTableSpec] = [.range(bits: 8), .range(bits: shift - 8 * ((shift - 1) / 8)), reluTable]
        // |acc| ≤ bound keeps y = floor((acc·M + 2^(s−1)) / 2^s) inside the activation table's domain.
        let bound = ((Int64(1) << Int64(activationBits - 1 + shift)) - (Int64(1) << Int64(shift))) / multiplier
        let acc = add(TensorInfo(name: "input", shape: [count], storage: .publicInput, minimum: -bound, maximum: bound))
        let half = Int64(1) << Int64(activationBits - 1)
        let y = add(TensorInfo(name: "y", shape: [count], storage: .advice, minimum: -half, maximum: half - 1))
        let limbCount = (shift + 7) / 8
        let limbs = (0..<limbCount).map { k in
            add(TensorInfo(name: "r.\(k)", shape: [count], storage: .advice, minimum: 0, maximum: 255))
        }
        let out = add(TensorInfo(name: "output", shape: [count], storage: .publicOutput, minimum: 0, maximum: 127))
        var relations: [Relation] = [.requantize(output: y, input: acc, remainderLimbs: limbs, multiplier: multiplier, shift: shift)]
        for (k, limb) in limbs.enumerated() {
            relations.append(.lookup(input: limb, output: nil, table: k == limbCount - 1 ? 1 : 0))
        }
        relations.append(.lookup(input: y, output: out, table: 2))
        let values = (0..<count).map { _ in Int64(bitPattern: rng.next() % UInt64(2 * bound + 1)) - bound }
        return (Circuit(tensors: tensors, relations: relations, tables: tables, input: acc, output: out), [acc: values])
    }
}

/// How a convolutional example pools.
public enum ExamplePooling: Sendable {
    case none
    case max(kernel: Int, stride: Int)
    case average(kernel: Int, stride: Int)
}

extension ExampleCircuits {
    /// A small CNN: conv (int8 kernel, stride, pads, groups) → requantize → clamped ReLU →
    /// pooling (max, average or none) → flatten → dense → public output.
    public static func cnn(
        input: [Int], channels: Int, kernel: [Int], stride: [Int] = [1, 1], pads: [Int] = [0, 0, 0, 0], groups: Int = 1,
        pooling: ExamplePooling = .none, outputs: Int = 4, activationBits: Int = 10, using rng: inout SeededGenerator
    ) -> (circuit: Circuit, known: [TensorID: [Int64]]) {
        var draft = CircuitDraft()
        func add(_ info: TensorInfo) -> TensorID { draft.add(info) }
        func randomInt8() -> Int64 { Int64(Int8(truncatingIfNeeded: rng.next())) }
        let reluTable = draft.table(.function(name: "relu-clamp[0,127]", bits: activationBits) { min(max($0, 0), 127) })
        func rangeTable(_ bits: Int) -> Int { draft.table(.range(bits: bits)) }
        let half = Int64(1) << Int64(activationBits - 1)
        /// requantize `acc` (fan-in `fanIn`) and apply the ReLU; returns the activation tensor.
        func requantizeReLU(_ acc: TensorID, shape: [Int], fanIn: Int, name: String, public isPublic: Bool) -> TensorID {
            var shift = 1
            while Double(1 << shift) * Double(1 << (activationBits - 2)) < 4 * Double(fanIn).squareRoot() * 74 * 74 { shift += 1 }
            let y = add(TensorInfo(name: "y.\(name)", shape: shape, storage: isPublic ? .publicOutput : .advice,
                                   minimum: -half, maximum: half - 1))
            let limbCount = (shift + 7) / 8
            let limbs = (0..<limbCount).map { k in
                add(TensorInfo(name: "r.\(name).\(k)", shape: shape, storage: .advice, minimum: 0, maximum: 255))
            }
            draft.relations.append(.requantize(output: y, input: acc, remainderLimbs: limbs, multiplier: 1, shift: shift))
            for (k, limb) in limbs.enumerated() {
                draft.relations.append(.lookup(input: limb, output: nil, table: rangeTable(k == limbCount - 1 ? shift - 8 * k : 8)))
            }
            if isPublic { return y }
            let a = add(TensorInfo(name: "a.\(name)", shape: shape, storage: .advice, minimum: 0, maximum: 127))
            draft.relations.append(.lookup(input: y, output: a, table: reluTable))
            return a
        }

        let x = add(TensorInfo(name: "input", shape: input, storage: .publicInput, minimum: -128, maximum: 127))
        draft.known[x] = (0..<input.reduce(1, *)).map { _ in randomInt8() }
        let cg = input[0] / groups
        let k = add(TensorInfo(name: "conv.w", shape: [channels, cg, kernel[0], kernel[1]], storage: .weight,
                               minimum: -128, maximum: 127))
        draft.known[k] = (0..<(channels * cg * kernel[0] * kernel[1])).map { _ in randomInt8() }
        let b = add(TensorInfo(name: "conv.b", shape: [channels], storage: .constant, minimum: -1 << 20, maximum: 1 << 20))
        draft.known[b] = (0..<channels).map { _ in Int64(Int16(truncatingIfNeeded: rng.next())) }
        let ho = (input[1] + pads[0] + pads[2] - kernel[0]) / stride[0] + 1
        let wo = (input[2] + pads[1] + pads[3] - kernel[1]) / stride[1] + 1
        let convShape = [channels, ho, wo]
        let acc = add(TensorInfo(name: "conv.acc", shape: convShape, storage: .virtual, minimum: -1 << 30, maximum: 1 << 30))
        draft.relations.append(.conv2d(output: acc, weights: k, input: x, bias: b, stride: stride, pads: pads, groups: groups))
        var current = requantizeReLU(acc, shape: convShape, fanIn: cg * kernel[0] * kernel[1], name: "conv", public: false)
        var shape = convShape
        switch pooling {
        case .none:
            break
        case .max(let size, let step):
            let pooled = [channels, (ho - size) / step + 1, (wo - size) / step + 1]
            let m = add(TensorInfo(name: "pool", shape: pooled, storage: .advice, minimum: 0, maximum: 127))
            let differences = (0..<(size * size)).map { w in
                add(TensorInfo(name: "pool.d\(w)", shape: pooled, storage: .advice, minimum: 0, maximum: 255))
            }
            draft.relations.append(.maxPool(output: m, input: current, differences: differences, kernel: [size, size],
                                      stride: [step, step], pads: [0, 0, 0, 0]))
            for d in differences { draft.relations.append(.lookup(input: d, output: nil, table: rangeTable(8))) }
            current = m
            shape = pooled
        case .average(let size, let step):
            let pooled = [channels, (ho - size) / step + 1, (wo - size) / step + 1]
            let sum = add(TensorInfo(name: "pool.sum", shape: pooled, storage: .virtual, minimum: 0, maximum: 1 << 20))
            draft.relations.append(.linear(output: sum, input: current,
                                     map: .sumPool(kernel: [size, size], stride: [step, step], pads: [0, 0, 0, 0])))
            current = requantizeReLU(sum, shape: pooled, fanIn: 1, name: "avg", public: false)
            shape = pooled
        }
        let flatCount = shape.reduce(1, *)
        let flat = add(TensorInfo(name: "flatten", shape: [flatCount], storage: .virtual, minimum: 0, maximum: 127))
        draft.relations.append(.linear(output: flat, input: current, map: .reshape))
        let w = add(TensorInfo(name: "fc.w", shape: [outputs, flatCount], storage: .weight, minimum: -128, maximum: 127))
        draft.known[w] = (0..<(outputs * flatCount)).map { _ in randomInt8() }
        let fcAcc = add(TensorInfo(name: "fc.acc", shape: [outputs], storage: .virtual, minimum: -1 << 30, maximum: 1 << 30))
        draft.relations.append(.matMul(output: fcAcc, weights: w, input: flat, bias: nil))
        let out = requantizeReLU(fcAcc, shape: [outputs], fanIn: flatCount, name: "fc", public: true)
        return (draft.circuit(input: x, output: out), draft.known)
    }
}

extension ExampleCircuits {
    /// One convolution layer: public int8 input `[C, H, W]` → conv (same padding) → requantize →
    /// public output (the requantized accumulators, range-checked by the verifier).
    public static func convolutionLayer(
        input: [Int], channels: Int, kernel: Int, activationBits: Int = 10, using rng: inout SeededGenerator
    ) -> (circuit: Circuit, known: [TensorID: [Int64]]) {
        var tensors: [TensorInfo] = []
        var relations: [Relation] = []
        func add(_ info: TensorInfo) -> TensorID { tensors.append(info); return tensors.count - 1 }
        let pad = kernel / 2
        let x = add(TensorInfo(name: "input", shape: input, storage: .publicInput, minimum: -128, maximum: 127))
        let k = add(TensorInfo(name: "conv.w", shape: [channels, input[0], kernel, kernel], storage: .weight, minimum: -128, maximum: 127))
        let b = add(TensorInfo(name: "conv.b", shape: [channels], storage: .constant, minimum: -1 << 20, maximum: 1 << 20))
        let shape = [channels, input[1], input[2]]
        let acc = add(TensorInfo(name: "acc", shape: shape, storage: .virtual, minimum: -1 << 30, maximum: 1 << 30))
        relations.append(.conv2d(output: acc, weights: k, input: x, bias: b, stride: [1, 1], pads: [pad, pad, pad, pad], groups: 1))
        let fanIn = input[0] * kernel * kernel
        var shift = 1
        while Double(1 << shift) * Double(1 << (activationBits - 2)) < 4 * Double(fanIn).squareRoot() * 74 * 74 { shift += 1 }
        let half = Int64(1) << Int64(activationBits - 1)
        let y = add(TensorInfo(name: "output", shape: shape, storage: .publicOutput, minimum: -half, maximum: half - 1))
        let limbCount = (shift + 7) / 8
        let limbs = (0..<limbCount).map { i in add(TensorInfo(name: "r\(i)", shape: shape, storage: .advice, minimum: 0, maximum: 255)) }
        relations.append(.requantize(output: y, input: acc, remainderLimbs: limbs, multiplier: 1, shift: shift))
        var tables: [LookupTableSpec] = [.range(bits: 8)]
        let last = shift - 8 * (limbCount - 1)
        if last != 8 { tables.append(.range(bits: last)) }
        for (i, limb) in limbs.enumerated() {
            relations.append(.lookup(input: limb, output: nil, table: i == limbCount - 1 && last != 8 ? 1 : 0))
        }
        var known: [TensorID: [Int64]] = [:]
        known[x] = (0..<input.reduce(1, *)).map { _ in Int64(Int8(truncatingIfNeeded: rng.next())) }
        known[k] = (0..<(channels * input[0] * kernel * kernel)).map { _ in Int64(Int8(truncatingIfNeeded: rng.next())) }
        known[b] = (0..<channels).map { _ in Int64(Int16(truncatingIfNeeded: rng.next())) }
        return (Circuit(tensors: tensors, relations: relations, tables: tables, input: x, output: y), known)
    }

    /// One convolution layer with per-channel requantization, the compiler's shape for a
    /// per-channel QLinearConv: public int8 input `[C, H, W]` → conv (same padding, int16 bias) →
    /// `acc` (virtual) → `scaled = acc ⊙ broadcast(factors)`, the factors a `[channels, 1, 1]`
    /// constant in `[2^12, 2^14)` spread over the positions by a `linear` map (virtual) →
    /// requantize by 1 and shift 24 → public output in `[−512, 511]`.
    ///
    /// - Returns: the circuit, the known values, and the tensors of the per-channel step.
    public static func perChannelConvolutionLayer(
        input: [Int], channels: Int, kernel: Int, using rng: inout SeededGenerator
    ) -> (circuit: Circuit, known: [TensorID: [Int64]], factors: TensorID, broadcast: TensorID, scaled: TensorID) {
        var draft = CircuitDraft()
        let pad = kernel / 2
        let shape = [channels, input[1], input[2]]
        let x = draft.add(TensorInfo(name: "input", shape: input, storage: .publicInput, minimum: -128, maximum: 127))
        let k = draft.add(TensorInfo(name: "conv.w", shape: [channels, input[0], kernel, kernel], storage: .weight,
                                     minimum: -128, maximum: 127))
        let b = draft.add(TensorInfo(name: "conv.b", shape: [channels], storage: .constant, minimum: -1 << 15, maximum: 1 << 15))
        let acc = draft.add(TensorInfo(name: "acc", shape: shape, storage: .virtual, minimum: -1 << 30, maximum: 1 << 30))
        draft.relations.append(.conv2d(output: acc, weights: k, input: x, bias: b, stride: [1, 1], pads: [pad, pad, pad, pad], groups: 1))
        let f = draft.add(TensorInfo(name: "factors", shape: [channels, 1, 1], storage: .constant, minimum: 1, maximum: 1 << 14))
        let spread = draft.add(TensorInfo(name: "factors.broadcast", shape: shape, storage: .virtual, minimum: 1, maximum: 1 << 14))
        let repeated = { (d: Int) in AxisMap(pairs: (0..<d).map { AxisMap.Pair(output: $0, input: 0) }) }
        draft.relations.append(.linear(output: spread, input: f, map: .axes([.identity(channels), repeated(input[1]), repeated(input[2])])))
        let scaled = draft.add(TensorInfo(name: "scaled", shape: shape, storage: .virtual, minimum: -1 << 46, maximum: 1 << 46))
        draft.relations.append(.mul(output: scaled, lhs: acc, rhs: spread))
        let y = draft.add(TensorInfo(name: "output", shape: shape, storage: .publicOutput, minimum: -512, maximum: 511))
        let limbs = (0..<3).map { i in draft.add(TensorInfo(name: "r\(i)", shape: shape, storage: .advice, minimum: 0, maximum: 255)) }
        draft.relations.append(.requantize(output: y, input: scaled, remainderLimbs: limbs, multiplier: 1, shift: 24))
        let range = draft.table(.range(bits: 8))
        for limb in limbs { draft.relations.append(.lookup(input: limb, output: nil, table: range)) }
        func random(_ count: Int, _ body: (UInt64) -> Int64) -> [Int64] { (0..<count).map { _ in body(rng.next()) } }
        draft.known[x] = random(input.reduce(1, *)) { Int64(Int8(truncatingIfNeeded: $0)) }
        draft.known[k] = random(channels * input[0] * kernel * kernel) { Int64(Int8(truncatingIfNeeded: $0)) }
        draft.known[b] = random(channels) { Int64(Int16(truncatingIfNeeded: $0)) }
        draft.known[f] = random(channels) { 1 << 12 + Int64($0 % (3 << 12)) }
        return (draft.circuit(input: x, output: y), draft.known, f, spread, scaled)
    }

    /// One max pool: public int8 input `[C, H, W]` → `size × size` max pool with stride `size` →
    /// public output; the pool's differences (at most 255 for int8 inputs) are range-checked by
    /// 8-bit lookups.
    public static func maxPoolLayer(input: [Int], size: Int, using rng: inout SeededGenerator)
        -> (circuit: Circuit, known: [TensorID: [Int64]])
    {
        let out = [input[0], input[1] / size, input[2] / size]
        var tensors = [
            TensorInfo(name: "input", shape: input, storage: .publicInput, minimum: -128, maximum: 127),
            TensorInfo(name: "output", shape: out, storage: .publicOutput, minimum: -128, maximum: 127),
        ]
        var relations: [Relation] = []
        let differences = (0..<(size * size)).map { w -> TensorID in
            tensors.append(TensorInfo(name: "d\(w)", shape: out, storage: .advice, minimum: 0, maximum: 255))
            return tensors.count - 1
        }
        relations.append(.maxPool(output: 1, input: 0, differences: differences, kernel: [size, size],
                                  stride: [size, size], pads: [0, 0, 0, 0]))
        for d in differences { relations.append(.lookup(input: d, output: nil, table: 0)) }
        let known: [TensorID: [Int64]] = [0: (0..<input.reduce(1, *)).map { _ in Int64(Int8(truncatingIfNeeded: rng.next())) }]
        return (Circuit(tensors: tensors, relations: relations, tables: [.range(bits: 8)], input: 0, output: 1), known)
    }
}
