public import ZKField

/// A polynomial built from multilinear tables: `g(x) = Σ_t c_t · Π_{j ∈ S_t} f_j(x)`.
///
/// Every layer relation of the prover is a sum over the hypercube of such a `g`: a matrix–vector
/// product is one term with two factors, an `eq`-weighted zerocheck `eq(r,x)·(a(x)b(x) − c(x))` is
/// two terms of degree 3 and 2, a max-pool selector product has degree 5. The degree of `g` in each
/// variable is the largest factor count, since each `f_j` is multilinear.
public struct SumOfProducts<E: FiniteField>: Sendable, Equatable {
    /// One product term `c · Π f_j`.
    public struct Term: Sendable, Equatable {
        public var coefficient: E
        /// Indices into the list of tables; repeats allowed (`f_0²` is `[0, 0]`).
        public var factors: [Int]

        public init(coefficient: E, factors: [Int]) {
            self.coefficient = coefficient
            self.factors = factors
        }
    }

    public var terms: [Term]
    /// How many tables the terms refer to (`max index + 1`).
    public let tableCount: Int

    /// - Precondition: at least one term; every term has at least one factor and non-negative indices.
    public init(terms: [Term]) {
        precondition(!terms.isEmpty, "a sum of products needs a term")
        precondition(terms.allSatisfy { !$0.factors.isEmpty && $0.factors.allSatisfy { $0 >= 0 } },
                     "every term needs factors with valid indices")
        self.terms = terms
        tableCount = terms.flatMap(\.factors).max()! + 1
    }

    /// A single product `Π_j f_j` of the given tables, with coefficient one.
    public static func product(_ factors: [Int]) -> SumOfProducts {
        SumOfProducts(terms: [Term(coefficient: .one, factors: factors)])
    }

    /// The degree in each variable: the largest number of factors in a term.
    public var degree: Int { terms.map(\.factors.count).max()! }

    /// `g` at a point where table `j` evaluates to `values[j]`.
    @inlinable
    public func evaluate(tableValues values: [E]) -> E {
        var sum = E.zero
        for term in terms {
            var product = term.coefficient
            for j in term.factors { product *= values[j] }
            sum += product
        }
        return sum
    }
}
