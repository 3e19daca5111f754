public import ZKField

/// Packs several vectors of power-of-two lengths into one committed vector, each at an offset
/// aligned to its own size, so that a claim on one vector at a point `z` is a claim on the packed
/// vector at `z ‖ bits(offset / size)`: a relabelling the verifier applies itself.
///
/// Items are placed largest first, which keeps every offset a multiple of the item's size; the
/// packed length is the next power of two at or above the total. Deterministic: the same items
/// in the same order give the same layout on every machine.
public struct SlotLayout<Item: Hashable & Sendable>: Sendable {
    public struct Placement: Sendable, Hashable {
        public var item: Item
        public var variableCount: Int
        public var offset: Int
    }

    /// Placements in packing order.
    public let placements: [Placement]
    /// Variables of the packed vector.
    public let variableCount: Int
    private let index: [Item: Int]

    /// - Parameter items: each item with its number of variables (length `2^k`).
    public init(items: [(Item, Int)]) {
        let order = items.enumerated().sorted { a, b in
            a.element.1 != b.element.1 ? a.element.1 > b.element.1 : a.offset < b.offset
        }
        var offset = 0
        var placements: [Placement] = []
        for (_, (item, k)) in order {
            placements.append(Placement(item: item, variableCount: k, offset: offset))
            offset += 1 << k
        }
        var total = 0
        while (1 << total) < max(offset, 1) { total += 1 }
        self.placements = placements
        self.variableCount = total
        var index: [Item: Int] = [:]
        for (i, p) in placements.enumerated() { index[p.item] = i }
        self.index = index
    }

    /// How many leading entries of the packed vector the items fill (the rest are zeros): items
    /// are placed back to back, largest first.
    public var usedCount: Int { placements.last.map { $0.offset + (1 << $0.variableCount) } ?? 0 }

    /// The placement of `item`, if it is packed here.
    public func placement(of item: Item) -> Placement? { index[item].map { placements[$0] } }

    /// The point of the packed vector that corresponds to `point` on `item`.
    public func packedPoint<E: FiniteField>(of item: Item, _ point: [E]) -> [E] {
        let p = placement(of: item)!
        precondition(point.count == p.variableCount, "point has \(point.count) coordinates, item has \(p.variableCount)")
        var packed = point
        let block = p.offset >> p.variableCount
        for bit in 0..<(variableCount - p.variableCount) {
            packed.append((block >> bit) & 1 == 1 ? .one : .zero)
        }
        return packed
    }

    /// Copies every item's values into one packed vector (zero elsewhere).
    public func pack<T>(_ values: (Item) -> [T], zero: T) -> [T] {
        var out = [T](repeating: zero, count: 1 << variableCount)
        for p in placements {
            let v = values(p.item)
            precondition(v.count == 1 << p.variableCount, "item \(p.item) has \(v.count) values, expected \(1 << p.variableCount)")
            for i in 0..<v.count { out[p.offset + i] = v[i] }
        }
        return out
    }
}
