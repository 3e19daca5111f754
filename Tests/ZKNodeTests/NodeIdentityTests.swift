import Foundation
import Testing
import ZKNodeProtocol

@Suite struct NodeIdentityTests {
    func temporaryPath() -> String { NSTemporaryDirectory() + "zkml-key-\(UUID().uuidString)" }

    @Test func keyFileRoundTripsWithMode0600() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let identity = NodeIdentity.generate()
        try identity.write(path: path)
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        #expect(try NodeIdentity.load(path: path).publicKeyHex == identity.publicKeyHex)
    }

    @Test func existingFileIsNeverOverwritten() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NodeIdentity.generate().write(path: path)
        #expect(throws: IdentityError.self) { try NodeIdentity.generate().write(path: path) }
    }

    @Test func looserPermissionsAreRefused() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NodeIdentity.generate().write(path: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: IdentityError.permissionsTooOpen(path: path, mode: 0o644)) { try NodeIdentity.load(path: path) }
    }

    @Test func mismatchedPublicKeyIsRefused() throws {
        let path = temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NodeIdentity.generate().write(path: path)
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let other = NodeIdentity.generate().publicKeyHex
        let json = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: String]
        text = text.replacingOccurrences(of: json["public_key"]!, with: other)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: IdentityError.malformed(path: path, why: "public_key does not match the seed")) { try NodeIdentity.load(path: path) }
    }
}
