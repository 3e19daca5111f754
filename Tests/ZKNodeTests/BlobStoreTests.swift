import Foundation
import Testing
import ZKNodeCore
import ZKNodeProtocol
import ZKSodium

@Suite struct BlobStoreTests {
    @Test func blobsAreContentAddressedAndCheckedOnRead() throws {
        let directory = NSTemporaryDirectory() + "zkml-blobs-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try BlobStore(directory: directory)
        let bytes: [UInt8] = Array("an onnx model".utf8)
        let id = try store.put(bytes)
        #expect(id == NodeHash.blobID(bytes).description)
        #expect(try store.get(id) == bytes)
        #expect(try store.put(bytes) == id)
        #expect(try store.get(String(repeating: "0", count: 64)) == nil)
        #expect(throws: BlobError.self) { try store.get("../etc/passwd") }
        // A damaged file is refused, not served.
        try Data("another model".utf8).write(to: URL(fileURLWithPath: directory + "/" + id))
        #expect { try store.get(id) } throws: { error in
            if case BlobError.corrupt(id) = error { return true }
            return false
        }
    }
}
