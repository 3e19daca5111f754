import Foundation
public import Hummingbird
import NIOCore
public import ZKNodeProtocol

/// A refusal with an HTTP status and a stable code; every handler's error becomes the JSON body
/// `{"error": {"code", "message"}}` (``APIErrorBody``).
public struct APIFailure: Error, Sendable, CustomStringConvertible {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Seconds, for 429 and 503.
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, _ code: String, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(status.code) \(code): \(message)" }

    package static func badRequest(_ code: String, _ message: String) -> APIFailure { APIFailure(.badRequest, code, message) }
    package static func notFound(_ what: String) -> APIFailure { APIFailure(.notFound, "not_found", "\(what) not found") }
}

package enum HTTPJSON {
    /// A JSON response from a `Codable` value.
    package static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? NodeJSON.encode(value)) ?? Data(#"{"error":{"code":"internal","message":"unencodable response"}}"#.utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    package static func failure(_ failure: APIFailure) -> Response {
        var response = response(APIErrorBody(code: failure.code, message: failure.message), status: failure.status)
        if let retryAfter = failure.retryAfter { response.headers[.retryAfter] = String(retryAfter) }
        return response
    }

    /// The request body, refused above `limit` bytes (413) before it is all read.
    package static func body(_ request: Request, limit: Int) async throws(APIFailure) -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIFailure(.contentTooLarge, "body_too_large", "the body has \(length) bytes; the limit is \(limit)")
        }
        do {
            var buffer = try await request.body.collect(upTo: limit)
            return buffer.readBytes(length: buffer.readableBytes) ?? []
        } catch {
            throw APIFailure(.contentTooLarge, "body_too_large", "the body exceeds \(limit) bytes")
        }
    }

    /// Decodes a JSON body as `T` (400 with the decoder's complaint otherwise).
    package static func decode<T: Decodable>(_ type: T.Type, from bytes: [UInt8]) throws(APIFailure) -> T {
        do { return try NodeJSON.decoder.decode(T.self, from: Data(bytes)) } catch {
            throw .badRequest("malformed_body", "the body is not a valid \(T.self): \(describe(error))")
        }
    }

    package static func describe(_ error: any Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "missing field \(key.stringValue.snakeCased)"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            "field \(context.codingPath.map(\.stringValue.snakeCased).joined(separator: ".")) has the wrong type"
        case DecodingError.dataCorrupted(let context): "\(context.debugDescription)"
        default: "\(error)"
        }
    }
}

/// Turns every error a handler throws into a JSON error response: ``APIFailure`` as itself,
/// Hummingbird's own errors with their status, anything else as a 500 `internal` (logged).
package struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let failure as APIFailure {
            return HTTPJSON.failure(failure)
        } catch let error as HTTPError {
            let code = error.status == .notFound ? "not_found" : error.status == .methodNotAllowed ? "method_not_allowed" : "http_\(error.status.code)"
            return HTTPJSON.failure(APIFailure(error.status, code, error.body ?? error.status.reasonPhrase))
        } catch {
            context.logger.error("internal error: \(error)")
            return HTTPJSON.failure(APIFailure(.internalServerError, "internal", "internal error"))
        }
    }
}

/// Milliseconds since the epoch, the nodes' clock unit.
public func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
