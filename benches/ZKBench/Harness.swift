/// The benchmark harness: timed repetitions, medians, JSON lines and a human table.
///
/// Method: each benchmark runs once to warm up, then `runs` timed repetitions of a body that
/// performs `n` operations; the reported figure is the median time per operation (min and max are
/// reported too, since this shared machine is noisy). Results are folded into a sink so the
/// optimiser cannot delete the work.

/// One benchmark row.
struct BenchResult {
    var suite: String
    var name: String
    /// Median nanoseconds per operation (or per whole run when `n == 1`).
    var medianNs: Double
    var minNs: Double
    var maxNs: Double
    /// Operations per timed run.
    var n: Int
    var runs: Int
    var threads: Int
    /// Extra fields (ratios, sizes, derived figures), already JSON-encoded values.
    var extra: [(String, String)] = []

    var jsonLine: String {
        var fields: [(String, String)] = [
            ("suite", quoted(suite)), ("name", quoted(name)), ("median_ns", format(medianNs)),
            ("min_ns", format(minNs)), ("max_ns", format(maxNs)), ("n", String(n)), ("runs", String(runs)),
            ("threads", String(threads)),
        ]
        fields += extra
        return "{" + fields.map { "\(quoted($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
    }
}

/// Keeps a value alive as far as the optimiser can tell: an unoptimised, never-inlined call
/// whose argument must therefore be computed.
@inline(never) @_optimize(none)
func blackHole<T>(_ value: T) {}

/// Nanoseconds of a monotonic clock.
@inline(__always)
func nowNanoseconds() -> Double {
    let d = ContinuousClock.now - ContinuousClock.Instant.zeroReference
    return Double(d.components.seconds) * 1e9 + Double(d.components.attoseconds) / 1e9
}

extension ContinuousClock.Instant {
    static let zeroReference = ContinuousClock.now
}

/// Times `body` (which performs `n` operations) `runs` times after one warm-up run and returns
/// (median, min, max) nanoseconds per operation.
func measure(runs: Int, n: Int, _ body: () -> Void) -> (median: Double, min: Double, max: Double) {
    body()
    var samples: [Double] = []
    for _ in 0..<runs {
        let start = nowNanoseconds()
        body()
        samples.append((nowNanoseconds() - start) / Double(n))
    }
    samples.sort()
    let median = samples.count % 2 == 1
        ? samples[samples.count / 2] : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
    return (median, samples.first!, samples.last!)
}

/// Collects results and prints them as JSON lines (default) or a table (`--table`).
final class Reporter {
    let table: Bool
    private(set) var results: [BenchResult] = []

    init(table: Bool) { self.table = table }

    func report(_ result: BenchResult) {
        results.append(result)
        if !table { print(result.jsonLine) }
    }

    func printTable() {
        guard table else { return }
        let header = ["suite", "name", "median", "min", "max", "n", "threads", "notes"]
        var rows = [header]
        for r in results {
            let notes = r.extra.map { "\($0.0)=\($0.1.replacingQuotes())" }.joined(separator: " ")
            rows.append([r.suite, r.name, human(r.medianNs), human(r.minNs), human(r.maxNs), String(r.n),
                         String(r.threads), notes])
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max()! }
        for (i, row) in rows.enumerated() {
            print(row.enumerated().map { c, cell in
                c >= 2 && c <= 6 ? pad(cell, widths[c], left: true) : pad(cell, widths[c], left: false)
            }.joined(separator: "  "))
            if i == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
        }
    }
}

// MARK: Formatting without Foundation

func quoted(_ s: String) -> String {
    var out = "\""
    for ch in s.unicodeScalars {
        switch ch {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        default: out.unicodeScalars.append(ch)
        }
    }
    return out + "\""
}

/// A number with three significant decimals after the point, as JSON.
func format(_ x: Double, decimals: Int = 3) -> String {
    guard x.isFinite else { return "null" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (x * scale).rounded() / scale
    var s = String(rounded)
    if s.hasSuffix(".0") { s.removeLast(2) }
    return s
}

/// Nanoseconds as a short human figure.
func human(_ ns: Double) -> String {
    if ns >= 1e9 { return format(ns / 1e9, decimals: 2) + " s" }
    if ns >= 1e6 { return format(ns / 1e6, decimals: 2) + " ms" }
    if ns >= 1e3 { return format(ns / 1e3, decimals: 2) + " µs" }
    return format(ns, decimals: 2) + " ns"
}

func pad(_ s: String, _ width: Int, left: Bool) -> String {
    let fill = String(repeating: " ", count: max(0, width - s.count))
    return left ? fill + s : s + fill
}

extension String {
    func replacingQuotes() -> String { String(self.filter { $0 != "\"" }) }
}
