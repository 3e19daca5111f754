import Foundation
import ZKNode
import ZKNodeCore
import ZKNodeProtocol

/// A node started as a child process of this `zkml` (same binary, `zkml node ROLE --config`),
/// on a fixed loopback port so that a restarted node keeps its URL. Stopped by its process id:
/// SIGTERM, then SIGKILL after a timeout.
final class NodeProcess: @unchecked Sendable {
    let role: NodeConfig.Role
    let configPath: String
    let port: Int
    let logPath: String
    private(set) var process: Process?
    var url: String { "http://127.0.0.1:\(port)" }
    var pid: Int32 { process?.processIdentifier ?? 0 }

    init(role: NodeConfig.Role, configPath: String, port: Int, logPath: String) {
        self.role = role
        self.configPath = configPath
        self.port = port
        self.logPath = logPath
    }

    func start() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = ["node", role.rawValue, "--config", configPath, "--port", String(port)]
        if !FileManager.default.fileExists(atPath: logPath) { FileManager.default.createFile(atPath: logPath, contents: nil) }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        try process.run()
        self.process = process
    }

    /// Waits until `/readyz` answers 200 (or the process exits, or `seconds` pass).
    func waitReady(seconds: Double) async throws {
        let client = NodeHTTPClient(timeoutSeconds: 2)
        let stop = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < stop {
            if let process, !process.isRunning {
                throw DevnetFailure("the \(role.rawValue) node exited with status \(process.terminationStatus) (log: \(logPath))")
            }
            if let reply = try? await client.getRaw(url + "/readyz"), reply.status == 200 { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw DevnetFailure("the \(role.rawValue) node was not ready after \(Int(seconds)) s (log: \(logPath))")
    }

    /// SIGTERM, wait up to `seconds`, then SIGKILL; returns the exit status (nil when killed).
    @discardableResult
    func stop(seconds: Double = 20) -> Int32? {
        guard let process, process.isRunning else { return process?.terminationStatus }
        kill(process.processIdentifier, SIGTERM)
        let stop = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < stop { usleep(20_000) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        return process.terminationStatus
    }

    /// SIGKILL at once (a crash).
    func crash() {
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// This executable (the children run the same `zkml`).
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// A free loopback port (bound and released; the node binds it again at once).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DevnetFailure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw DevnetFailure("cannot find a free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A devnet outcome that is not the expected one.
struct DevnetFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
