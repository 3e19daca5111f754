import Foundation
import ZKField
import ZKProver
import ZKSetup
import ZKVerifier
import ZKSodium
import ZKWire

/// The proving-key decoder, `ProvingKey<Fr>(decoding:)`, both from an array and from a file
/// mapped into memory (what `zkml prove` does: the committed matrix is used in place).
///
/// A proving key ends in a checksum of everything before its encoded matrix, so nearly every
/// mutation there would stop at the checksum. The target therefore decodes each input twice: as
/// it is (which exercises the checksum itself), and with its last 8 bytes replaced by the
/// checksum of the bytes its trailer's matrix offset names, which lets the fuzzer reach the
/// structure behind it. The checksum is recomputed here from its documented
/// definition (ProvingKey+Wire.swift); the smoke test checks that honest keys still decode
/// after the rewrite, so the two cannot drift apart unnoticed.
///
/// Beyond "never traps": the array and the mapped-file paths accept the same bytes and read the
/// same key, and a decoded key re-encodes to bytes that decode.
public enum ProvingKeyTarget {
    public static let name = "proving-key"

    public static func run(_ bytes: [UInt8]) {
        guard bytes.count <= FuzzTargets.maximumInputSize else { return }
        _ = try? ProvingKey<Fr>(decoding: bytes)
        let fixed = withChecksum(bytes)
        let fromArray = Result { () throws(WireError) -> ProvingKey<Fr> in try ProvingKey<Fr>(decoding: fixed) }
        let fromFile = decodeMapped(fixed)
        switch (fromArray, fromFile) {
        case (.failure, .failure?), (.failure, nil):
            return
        case (.success(let key), .success(let mapped)?):
            guard key.verificationKey.modelID == mapped.verificationKey.modelID, key.encoded() == mapped.encoded() else {
                fuzzFailure("a proving key reads differently from an array and from a mapped file")
            }
        case (.success, nil):
            break   // no temporary file: nothing to compare
        case (.success, .failure(let error)?):
            fuzzFailure("a proving key decodes from an array but not from a mapped file: \(error)")
        case (.failure(let error), .success?):
            fuzzFailure("a proving key decodes from a mapped file but not from an array: \(error)")
        }
        guard case .success(let key) = fromArray else { return }
        do { _ = try ProvingKey<Fr>(decoding: key.encoded()) } catch {
            fuzzFailure("a decoded proving key re-encodes to bytes that do not decode: \(error)")
        }
    }

    /// `bytes` with its last 8 bytes replaced by the checksum that the 8 before them call for
    /// (ProvingKey+Wire.swift: the trailer is u64 matrix offset, u64 checksum; the checksum is
    /// SipHash-2-4 under "zkml-proving-key" of the little-endian tags of the 1 MiB blocks of the
    /// bytes before the matrix offset). An offset outside the input is left to fail.
    public static func withChecksum(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= 16 else { return bytes }
        let trailer = bytes.count - 16
        let stored = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[trailer + $1]) << UInt64(8 * $1) }
        guard stored <= UInt64(trailer) else { return bytes }
        let end = Int(stored)
        let key = SipHash.Key(Array("zkml-proving-key".utf8))
        var tags: [UInt8] = []
        var start = 0
        while start < end {
            let tag = SipHash.hash(bytes[start..<min(start + (1 << 20), end)], key: key)
            withUnsafeBytes(of: tag.littleEndian) { tags.append(contentsOf: $0) }
            start += 1 << 20
        }
        var out = bytes
        withUnsafeBytes(of: SipHash.hash(tags, key: key).littleEndian) { out.replaceSubrange((trailer + 8)..., with: $0) }
        return out
    }

    /// The temporary file the mapped-file path reads: a new one per input (tests run the target
    /// from several threads at once; a shared file let one thread map another's input), written
    /// atomically and removed after use.
    private static func scratchFile() -> URL {
        URL(fileURLWithPath: NSTemporaryDirectory())
            .appendingPathComponent("zkml-fuzz-proving-key-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString).bin")
    }

    private static func decodeMapped(_ bytes: [UInt8]) -> Result<ProvingKey<Fr>, WireError>? {
        let scratch = scratchFile()
        defer { try? FileManager.default.removeItem(at: scratch) }
        guard (try? Data(bytes).write(to: scratch, options: .atomic)) != nil,
              let file = MappedFile(path: scratch.path) else { return nil }
        return Result { () throws(WireError) -> ProvingKey<Fr> in try ProvingKey<Fr>(decoding: file) }
    }
}
