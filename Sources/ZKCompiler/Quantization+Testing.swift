/// Test access to the fixed-point multiplier search (the function itself stays internal).
public enum Quantization_testHook {
    public static func multiplier(_ ratio: Double) -> (Int64, Int)? { Quantization.multiplier(for: ratio) }
    public static func exactMultiplier(_ value: Float) -> (Int64, Int)? { Quantization.exactMultiplier(value) }
    public static func commonShift(_ multipliers: [(Int64, Int)]) -> (common: Int64, shift: Int, factors: [Int64])? {
        Quantization.commonShift(multipliers.map { (multiplier: $0.0, shift: $0.1) })
    }
}
