import Foundation
import Testing
import ZKNodeProtocol
import ZKSodium

@Suite struct SignedEnvelopeTests {
    let identity = NodeIdentity.generate()
    let request = InferenceRequest(model: "mlp@1.0", mode: .zkml, input: [0.5, -1, 3.25], idempotencyKey: "k1", issuedAt: 1_700_000_000_000)

    @Test func sealedMessageOpensWithItsSigner() throws {
        let envelope = try SignedEnvelope.seal(request, kind: .inferenceRequest, by: identity)
        let (opened, signer) = try envelope.open(InferenceRequest.self, kind: .inferenceRequest)
        #expect(opened == request)
        #expect(signer == identity.publicKey)
    }

    @Test func changedPayloadIsRefused() throws {
        var envelope = try SignedEnvelope.seal(request, kind: .inferenceRequest, by: identity)
        var bytes = Array(Data(base64Encoded: envelope.payload)!)
        bytes[bytes.count / 2] ^= 1
        envelope.payload = Data(bytes).base64EncodedString()
        #expect(throws: EnvelopeError.badSignature) { try envelope.open(InferenceRequest.self, kind: .inferenceRequest) }
    }

    @Test func signatureOfOneKindDoesNotOpenAnother() throws {
        let envelope = try SignedEnvelope.seal(request, kind: .inferenceRequest, by: identity)
        #expect(throws: EnvelopeError.badSignature) { try envelope.open(InferenceRequest.self, kind: .receipt) }
    }

    @Test func anotherSignerIsRefused() throws {
        var envelope = try SignedEnvelope.seal(request, kind: .inferenceRequest, by: identity)
        envelope.signer = NodeIdentity.generate().publicKeyHex
        #expect(throws: EnvelopeError.badSignature) { try envelope.open(InferenceRequest.self, kind: .inferenceRequest) }
    }

    @Test func malformedFieldsAreTypedErrors() throws {
        let good = try SignedEnvelope.seal(request, kind: .inferenceRequest, by: identity)
        var e = good
        e.signer = "00"
        #expect(throws: EnvelopeError.malformedSigner) { try e.open(InferenceRequest.self, kind: .inferenceRequest) }
        e = good
        e.signature = "xyz"
        #expect(throws: EnvelopeError.malformedSignature) { try e.open(InferenceRequest.self, kind: .inferenceRequest) }
        e = good
        e.payload = "%%%"
        #expect(throws: EnvelopeError.malformedPayload("payload is not base64")) { try e.open(InferenceRequest.self, kind: .inferenceRequest) }
        e = good
        e.payload = String(repeating: "A", count: SignedEnvelope.maximumPayloadBytes * 2)
        #expect(throws: EnvelopeError.payloadTooLarge) { try e.open(InferenceRequest.self, kind: .inferenceRequest) }
    }

    @Test func validSignatureOnTheWrongShapeIsMalformedPayload() throws {
        let envelope = try SignedEnvelope.seal(["hello": 1], kind: .inferenceRequest, by: identity)
        #expect {
            try envelope.open(InferenceRequest.self, kind: .inferenceRequest)
        } throws: { error in
            if case EnvelopeError.malformedPayload = error { return true }
            return false
        }
    }

    @Test func requestIDsDependOnClientAndKey() {
        let a = NodeIdentity.generate().publicKey, b = NodeIdentity.generate().publicKey
        #expect(InferenceRequest.requestID(client: a, idempotencyKey: "k") == InferenceRequest.requestID(client: a, idempotencyKey: "k"))
        #expect(InferenceRequest.requestID(client: a, idempotencyKey: "k") != InferenceRequest.requestID(client: b, idempotencyKey: "k"))
        #expect(InferenceRequest.requestID(client: a, idempotencyKey: "k") != InferenceRequest.requestID(client: a, idempotencyKey: "k2"))
    }

    @Test func modelReferencesParse() {
        #expect(ModelReference("mlp@1.0") == .release(name: "mlp", version: "1.0"))
        #expect(ModelReference(String(repeating: "ab", count: 32)) == .id(String(repeating: "ab", count: 32)))
        for bad in ["mlp", "mlp@1", "mlp@1.0.0", "MLP@1.0", "@1.0", "mlp@01.0", "mlp@1.x", "m lp@1.0", "-x@1.0", ""] {
            #expect(ModelReference(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct FreshnessTests {
    @Test func timestampsFarFromNowAreStaleWithoutOverflow() {
        let now: Int64 = 1_764_800_000_000
        #expect(isFresh(now, now: now))
        #expect(isFresh(now - 60_000, now: now))
        #expect(isFresh(now + 60_000, now: now))
        #expect(!isFresh(now - 3_600_000, now: now))
        #expect(!isFresh(Int64.min, now: now))
        #expect(!isFresh(Int64.max, now: now))
        #expect(!isFresh(Int64.min, now: -1))
    }
}
