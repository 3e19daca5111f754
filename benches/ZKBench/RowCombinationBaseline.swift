import ZKField
import ZKParallel

/// The row-combination kernel as it was before the 16-bit multiply-add kernel (commit 20cd98f),
/// kept here only as the baseline that `fr_combine_rows_*` rows are measured against in the same
/// run: one unreduced accumulator of eight `Int64` limb sums per column (96 bytes with its carried
/// element), every row swept across every column, and eight Montgomery multiplications per column
/// to reduce. Same results, bit for bit (the benchmark checks).
enum BaselineRowCombination {
    /// The old `SmallIntegerAccumulator`, with its eight-multiplication reduction.
    struct Accumulator {
        var a0: Int64 = 0, a1: Int64 = 0, a2: Int64 = 0, a3: Int64 = 0
        var a4: Int64 = 0, a5: Int64 = 0, a6: Int64 = 0, a7: Int64 = 0
        var carried: BN254Fr = .zero

        @inline(__always)
        mutating func add(_ e: BN254Fr.Limbs32, times w: Int64) {
            let k = unsafeBitCast(e, to: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self)
            a0 &+= w &* k.0; a1 &+= w &* k.1; a2 &+= w &* k.2; a3 &+= w &* k.3
            a4 &+= w &* k.4; a5 &+= w &* k.5; a6 &+= w &* k.6; a7 &+= w &* k.7
        }

        mutating func flush() {
            carried = reduced()
            a0 = 0; a1 = 0; a2 = 0; a3 = 0; a4 = 0; a5 = 0; a6 = 0; a7 = 0
        }

        /// The element whose Montgomery representative is `value mod p` (the element `value·R⁻¹`).
        @inline(__always)
        static func fromMontgomeryRepresentative(signed value: Int64) -> BN254Fr {
            let magnitude = unsafeBitCast((value.magnitude, UInt64(0), UInt64(0), UInt64(0)), to: BN254Fr.self)
            return value < 0 ? -magnitude : magnitude
        }

        static let powers: [BN254Fr] = {
            let two32 = BN254Fr(UInt64(1) << 32)
            var p = [BN254Fr.one]
            for _ in 1..<8 { p.append(p.last! * two32) }
            return p
        }()

        func reduced() -> BN254Fr {
            let powers = Self.powers
            var r = carried
            r += Self.fromMontgomeryRepresentative(signed: a0)
            r += Self.fromMontgomeryRepresentative(signed: a1) * powers[1]
            r += Self.fromMontgomeryRepresentative(signed: a2) * powers[2]
            r += Self.fromMontgomeryRepresentative(signed: a3) * powers[3]
            r += Self.fromMontgomeryRepresentative(signed: a4) * powers[4]
            r += Self.fromMontgomeryRepresentative(signed: a5) * powers[5]
            r += Self.fromMontgomeryRepresentative(signed: a6) * powers[6]
            r += Self.fromMontgomeryRepresentative(signed: a7) * powers[7]
            return r
        }
    }

    /// The old `BN254Fr.combineRows`, verbatim in its loop structure.
    @inline(__always)
    static func combineRows<W: FixedWidthInteger & SignedInteger>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, coefficients: UnsafeBufferPointer<BN254Fr>
    ) -> [BN254Fr] {
        let rows = coefficients.count
        precondition(matrix.count == rows * columns, "matrix shape does not match")
        let weightBits = Swift.min(W.bitWidth - 1, 30)
        let budget = SmallIntegerAccumulator.termBudget(weightBits: weightBits)
        var accumulators = [Accumulator](repeating: Accumulator(), count: columns)
        accumulators.withUnsafeMutableBufferPointer { acc in
            var sinceFlush = 0
            for i in 0..<rows {
                if sinceFlush == budget {
                    for j in 0..<columns { acc[j].flush() }
                    sinceFlush = 0
                }
                let e = BN254Fr.Limbs32(coefficients[i])
                let row = matrix.baseAddress! + i * columns
                for j in 0..<columns {
                    let w = Int64(row[j])
                    if W.bitWidth > 31 { precondition(w.magnitude <= 1 << 30, "weight outside ±2^30") }
                    acc[j].add(e, times: w)
                }
                sinceFlush += 1
            }
        }
        return accumulators.map { $0.reduced() }
    }

    /// Specialised for `Int8` (what a caller with a concrete weight type got).
    @inline(never)
    static func int8(_ matrix: UnsafeBufferPointer<Int8>, columns: Int, coefficients: UnsafeBufferPointer<BN254Fr>) -> [BN254Fr] {
        combineRows(matrix, columns: columns, coefficients: coefficients)
    }

    /// Left generic over the weight type, as the old kernel ran when reached through the
    /// `SmallIntegerKernels` witness table from generic code (`WeightSlots.combineRows`, the
    /// matMul fold): every weight conversion and width test is a generic call.
    @inline(never) @_semantics("optimize.sil.specialize.generic.never")
    static func unspecialized<W: FixedWidthInteger & SignedInteger>(
        _ matrix: UnsafeBufferPointer<W>, columns: Int, coefficients: UnsafeBufferPointer<BN254Fr>
    ) -> [BN254Fr] {
        combineRows(matrix, columns: columns, coefficients: coefficients)
    }

    /// The old Ligero opening path: parallel over blocks of at least 256 columns, each block
    /// copied to a contiguous buffer and combined with each weight vector.
    static func ligeroOpening(_ matrix: [Int8], rows R: Int, columns C: Int, weights: [[BN254Fr]]) -> [[BN254Fr]] {
        let K = weights.count
        var flat = [BN254Fr](repeating: .zero, count: K * C)
        flat.withUnsafeMutableBufferPointer { out in
            let o = out.baseAddress!
            matrix.withUnsafeBufferPointer { source in
                let s = source.baseAddress!
                parallelChunks(count: C, minimumChunk: 256) { columns in
                    let width = columns.count
                    let block = [Int8](unsafeUninitializedCapacity: R * width) { buffer, initialized in
                        for r in 0..<R {
                            (buffer.baseAddress! + r * width).initialize(from: s + r * C + columns.lowerBound, count: width)
                        }
                        initialized = R * width
                    }
                    block.withUnsafeBufferPointer { blockView in
                        for j in 0..<K {
                            let result = weights[j].withUnsafeBufferPointer { g in
                                int8(blockView, columns: width, coefficients: g)
                            }
                            (o + j * C + columns.lowerBound).update(from: result, count: width)
                        }
                    }
                }
            }
        }
        return (0..<K).map { j in Array(flat[(j * C)..<((j + 1) * C)]) }
    }
}
