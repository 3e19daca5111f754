import Foundation

/// What `zkml loadtest` measured; `--json` prints it, `--chart` draws its queue samples.
struct LoadReport: Encodable {
    struct Event: Encodable {
        var at: Double
        var what: String
    }

    var multiple: Double
    var kill: Bool
    var libraryProofMilliseconds: Double
    var libraryVerifyMilliseconds: Double
    /// Mean proof time inside the inference node (its current process) and verify time inside the full node.
    var nodeProofMilliseconds: Double?
    var nodeVerifyMilliseconds: Double?
    /// Proofs the inference node made per second during the load (nil with --kill: its counters restart).
    var nodeProofsPerSecond: Double?
    /// Jobs the inference node abandoned because they could no longer meet their deadline (its current process).
    var abandoned: Int
    var capacityPerSecond: Double
    var offeredPerSecond: Double
    var sent: Int
    var accepted: Int
    var downgraded: Int
    var refused429: Int
    /// No answer or a 5xx (a node was down).
    var unavailable: Int
    var otherRefusals: Int
    /// The sending window, seconds, and the requests settled per second within it.
    var loadSeconds: Double
    var settledPerSecond: Double
    var inferenceP50Milliseconds: Double
    var inferenceP99Milliseconds: Double
    var settlementP50Milliseconds: Double
    var settlementP99Milliseconds: Double
    var maxQueueDepth: Int
    var queueBound: Int
    /// Mean absolute relative error of the proof-time predictions (of the inference node's current process).
    var predictionErrorMean: Double?
    var settled: Int
    var rejected: Int
    var expired: Int
    /// Accepted requests without a final verdict on the full node.
    var lost: Int
    var logEntries: Int
    var logVerified: Bool
    /// [seconds since start, queued jobs].
    var queueSamples: [[Double]]
    var events: [Event]

    var table: String {
        func f(_ v: Double) -> String { String(format: "%.1f", v) }
        return """
            load \(f(multiple))×\(kill ? " with kills" : ""): library proof \(f(libraryProofMilliseconds)) ms + verify \(f(libraryVerifyMilliseconds)) ms → capacity \(f(capacityPerSecond))/s, offered \(f(offeredPerSecond))/s for \(f(loadSeconds)) s
            requests: \(sent) sent, \(accepted) accepted, \(refused429) refused (429), \(downgraded) downgraded, \(unavailable) unavailable, \(otherRefusals) other refusals
            throughput: \(f(settledPerSecond)) settled/s; inference p50 \(f(inferenceP50Milliseconds)) ms, p99 \(f(inferenceP99Milliseconds)) ms; settlement p50 \(f(settlementP50Milliseconds)) ms, p99 \(f(settlementP99Milliseconds)) ms
            node proofs/s during the load: \(nodeProofsPerSecond.map(f) ?? "n/a") (library alone: \(f(1000 / libraryProofMilliseconds))); abandoned jobs \(abandoned)
            in the nodes: proof \(nodeProofMilliseconds.map(f) ?? "n/a") ms (library \(f(libraryProofMilliseconds))), verify \(nodeVerifyMilliseconds.map(f) ?? "n/a") ms (library \(f(libraryVerifyMilliseconds)))
            queue: max \(maxQueueDepth) jobs (bound \(queueBound)); prediction error \(predictionErrorMean.map { String(format: "%.0f %%", $0 * 100) } ?? "n/a")
            fate of accepted: \(settled) settled, \(rejected) rejected, \(expired) expired, \(lost) lost; log \(logEntries) entries, \(logVerified ? "verified" : "FAILED verification")
            """
    }

    /// The queue depth over time as an SVG line chart, with the kills marked.
    func queueChartSVG() -> String {
        let width = 720.0, height = 260.0, left = 50.0, bottom = 30.0, top = 20.0, right = 20.0
        let maxT = max(queueSamples.last?[0] ?? 1, 1), maxY = Double(max(queueBound, maxQueueDepth, 1))
        func x(_ t: Double) -> Double { left + (width - left - right) * t / maxT }
        func y(_ v: Double) -> Double { height - bottom - (height - bottom - top) * v / maxY }
        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="11">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="14">proof queue depth (jobs) at \(String(format: "%.1f", multiple))× capacity\(kill ? ", with kills" : "")</text>
            <line x1="\(left)" y1="\(y(0))" x2="\(width - right)" y2="\(y(0))" stroke="black"/>
            <line x1="\(left)" y1="\(y(0))" x2="\(left)" y2="\(top)" stroke="black"/>
            <line x1="\(left)" y1="\(y(Double(queueBound)))" x2="\(width - right)" y2="\(y(Double(queueBound)))" stroke="red" stroke-dasharray="4 3"/>
            <text x="\(width - right - 80)" y="\(y(Double(queueBound)) - 4)" fill="red">bound \(queueBound)</text>
            <text x="\(left - 8)" y="\(y(0) + 4)" text-anchor="end">0</text>
            <text x="\(left - 8)" y="\(y(maxY) + 4)" text-anchor="end">\(Int(maxY))</text>
            <text x="\(left)" y="\(height - 8)">0 s</text>
            <text x="\(width - right)" y="\(height - 8)" text-anchor="end">\(String(format: "%.0f", maxT)) s</text>

            """
        for event in events {
            svg += "<line x1=\"\(x(event.at))\" y1=\"\(top)\" x2=\"\(x(event.at))\" y2=\"\(y(0))\" stroke=\"gray\" stroke-dasharray=\"2 2\"/>"
            svg += "<text x=\"\(x(event.at) + 3)\" y=\"\(top + 12)\" fill=\"gray\">\(event.what)</text>\n"
        }
        let points = queueSamples.map { "\(String(format: "%.1f", x($0[0]))),\(String(format: "%.1f", y($0[1])))" }.joined(separator: " ")
        svg += "<polyline fill=\"none\" stroke=\"steelblue\" stroke-width=\"1.5\" points=\"\(points)\"/>\n</svg>\n"
        return svg
    }
}
