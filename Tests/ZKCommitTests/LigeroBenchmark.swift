import Dispatch
import Testing
import ZKCommit
import ZKField
import ZKParallel
import ZKTesting
import ZKTranscript

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Release-mode timings of commit / open / verify, off by default:
///
///     ZKCOMMIT_BENCH=1 swift test -c release --filter LigeroBenchmark
///
/// Prints one line per configuration (medians; `ZKCOMMIT_BENCH_SIZES=17,20` picks the sizes).
@Suite("Ligero benchmark", .enabled(if: getenv("ZKCOMMIT_BENCH") != nil))
struct LigeroBenchmark {
    static func median(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
        var times = [Double]()
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
        }
        return times.sorted()[runs / 2]
    }

    @Test func timings() throws {
        let sizes = (getenv("ZKCOMMIT_BENCH_SIZES").map { String(cString: $0) } ?? "17,20")
            .split(separator: ",").compactMap { Int($0) }
        for n in sizes {
            var rng = SeededGenerator.forTest(stream: 9000 + UInt64(n))
            let ints = (0..<(1 << n)).map { _ in Int8(truncatingIfNeeded: rng.next()) }
            let values = ints.map { Fr(Int64($0)) }
            let optimal = try LigeroParameters(numVariables: n)
            var shapes = Set([optimal.logRows, optimal.logRows + 1])
            if n == 17 { shapes.insert(6) }
            for logRows in shapes.sorted() {
                let parameters = try LigeroParameters(numVariables: n, logRows: logRows)
                for threads in [1, 2] {
                    try Parallelism.$threadLimit.withValue(threads) {
                        let runs = n >= 20 ? 3 : 7
                        var data: LigeroProverData<Fr>? = nil
                        let commitMs = try Self.median(runs) {
                            data = try Ligero<Fr, Fr>.commit(evaluations: values, parameters: parameters).data
                        }
                        var intData: LigeroProverData<Fr>? = nil
                        let commitIntMs = try Self.median(runs) {
                            intData = try Ligero<Fr, Fr>.commit(smallIntegers: ints, parameters: parameters).data
                        }
                        for k in [1, 4] {
                            let claims = honestClaims(values, count: k, &rng, as: Fr.self)
                            var proof: LigeroOpeningProof<Fr, Fr>? = nil
                            let openMs = try Self.median(7) {
                                var t = freshTranscript()
                                proof = try Ligero<Fr, Fr>.open(data!, claims: claims, transcript: &t)
                            }
                            let openIntMs = try Self.median(7) {
                                var t = freshTranscript()
                                _ = try Ligero<Fr, Fr>.open(intData!, claims: claims, transcript: &t)
                            }
                            let verifyMs = try Self.median(11) {
                                var t = freshTranscript()
                                try Ligero<Fr, Fr>.verify(
                                    data!.commitment, claims: claims, proof: proof!, parameters: parameters, transcript: &t)
                            }
                            let bytes = proof!.serialized()
                            let decodeMs = try Self.median(7) {
                                _ = try LigeroOpeningProof<Fr, Fr>(serialized: bytes, parameters: parameters, claimCount: k)
                            }
                            print(
                                "ligero n=\(n) shape=2^\(parameters.logRows)x2^\(parameters.logColumns) threads=\(threads) k=\(k)"
                                    + " commit=\(fmt(commitMs))ms commit_int8=\(fmt(commitIntMs))ms open=\(fmt(openMs))ms"
                                    + " open_int8=\(fmt(openIntMs))ms verify=\(fmt(verifyMs))ms decode=\(fmt(decodeMs))ms"
                                    + " proof_bytes=\(bytes.count) estimate=\(parameters.estimatedProofByteCount(claims: k))"
                                    + " soundness_bits=\(fmt(parameters.soundnessBits))")
                        }
                    }
                }
            }
        }
    }
}

private func fmt(_ x: Double) -> String {
    let scaled = (x * 100).rounded() / 100
    return "\(scaled)"
}
