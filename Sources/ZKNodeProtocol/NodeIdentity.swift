public import ZKSodium
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A node's (or a client's) Ed25519 identity, kept in a key file that only its owner may read.
///
/// The file is JSON, `{"kind": "zkml-ed25519-seed", "public_key": HEX, "seed": HEX}`, created with
/// mode 0600; ``load(path:)`` refuses a file that the group or others can read or write (like
/// ssh), and a file whose public key does not match its seed.
public struct NodeIdentity: Sendable {
    public let signingKey: Ed25519.SigningKey
    public var publicKey: Ed25519.PublicKey { signingKey.publicKey }
    /// The public key in hex: how peers pin this identity.
    public var publicKeyHex: String { Hex.encode(publicKey.rawRepresentation) }

    public init(signingKey: Ed25519.SigningKey) { self.signingKey = signingKey }

    /// A fresh identity.
    public static func generate() -> NodeIdentity { NodeIdentity(signingKey: Ed25519.SigningKey()) }

    struct KeyFile: Codable {
        var kind: String
        var publicKey: String
        var seed: String
        enum CodingKeys: String, CodingKey { case kind, publicKey = "public_key", seed }
    }
    static let kind = "zkml-ed25519-seed"
    /// Key files are tiny; anything larger is not one.
    static let maximumFileSize = 4096

    /// Writes the identity to a new file with mode 0600; refuses to overwrite an existing file.
    public func write(path: String) throws(IdentityError) {
        let file = KeyFile(kind: Self.kind, publicKey: publicKeyHex, seed: Hex.encode(signingKey.exportSeed()))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(file) else { throw .unreadable(path: path, why: "cannot encode") }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw .unreadable(path: path, why: errno == EEXIST ? "the file exists (keygen never overwrites a key)" : String(cString: strerror(errno)))
        }
        defer { close(fd) }
        let bytes = Array(data) + [0x0A]
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(fd) == 0 else { throw .unreadable(path: path, why: "short write") }
    }

    /// Reads a key file, refusing one that others may read or write.
    public static func load(path: String) throws(IdentityError) -> NodeIdentity {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .unreadable(path: path, why: String(cString: strerror(errno))) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .unreadable(path: path, why: "not a regular file") }
        let permissions = info.st_mode & 0o777
        guard permissions & 0o077 == 0 else { throw .permissionsTooOpen(path: path, mode: UInt32(permissions)) }
        guard info.st_size <= maximumFileSize else { throw .malformed(path: path, why: "larger than \(maximumFileSize) bytes") }
        guard let data = FileManager.default.contents(atPath: path) else { throw .unreadable(path: path, why: "cannot read") }
        guard let file = try? JSONDecoder().decode(KeyFile.self, from: data), file.kind == kind else {
            throw .malformed(path: path, why: "not a zkml key file (expected JSON with kind \"\(kind)\")")
        }
        guard let seed = Hex.decode(file.seed, byteCount: Ed25519.seedByteCount),
            let key = try? Ed25519.SigningKey(seed: seed)
        else { throw .malformed(path: path, why: "seed is not 64 hex digits") }
        let identity = NodeIdentity(signingKey: key)
        guard identity.publicKeyHex == file.publicKey.lowercased() else {
            throw .malformed(path: path, why: "public_key does not match the seed")
        }
        return identity
    }
}

/// Why a key file cannot be used.
public enum IdentityError: Error, Equatable, Sendable, CustomStringConvertible {
    case unreadable(path: String, why: String)
    case permissionsTooOpen(path: String, mode: UInt32)
    case malformed(path: String, why: String)

    public var code: String {
        switch self {
        case .unreadable: "unreadable_key"
        case .permissionsTooOpen: "key_permissions_too_open"
        case .malformed: "malformed_key"
        }
    }

    public var description: String {
        switch self {
        case .unreadable(let path, let why): "cannot read the key file \(path): \(why)"
        case .permissionsTooOpen(let path, let mode):
            "the key file \(path) has mode \(String(mode, radix: 8)); others may read it. Run `chmod 600 \(path)`"
        case .malformed(let path, let why): "\(path) is not a usable key file: \(why)"
        }
    }
}

extension Ed25519.PublicKey {
    /// The key spelled as 64 hex digits, or `nil` when `hex` is not a valid public key.
    public init?(hex: some StringProtocol) {
        guard let bytes = Hex.decode(hex, byteCount: Ed25519.publicKeyByteCount),
            let key = try? Ed25519.PublicKey(rawRepresentation: bytes)
        else { return nil }
        self = key
    }

    public var hex: String { Hex.encode(rawRepresentation) }
}
