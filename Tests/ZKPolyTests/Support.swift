import ZKField
import ZKTesting

/// `count` seeded random elements of Fr.
func randomElements(_ count: Int, _ rng: inout SeededGenerator) -> [Fr] {
    (0..<count).map { _ in Fr.random(using: &rng) }
}

/// The integer `k` as an element of Fr.
func fr(_ k: Int) -> Fr { Fr(Int64(k)) }

/// The boolean point `(bit 0 of index, bit 1 of index, …)` with `bits` coordinates.
func booleanPoint(_ index: Int, bits: Int) -> [Fr] {
    (0..<bits).map { (index >> $0) & 1 == 1 ? Fr.one : Fr.zero }
}
