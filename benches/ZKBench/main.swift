/// zkml-bench: `zkml-bench [--table] SUITE...` with suites `field`, `poly`, `hash` (or `all`).
/// Prefer `benches/run`, which builds in release mode first.

let arguments = Array(CommandLine.arguments.dropFirst())
let table = arguments.contains("--table")
var suites = arguments.filter { !$0.hasPrefix("--") }
let known = ["field", "poly", "hash"]
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
    default: break
    }
}
reporter.printTable()

#if canImport(Glibc)
import Glibc
#endif
