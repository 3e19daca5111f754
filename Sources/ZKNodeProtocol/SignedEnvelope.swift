public import ZKSodium
import Foundation

/// A signed message: the exact payload bytes, the signer's public key and an Ed25519 signature
/// over `domain ‖ 0x00 ‖ payload`.
///
/// The signature covers bytes, not a value: a receiver verifies the bytes it received before it
/// decodes them, and anyone can check the same bytes again later, so no two JSON encoders ever
/// have to agree on a re-serialization. The domain (one per message kind, ``MessageKind``) keeps a
/// signature on one kind of message from being replayed as another kind.
public struct SignedEnvelope: Codable, Sendable, Hashable {
    /// The signer's Ed25519 public key, hex.
    public var signer: String
    /// The payload bytes (JSON of the message), base64.
    public var payload: String
    /// The signature, hex.
    public var signature: String

    public init(signer: String, payload: String, signature: String) {
        self.signer = signer
        self.payload = payload
        self.signature = signature
    }

    /// Payloads are small JSON documents; the largest is a request carrying a model input.
    public static let maximumPayloadBytes = 4 << 20

    /// Signs `value`'s JSON encoding (sorted keys) as a message of `kind`.
    public static func seal(_ value: some Encodable, kind: MessageKind, by identity: NodeIdentity) throws -> SignedEnvelope {
        let bytes = Array(try NodeJSON.encode(value))
        return seal(bytes: bytes, kind: kind, by: identity)
    }

    public static func seal(bytes: [UInt8], kind: MessageKind, by identity: NodeIdentity) -> SignedEnvelope {
        let signature = identity.signingKey.sign(signedBytes(kind: kind, payload: bytes))
        return SignedEnvelope(
            signer: identity.publicKeyHex, payload: Data(bytes).base64EncodedString(), signature: Hex.encode(signature))
    }

    static func signedBytes(kind: MessageKind, payload: [UInt8]) -> [UInt8] {
        Array(kind.domain.utf8) + [0] + payload
    }

    /// The payload bytes, after checking the signature; does not decode them.
    public func verifiedPayload(kind: MessageKind) throws(EnvelopeError) -> (bytes: [UInt8], signer: Ed25519.PublicKey) {
        guard let signer = Ed25519.PublicKey(hex: signer) else { throw .malformedSigner }
        guard payload.utf8.count <= Self.maximumPayloadBytes / 3 * 4 + 4 else { throw .payloadTooLarge }
        guard let data = Data(base64Encoded: payload) else { throw .malformedPayload("payload is not base64") }
        guard let signature = Hex.decode(signature, byteCount: Ed25519.signatureByteCount) else { throw .malformedSignature }
        let bytes = Array(data)
        guard signer.verify(signature: signature, message: Self.signedBytes(kind: kind, payload: bytes)) else {
            throw .badSignature
        }
        return (bytes, signer)
    }

    /// Checks the signature, then decodes the payload as `T`.
    public func open<T: Decodable>(_ type: T.Type, kind: MessageKind) throws(EnvelopeError) -> (message: T, signer: Ed25519.PublicKey) {
        let (bytes, signer) = try verifiedPayload(kind: kind)
        do { return (try NodeJSON.decoder.decode(T.self, from: Data(bytes)), signer) } catch {
            throw .malformedPayload(String(describing: error))
        }
    }

    /// The envelope's hash: signer, payload and signature (what a log entry cites as evidence).
    public var hash: Digest32 {
        NodeHash.hash(domain: "zkml/envelope/v1", Array("\(signer)\n\(payload)\n\(signature)".utf8))
    }

    /// The hash of the payload bytes alone, or `nil` when the payload is not base64.
    public var payloadHash: Digest32? {
        guard let data = Data(base64Encoded: payload) else { return nil }
        return NodeHash.hash(domain: "zkml/payload/v1", Array(data))
    }
}

/// The kinds of signed messages; each signs under its own domain.
public enum MessageKind: String, Sendable, CaseIterable {
    /// A client's inference request.
    case inferenceRequest = "inference-request"
    /// An inference node's receipt for a request.
    case receipt
    /// An inference node's attestation of a TEE-mode result (simulated: signed by the node key).
    case attestation
    /// A message between nodes (registration, proof submission), with replay protection.
    case nodeMessage = "node-message"
    /// A hub write by a model's publisher (create a repository, release a version).
    case hubWrite = "hub-write"
    /// A signed log entry.
    case logEntry = "log-entry"

    public var domain: String { "zkml/\(rawValue)/v1" }
}

/// Why a signed envelope is refused.
public enum EnvelopeError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedSigner
    case malformedSignature
    case payloadTooLarge
    case malformedPayload(String)
    case badSignature

    public var code: String {
        switch self {
        case .malformedSigner: "malformed_signer"
        case .malformedSignature: "malformed_signature"
        case .payloadTooLarge: "payload_too_large"
        case .malformedPayload: "malformed_payload"
        case .badSignature: "bad_signature"
        }
    }

    public var description: String {
        switch self {
        case .malformedSigner: "the signer is not a 64-hex-digit Ed25519 public key"
        case .malformedSignature: "the signature is not 128 hex digits"
        case .payloadTooLarge: "the payload is larger than \(SignedEnvelope.maximumPayloadBytes) bytes"
        case .malformedPayload(let why): "the payload is not the expected message: \(why)"
        case .badSignature: "the signature does not verify"
        }
    }
}

/// The JSON conventions of every node message and API body: snake_case keys, sorted, no
/// escaped slashes; milliseconds since the epoch as integers, never floating-point dates.
public enum NodeJSON {
    public static func encode(_ value: some Encodable) throws -> Data {
        try encoder.encode(value)
    }

    public static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .throw
        return encoder
    }

    public static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
