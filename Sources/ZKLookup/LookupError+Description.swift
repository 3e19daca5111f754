extension LookupError: CustomStringConvertible {
    /// What was wrong, for people (command-line messages and logs).
    public var description: String {
        switch self {
        case .invalidStatement(let reason): return "invalid lookup statement: \(reason)"
        case .invalidWitness(let reason): return "invalid lookup witness: \(reason)"
        case .sizeNotBelowCharacteristic(let table):
            return "the lookups into table \(table), or the table itself, are not below the field's characteristic"
        case .wrongRootCount(let expected, let got): return "the lookup proof has \(got) root values, expected \(expected)"
        case .wrongLayerCount(let expected, let got): return "the lookup proof has \(got) layers, expected \(expected)"
        case .wrongRoundCount(let depth, let expected, let got):
            return "lookup layer \(depth)'s sumcheck has \(got) rounds, expected \(expected)"
        case .wrongMessageLength(let depth, let round, let expected, let got):
            return "lookup layer \(depth), round \(round) carries \(got) evaluations, expected \(expected)"
        case .wrongChildValueCount(let depth, let expected, let got):
            return "lookup layer \(depth) has \(got) child values, expected \(expected)"
        case .wrongGroupCount(let expected, let got): return "the lookup proof has \(got) groups of column evaluations, expected \(expected)"
        case .wrongColumnEvaluationCount(let group, let expected, let got):
            return "lookup group \(group) has \(got) column evaluations, expected \(expected)"
        case .wrongMultiplicityEvaluationCount(let expected, let got):
            return "the lookup proof has \(got) multiplicity evaluations, expected \(expected)"
        case .zeroDenominator(.group(let g)): return "the root denominator of lookup group \(g) is zero"
        case .zeroDenominator(.table(let t)): return "the root denominator of table \(t) is zero"
        case .rootMismatch(let table): return "the lookups into table \(table) do not add up to the table's fraction (a looked-up value is not in the table)"
        case .layerMismatch(let depth): return "the fraction-tree reduction at depth \(depth) failed its final check"
        case .witnessNumeratorMismatch(let group): return "the leaf numerator of lookup group \(group) is not 1"
        case .witnessEvaluationMismatch(let group):
            return "the leaf denominator of lookup group \(group) disagrees with its claimed column evaluations"
        case .tableEvaluationMismatch(let table): return "the leaf denominator of table \(table) disagrees with the table's columns"
        case .multiplicityMismatch(let table): return "the leaf numerator of table \(table) disagrees with the claimed multiplicities"
        case .decoding(let error): return "malformed lookup proof: \(error)"
        }
    }
}

extension LookupDecodingError: CustomStringConvertible {
    /// What was wrong, for people (command-line messages and logs).
    public var description: String {
        switch self {
        case .truncated: return "truncated"
        case .badMagic: return "wrong magic"
        case .unsupportedVersion(let version): return "unsupported format version \(version)"
        case .wrongField(let expected): return "a proof over another field than \(expected)"
        case .nonCanonicalElement: return "a field element is not canonical"
        case .lengthTooLarge: return "a length is above its limit or the bytes left"
        case .trailingBytes(let count): return "\(count) bytes after the end"
        }
    }
}
