import ZKCircuit

/// The rows of a one-hot public input (``ModelInterface/InputEncoding/oneHot``): row `i` of the
/// `[positions, V]` matrix (row-major) encodes token id `j` when its entry `j` is 1 and every
/// other entry 0.
public enum OneHotRows {
    /// The first row that is not the encoding of a token id, with how many of its entries are 1
    /// (0, or more than one; any entry other than 0 or 1 counts as not 1, and the verifier's
    /// range check refuses it first); nil when every row holds a single 1 and zeros elsewhere.
    /// A trailing partial row (a count that is not a multiple of `V`) is invalid too.
    public static func firstInvalidRow(_ values: [Int64], vocabularySize: Int) -> (row: Int, ones: Int)? {
        let v = max(vocabularySize, 1)
        var row = 0
        var start = 0
        while start < values.count {
            let end = min(start + v, values.count)
            var ones = 0
            var onlyZerosAndOnes = true
            for x in values[start..<end] {
                if x == 1 { ones += 1 } else if x != 0 { onlyZerosAndOnes = false }
            }
            if ones != 1 || !onlyZerosAndOnes || end - start != v { return (row, ones) }
            row += 1
            start = end
        }
        return nil
    }

    /// The token ids a one-hot matrix encodes, one per row; nil unless every row is valid.
    public static func tokenIDs(_ values: [Int64], vocabularySize: Int) -> [Int]? {
        guard vocabularySize > 0, firstInvalidRow(values, vocabularySize: vocabularySize) == nil else { return nil }
        return stride(from: 0, to: values.count, by: vocabularySize).map { start in
            values[start..<(start + vocabularySize)].firstIndex(of: 1)! - start
        }
    }
}

extension ModelInterface {
    /// The model input's token ids, read from a proof's public input, when this interface's
    /// input is one-hot token ids and every row of `publicInput` encodes one; nil otherwise (the
    /// input is quantized values, or `publicInput` is not one-hot — which the verifier rejects).
    /// The vocabulary size is the public input's length over the number of ids (``inputShape``).
    public func tokenIDs(oneHot publicInput: [Int64]) -> [Int]? {
        guard inputEncoding == .oneHot, let positions = CircuitLimits.checkedProduct(inputShape), positions > 0,
              publicInput.count % positions == 0 else { return nil }
        return OneHotRows.tokenIDs(publicInput, vocabularySize: publicInput.count / positions)
    }
}
