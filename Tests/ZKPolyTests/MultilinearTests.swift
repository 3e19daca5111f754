import ZKParallel
import Testing
import ZKField
import ZKTesting
import ZKPoly

@Suite("Multilinear extensions and eq")
struct MultilinearTests {
    @Test("x_1 is the lowest index bit: the two-variable MLE written out")
    func variableOrder() {
        var rng = SeededGenerator.forTest(stream: 10)
        let t = randomElements(4, &rng)
        let r1 = Fr.random(using: &rng), r2 = Fr.random(using: &rng)
        let one = Fr.one
        // index = x_1 + 2·x_2
        let expected = (one - r1) * (one - r2) * t[0] + r1 * (one - r2) * t[1] + (one - r1) * r2 * t[2] + r1 * r2 * t[3]
        #expect(DenseMultilinearExtension(evaluations: t).evaluate(at: [r1, r2]) == expected)
    }

    @Test("evaluating at a boolean point returns the table entry")
    func booleanPoints() {
        var rng = SeededGenerator.forTest(stream: 11)
        let mle = DenseMultilinearExtension(evaluations: randomElements(32, &rng))
        #expect(mle.numVariables == 5)
        for i in 0..<32 { #expect(mle.evaluate(at: booleanPoint(i, bits: 5)) == mle.evaluations[i]) }
        #expect(DenseMultilinearExtension(evaluations: [Fr(9)]).evaluate(at: []) == Fr(9))
    }

    @Test("fixing the first variable, then evaluating the rest, equals evaluating")
    func foldThenEvaluate() {
        var rng = SeededGenerator.forTest(stream: 12)
        for n in 1...8 {
            let mle = DenseMultilinearExtension(evaluations: randomElements(1 << n, &rng))
            let point = randomElements(n, &rng)
            var folded = mle
            folded.fixFirstVariable(point[0])
            #expect(folded.numVariables == n - 1)
            #expect(folded.evaluate(at: Array(point.dropFirst())) == mle.evaluate(at: point))
            // Folding is linear interpolation between the x_1 = 0 and x_1 = 1 halves.
            var at0 = mle, at1 = mle
            at0.fixFirstVariable(.zero)
            at1.fixFirstVariable(.one)
            #expect(at0.evaluations == stride(from: 0, to: 1 << n, by: 2).map { mle.evaluations[$0] })
            #expect(at1.evaluations == stride(from: 1, to: 1 << n, by: 2).map { mle.evaluations[$0] })
        }
    }

    @Test("the MLE is affine in each variable")
    func multilinearity() {
        var rng = SeededGenerator.forTest(stream: 13)
        let mle = DenseMultilinearExtension(evaluations: randomElements(64, &rng))
        var point = randomElements(6, &rng)
        for j in 0..<6 {
            point[j] = .zero; let v0 = mle.evaluate(at: point)
            point[j] = .one; let v1 = mle.evaluate(at: point)
            let r = Fr.random(using: &rng)
            point[j] = r
            #expect(mle.evaluate(at: point) == v0 + r * (v1 - v0))
        }
    }

    @Test("eq table entries are the product formula and sum to 1")
    func eqTableEntries() {
        var rng = SeededGenerator.forTest(stream: 14)
        for n in 0...7 {
            let r = randomElements(n, &rng)
            let table = eqTable(point: r)
            #expect(table.count == 1 << n)
            for i in 0..<(1 << n) {
                var product = Fr.one
                for j in 0..<n { product *= (i >> j) & 1 == 1 ? r[j] : Fr.one - r[j] }
                #expect(table[i] == product)
                #expect(eq(r, booleanPoint(i, bits: n)) == product)
            }
            #expect(Fr.sum(table) == .one)
        }
    }

    @Test("Σ_x eq(r, x) f(x) = f̃(r), in parallel too")
    func eqWeightedSum() {
        var rng = SeededGenerator.forTest(stream: 15)
        for n in [3, 13] {
            let mle = DenseMultilinearExtension(evaluations: randomElements(1 << n, &rng))
            let r = randomElements(n, &rng)
            let serial = Parallelism.$threadLimit.withValue(1) { eqTable(point: r) }
            let parallel = Parallelism.$threadLimit.withValue(2) { eqTable(point: r) }
            #expect(serial == parallel)
            var sum = Fr.zero
            for i in 0..<mle.count { sum += serial[i] * mle.evaluations[i] }
            #expect(sum == mle.evaluate(at: r))
        }
    }

    @Test("eq of two points: symmetric, 1 on equal boolean points, 0 on different ones")
    func eqOfPoints() {
        var rng = SeededGenerator.forTest(stream: 16)
        let r = randomElements(5, &rng), s = randomElements(5, &rng)
        #expect(eq(r, s) == eq(s, r))
        #expect(eq(r, s) == DenseMultilinearExtension(evaluations: eqTable(point: r)).evaluate(at: s))
        for i in 0..<8 {
            for j in 0..<8 {
                #expect(eq(booleanPoint(i, bits: 3), booleanPoint(j, bits: 3)) == (i == j ? .one : .zero))
            }
        }
    }

    @Test("zero padding to the next power of two")
    func padding() {
        let values: [Fr] = [1, 2, 3, 4, 5]
        let mle = DenseMultilinearExtension(paddingWithZeros: values)
        #expect(mle.numVariables == 3)
        #expect(mle.evaluations == [1, 2, 3, 4, 5, 0, 0, 0])
        #expect(DenseMultilinearExtension(paddingWithZeros: values, numVariables: 4).count == 16)
        #expect(DenseMultilinearExtension(paddingWithZeros: [Fr(7)]).numVariables == 0)
        #expect(zeroPadded(values, toCount: 6) == [1, 2, 3, 4, 5, 0])
        #expect(nextPowerOfTwo(0) == 1 && nextPowerOfTwo(1) == 1 && nextPowerOfTwo(5) == 8 && nextPowerOfTwo(8) == 8)
    }

    /// Calls the challenge-field overload (in a generic context, so the base-field one cannot win).
    func evaluateInExtension<E: ExtensionField>(_ mle: DenseMultilinearExtension<E.BaseField>, _ point: [E]) -> E {
        mle.evaluate(at: point)
    }

    @Test("evaluation at a challenge-field point agrees with the base-field evaluation")
    func extensionEvaluation() {
        var rng = SeededGenerator.forTest(stream: 17)
        let mle = DenseMultilinearExtension(evaluations: randomElements(1 << 6, &rng))
        let point = randomElements(6, &rng)
        #expect(evaluateInExtension(mle, point) == mle.evaluate(at: point))
    }

    @Test("parallel in-place fold equals the serial fold (2^14)")
    func parallelFold() {
        var rng = SeededGenerator.forTest(stream: 18)
        let table = randomElements(1 << 14, &rng)
        let r = Fr.random(using: &rng)
        var serial = table, parallel = table
        Parallelism.$threadLimit.withValue(1) { _ = foldFirstVariable(&serial, count: table.count, challenge: r) }
        let half = Parallelism.$threadLimit.withValue(2) { foldFirstVariable(&parallel, count: table.count, challenge: r) }
        #expect(half == table.count / 2)
        #expect(serial[..<half] == parallel[..<half])
        #expect(Array(parallel[..<half]) == (0..<half).map { table[2 * $0] + r * (table[2 * $0 + 1] - table[2 * $0]) })
    }
}
