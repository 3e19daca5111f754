extension MerkleError: CustomStringConvertible {
    /// What was wrong, for people (command-line messages and logs).
    public var description: String {
        switch self {
        case .leafCountNotPowerOfTwo(let count): return "a Merkle tree of \(count) leaves (not a power of two)"
        case .shapeMismatch(let expected, let got): return "\(got) elements where the shape needs \(expected)"
        case .leafIndexOutOfRange(let index, let leafCount): return "leaf index \(index) outside a tree of \(leafCount) leaves"
        case .emptyBatch: return "a batch opening of no leaves"
        case .duplicateLeafIndex(let index): return "leaf \(index) listed twice in a batch opening"
        case .rowCountMismatch(let indices, let rows): return "a batch opening of \(indices) leaf indices with \(rows) rows"
        case .wrongPathLength(let expected, let got):
            return "the authentication path has \(got) siblings, the opened leaves need \(expected)"
        case .rootMismatch: return "the opened leaves do not hash to the committed root"
        }
    }
}
