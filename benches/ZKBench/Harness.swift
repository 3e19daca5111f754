/// The benchmark harness: timed repetitions, medians, JSON lines and a human table.
///
/// Method: each benchmark runs once to warm up, then `runs` timed repetitions of a body that
/// performs `n` operations; the reported figure is the median time per operation (min and max are
/// reported too, since this shared machine is noisy). Results are folded into a sink so the
/// optimiser cannot delete the work.

import Foundation

/// One value of a benchmark row's extra fields.
enum BenchValue: Encodable, CustomStringConvertible {
    case number(Double)
    case integer(Int)
    case text(String)

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let x): if x.isFinite { try container.encode(x) } else { try container.encodeNil() }
        case .integer(let n): try container.encode(n)
        case .text(let s): try container.encode(s)
        }
    }

    var description: String {
        switch self {
        case .number(let x): return format(x, decimals: 6)
        case .integer(let n): return String(n)
        case .text(let s): return s
        }
    }
}

/// A number rounded to `decimals` places after the point (a JSON number; null when not finite).
func number(_ x: Double, decimals: Int = 3) -> BenchValue {
    guard x.isFinite else { return .number(x) }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    return .number((x * scale).rounded() / scale)
}

/// One benchmark row, printed as one JSON object per line (``jsonLine``, through `JSONEncoder`).
struct BenchResult: Encodable {
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
    /// Extra fields (ratios, sizes, derived figures), in the order they are printed.
    var extra: [(String, BenchValue)] = []

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        let fields: [(String, BenchValue)] = [
            ("suite", .text(suite)), ("name", .text(name)), ("median_ns", number(medianNs)),
            ("min_ns", number(minNs)), ("max_ns", number(maxNs)), ("n", .integer(n)), ("runs", .integer(runs)),
            ("threads", .integer(threads)),
        ] + extra
        for (key, value) in fields { try container.encode(value, forKey: Key(stringValue: key)) }
    }

    var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // A row is made of numbers and strings: encoding cannot fail.
        return String(decoding: try! encoder.encode(self), as: UTF8.self)
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
            let notes = r.extra.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
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

// MARK: Human formatting

/// A number with `decimals` places after the point, for the human table.
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
