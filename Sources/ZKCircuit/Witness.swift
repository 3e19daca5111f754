/// Every tensor's values, as integers in their hypercube slots (padding included).
public struct Witness: Sendable, Hashable {
    /// `slots[id]` has `circuit.tensors[id].layout.slotCount` entries.
    public var slots: [[Int64]]

    public init(slots: [[Int64]]) { self.slots = slots }

    /// The logical (unpadded, row-major) values of a tensor.
    public func logicalValues(of id: TensorID, in circuit: Circuit) -> [Int64] {
        let layout = circuit.tensors[id].layout
        return (0..<layout.count).map { slots[id][layout.slot(ofLogicalIndex: $0)] }
    }
}

/// Why integer inference could not produce a witness.
public enum WitnessError: Error, Equatable, Sendable {
    /// A value given for tensor `tensor` has the wrong number of entries.
    case wrongValueCount(tensor: String, expected: Int, got: Int)
    /// Tensor `tensor` was needed but no values were given (a weight, constant or the input).
    case missingValues(tensor: String)
    /// A value leaves the range that the circuit can prove: relation `relation`'s lookup into
    /// table `table` has no row for `value` at logical slot `slot`.
    case outOfTable(relation: Int, tensor: String, slot: Int, value: Int64)
    /// An input entry lies outside its declared bounds.
    case inputOutOfRange(tensor: String, index: Int, value: Int64)
    /// The accumulator overflowed 64-bit integers (the compiler's bounds exclude this).
    case overflow(relation: Int)
    /// Witness hint `hint` cannot run on this circuit (``WitnessHint/problem(in:)`` says why).
    case invalidHint(hint: Int, reason: String)
}

