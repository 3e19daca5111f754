import Foundation
import ZKNodeProtocol

/// Reads releases and blobs from a hub, checking every blob against its id.
public struct ModelHubClient: Sendable {
    public let baseURL: String
    public let http: NodeHTTPClient

    public init(baseURL: String, http: NodeHTTPClient = NodeHTTPClient()) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = http
    }

    public func release(name: String, version: String) async throws(NodeCallError) -> ReleaseRecord {
        try await http.get("\(baseURL)/v1/models/\(name)/releases/\(version)", as: ReleaseRecord.self)
    }

    /// The blob's bytes; throws unless they hash to `id`.
    public func blob(_ id: String) async throws(NodeCallError) -> [UInt8] {
        let reply = try await http.send(.GET, "\(baseURL)/v1/blobs/\(id)")
        guard reply.status == 200 else { _ = try reply.decode(BlobReceipt.self); throw .malformedResponse("blob \(id)") }
        guard NodeHash.blobID(reply.body).description == id else { throw .malformedResponse("blob \(id): the bytes do not hash to the id") }
        return reply.body
    }

    /// A release with its ONNX and calibration bytes.
    public func pull(name: String, version: String) async throws(NodeCallError) -> (ReleaseRecord, onnx: [UInt8], calibration: [UInt8]) {
        let release = try await release(name: name, version: version)
        return (release, try await blob(release.onnxBlob), try await blob(release.settings.calibrationBlob))
    }
}
