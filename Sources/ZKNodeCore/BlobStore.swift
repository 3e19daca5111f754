import Foundation
import ZKNodeProtocol
import ZKSodium

/// Content-addressed files: a blob's id is the hash of its bytes (``NodeHash/blobID(_:)``).
///
/// Blobs live in `<dir>/<id>`, apart from the database and the log. A blob is written to a
/// temporary file, synced and renamed into place, so a blob file is either whole or absent; every
/// read re-hashes the bytes and refuses a file whose hash is not its name.
public struct BlobStore: Sendable {
    public let directory: String
    public static let maximumBlobBytes = 256 << 20

    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Stores `bytes` and returns their id (storing the same bytes twice is harmless).
    public func put(_ bytes: [UInt8]) throws -> String {
        let id = NodeHash.blobID(bytes).description
        let path = directory + "/" + id
        if FileManager.default.fileExists(atPath: path), (try? get(id)) != nil { return id }
        let temporary = directory + "/.tmp-\(id)-\(Hex.encode(SecureRandom.bytes(8)))"
        let url = URL(fileURLWithPath: temporary)
        try Data(bytes).write(to: url)
        let handle = try FileHandle(forWritingTo: url)
        try handle.synchronize()
        try handle.close()
        if rename(temporary, path) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw BlobError.unwritable(id)
        }
        return id
    }

    /// The blob's bytes, checked against its id; `nil` when there is no such blob.
    public func get(_ id: String) throws(BlobError) -> [UInt8]? {
        guard Self.isValidID(id) else { throw .malformedID }
        guard let data = FileManager.default.contents(atPath: directory + "/" + id) else { return nil }
        let bytes = Array(data)
        guard NodeHash.blobID(bytes).description == id else { throw .corrupt(id) }
        return bytes
    }

    public static func isValidID(_ id: String) -> Bool { id.utf8.count == 64 && Hex.decode(id) != nil && id == id.lowercased() }
}

public enum BlobError: Error, Sendable, CustomStringConvertible {
    case malformedID
    case corrupt(String)
    case unwritable(String)

    public var description: String {
        switch self {
        case .malformedID: "a blob id is 64 lower-case hex digits"
        case .corrupt(let id): "blob \(id) is damaged on disk (its bytes no longer hash to its id)"
        case .unwritable(let id): "blob \(id) cannot be stored"
        }
    }
}
