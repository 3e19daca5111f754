import ZKParallel
import Testing
import ZKField
import ZKTesting
import ZKPoly

@Suite("NTT")
struct NTTTests {
    /// `â_i = Σ_j a_j · (shift·ω^i)^j`, O(n²) straight from the definition.
    func naiveDFT(_ a: [Fr], omega: Fr, shift: Fr = .one) -> [Fr] {
        let n = a.count
        return (0..<n).map { i in
            let x = shift * omega.power(UInt64(i))
            var acc = Fr.zero, xj = Fr.one
            for j in 0..<n {
                acc += a[j] * xj
                xj *= x
            }
            return acc
        }
    }

    @Test("the generator has order exactly n")
    func generatorOrder() {
        for logSize in 0...12 {
            let d = EvaluationDomain<Fr>(logSize: logSize)
            #expect(d.generator.power(UInt64(d.size)) == .one)
            if logSize > 0 { #expect(d.generator.power(UInt64(d.size / 2)) == -Fr.one) }
            #expect(d.generator * d.generatorInverse == .one)
            #expect(d.sizeInverse * fr(d.size) == .one)
        }
    }

    @Test("forward and inverse are mutually inverse, on H and on cosets, for n = 1 … 2^12")
    func roundTrips() {
        var rng = SeededGenerator.forTest(stream: 1)
        for logSize in 0...12 {
            let d = EvaluationDomain<Fr>(logSize: logSize)
            let a = randomElements(d.size, &rng)
            var v = a
            d.forwardNTT(&v)
            if d.size > 1 { #expect(v != a) }
            d.inverseNTT(&v)
            #expect(v == a, "NTT round trip, n = \(d.size)")
            var c = a
            d.cosetForwardNTT(&c)
            d.cosetInverseNTT(&c)
            #expect(c == a, "coset round trip, n = \(d.size)")
            let shift = Fr.random(using: &rng)
            var s = a
            d.cosetForwardNTT(&s, shift: shift)
            d.cosetInverseNTT(&s, shift: shift)
            #expect(s == a, "coset round trip with a random shift, n = \(d.size)")
        }
    }

    @Test("forward, inverse and coset transforms agree with the O(n²) DFT")
    func againstNaiveDFT() {
        var rng = SeededGenerator.forTest(stream: 2)
        for logSize in 0...6 {
            let d = EvaluationDomain<Fr>(logSize: logSize)
            let a = randomElements(d.size, &rng)
            #expect(d.evaluate(coefficients: a) == naiveDFT(a, omega: d.generator))
            #expect(d.evaluateOnCoset(coefficients: a) == naiveDFT(a, omega: d.generator, shift: Fr.multiplicativeGenerator))
            let shift = Fr.random(using: &rng)
            #expect(d.evaluateOnCoset(coefficients: a, shift: shift) == naiveDFT(a, omega: d.generator, shift: shift))
            // Inverse: interpolating naive evaluations gives the coefficients back.
            #expect(d.interpolate(evaluations: naiveDFT(a, omega: d.generator)) == a)
            #expect(d.interpolateFromCoset(evaluations: naiveDFT(a, omega: d.generator, shift: shift), shift: shift) == a)
        }
    }

    @Test("the transform of a delta is all ones; of all ones, (n, 0, …, 0)")
    func knownVectors() {
        for logSize in [0, 1, 4, 10] {
            let d = EvaluationDomain<Fr>(logSize: logSize)
            var delta = [Fr](repeating: .zero, count: d.size)
            delta[0] = .one
            d.forwardNTT(&delta)
            #expect(delta == [Fr](repeating: .one, count: d.size))
            var ones = [Fr](repeating: .one, count: d.size)
            d.forwardNTT(&ones)
            var expected = [Fr](repeating: .zero, count: d.size)
            expected[0] = fr(d.size)
            #expect(ones == expected)
            // X evaluates to the domain's points.
            if d.size > 1 {
                var x = [Fr](repeating: .zero, count: d.size)
                x[1] = .one
                d.forwardNTT(&x)
                #expect(x == d.elements)
                #expect(x[3 % d.size] == d.element(3))
            }
        }
    }

    @Test("polynomial multiplication through the NTT equals schoolbook multiplication")
    func polynomialMultiplication() {
        var rng = SeededGenerator.forTest(stream: 3)
        let a = randomElements(40, &rng), b = randomElements(25, &rng)
        var schoolbook = [Fr](repeating: .zero, count: a.count + b.count - 1)
        for i in a.indices { for j in b.indices { schoolbook[i + j] += a[i] * b[j] } }
        let d = EvaluationDomain<Fr>(capacity: schoolbook.count)
        #expect(d.size == 64)
        for shift in [nil, Fr(7)] as [Fr?] {
            let ea = shift == nil ? d.evaluate(coefficients: a) : d.evaluateOnCoset(coefficients: a, shift: shift)
            let eb = shift == nil ? d.evaluate(coefficients: b) : d.evaluateOnCoset(coefficients: b, shift: shift)
            let product = zip(ea, eb).map { $0 * $1 }
            let c = shift == nil ? d.interpolate(evaluations: product) : d.interpolateFromCoset(evaluations: product, shift: shift)
            #expect(Array(c[..<schoolbook.count]) == schoolbook)
            #expect(c[schoolbook.count...].allSatisfy { $0.isZero })
        }
    }

    @Test("the parallel path equals the serial path (2^14, and every chunking path at 2^10)")
    func parallelEqualsSerial() {
        var rng = SeededGenerator.forTest(stream: 4)
        let d = EvaluationDomain<Fr>(logSize: 14)
        let a = randomElements(d.size, &rng)
        var serial = a, parallel = a
        Parallelism.$threadLimit.withValue(1) { d.forwardNTT(&serial) }
        Parallelism.$threadLimit.withValue(2) { d.forwardNTT(&parallel) }
        #expect(serial == parallel)
        Parallelism.$threadLimit.withValue(2) { d.inverseNTT(&parallel) }
        #expect(parallel == a)

        // Tiny blocks and thresholds: block-parallel stages, large stages split by groups and by offsets.
        let small = EvaluationDomain<Fr>(logSize: 10)
        let b = randomElements(small.size, &rng)
        var reference = b
        Parallelism.$threadLimit.withValue(1) { small.forwardNTT(&reference) }
        for (blockLog, threshold) in [(2, 4), (3, 64), (0, 2), (10, 8)] {
            var v = b
            Parallelism.$threadLimit.withValue(2) {
                v.withUnsafeMutableBufferPointer { small.forwardNTT($0, blockLog: blockLog, parallelThreshold: threshold) }
            }
            #expect(v == reference, "blockLog \(blockLog), threshold \(threshold)")
        }
    }
}
