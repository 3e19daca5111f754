import ZKParallel
import Testing
import ZKField
import ZKTesting
import ZKPoly

@Suite("Product sumcheck kernel")
struct ProductSumcheckTests {
    /// Σ_i f[i]·g[i].
    func innerProduct(_ f: [Fr], _ g: [Fr]) -> Fr {
        var s = Fr.zero
        for i in f.indices { s += f[i] * g[i] }
        return s
    }

    /// The table with its first variable fixed to t, written out independently of the library.
    func fixed(_ f: [Fr], _ t: Fr) -> [Fr] {
        (0..<(f.count / 2)).map { (Fr.one - t) * f[2 * $0] + t * f[2 * $0 + 1] }
    }

    @Test("round evaluations are s(t) = Σ f_t·g_t at t = 0, 1, 2")
    func roundEvaluations() {
        var rng = SeededGenerator.forTest(stream: 30)
        for n in [2, 16, 1 << 13] {
            let f = randomElements(n, &rng), g = randomElements(n, &rng)
            let (s0, s1, s2) = ProductSumcheckKernel.roundEvaluations(f, g)
            #expect(s0 + s1 == innerProduct(f, g))
            #expect(s0 == innerProduct(fixed(f, 0), fixed(g, 0)))
            #expect(s2 == innerProduct(fixed(f, 2), fixed(g, 2)))
        }
    }

    @Test("fold-and-evaluate equals folding, then evaluating")
    func fused() {
        var rng = SeededGenerator.forTest(stream: 31)
        for n in [4, 64, 1 << 13] {
            let f = randomElements(n, &rng), g = randomElements(n, &rng)
            let r = Fr.random(using: &rng)
            var ff = f, gg = g
            let (s0, s1, s2) = ProductSumcheckKernel.foldAndEvaluate(&ff, &gg, challenge: r)
            #expect(ff == fixed(f, r))
            #expect(gg == fixed(g, r))
            #expect(s0 == innerProduct(fixed(ff, 0), fixed(gg, 0)))
            #expect(s1 == innerProduct(fixed(ff, 1), fixed(gg, 1)))
            #expect(s2 == innerProduct(fixed(ff, 2), fixed(gg, 2)))
        }
    }

    @Test("every round: s(0) + s(1) is the running claim; the end: f̃(r)·g̃(r) matches direct evaluation", arguments: [0, 1, 2, 5, 13])
    func fullProver(logSize: Int) {
        var rng = SeededGenerator.forTest(stream: 32 + UInt64(logSize))
        let f = randomElements(1 << logSize, &rng), g = randomElements(1 << logSize, &rng)
        let total = innerProduct(f, g)
        for givenClaim in [nil, total] as [Fr?] {
            var challengeRNG = SeededGenerator.forTest(stream: 99)
            var ff = f, gg = g
            var claim = total
            var referenceF = f, referenceG = g
            let result = ProductSumcheckKernel.prove(f: &ff, g: &gg, claim: givenClaim) { round, s0, s1, s2 in
                #expect(s0 + s1 == claim, "round \(round)")
                #expect(s2 == innerProduct(fixed(referenceF, 2), fixed(referenceG, 2)), "round \(round)")
                let r = Fr.random(using: &challengeRNG)
                claim = UnivariateEvaluations([s0, s1, s2]).evaluate(at: r)
                referenceF = fixed(referenceF, r)
                referenceG = fixed(referenceG, r)
                #expect(claim == innerProduct(referenceF, referenceG), "round \(round)")
                return r
            }
            #expect(result.challenges.count == logSize)
            #expect(result.messages.count == logSize)
            #expect(result.finalF == DenseMultilinearExtension(evaluations: f).evaluate(at: result.challenges))
            #expect(result.finalG == DenseMultilinearExtension(evaluations: g).evaluate(at: result.challenges))
            #expect(result.finalF * result.finalG == claim)
            #expect(ff == [result.finalF] && gg == [result.finalG])
        }
    }

    @Test("the prover's messages do not depend on the thread count")
    func threadIndependence() {
        var rng = SeededGenerator.forTest(stream: 50)
        let f = randomElements(1 << 14, &rng), g = randomElements(1 << 14, &rng)
        func run(_ threads: Int) -> ProductSumcheckResult<Fr> {
            var ff = f, gg = g
            return Parallelism.$threadLimit.withValue(threads) {
                ProductSumcheckKernel.prove(f: &ff, g: &gg) { round, _, _, _ in Fr(UInt64(round) &* 0x9e37_79b9 &+ 17) }
            }
        }
        let one = run(1), two = run(2)
        #expect(one.messages == two.messages)
        #expect(one.finalF == two.finalF && one.finalG == two.finalG)
    }
}
