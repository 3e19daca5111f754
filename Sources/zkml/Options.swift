import ArgumentParser

/// `--json`, shared by every command that has a machine-readable report.
struct JSONOutput: ParsableArguments {
    @Flag(name: .long, help: "Print one JSON object on standard output, for a failure too (its error code and message).")
    var json = false
}

/// `--bits`.
struct QuantizationOptions: ParsableArguments {
    @Option(name: .long, help: "Bits of the quantized weights and activations, 8…16 (wider: closer to float, larger tables).")
    var bits = 8

    func validate() throws {
        guard (8...16).contains(bits) else { throw ValidationError("--bits must be between 8 and 16 (got \(bits))") }
    }
}

/// `--calibration`.
struct CalibrationOptions: ParsableArguments {
    @Option(name: .long, help: "Calibration inputs (EZKL input.json; every row is a sample). Repeatable.")
    var calibration: [String] = []
}

/// `--on-overflow`.
struct OverflowOptions: ParsableArguments {
    @Option(name: .long, help: "When the input leaves the calibrated range: clamp (warn) or error.")
    var onOverflow: OverflowPolicy = .clamp
}