/// Integer inference over a circuit: computes every tensor from the input, the weights and the
/// constants, with exactly the semantics the proof system proves (see ``Relation``).
public enum WitnessBuilder {
    /// - Parameters:
    ///   - known: logical values for the input, every weight and every constant tensor.
    ///   - hints: advice no relation computes (``WitnessHint``), each run just before its relation.
    public static func build(
        circuit: Circuit, known: [TensorID: [Int64]], hints: [WitnessHint] = []
    ) throws(WitnessError) -> Witness {
        for (index, hint) in hints.enumerated() {
            if let reason = hint.problem(in: circuit) { throw .invalidHint(hint: index, reason: reason) }
        }
        func runHints(before relation: Int, _ slots: inout [[Int64]]) {
            for hint in hints where hint.relation == relation {
                switch hint {
                case .argMax(let argMax): argMax.run(on: &slots, circuit: circuit)
                }
            }
        }
        var slots = circuit.tensors.map { [Int64](repeating: 0, count: $0.layout.slotCount) }
        var defined = [Bool](repeating: false, count: circuit.tensors.count)
        for (id, info) in circuit.tensors.enumerated()
        where info.storage == .publicInput || info.storage == .weight || info.storage == .constant {
            guard let values = known[id] else { throw .missingValues(tensor: info.name) }
            guard values.count == info.layout.count else {
                throw .wrongValueCount(tensor: info.name, expected: info.layout.count, got: values.count)
            }
            if info.storage == .publicInput {
                for (i, v) in values.enumerated() where v < info.minimum || v > info.maximum {
                    throw .inputOutOfRange(tensor: info.name, index: i, value: v)
                }
            }
            slots[id] = info.layout.padded(values, padding: 0)
            defined[id] = true
        }
        for (index, relation) in circuit.relations.enumerated() {
            runHints(before: index, &slots)
            switch relation {
            case .matMul(let out, let w, let x, let b):
                let shape = circuit.tensors[w].layout.shape
                let wLayout = circuit.tensors[w].layout, xLayout = circuit.tensors[x].layout
                let oLayout = circuit.tensors[out].layout
                // Row i of W is contiguous from its first slot (the last dimension is the low bits).
                let xSlots = (0..<shape[1]).map { xLayout.slot(ofLogicalIndex: $0) }
                for i in 0..<shape[0] {
                    var sum: Int64 = b.map { slots[$0][oLayout.slot(ofLogicalIndex: i)] } ?? 0
                    let row = wLayout.slot(ofLogicalIndex: i * shape[1])
                    let overflowed = slots[w].withUnsafeBufferPointer { weights in
                        slots[x].withUnsafeBufferPointer { input in
                            for k in 0..<shape[1] {
                                let (product, o1) = weights[row + k].multipliedReportingOverflow(by: input[xSlots[k]])
                                let (next, o2) = sum.addingReportingOverflow(product)
                                if o1 || o2 { return true }
                                sum = next
                            }
                            return false
                        }
                    }
                    guard !overflowed else { throw .overflow(relation: index) }
                    slots[out][oLayout.slot(ofLogicalIndex: i)] = sum
                }
            case .requantize(let out, let acc, let limbs, let multiplier, let shift):
                let layout = circuit.tensors[out].layout
                for slot in 0..<layout.slotCount where layout.isLogicalSlot(slot) {
                    let (scaled, o1) = slots[acc][slot].multipliedReportingOverflow(by: multiplier)
                    let (numerator, o2) = scaled.addingReportingOverflow(Int64(1) << Int64(shift - 1))
                    guard !o1, !o2 else { throw .overflow(relation: index) }
                    let y = numerator >> Int64(shift)               // arithmetic shift: floor
                    var remainder = numerator - (y << Int64(shift))  // in [0, 2^s)
                    slots[out][slot] = y
                    for limb in limbs {
                        slots[limb][slot] = remainder & 0xff
                        remainder >>= 8
                    }
                }
            case .lookup(let x, let out, let tableIndex):
                let table = circuit.tables[tableIndex]
                for slot in 0..<slots[x].count {
                    let v = slots[x][slot]
                    switch table {
                    case .range:
                        guard table.contains([v]) else {
                            throw .outOfTable(relation: index, tensor: circuit.tensors[x].name, slot: slot, value: v)
                        }
                    case .function(_, let bits, let values):
                        let half = Int64(1) << Int64(bits - 1)
                        guard v >= -half, v < half else {
                            throw .outOfTable(relation: index, tensor: circuit.tensors[x].name, slot: slot, value: v)
                        }
                        if let out { slots[out][slot] = values[Int(v + half)] }
                    }
                }
            case .add(let out, let a, let b):
                for slot in 0..<slots[out].count { slots[out][slot] = slots[a][slot] &+ slots[b][slot] }
            case .mul(let out, let a, let b):
                for slot in 0..<slots[out].count {
                    let (p, o) = slots[a][slot].multipliedReportingOverflow(by: slots[b][slot])
                    guard !o else { throw .overflow(relation: index) }
                    slots[out][slot] = p
                }
            case .linear(let out, let x, let map):
                let (inLayout, outLayout) = (circuit.tensors[x].layout, circuit.tensors[out].layout)
                let input = (0..<inLayout.count).map { slots[x][inLayout.slot(ofLogicalIndex: $0)] }
                var result = [Int64](repeating: 0, count: outLayout.count)
                map.forEachTerm(inputShape: inLayout.shape, outputShape: outLayout.shape) { o, k, c in
                    result[o] = result[o] &+ c &* input[k]
                }
                slots[out] = outLayout.padded(result, padding: 0)
            case .concat(let out, let inputs, let axis):
                let outLayout = circuit.tensors[out].layout
                var result = [Int64](repeating: 0, count: outLayout.count)
                let maps = Relation.concatPlacements(inputShapes: inputs.map { circuit.tensors[$0].layout.shape }, axis: axis)
                for (x, map) in zip(inputs, maps) {
                    let inLayout = circuit.tensors[x].layout
                    map.forEachTerm(inputShape: inLayout.shape, outputShape: outLayout.shape) { o, k, _ in
                        result[o] = slots[x][inLayout.slot(ofLogicalIndex: k)]
                    }
                }
                slots[out] = outLayout.padded(result, padding: 0)
            case .maxPool(let out, let x, let differences, let kernel, let stride, let pads):
                let (inLayout, outLayout) = (circuit.tensors[x].layout, circuit.tensors[out].layout)
                let input = (0..<inLayout.count).map { slots[x][inLayout.slot(ofLogicalIndex: $0)] }
                var windows: [[Int64]] = []
                for u in 0..<kernel[0] { for v in 0..<kernel[1] {
                    var values = [Int64](repeating: 0, count: outLayout.count)
                    LinearMap.window(kernel: kernel, stride: stride, pads: pads, offset: [u, v])
                        .forEachTerm(inputShape: inLayout.shape, outputShape: outLayout.shape) { o, k, _ in values[o] = input[k] }
                    windows.append(values)
                } }
                let maxima = (0..<outLayout.count).map { o in windows.map { $0[o] }.max()! }
                slots[out] = outLayout.padded(maxima, padding: 0)
                for (w, d) in differences.enumerated() {
                    slots[d] = outLayout.padded((0..<outLayout.count).map { maxima[$0] - windows[w][$0] }, padding: 0)
                }
            case .conv2d(let out, let w, let x, let b, let stride, let pads, let groups):
                let (xl, wl, ol) = (circuit.tensors[x].layout, circuit.tensors[w].layout, circuit.tensors[out].layout)
                func logical(_ id: TensorID, _ layout: TensorLayout) -> [Int64] {
                    (0..<layout.count).map { slots[id][layout.slot(ofLogicalIndex: $0)] }
                }
                guard let acc = Convolution.evaluate(
                    input: logical(x, xl), inputShape: xl.shape, weights: logical(w, wl), weightShape: wl.shape,
                    bias: b.map { logical($0, circuit.tensors[$0].layout) }, outputShape: ol.shape, stride: stride,
                    pads: pads, groups: groups) else { throw .overflow(relation: index) }
                slots[out] = ol.padded(acc, padding: 0)
            }
            if let out = relation.output { defined[out] = true }
        }
        runHints(before: circuit.relations.count, &slots)
        return Witness(slots: slots)
    }
}
