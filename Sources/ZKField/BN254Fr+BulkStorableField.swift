extension BN254Fr: BulkStorableField {
    /// The Montgomery representative `x · 2^256 mod p` as four little-endian 64-bit limbs (least
    /// significant limb first): the element's memory, so storing and loading are copies.
    /// Loading checks every representative is below `p` (the only invariant of the type).
    public static var storageEncodingID: String { "montgomery-2^256-le64x4" }

    @inlinable
    public static func appendStorageBytes(of elements: UnsafeBufferPointer<BN254Fr>, to bytes: inout [UInt8]) {
        #if _endian(little)
        bytes.append(contentsOf: UnsafeRawBufferPointer(elements))
        #else
        bytes.reserveCapacity(bytes.count + elements.count * 32)
        for e in elements {
            for limb in [e.l0, e.l1, e.l2, e.l3] { appendLittleEndian(limb, to: &bytes) }
        }
        #endif
    }

    @inlinable
    public static func elements(fromStorageBytes bytes: UnsafeRawBufferPointer) throws(FieldDecodingError) -> [BN254Fr] {
        guard bytes.count % 32 == 0 else { throw .wrongLength(expected: (bytes.count / 32 + 1) * 32, got: bytes.count) }
        let count = bytes.count / 32
        let elements = [BN254Fr](unsafeUninitializedCapacity: count) { buffer, initialized in
            #if _endian(little)
            UnsafeMutableRawBufferPointer(buffer).copyMemory(from: bytes)
            #else
            for i in 0..<count {
                func limb(_ k: Int) -> UInt64 {
                    UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 32 * i + 8 * k, as: UInt64.self))
                }
                (buffer.baseAddress! + i).initialize(to: BN254Fr(montgomeryLimbs: limb(0), limb(1), limb(2), limb(3)))
            }
            #endif
            initialized = count
        }
        guard elements.withUnsafeBufferPointer(allCanonical) else { throw .notCanonical }
        return elements
    }

    /// On a little-endian host: four `UInt64` limbs, any bits of which are some value of the
    /// type (a valid element when below `p`).
    @inlinable
    public static var storageEncodingIsMemoryLayout: Bool {
        #if _endian(little)
        return MemoryLayout<BN254Fr>.stride == 32 && _isPOD(BN254Fr.self)
        #else
        return false
        #endif
    }

    /// On a little-endian host the storage encoding is the memory layout: valid when every
    /// representative is below `p`.
    @inlinable
    public static func isValidInPlaceStorage(_ bytes: UnsafeRawBufferPointer) -> Bool {
        #if _endian(little)
        guard bytes.count % 32 == 0, Int(bitPattern: bytes.baseAddress) % MemoryLayout<BN254Fr>.alignment == 0 else {
            return false
        }
        return bytes.withMemoryRebound(to: BN254Fr.self, allCanonical)
        #else
        return false
        #endif
    }

    /// Whether every representative is below `p`: any 256-bit value below p is some element's
    /// representative, nothing else is.
    @inlinable
    static func allCanonical(_ elements: UnsafeBufferPointer<BN254Fr>) -> Bool {
        var valid = true
        for e in elements { valid = valid && e.isCanonical }
        return valid
    }
}
