@_spi(Testing) import ZKCommit
import ZKField
import ZKPoly
import ZKTesting
import ZKTranscript

typealias LigeroFr = Ligero<Fr, Fr>

/// `count` seeded random elements.
func randomElements<T: FiniteField>(_ count: Int, _ rng: inout SeededGenerator, as type: T.Type = T.self) -> [T] {
    (0..<count).map { _ in T.random(using: &rng) }
}

/// `count` honest claims about the multilinear extension of `values` at random points.
func honestClaims<E: ExtensionField>(
    _ values: [E.BaseField], count: Int, _ rng: inout SeededGenerator, as type: E.Type = E.self
) -> [EvaluationClaim<E>] {
    let mle = DenseMultilinearExtension(evaluations: values)
    return (0..<count).map { _ in
        let point: [E] = randomElements(mle.numVariables, &rng)
        return EvaluationClaim(point: point, value: mle.evaluate(at: point))
    }
}

/// The transcript every test starts both sides from (the caller's state before the opening).
func freshTranscript() -> Transcript {
    var transcript = Transcript(protocolLabel: "zkml.test.ligero.v1")
    transcript.absorb(label: "context", integer: 7)
    return transcript
}

/// A committed random polynomial with an honest opening of `claimCount` claims.
struct Fixture {
    let parameters: LigeroParameters
    let values: [Fr]
    let commitment: LigeroCommitment
    let data: LigeroProverData<Fr>
    let claims: [EvaluationClaim<Fr>]
    let proof: LigeroOpeningProof<Fr, Fr>

    init(numVariables: Int, logRows: Int, claimCount: Int = 1, queryCount: Int = 149, stream: UInt64) throws {
        var rng = SeededGenerator.forTest(stream: stream)
        parameters = try LigeroParameters(numVariables: numVariables, logRows: logRows, queryCount: queryCount)
        values = randomElements(1 << numVariables, &rng)
        (commitment, data) = try LigeroFr.commit(evaluations: values, parameters: parameters)
        claims = honestClaims(values, count: claimCount, &rng)
        var transcript = freshTranscript()
        proof = try LigeroFr.open(data, claims: claims, transcript: &transcript)
    }

    /// Opens again with a hook that alters the rows before they are absorbed.
    func maliciousProof(
        claims: [EvaluationClaim<Fr>]? = nil, _ tamper: @escaping (inout [Fr], inout [[Fr]]) -> Void
    ) throws -> LigeroOpeningProof<Fr, Fr> {
        var transcript = freshTranscript()
        return try LigeroFr.open(data, claims: claims ?? self.claims, transcript: &transcript, tamperingRows: tamper)
    }

    /// The verifier's verdict: `nil` when it accepts.
    func verdict(
        proof: LigeroOpeningProof<Fr, Fr>? = nil, claims: [EvaluationClaim<Fr>]? = nil,
        commitment: LigeroCommitment? = nil, parameters: LigeroParameters? = nil
    ) -> LigeroError? {
        var transcript = freshTranscript()
        do {
            try LigeroFr.verify(
                commitment ?? self.commitment, claims: claims ?? self.claims, proof: proof ?? self.proof,
                parameters: parameters ?? self.parameters, transcript: &transcript)
            return nil
        } catch {
            return error
        }
    }
}

/// A toy quadratic extension `Fr[X]/(X² − 5)` (5 generates Fr^×, so it is a non-residue), only
/// to exercise the `E ≠ F` code paths (E × F row combinations, direct evaluation of encodings).
struct Fr2: ExtensionField {
    typealias BaseField = Fr
    var a: Fr
    var b: Fr  // a + b·X

    init(_ a: Fr, _ b: Fr) { (self.a, self.b) = (a, b) }
    init(base: Fr) { self.init(base, .zero) }

    static let nonResidue: Fr = 5
    static var zero: Fr2 { Fr2(.zero, .zero) }
    static var one: Fr2 { Fr2(.one, .zero) }
    static let fieldID = "bn254-fr2-test"
    static var encodedByteCount: Int { 64 }
    static var sampleByteCount: Int { 96 }
    static var extensionDegree: Int { 2 }

    static func + (l: Fr2, r: Fr2) -> Fr2 { Fr2(l.a + r.a, l.b + r.b) }
    static func - (l: Fr2, r: Fr2) -> Fr2 { Fr2(l.a - r.a, l.b - r.b) }
    static func * (l: Fr2, r: Fr2) -> Fr2 {
        Fr2(l.a * r.a + nonResidue * l.b * r.b, l.a * r.b + l.b * r.a)
    }
    static func * (l: Fr2, r: Fr) -> Fr2 { Fr2(l.a * r, l.b * r) }
    static prefix func - (x: Fr2) -> Fr2 { Fr2(-x.a, -x.b) }
    static func += (l: inout Fr2, r: Fr2) { l = l + r }
    static func -= (l: inout Fr2, r: Fr2) { l = l - r }
    static func *= (l: inout Fr2, r: Fr2) { l = l * r }
    func squared() -> Fr2 { self * self }
    func doubled() -> Fr2 { self + self }
    var isZero: Bool { a.isZero && b.isZero }
    func inverse() -> Fr2? {
        guard let d = (a * a - Fr2.nonResidue * b * b).inverse() else { return nil }
        return Fr2(a * d, -(b * d))
    }
    func encode(into bytes: inout [UInt8]) {
        a.encode(into: &bytes)
        b.encode(into: &bytes)
    }
    init(canonicalBytes bytes: some Collection<UInt8>) throws(FieldDecodingError) {
        let raw = Array(bytes)
        guard raw.count == 64 else { throw .wrongLength(expected: 64, got: raw.count) }
        self.init(try Fr(canonicalBytes: raw[0..<32]), try Fr(canonicalBytes: raw[32..<64]))
    }
    init(uniformBytes bytes: some Collection<UInt8>) {
        let raw = Array(bytes)
        self.init(Fr(uniformBytes: raw[0..<48]), Fr(uniformBytes: raw[48...]))
    }
    var description: String { "(\(a) + \(b)·X)" }
}
