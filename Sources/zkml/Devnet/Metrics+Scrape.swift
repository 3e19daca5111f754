import ZKNode
import ZKNodeCore

/// Reads values from a node's Prometheus text exposition.
struct MetricsScrape {
    var text: String

    static func fetch(_ url: String, http: NodeHTTPClient) async -> MetricsScrape? {
        guard let reply = try? await http.getRaw(url + "/metrics"), reply.status == 200 else { return nil }
        return MetricsScrape(text: String(decoding: reply.body, as: UTF8.self))
    }

    /// The sum of every sample of `name` (over its label sets), or nil when absent.
    func value(_ name: String) -> Double? {
        var total: Double?
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2 else { continue }
            let metric = fields[0].split(separator: "{", maxSplits: 1)[0]
            if metric == name, let v = Double(fields[1]) { total = (total ?? 0) + v }
        }
        return total
    }
}
