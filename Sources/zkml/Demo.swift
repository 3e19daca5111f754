import ArgumentParser
import ZKBigInt
import ZKField
import ZKMerkle
import ZKParallel
import ZKPoly
import ZKSodium
import ZKSumcheck
import ZKTranscript

extension ZKMLCommand {
    /// The end-to-end demo. Until the ONNX pipeline lands it exercises the arithmetic core end to
    /// end — field against GMP, NTT, sumcheck prove/verify, Merkle commit/open, signatures — and
    /// fails loudly if any check fails.
    struct Demo: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the end-to-end demo on the arithmetic core and print what was checked.")

        @Option(help: "log2 of the sumcheck and NTT sizes (4...22).")
        var logSize: Int = 16

        func validate() throws {
            guard (4...22).contains(logSize) else { throw ValidationError("--log-size must be in 4...22") }
        }

        func run() throws {
            var rng = SystemRandomNumberGenerator()
            let n = 1 << logSize
            print("swift-zkml demo — BN254 scalar field, \(Parallelism.threadCount) threads\n")

            // 1. The field against GMP.
            let a = Fr.random(using: &rng), b = Fr.random(using: &rng)
            let product = (a.bigIntegerValue * b.bigIntegerValue) % Fr.modulus
            try check((a * b).bigIntegerValue == product, "Montgomery product equals GMP's (a·b mod p)")
            try check(a * a.inverse()! == .one, "a · a⁻¹ = 1")

            // 2. Polynomial multiplication through the NTT, checked at a random point.
            let half = n / 2
            let p = (0..<half).map { _ in Fr.random(using: &rng) }, q = (0..<half).map { _ in Fr.random(using: &rng) }
            let domain = EvaluationDomain<Fr>(logSize: logSize)
            let (pq, nttTime) = timed {
                var pe = zeroPadded(p, toCount: n), qe = zeroPadded(q, toCount: n)
                domain.forwardNTT(&pe); domain.forwardNTT(&qe)
                for i in 0..<n { pe[i] *= qe[i] }
                domain.inverseNTT(&pe)
                return pe
            }
            let x = Fr.random(using: &rng)
            try check(
                hornerEvaluate(pq, at: x) == hornerEvaluate(p, at: x) * hornerEvaluate(q, at: x),
                "NTT product of two degree-\(half - 1) polynomials agrees at a random point (\(ms(nttTime)))")

            // 3. Sumcheck: prove Σ_x f(x)·g(x) over 2^n points and verify it.
            let f = (0..<n).map { _ in Fr.random(using: &rng) }, g = (0..<n).map { _ in Fr.random(using: &rng) }
            var sum = Fr.zero
            for i in 0..<n { sum += f[i] * g[i] }
            var proverTranscript = Transcript(protocolLabel: "zkml.demo")
            let (proof, proveTime) = timed {
                SumcheckProver.prove(claimedSum: sum, tables: [f, g], polynomial: .product([0, 1]),
                                     transcript: &proverTranscript)
            }
            var verifierTranscript = Transcript(protocolLabel: "zkml.demo")
            let (subclaim, verifyTime) = try timed {
                try SumcheckVerifier.verify(claimedSum: sum, variableCount: logSize, degree: 2,
                                            proof: proof.proof, transcript: &verifierTranscript)
            }
            let fr = DenseMultilinearExtension(evaluations: f).evaluate(at: subclaim.point)
            let gr = DenseMultilinearExtension(evaluations: g).evaluate(at: subclaim.point)
            try check(subclaim.expectedEvaluation == fr * gr,
                      "sumcheck of Σ f·g over 2^\(logSize) points: prove \(ms(proveTime)), verify \(ms(verifyTime))")
            var forged = proof.proof
            forged.roundMessages[0][0] += .one
            var forgedTranscript = Transcript(protocolLabel: "zkml.demo")
            let forgedClaim = try SumcheckVerifier.verify(claimedSum: sum, variableCount: logSize, degree: 2,
                                                          proof: forged, transcript: &forgedTranscript)
            let fr2 = DenseMultilinearExtension(evaluations: f).evaluate(at: forgedClaim.point)
            let gr2 = DenseMultilinearExtension(evaluations: g).evaluate(at: forgedClaim.point)
            try check(forgedClaim.expectedEvaluation != fr2 * gr2, "a tampered round message is rejected")

            // 4. Merkle commitment over rows, one opening, one forgery.
            let rows = (0..<1024).map { _ in (0..<8).map { _ in Fr.random(using: &rng) } }
            let (tree, treeTime) = try timed { try MerkleTree(rows: rows) }
            let path = try tree.authenticationPath(leafIndex: 517)
            try check(MerkleTree<Fr>.isValid(root: tree.root, leafIndex: 517, leafCount: 1024, row: rows[517], path: path),
                      "Merkle tree over 1024 rows of 8 elements (\(ms(treeTime))): row 517 opens")
            var badRow = rows[517]
            badRow[3] += .one
            try check(!MerkleTree<Fr>.isValid(root: tree.root, leafIndex: 517, leafCount: 1024, row: badRow, path: path),
                      "a changed row does not open")

            // 5. A node identity signs the commitment.
            let key = Ed25519.SigningKey()
            let signature = key.sign(tree.root.bytes)
            try check(key.publicKey.verify(signature: signature, message: tree.root.bytes),
                      "Ed25519 signature over the Merkle root verifies")
            print("\nAll checks passed.")
        }
    }
}

struct DemoFailure: Error, CustomStringConvertible {
    let description: String
}

func check(_ condition: Bool, _ what: String) throws {
    guard condition else { throw DemoFailure(description: "FAILED: \(what)") }
    print("  ✓ \(what)")
}

func timed<T>(_ body: () throws -> T) rethrows -> (T, Duration) {
    let clock = ContinuousClock()
    var result: T?
    let elapsed = try clock.measure { result = try body() }
    return (result!, elapsed)
}

func ms(_ d: Duration) -> String {
    let milliseconds = Double(d.components.seconds) * 1e3 + Double(d.components.attoseconds) / 1e15
    return "\((milliseconds * 100).rounded() / 100) ms"
}
