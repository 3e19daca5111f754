import Testing
import ZKField
import ZKTesting
import ZKPoly

@Suite("Univariate evaluations")
struct UnivariateTests {
    @Test("interpolation recovers random polynomials of degree 0 … 7")
    func recoversPolynomials() {
        var rng = SeededGenerator.forTest(stream: 20)
        for degree in 0...7 {
            let coefficients = randomElements(degree + 1, &rng)
            let p = UnivariateEvaluations(coefficients: coefficients)
            #expect(p.degreeBound == degree)
            for _ in 0..<4 {
                let x = Fr.random(using: &rng)
                #expect(p.evaluate(at: x) == hornerEvaluate(coefficients, at: x))
            }
            #expect(p.coefficients() == coefficients)
            // At the nodes the stored values come back.
            for i in 0...degree { #expect(p.evaluate(at: fr(i)) == p.evaluations[i]) }
        }
    }

    @Test("a degree bound above the degree gives the same polynomial")
    func overSampled() {
        var rng = SeededGenerator.forTest(stream: 21)
        let coefficients = randomElements(3, &rng)
        let p = UnivariateEvaluations(coefficients: coefficients, degree: 6)
        #expect(p.evaluations.count == 7)
        let x = Fr.random(using: &rng)
        #expect(p.evaluate(at: x) == hornerEvaluate(coefficients, at: x))
        #expect(p.coefficients() == coefficients + [Fr](repeating: .zero, count: 4))
    }

    @Test("known small case: values (1, 4, 9) are x² + 2x + 1 … evaluated at 10 gives 121")
    func knownQuadratic() {
        let p = UnivariateEvaluations<Fr>([1, 4, 9])
        #expect(p.evaluate(at: 10) == 121)
        #expect(p.evaluate(at: -1) == 0)
        #expect(p.coefficients() == [1, 2, 1])
    }
}
