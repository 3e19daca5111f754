import ArgumentParser
import Foundation
import ZKCompiler

/// What to do when an input leaves the calibrated range (or a layer saturates).
enum OverflowPolicy: String, ExpressibleByArgument, CaseIterable {
    /// Clamp to the int8 range and print a warning per layer (the default).
    case clamp
    /// Refuse: exit 2 naming the input or the layer.
    case error
}

/// Applies the policy to an inference: warnings (clamp) or a ``UsageError`` (error).
func enforce(_ policy: OverflowPolicy, _ inference: IntegerInference, _ model: CompiledModel) throws {
    var problems: [String] = []
    if inference.inputSaturated > 0 {
        problems.append("\(inference.inputSaturated) input values are outside the calibrated range (clamped)")
    }
    for (layer, count) in zip(model.layers, inference.saturation) where count > 0 {
        problems.append("\(count) values saturated (clamped) in layer \(layer.node)")
    }
    guard !problems.isEmpty else { return }
    if policy == .error { throw UsageError("--on-overflow error: " + problems.joined(separator: "; "), code: "input_overflow") }
    for problem in problems { printError("warning: \(problem)") }
}

/// Progress lines on a terminal, nothing in a pipe (stderr is checked once).
enum Progress {
    static let enabled = isatty(2) != 0
    static func say(_ message: String) {
        if enabled { printError("… \(message)") }
    }
}
