import ZKNodeCore
import ServiceLifecycle

/// Full node: expires zkml receipts whose deadline passed without a proof, every 200 ms, by the
/// full node's own clock.
package struct ExpiryService: Service {
    let node: FullNode

    package init(node: FullNode) { self.node = node }

    package func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do { _ = try await node.expireOverdue() } catch { node.logger.error("expiry: \(error)") }
            try? await Task.sleep(for: .milliseconds(200))
        }
    }
}
