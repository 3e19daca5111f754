public import ZKField

/// A univariate polynomial of degree `≤ d` given by its values `p(0), p(1), …, p(d)`: the form of a
/// sumcheck round message (degree 2 for a product of two multilinear factors, up to ~6 for
/// higher-degree gates).
///
/// **The maths.** `d + 1` values at distinct points determine `p`. With the nodes `0, 1, …, d`,
/// Lagrange's formula has integer weights: `L_i(x) = Π_{j≠i} (x − j) / Π_{j≠i} (i − j)` and
/// `Π_{j≠i} (i − j) = (−1)^(d−i) · i! · (d − i)!`, so
///
///     p(x) = (1/d!) · Σ_i (−1)^(d−i) · C(d, i) · p(i) · Π_{j≠i} (x − j).
///
/// ``evaluate(at:)`` computes the products `Π_{j≠i}(x − j)` from prefix and suffix products
/// (`O(d)` multiplications, no division by `x − i`, so `x` may be a node) and needs a single
/// inversion, of `d!`. Nodes and binomials are built from `1` by additions, so this works in any
/// field of characteristic `> d`.
public struct UnivariateEvaluations<F: FiniteField>: Sendable, Equatable {
    /// `[p(0), p(1), …, p(d)]`.
    public var evaluations: [F]

    /// The polynomial with `p(i) = evaluations[i]`.
    /// - Precondition: at least one value.
    @inlinable
    public init(_ evaluations: [F]) {
        precondition(!evaluations.isEmpty, "a polynomial needs at least one evaluation")
        self.evaluations = evaluations
    }

    /// The values at `0, 1, …, degree` of the polynomial with coefficients `coefficients`
    /// (constant term first), by Horner's rule. `degree` defaults to `coefficients.count − 1`.
    @inlinable
    public init(coefficients: [F], degree: Int? = nil) {
        let d = degree ?? max(0, coefficients.count - 1)
        precondition(d >= coefficients.count - 1, "degree bound below the number of coefficients")
        var values = [F]()
        values.reserveCapacity(d + 1)
        var x = F.zero
        for _ in 0...d {
            values.append(hornerEvaluate(coefficients, at: x))
            x += .one
        }
        self.evaluations = values
    }

    /// `d`, the degree bound (`evaluations.count − 1`).
    @inlinable
    public var degreeBound: Int { evaluations.count - 1 }

    /// `p(x)` by the integer-weight Lagrange formula above.
    @inlinable
    public func evaluate(at x: F) -> F {
        evaluate(at: x, inverseOfDegreeFactorial: degreeBound == 0 ? .one : factorialInverse(degreeBound, as: F.self))
    }

    /// `1/d!`, the one inversion ``evaluate(at:)`` needs; a caller evaluating many polynomials of
    /// the same degree (a sumcheck verifier) computes it once and passes it to
    /// ``evaluate(at:inverseOfDegreeFactorial:)``.
    @inlinable
    public static func inverseOfFactorial(_ d: Int) -> F { factorialInverse(d, as: F.self) }

    /// `p(x)` with `1/d!` supplied by the caller.
    @inlinable
    public func evaluate(at x: F, inverseOfDegreeFactorial: F) -> F {
        let d = degreeBound
        if d == 0 { return evaluations[0] }
        // differences[j] = x − j
        var differences = [F](repeating: x, count: d + 1)
        var node = F.zero
        for j in 0...d {
            differences[j] = x - node
            node += .one
        }
        // suffix[i] = Π_{j > i} (x − j)
        var suffix = [F](repeating: .one, count: d + 1)
        for i in stride(from: d - 1, through: 0, by: -1) { suffix[i] = suffix[i + 1] * differences[i + 1] }
        let binomials = binomialRow(d, as: F.self)
        var sum = F.zero
        var prefix = F.one  // Π_{j < i} (x − j)
        for i in 0...d {
            let term = binomials[i] * evaluations[i] * (prefix * suffix[i])
            if (d - i) % 2 == 0 { sum += term } else { sum -= term }
            prefix *= differences[i]
        }
        return sum * inverseOfDegreeFactorial
    }

    /// The coefficients `[c_0, …, c_d]` (constant term first) of the polynomial, in `O(d²)`:
    /// `p = Σ_i w_i p(i) · N(X)/(X − i)` with `N(X) = Π_j (X − j)` and `w_i` the weights above,
    /// each quotient by synthetic division.
    @inlinable
    public func coefficients() -> [F] {
        let d = degreeBound
        if d == 0 { return evaluations }
        // N(X) = Π_{j=0}^{d} (X − j), coefficients low to high (degree d + 1).
        var n = [F](repeating: .zero, count: d + 2)
        n[0] = .one
        var node = F.zero
        for j in 0...d {
            // multiply by (X − node)
            for k in stride(from: j + 1, through: 1, by: -1) { n[k] = n[k - 1] - node * n[k] }
            n[0] = -(node * n[0])
            node += .one
        }
        let binomials = binomialRow(d, as: F.self)
        var result = [F](repeating: .zero, count: d + 1)
        var quotient = [F](repeating: .zero, count: d + 1)
        node = .zero
        for i in 0...d {
            // N(X) / (X − i): q_d = n_{d+1}, q_{k−1} = n_k + i · q_k.
            quotient[d] = n[d + 1]
            for k in stride(from: d, through: 1, by: -1) { quotient[k - 1] = n[k] + node * quotient[k] }
            var weight = binomials[i] * evaluations[i]
            if (d - i) % 2 == 1 { weight = -weight }
            for k in 0...d { result[k] += weight * quotient[k] }
            node += .one
        }
        let scale = factorialInverse(d, as: F.self)
        for k in 0...d { result[k] *= scale }
        return result
    }
}

/// `Σ_k coefficients[k] · x^k` by Horner's rule.
@inlinable
public func hornerEvaluate<F: FiniteField>(_ coefficients: [F], at x: F) -> F {
    var acc = F.zero
    for c in coefficients.reversed() { acc = acc * x + c }
    return acc
}

/// `[C(d, 0), …, C(d, d)]` as field elements (Pascal's rule, additions only).
@inlinable
internal func binomialRow<F: FiniteField>(_ d: Int, as: F.Type) -> [F] {
    var row = [F](repeating: .one, count: d + 1)
    if d < 2 { return row }
    for n in 2...d {
        for k in stride(from: n - 1, through: 1, by: -1) { row[k] = row[k] + row[k - 1] }
    }
    return row
}

/// `(d!)⁻¹`.
@inlinable
internal func factorialInverse<F: FiniteField>(_ d: Int, as: F.Type) -> F {
    var factorial = F.one, k = F.one
    if d >= 2 {
        for _ in 2...d {
            k += .one
            factorial *= k
        }
    }
    guard let inverse = factorial.inverse() else { preconditionFailure("field characteristic ≤ \(d)") }
    return inverse
}
