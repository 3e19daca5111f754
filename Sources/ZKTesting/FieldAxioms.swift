import ZKField

/// Checks the field axioms on `count` seeded random triples plus the special elements
/// 0, 1 and −1, and returns a description of every violated law (empty when all hold).
///
/// Generic over the field, so every field the project adds is held to the same laws
/// (Plonky3's `field-testing`, arkworks' `test_field!`).
public func fieldAxiomViolations<F: FiniteField>(
    _ field: F.Type, count: Int, using generator: inout SeededGenerator
) -> [String] {
    var violations: [String] = []
    func check(_ law: Bool, _ name: String, _ a: F, _ b: F, _ c: F) {
        if !law && violations.count < 20 { violations.append("\(name) fails for a=\(a) b=\(b) c=\(c)") }
    }
    let specials: [F] = [.zero, .one, -F.one, F.one + F.one]
    var triples: [(F, F, F)] = []
    for a in specials { for b in specials { triples.append((a, b, specials[2])) } }
    for _ in 0..<count {
        triples.append((F.random(using: &generator), F.random(using: &generator), F.random(using: &generator)))
    }
    for (a, b, c) in triples {
        check(a + b == b + a, "additive commutativity", a, b, c)
        check(a * b == b * a, "multiplicative commutativity", a, b, c)
        check((a + b) + c == a + (b + c), "additive associativity", a, b, c)
        check((a * b) * c == a * (b * c), "multiplicative associativity", a, b, c)
        check(a * (b + c) == a * b + a * c, "distributivity", a, b, c)
        check(a + .zero == a && a * .one == a, "identities", a, b, c)
        check(a + (-a) == .zero, "additive inverse", a, b, c)
        check(a - b == a + (-b), "subtraction is adding the negation", a, b, c)
        check(a.squared() == a * a, "squaring", a, b, c)
        check(a.doubled() == a + a, "doubling", a, b, c)
        check(a * .zero == .zero, "absorbing zero", a, b, c)
        if let inverse = a.inverse() {
            check(!a.isZero && a * inverse == .one, "multiplicative inverse", a, b, c)
        } else {
            check(a.isZero, "only zero lacks an inverse", a, b, c)
        }
        var x = a
        x += b; check(x == a + b, "+=", a, b, c)
        x = a; x -= b; check(x == a - b, "-=", a, b, c)
        x = a; x *= b; check(x == a * b, "*=", a, b, c)
        check((try? F(canonicalBytes: a.canonicalBytes)) == a, "encoding round trip", a, b, c)
    }
    return violations
}
