import ZKCircuit
import ZKField
import ZKLookup

/// Runs every lookup relation of the circuit as one logUp-GKR argument and maps the claims it
/// leaves (on witness columns and multiplicities) to claims on the circuit's polynomials.
package enum LookupPhase {
    package static func claims<F: LargePrimeField>(_ lookupClaims: LookupClaims<F>, layout: ProtocolLayout) -> [Claim<F>] {
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
