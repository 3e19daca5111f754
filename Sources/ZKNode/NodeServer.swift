import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import ZKNodeProtocol
import ZKFullNode
import ZKInferenceNode
@_exported import ZKNodeCore

/// Starts a node from its configuration and runs it until SIGTERM or SIGINT: binds the port,
/// prints `listening on http://HOST:PORT` and writes the port to `<data_dir>/port`, serves the
/// role's routes plus `/healthz` and `/metrics`, and on a signal stops admitting, drains its
/// services and returns (the process then exits 0).
public enum NodeServer {
    public static func run(config: NodeConfig) async throws {
        try config.validate()
        let identity = try NodeIdentity.load(path: config.keyFile)
        NodeMetrics.bootstrap()
        var logger = Logger(label: "zkml.node.\(config.role.rawValue)")
        logger.logLevel = ProcessInfo.processInfo.environment["ZKML_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        router.get("/healthz") { _, _ in HTTPJSON.response(HealthBody(status: "ok", checks: [:])) }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: NodeMetrics.exposition())))
        }
        var services: [any Service] = []
        switch config.role {
        case .full:
            let node = try FullNode(config: config, identity: identity, logger: logger)
            try node.start()
            node.routes(into: router)
            services.append(ExpiryService(node: node))
        case .inference:
            let node = try await InferenceNode.start(config: config, identity: identity, logger: logger)
            node.routes(into: router)
            services.append(ProvingWorkers(node: node))
            services.append(OutboxSender(node: node))
        }
        let portFile = config.dataDir + "/port"
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(config.resolvedHost, port: config.resolvedPort), serverName: "zkml-\(config.role.rawValue)"),
            services: services,
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? config.resolvedPort
                try? Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: portFile), options: .atomic)
                FileHandle.standardOutput.write(Data("listening on http://\(config.resolvedHost):\(port) as \(config.role.rawValue) node \(identity.publicKeyHex)\n".utf8))
            },
            logger: logger)
        try await app.runService(gracefulShutdownSignals: [.sigterm, .sigint])
    }
}

