/// Advice that no relation computes: values the prover works out itself (integer inference) and
/// the relations only *check*. A hint is prover-side only: it is not part of the circuit, the
/// verification key or the proof, and a wrong hint (or a malicious prover ignoring it) can only
/// produce a witness the relations reject.
///
/// ``WitnessBuilder/build(circuit:known:hints:)`` runs each hint just before relation
/// ``relation`` (its input is defined by then; the relations from there on read what it wrote).
public enum WitnessHint: Sendable, Hashable, Codable {
    /// The advice of an ArgMax (``ArgMaxHint``).
    case argMax(ArgMaxHint)

    /// The relation before which the hint runs (`relations.count`: after the last one).
    public var relation: Int {
        switch self {
        case .argMax(let hint): return hint.relation
        }
    }

    /// Why the hint cannot run on `circuit`, or `nil` when it can: every tensor id in range,
    /// every written tensor advice of the input's layout, the axis and the relation index in
    /// range. Never traps, whatever the integers.
    public func problem(in circuit: Circuit) -> String? {
        switch self {
        case .argMax(let hint): return hint.problem(in: circuit)
        }
    }
}

/// The advice of one ArgMax over axis ``axis`` of ``input`` (shape `[…, n, …]`), per row
/// `x_0, …, x_{n−1}` along the axis, with `i` the selected index (the first maximum, or the last
/// when ``selectLastIndex``):
///
/// - ``oneHot``: `e_j = [j = i]`;
/// - ``before``: `T_j = [j < i] = Σ_{k>j} e_k`;
/// - ``after`` (only with ``selectLastIndex``): `S_j = [j > i] = Σ_{k<j} e_k`;
/// - ``maximum``: `x_i` at every position of the row;
/// - ``differences``: `d_j = x_i − x_j − T_j` (first index) or `x_i − x_j − S_j` (last index).
///
/// All five have the input's layout and zero padding. The compiler's ArgMax lowering
/// (CircuitBuilder+ArgMax.swift) states the relations that check them.
public struct ArgMaxHint: Sendable, Hashable, Codable {
    public var relation: Int
    public var input: TensorID
    public var axis: Int
    public var selectLastIndex: Bool
    public var oneHot: TensorID
    public var before: TensorID
    public var after: TensorID?
    public var maximum: TensorID
    public var differences: TensorID

    public init(
        relation: Int, input: TensorID, axis: Int, selectLastIndex: Bool, oneHot: TensorID, before: TensorID,
        after: TensorID?, maximum: TensorID, differences: TensorID
    ) {
        self.relation = relation
        self.input = input
        self.axis = axis
        self.selectLastIndex = selectLastIndex
        self.oneHot = oneHot
        self.before = before
        self.after = after
        self.maximum = maximum
        self.differences = differences
    }

    /// The tensors the hint writes.
    public var outputs: [TensorID] { [oneHot, before] + (after.map { [$0] } ?? []) + [maximum, differences] }

    func problem(in circuit: Circuit) -> String? {
        guard (0...circuit.relations.count).contains(relation) else { return "ArgMax hint before relation \(relation), of \(circuit.relations.count)" }
        guard circuit.tensors.indices.contains(input) else { return "ArgMax hint reads unknown tensor \(input)" }
        let layout = circuit.tensors[input].layout
        guard (0..<layout.shape.count).contains(axis) else { return "ArgMax hint axis \(axis) of a rank-\(layout.shape.count) tensor" }
        guard selectLastIndex == (after != nil) else { return "ArgMax hint: the after-indicator is needed exactly for the last index" }
        let written = outputs
        guard Set(written).count == written.count, !written.contains(input) else { return "ArgMax hint writes a tensor twice" }
        for id in written {
            guard circuit.tensors.indices.contains(id) else { return "ArgMax hint writes unknown tensor \(id)" }
            guard circuit.tensors[id].storage == .advice, circuit.tensors[id].layout == layout else {
                return "ArgMax hint writes \(circuit.tensors[id].name), which is not advice of the input's layout"
            }
        }
        return nil
    }

    /// Computes the advice from the input's slots (see the type's description). Arithmetic wraps
    /// rather than traps: an input outside its declared range gives differences that the range
    /// check then refuses.
    func run(on slots: inout [[Int64]], circuit: Circuit) {
        let layout = circuit.tensors[input].layout
        let shape = layout.shape
        let n = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        let outer = shape[..<axis].reduce(1, *)
        let x = (0..<layout.count).map { slots[input][layout.slot(ofLogicalIndex: $0)] }
        var e = [Int64](repeating: 0, count: x.count), t = e, s = e, m = e, d = e
        for o in 0..<outer {
            for b in 0..<inner {
                func at(_ j: Int) -> Int { (o * n + j) * inner + b }
                var best = 0
                for j in 1..<Swift.max(n, 1) where x[at(j)] > x[at(best)] || (selectLastIndex && x[at(j)] == x[at(best)]) {
                    best = j
                }
                let top = x[at(best)]
                for j in 0..<n {
                    let k = at(j)
                    e[k] = j == best ? 1 : 0
                    t[k] = j < best ? 1 : 0
                    s[k] = j > best ? 1 : 0
                    m[k] = top
                    d[k] = top &- x[k] &- (selectLastIndex ? s[k] : t[k])
                }
            }
        }
        slots[oneHot] = layout.padded(e, padding: 0)
        slots[before] = layout.padded(t, padding: 0)
        if let after { slots[after] = layout.padded(s, padding: 0) }
        slots[maximum] = layout.padded(m, padding: 0)
        slots[differences] = layout.padded(d, padding: 0)
    }
}
