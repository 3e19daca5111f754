/// zkml-bench: `zkml-bench [--table] [--only NAME] SUITE...` with suites `field`, `poly`, `hash`,
/// `layers` (or `all`); `--list layers` prints the layer benchmarks' names.
/// Prefer `benches/run`, which builds in release mode first.

var arguments = Array(CommandLine.arguments.dropFirst())
let table = arguments.contains("--table")
var only: String? = nil
if let i = arguments.firstIndex(of: "--only"), i + 1 < arguments.count {
    only = arguments[i + 1]
    arguments.removeSubrange(i...(i + 1))
}
if arguments.contains("--list") {
    for name in layerBenchmarkNames { print(name) }
    exit(0)
}
var suites = arguments.filter { !$0.hasPrefix("--") }
let known = ["field", "poly", "hash", "layers"]
if suites.isEmpty || suites == ["all"] { suites = known }
for suite in suites where !known.contains(suite) {
    print("zkml-bench: unknown suite '\(suite)'; known: \(known.joined(separator: ", ")), all")
    exit(2)
}

let reporter = Reporter(table: table)
for suite in suites {
    switch suite {
    case "field": runFieldSuite(reporter)
    case "poly": runPolySuite(reporter)
    case "hash": runHashSuite(reporter)
    case "layers": runLayersSuite(reporter, only: only)
    default: break
    }
}
reporter.printTable()

#if canImport(Glibc)
import Glibc
#endif
