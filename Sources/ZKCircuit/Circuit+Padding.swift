extension Circuit {
    /// For every tensor, whether its padding slots hold zero in every witness that satisfies the
    /// circuit (every witness ``CircuitChecker`` accepts), derived from the relations alone.
    ///
    /// Padding is zero by default (the public input, weights and constants are zero-padded, and
    /// matMul, conv2d, linear, concat and maxPool outputs are zero on padding by definition) —
    /// except for advice that no relation outputs (a witness hint's, such as an ArgMax's one-hot):
    /// nothing defines its padding, so it is not assumed zero. A relation that acts slot by slot
    /// carries its inputs' padding through:
    ///
    /// - a function lookup maps padding slots too, so its output holds `f(0)` there — nonzero for
    ///   Sigmoid (`f(0) = L/2`) or a Clip whose lower bound is positive;
    /// - `add` is zero-padded iff both operands are, `mul` iff either is;
    /// - `requantize` is iff its accumulator is (`M·acc = 2^s·y + r` with `acc = 0` and
    ///   `0 ≤ r < 2^s` gives `y = r = 0`), and so are its remainder limbs.
    ///
    /// The proof system proves a transpose or slot-preserving reshape as a relabelling of points
    /// only when its input is zero-padded here (otherwise the relabelling would carry the input's
    /// padding into the output, whose padding the relation defines as zero), and the compiler
    /// masks a tensor before it reaches a relation that needs zero padding (the public output,
    /// whose zero-padded extension the verifier evaluates itself, and a requantization, whose
    /// padding slots the honest witness leaves at zero).
    ///
    /// Linear in the number of relations; it never traps, whatever the circuit (ids out of range
    /// are ignored, and relations are read in their listed order).
    public func paddingIsZero() -> [Bool] {
        var zero = [Bool](repeating: true, count: tensors.count)
        for (id, info) in tensors.enumerated() where info.storage == .advice { zero[id] = false }
        for relation in relations {
            for id in relation.definedTensors where zero.indices.contains(id) { zero[id] = true }
        }
        func isZero(_ id: TensorID) -> Bool { zero.indices.contains(id) ? zero[id] : true }
        func set(_ id: TensorID, _ value: Bool) { if zero.indices.contains(id) { zero[id] = value } }
        for relation in relations {
            switch relation {
            case .lookup(let x, let out?, let table):
                var mapsZeroToZero = true
                if tables.indices.contains(table), case .function(_, let bits, let values) = tables[table],
                   bits >= 1, bits < Int.bitWidth - 1 {
                    let zeroRow = 1 << (bits - 1)
                    mapsZeroToZero = values.indices.contains(zeroRow) && values[zeroRow] == 0
                }
                set(out, isZero(x) && mapsZeroToZero)
            case .lookup(_, nil, _):
                break
            case .add(let out, let a, let b):
                set(out, isZero(a) && isZero(b))
            case .mul(let out, let a, let b):
                set(out, isZero(a) || isZero(b))
            case .requantize(let out, let acc, let limbs, _, _):
                let value = isZero(acc)
                set(out, value)
                for limb in limbs { set(limb, value) }
            case .matMul(let out, _, _, _), .linear(let out, _, _), .concat(let out, _, _), .conv2d(let out, _, _, _, _, _, _):
                set(out, true)
            case .maxPool(let out, _, let differences, _, _, _):
                set(out, true)
                for d in differences { set(d, true) }
            }
        }
        return zero
    }
}
