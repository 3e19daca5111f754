import ZKNodeCore
import Foundation
import Hummingbird
import ZKNodeProtocol

extension InferenceNode {
    /// The inference node's HTTP API (openapi.yaml).
    package func routes(into router: Router<BasicRequestContext>) {
        let limit = config.resolvedMaxBodyBytes
        router.get("/v1/info") { _, _ in
            HTTPJSON.response(NodeInfo(
                role: "inference", publicKey: self.identity.publicKeyHex, version: NodeVersion.tool, proofFormat: NodeVersion.proofFormat,
                models: self.servedReferences))
        }
        router.get("/readyz") { _, _ in
            let writable = await NodeDatabase.isWritable(self.database)
            let state = self.queue.withLock { $0 }
            let underBound = state.jobs < self.config.resolvedMaxQueuedJobs && state.predictedSeconds < self.config.resolvedMaxQueuedSeconds
            let modelsLoaded = !self.models.isEmpty
            let ready = writable && underBound && modelsLoaded
            let body = HealthBody(
                status: ready ? "ready" : "not_ready",
                checks: [
                    "store": writable ? "writable" : "not writable",
                    "models": modelsLoaded ? "\(self.servedReferences.count) loaded" : "none loaded",
                    "queue": "\(state.jobs) jobs, \(Int(state.predictedSeconds.rounded())) s predicted" + (underBound ? "" : " (over its bound)"),
                ])
            return HTTPJSON.response(body, status: ready ? .ok : .serviceUnavailable)
        }
        router.post("/v1/infer") { request, _ in
            let envelope = try HTTPJSON.decode(SignedEnvelope.self, from: try await HTTPJSON.body(request, limit: limit))
            let response = try await self.infer(envelope)
            return HTTPJSON.response(response, status: response.replayed ? .ok : .created)
        }
        router.get("/v1/requests/{id}") { _, context in
            let id = try context.parameters.require("id")
            guard id.utf8.count == 64, Hex.decode(id) != nil else { throw APIFailure.badRequest("malformed_request_id", "a request id is 64 hex digits") }
            return HTTPJSON.response(try await self.status(of: id.lowercased()))
        }
    }
}
