public import ZKCircuit
public import ZKField
public import ZKLookup

/// The deterministic arrangement of a circuit's committed data, derived from the circuit alone so
/// that prover and verifier agree on it without exchanging it.
///
/// - The **weight commitment** C_W packs every ``TensorStorage/weight`` tensor (in tensor order).
/// - The **advice commitment** C_1 packs every ``TensorStorage/advice`` tensor and the lookup
///   multiplicities of every table.
/// - The **lookup statement** has one group per lookup relation (all slots of its input tensor,
///   and of its output for function tables) into that relation's table.
public struct ProtocolLayout: Sendable {
    public let weights: SlotLayout<PolynomialID>
    public let advice: SlotLayout<PolynomialID>
    /// For lookup group `g`: the relation index and the tensors of its columns.
    public let lookupGroups: [(relation: Int, columns: [TensorID], table: Int)]
    /// For every tensor, whether the circuit forces its padding to zero
    /// (``ZKCircuit/Circuit/paddingIsZero()``): a transpose or slot-preserving reshape of such a
    /// tensor is a relabelling of points; of any other tensor, it is proven by a sumcheck.
    public let zeroPadding: [Bool]

    public init(circuit: Circuit) {
        weights = SlotLayout(items: circuit.tensors.enumerated().compactMap { id, info in
            info.storage == .weight ? (PolynomialID.tensor(id), info.layout.variableCount) : nil
        })
        var groups: [(relation: Int, columns: [TensorID], table: Int)] = []
        for (index, relation) in circuit.relations.enumerated() {
            if case .lookup(let input, let output, let table) = relation {
                groups.append((index, [input] + (output.map { [$0] } ?? []), table))
            }
        }
        lookupGroups = groups
        zeroPadding = circuit.paddingIsZero()
        var adviceItems: [(PolynomialID, Int)] = circuit.tensors.enumerated().compactMap { id, info in
            info.storage == .advice ? (PolynomialID.tensor(id), info.layout.variableCount) : nil
        }
        for (t, spec) in circuit.tables.enumerated() {
            adviceItems.append((.multiplicities(table: t), spec.rowCount.trailingZeroBitCount))
        }
        advice = SlotLayout(items: adviceItems)
    }

    /// The lookup statement over `F`: the circuit's tables (table indices match the circuit's) and
    /// one group per lookup relation.
    public func lookupStatement<F: LargePrimeField>(circuit: Circuit, field: F.Type = F.self) throws(LookupError) -> LookupStatement<F> {
        var tables: [LookupTable<F>] = []
        for spec in circuit.tables {
            switch spec {
            case .range(let bits):
                tables.append(try LookupTable<F>.range(bits: bits))
            case .function(_, let bits, let values):
                let half = Int64(1) << Int64(bits - 1)
                tables.append(try LookupTable<F>.signedFunction(bits: bits) { values[Int($0 + half)] })
            }
        }
        let groups = lookupGroups.map { group in
            LookupGroup(table: group.table, count: circuit.tensors[group.columns[0]].layout.slotCount, paddingRow: 0)
        }
        return LookupStatement(tables: tables, groups: groups)
    }
}

/// The multilinear extension, at `point`, of the indicator of a layout's logical slots:
/// `valid(z) = Π_j [i_j < d_j]` summed against `eq(z, ·)`, in `O(variables)` operations.
///
/// For one dimension of `k` bits and size `d`, `Σ_{i<d} eq(z, i)` walks the bits of `d` from the
/// top: every set bit `j` of `d` contributes the indices that agree with `d` above `j`, have a 0
/// at `j` and anything below (whose `eq` factors sum to 1): `Π_{l>j} eq_l(z_l, d_l) · (1 − z_j)`.
public func logicalSlotIndicator<F: FiniteField>(layout: TensorLayout, at point: [F]) -> F {
    precondition(point.count == layout.variableCount, "point does not match the layout")
    var result = F.one
    var start = 0
    for j in stride(from: layout.shape.count - 1, through: 0, by: -1) {
        let bits = layout.dimensionBits[j], d = layout.shape[j]
        if d != 1 << bits {
            var sum = F.zero, prefix = F.one
            for b in stride(from: bits - 1, through: 0, by: -1) {
                let z = point[start + b]
                if (d >> b) & 1 == 1 {
                    sum += prefix * (F.one - z)
                    prefix *= z
                } else {
                    prefix *= F.one - z
                }
            }
            result *= sum
        }
        start += bits
    }
    return result
}
