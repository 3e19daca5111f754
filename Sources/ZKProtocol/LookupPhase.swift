import ZKCircuit
import ZKField
import ZKLookup

/// Runs every lookup relation of the circuit as one logUp-GKR argument and maps the claims it
/// leaves (on witness columns and multiplicities) to claims on the circuit's polynomials.
enum LookupPhase {
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

    /// The multiplicities of every table (all tables of the circuit, used or not, in order).
    static func multiplicities<F: LargePrimeField>(
        statement: LookupStatement<F>, circuit: Circuit, layout: ProtocolLayout, witness: Witness
    ) -> [[F]] {
        try! statement.multiplicities(rowIndices: rowIndices(circuit: circuit, layout: layout, witness: witness))
    }

    static func claims<F: LargePrimeField>(_ lookupClaims: LookupClaims<F>, layout: ProtocolLayout) -> [Claim<F>] {
        lookupClaims.all.map { claim in
            switch claim.polynomial {
            case .witnessColumn(let group, let column):
                return Claim(.tensor(layout.lookupGroups[group].columns[column]), point: claim.point, value: claim.value)
            case .multiplicities(let table):
                return Claim(.multiplicities(table: table), point: claim.point, value: claim.value)
            }
        }
    }
}
