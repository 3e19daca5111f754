/// The first relation a witness violates: which relation, of what kind, at which slot, and why.
public struct RelationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var relation: Int
    public var kind: String
    public var slot: Int
    public var message: String

    public var description: String { "relation \(relation) (\(kind)) fails at slot \(slot): \(message)" }
}

/// Evaluates every relation of a circuit on a witness, over the integers, and names the first
/// failure (EZKL's `mock`, halo2's `MockProver`).
///
/// Written independently of the prover and of ``WitnessBuilder``: it states each relation as the
/// identity the proof system proves (including padding slots), so a witness that passes here is
/// one an honest proof accepts, and a malicious witness is reported at its first broken slot.
public enum CircuitChecker {
    public static func check(_ circuit: Circuit, _ witness: Witness) -> RelationFailure? {
        guard witness.slots.count == circuit.tensors.count else {
            return RelationFailure(relation: -1, kind: "witness", slot: 0,
                                   message: "\(witness.slots.count) tensors, circuit has \(circuit.tensors.count)")
        }
        for (id, info) in circuit.tensors.enumerated() {
            guard witness.slots[id].count == info.layout.slotCount else {
                return RelationFailure(relation: -1, kind: "witness", slot: 0,
                                       message: "tensor \(info.name) has \(witness.slots[id].count) slots, expected \(info.layout.slotCount)")
            }
            if info.storage == .publicInput || info.storage == .publicOutput || info.storage == .weight
                || info.storage == .constant {
                for slot in 0..<info.layout.slotCount {
                    let v = witness.slots[id][slot]
                    if !info.layout.isLogicalSlot(slot) && v != 0 {
                        return RelationFailure(relation: -1, kind: "padding", slot: slot,
                                               message: "tensor \(info.name) has nonzero padding \(v)")
                    }
                    if info.storage == .publicInput || info.storage == .publicOutput,
                       v < info.minimum || v > info.maximum {
                        return RelationFailure(relation: -1, kind: "range", slot: slot,
                                               message: "public tensor \(info.name) value \(v) outside [\(info.minimum), \(info.maximum)]")
                    }
                }
            }
        }
        let s = witness.slots
        for (index, relation) in circuit.relations.enumerated() {
            func fail(_ slot: Int, _ message: String) -> RelationFailure {
                RelationFailure(relation: index, kind: relation.kind, slot: slot, message: message)
            }
            switch relation {
            case .matMul(let out, let w, let x, let b):
                // Over padded slots: out[i] = Σ_k W[i, k] x[k] + b[i] with W's slot index i·2^kIn + k.
                let inBits = circuit.tensors[x].layout.variableCount
                for i in 0..<s[out].count {
                    var sum = BigSum()
                    for k in 0..<s[x].count { sum.add(s[w][(i << inBits) | k], s[x][k]) }
                    if let b { sum.add(s[b][i], 1) }
                    if !sum.equals(s[out][i]) { return fail(i, "accumulator \(s[out][i]) ≠ W·x + b") }
                }
            case .requantize(let out, let acc, let limbs, let multiplier, let shift):
                let layout = circuit.tensors[out].layout
                for i in 0..<s[out].count {
                    var remainder = Int128(0)
                    for (k, limb) in limbs.enumerated() {
                        let width = k == limbs.count - 1 ? shift - 8 * k : 8
                        guard s[limb][i] >= 0, s[limb][i] < Int64(1) << Int64(width) else {
                            return fail(i, "remainder limb \(k) = \(s[limb][i]) outside [0, 2^\(width))")
                        }
                        remainder += Int128(s[limb][i]) << (8 * k)
                    }
                    let valid: Int128 = layout.isLogicalSlot(i) ? 1 : 0
                    let lhs = Int128(multiplier) * Int128(s[acc][i]) + (valid << (shift - 1))
                    let rhs = (Int128(s[out][i]) << shift) + remainder
                    if lhs != rhs { return fail(i, "M·acc + 2^(s−1)·valid = \(lhs) ≠ 2^s·y + r = \(rhs)") }
                }
            case .lookup(let x, let out, let table):
                for i in 0..<s[x].count {
                    let row = out.map { [s[x][i], s[$0][i]] } ?? [s[x][i]]
                    if !circuit.tables[table].contains(row) { return fail(i, "row \(row) is not in table \(table)") }
                }
            case .add(let out, let a, let b):
                for i in 0..<s[out].count where Int128(s[out][i]) != Int128(s[a][i]) + Int128(s[b][i]) {
                    return fail(i, "\(s[out][i]) ≠ \(s[a][i]) + \(s[b][i])")
                }
            case .mul(let out, let a, let b):
                for i in 0..<s[out].count where Int128(s[out][i]) != Int128(s[a][i]) * Int128(s[b][i]) {
                    return fail(i, "\(s[out][i]) ≠ \(s[a][i]) · \(s[b][i])")
                }
            case .linear(let out, let x, let map):
                let (xl, ol) = (circuit.tensors[x].layout, circuit.tensors[out].layout)
                var expected = [Int128](repeating: 0, count: ol.count)
                map.forEachTerm(inputShape: xl.shape, outputShape: ol.shape) { o, k, c in
                    expected[o] += Int128(c) * Int128(s[x][xl.slot(ofLogicalIndex: k)])
                }
                if let failure = compareLogical(s[out], expected, layout: ol, fail) { return failure }
            case .concat(let out, let inputs, let axis):
                let ol = circuit.tensors[out].layout
                var expected = [Int128](repeating: 0, count: ol.count)
                let maps = Relation.concatPlacements(inputShapes: inputs.map { circuit.tensors[$0].layout.shape }, axis: axis)
                for (x, map) in zip(inputs, maps) {
                    let xl = circuit.tensors[x].layout
                    map.forEachTerm(inputShape: xl.shape, outputShape: ol.shape) { o, k, _ in
                        expected[o] += Int128(s[x][xl.slot(ofLogicalIndex: k)])
                    }
                }
                if let failure = compareLogical(s[out], expected, layout: ol, fail) { return failure }
            case .maxPool(let out, let x, let differences, let kernel, let stride, let pads):
                let (xl, ol) = (circuit.tensors[x].layout, circuit.tensors[out].layout)
                var windowValues = [[Int64]](repeating: [], count: ol.count)
                for u in 0..<kernel[0] { for v in 0..<kernel[1] {
                    LinearMap.window(kernel: kernel, stride: stride, pads: pads, offset: [u, v])
                        .forEachTerm(inputShape: xl.shape, outputShape: ol.shape) { o, k, _ in
                            windowValues[o].append(s[x][xl.slot(ofLogicalIndex: k)])
                        }
                } }
                for slot in 0..<ol.slotCount {
                    guard ol.isLogicalSlot(slot) else {
                        if s[out][slot] != 0 || differences.contains(where: { s[$0][slot] != 0 }) {
                            return fail(slot, "nonzero padding in the maximum or its differences")
                        }
                        continue
                    }
                    var o = 0, remaining = slot, scale = 1
                    for a in Swift.stride(from: ol.shape.count - 1, through: 0, by: -1) {
                        o += (remaining & ((1 << ol.dimensionBits[a]) - 1)) * scale
                        remaining >>= ol.dimensionBits[a]
                        scale *= ol.shape[a]
                    }
                    let m = s[out][slot]
                    for (w, d) in differences.enumerated() where s[d][slot] != m - windowValues[o][w] {
                        return fail(slot, "difference \(w) is \(s[d][slot]), not m − window = \(m - windowValues[o][w])")
                    }
                    if windowValues[o].contains(where: { $0 > m }) { return fail(slot, "\(m) is below a window element") }
                    if !windowValues[o].contains(m) { return fail(slot, "\(m) is not among the window's elements") }
                }
            case .conv2d(let out, let w, let x, let b, let stride, let pads, let groups):
                let (xl, wl, ol) = (circuit.tensors[x].layout, circuit.tensors[w].layout, circuit.tensors[out].layout)
                func logical(_ id: TensorID, _ l: TensorLayout) -> [Int64] { (0..<l.count).map { s[id][l.slot(ofLogicalIndex: $0)] } }
                guard let acc = Convolution.evaluate(
                    input: logical(x, xl), inputShape: xl.shape, weights: logical(w, wl), weightShape: wl.shape,
                    bias: b.map { logical($0, circuit.tensors[$0].layout) }, outputShape: ol.shape, stride: stride,
                    pads: pads, groups: groups) else { return fail(0, "accumulator overflows 64 bits") }
                if let failure = compareLogical(s[out], acc.map { Int128($0) }, layout: ol, fail) { return failure }
            }
        }
        return nil
    }
}

/// Compares a tensor's slots with expected logical values (padding slots must be zero).
private func compareLogical(
    _ slots: [Int64], _ expected: [Int128], layout: TensorLayout, _ fail: (Int, String) -> RelationFailure
) -> RelationFailure? {
    var logical = 0
    for slot in 0..<layout.slotCount {
        if layout.isLogicalSlot(slot) {
            // Logical slots appear in row-major order as the slot index grows.
            if Int128(slots[slot]) != expected[logical] { return fail(slot, "\(slots[slot]) ≠ expected \(expected[logical])") }
            logical += 1
        } else if slots[slot] != 0 {
            return fail(slot, "nonzero padding \(slots[slot])")
        }
    }
    return nil
}

/// An exact sum of 64-bit products (128-bit accumulator; a matrix row of 2^32 int32 products fits).
private struct BigSum {
    var value = Int128(0)
    mutating func add(_ a: Int64, _ b: Int64) { value += Int128(a) * Int128(b) }
    func equals(_ x: Int64) -> Bool { value == Int128(x) }
}
