public import ZKField

/// A claimed evaluation: the multilinear extension of `polynomial` at `point` equals `value`.
public struct Claim<E: FiniteField>: Sendable, Equatable {
    public var polynomial: PolynomialID
    public var point: [E]
    public var value: E

    public init(_ polynomial: PolynomialID, point: [E], value: E) {
        self.polynomial = polynomial
        self.point = point
        self.value = value
    }
}

/// The verifier's record of every claimed evaluation (DESIGN.md, "Claim ledger").
///
/// Each step of verification either *records* claims it cannot check yet or *takes* the claims
/// on a polynomial it is responsible for (a relation consuming the claims on its virtual output,
/// an opening checking claims on a commitment, the verifier evaluating public tensors). When
/// verification ends the ledger must be empty: a claim nobody checked rejects the proof
/// (``VerificationError/unconsumedClaims(_:)``).
public struct ClaimLedger<E: FiniteField>: Sendable {
    private var claims: [Claim<E>] = []

    public init() {}

    /// Records a claim to be checked later.
    public mutating func record(_ claim: Claim<E>) { claims.append(claim) }

    /// Records several claims.
    public mutating func record(_ newClaims: [Claim<E>]) { claims += newClaims }

    /// Removes and returns every claim on `polynomial`, in recording order.
    public mutating func take(_ polynomial: PolynomialID) -> [Claim<E>] {
        let taken = claims.filter { $0.polynomial == polynomial }
        claims.removeAll { $0.polynomial == polynomial }
        return taken
    }

    /// Removes and returns every claim whose polynomial satisfies `predicate`, in recording order.
    public mutating func take(where predicate: (PolynomialID) -> Bool) -> [Claim<E>] {
        let taken = claims.filter { predicate($0.polynomial) }
        claims.removeAll { predicate($0.polynomial) }
        return taken
    }

    /// The claims not yet taken.
    public var remaining: [Claim<E>] { claims }
}
