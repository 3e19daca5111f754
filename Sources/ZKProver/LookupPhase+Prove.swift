public import ZKSetup
import ZKCircuit
import ZKField
import ZKLookup
import ZKVerifier

/// The prover half of ``LookupPhase``: each slot's table row, and the tables' multiplicities.
extension LookupPhase {
    /// The row index of each slot's tuple in its table; a tuple outside the table (only a
    /// malicious witness has one) is counted at row 0, so the honest-prover code runs and the
    /// verifier rejects.
    static func rowIndices(circuit: Circuit, layout: ProtocolLayout, witness: Witness) -> [[Int]] {
        layout.lookupGroups.map { group in
            let spec = circuit.tables[group.table]
            let first = witness.slots[group.columns[0]]
            return (0..<first.count).map { slot in
                let row = group.columns.map { witness.slots[$0][slot] }
                return spec.rowIndex(of: row) ?? 0
            }
        }
    }

    /// How many lookups hit each row of every table (all tables of the circuit, used or not, in order).
    static func multiplicityCounts<F: LargePrimeField>(
        statement: LookupStatement<F>, circuit: Circuit, layout: ProtocolLayout, witness: Witness
    ) -> [[UInt64]] {
        try! statement.multiplicityCounts(rowIndices: rowIndices(circuit: circuit, layout: layout, witness: witness))
    }
}
