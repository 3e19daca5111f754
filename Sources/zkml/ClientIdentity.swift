import ArgumentParser
import Foundation
import ZKNodeProtocol

/// `--key FILE`: the client's (or publisher's) Ed25519 identity. Without it, `$ZKML_CLIENT_KEY`,
/// else `~/.config/zkml/client.key`, created (mode 0600) on first use.
struct ClientKeyOption: ParsableArguments {
    @Option(name: .customLong("key"), help: "The client key file (default: $ZKML_CLIENT_KEY or ~/.config/zkml/client.key, created if missing).")
    var keyFile: String?

    func identity() throws -> NodeIdentity {
        let path = keyFile ?? ProcessInfo.processInfo.environment["ZKML_CLIENT_KEY"]
            ?? (NSHomeDirectory() + "/.config/zkml/client.key")
        if keyFile == nil, !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(
                atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            try NodeIdentity.generate().write(path: path)
        }
        return try NodeIdentity.load(path: path)
    }
}

/// `--node URL` / `--hub URL`, without a trailing slash.
func baseURL(_ url: String) throws -> String {
    guard let parsed = URL(string: url), parsed.scheme == "http" || parsed.scheme == "https", parsed.host != nil else {
        throw UsageError("\(url) is not an http(s) URL", code: "usage")
    }
    return url.hasSuffix("/") ? String(url.dropLast()) : url
}
