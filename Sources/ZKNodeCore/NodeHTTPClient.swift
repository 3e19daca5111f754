public import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
public import ZKNodeProtocol

/// JSON over HTTP for node-to-node calls and the `zkml` client commands (AsyncHTTPClient).
public struct NodeHTTPClient: Sendable {
    public let client: HTTPClient
    public var timeout: TimeAmount
    /// Answers larger than this are refused (a hub blob can be large; everything else is small).
    public var maximumResponseBytes: Int

    public init(client: HTTPClient = .shared, timeout: TimeAmount = .seconds(30), maximumResponseBytes: Int = 512 << 20) {
        self.client = client
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// A response: status, headers and body bytes.
    public struct Reply: Sendable {
        public var status: Int
        public var retryAfter: Int?
        public var body: [UInt8]

        /// Decodes the body as `T` (any 2xx), or throws the server's ``APIErrorBody`` as a ``NodeCallError``.
        public func decode<T: Decodable>(_ type: T.Type) throws(NodeCallError) -> T {
            guard (200..<300).contains(status) else {
                if let error = try? NodeJSON.decoder.decode(APIErrorBody.self, from: Data(body)) {
                    throw .refused(status: status, code: error.error.code, message: error.error.message, retryAfter: retryAfter)
                }
                throw .refused(status: status, code: "http_\(status)", message: String(decoding: body.prefix(200), as: UTF8.self), retryAfter: retryAfter)
            }
            do { return try NodeJSON.decoder.decode(T.self, from: Data(body)) } catch {
                throw .malformedResponse("\(T.self): \(error)")
            }
        }
    }

    public func send(_ method: HTTPMethod, _ url: String, body: [UInt8]? = nil, contentType: String = "application/json") async throws(NodeCallError) -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            let response = try await client.execute(request, timeout: timeout)
            var buffer = try await response.body.collect(upTo: maximumResponseBytes)
            return Reply(
                status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After").flatMap(Int.init),
                body: buffer.readBytes(length: buffer.readableBytes) ?? [])
        } catch {
            throw .unreachable("\(method) \(url): \(error)")
        }
    }

    public init(timeoutSeconds: Int64) { self.init(timeout: .seconds(timeoutSeconds)) }

    /// `POST` of raw bytes (a blob upload).
    public func postBytes(_ url: String, _ bytes: [UInt8], contentType: String = "application/octet-stream") async throws(NodeCallError) -> Reply {
        try await send(.POST, url, body: bytes, contentType: contentType)
    }

    /// `GET`, with the raw reply (any status).
    public func getRaw(_ url: String) async throws(NodeCallError) -> Reply { try await send(.GET, url) }

    public func get<T: Decodable>(_ url: String, as type: T.Type) async throws(NodeCallError) -> T {
        try await send(.GET, url).decode(T.self)
    }

    public func post<T: Decodable>(_ url: String, json value: some Encodable, as type: T.Type) async throws(NodeCallError) -> T {
        let body: Data
        do { body = try NodeJSON.encode(value) } catch { throw .malformedResponse("cannot encode the request: \(error)") }
        return try await send(.POST, url, body: Array(body)).decode(T.self)
    }
}

/// Why a call to a node failed.
public enum NodeCallError: Error, Sendable, CustomStringConvertible {
    /// No answer (connection refused, timeout).
    case unreachable(String)
    /// The node answered with an error.
    case refused(status: Int, code: String, message: String, retryAfter: Int?)
    /// The node's answer is not what the API says.
    case malformedResponse(String)

    public var description: String {
        switch self {
        case .unreachable(let why): "no answer: \(why)"
        case .refused(let status, let code, let message, _): "\(status) \(code): \(message)"
        case .malformedResponse(let why): "malformed response: \(why)"
        }
    }

    /// Whether a retry may succeed (no answer, or a 5xx / 429 / 503).
    public var isTransient: Bool {
        switch self {
        case .unreachable: true
        case .refused(let status, _, _, _): status >= 500 || status == 429
        case .malformedResponse: false
        }
    }
}
