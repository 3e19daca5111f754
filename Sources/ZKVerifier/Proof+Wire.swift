import ZKCircuit
import ZKCommit
import ZKField
import ZKLookup
import ZKSumcheck
import ZKSodium
public import ZKWire

/// The binary proof format, version 2 (all integers little-endian):
///
///     "ZKPF" u16 version, string fieldID
///     integers publicInput, integers publicOutput        (u32 count, i64 each)
///     advice, by the key's transport:
///         committed: 32-byte advice root
///         clear:     u32 count (the layout's used advice slots), each value ZigZag + LEB128
///     u32 length (0: no lookups), lookup proof (its own versioned format, ZKLookup)
///     u32 relationCount, per relation: u8 tag (1 requantize, 2 matMul, 3 add, 4 general)
///         matMul: u32 rounds, per round: u32 count + elements; then count + evaluations
///         general: u32 sumchecks, each as above; then count + evaluations
///         requantize, add: count + evaluations
///     committed advice only: the advice batch sumcheck (u32 rounds, per round: u32 count +
///         elements; then one element), then u32 length, advice opening (ZKCommit's Ligero
///         opening format, one claim)
///     u32 weight claims (0: no weight opening), u32 length, weight opening (ZKCommit's format)
///
/// Decoding takes the verification key, which fixes every size that matters (tensor counts,
/// commitment shapes); counts in the bytes are bounded before anything is allocated, and any
/// malformed input throws a ``WireError`` — never a trap. Version 1 had no clear advice.
extension Proof {
    public static var formatVersion: UInt16 { 2 }

    public func encoded() -> [UInt8] {
        var w = WireWriter()
        w.write(magic: "ZKPF", version: Self.formatVersion)
        w.write(string: F.fieldID)
        w.write(integers: publicInput)
        w.write(integers: publicOutput)
        switch advice {
        case .committed(let committed): w.write(digest: committed.root)
        case .clear(let values): w.write(varIntegers: values)
        }
        let lookupBytes = lookup?.encoded() ?? []
        w.write(count: lookupBytes.count)
        w.write(raw: lookupBytes)
        w.write(count: relations.count)
        for relation in relations {
            switch relation {
            case .requantize(let evaluations):
                w.write(u8: 1)
                w.write(elements: evaluations)
            case .matMul(let sumcheck, let evaluations):
                w.write(u8: 2)
                Self.write(sumcheck, to: &w)
                w.write(elements: evaluations)
            case .add(let evaluations):
                w.write(u8: 3)
                w.write(elements: evaluations)
            case .general(let sumchecks, let evaluations):
                w.write(u8: 4)
                w.write(count: sumchecks.count)
                for proof in sumchecks { Self.write(proof, to: &w) }
                w.write(elements: evaluations)
            }
        }
        if case .committed(let committed) = advice {
            Self.write(committed.batch, to: &w)
            w.write(element: committed.batchValue)
            let opening = committed.opening.serialized()
            w.write(count: opening.count)
            w.write(raw: opening)
        }
        if let weightOpening {
            let weights = weightOpening.serialized()
            w.write(count: weightOpening.evaluationRows.count)
            w.write(count: weights.count)
            w.write(raw: weights)
        } else {
            w.write(count: 0)
        }
        return w.bytes
    }

    private static func write(_ proof: SumcheckProof<F>, to w: inout WireWriter) {
        w.write(count: proof.roundMessages.count)
        for message in proof.roundMessages { w.write(elements: message) }
    }

    private static func readSumcheck(_ r: inout WireReader) throws(WireError) -> SumcheckProof<F> {
        let rounds = try r.readCount("sumcheck rounds", limit: 64)
        var messages: [[F]] = []
        for _ in 0..<rounds { messages.append(try r.readElements("sumcheck message", limit: 16)) }
        return SumcheckProof(roundMessages: messages)
    }

    /// Decodes a proof for the model of `vk`.
    public init(decoding bytes: [UInt8], verificationKey vk: VerificationKey) throws(WireError) {
        var r = WireReader(bytes)
        try r.readHeader(magic: "ZKPF", supported: Self.formatVersion)
        let field = try r.readString("field")
        guard field == F.fieldID else { throw .invalidValue(field: "field", detail: "proof over \(field), expected \(F.fieldID)") }
        let circuit = vk.circuit
        let input = try r.readIntegers("public input", limit: circuit.tensors[circuit.input].layout.count)
        let output = try r.readIntegers("public output", limit: circuit.tensors[circuit.output].layout.count)
        var root: Digest32? = nil
        var clearValues: [Int64] = []
        switch vk.adviceTransport {
        case .committed: root = try r.readDigest()
        case .clear:
            let used = vk.layout.advice.usedCount
            clearValues = try r.readVarIntegers("advice values", limit: used)
            guard clearValues.count == used else {
                throw .countMismatch(field: "advice values", expected: used, got: clearValues.count)
            }
        }
        let lookupLength = try r.readCount("lookup proof length", limit: r.remaining)
        let lookupBytes = Array(try r.read(lookupLength))
        var lookup: LookupProof<F>? = nil
        if lookupLength > 0 {
            do throws(LookupError) { lookup = try LookupProof(encoded: lookupBytes) } catch {
                throw .invalidValue(field: "lookup proof", detail: "\(error)")
            }
        }
        let relationCount = try r.readCount("relations", limit: circuit.relations.count)
        var relations: [RelationProof<F>] = []
        for _ in 0..<relationCount {
            switch try r.readU8() {
            case 1: relations.append(.requantize(evaluations: try r.readElements("evaluations", limit: 1 << 12)))
            case 2:
                let sumcheck = try Self.readSumcheck(&r)
                relations.append(.matMul(sumcheck: sumcheck, evaluations: try r.readElements("evaluations", limit: 1 << 12)))
            case 3: relations.append(.add(evaluations: try r.readElements("evaluations", limit: 1 << 12)))
            case 4:
                let count = try r.readCount("sumchecks", limit: 8)
                var sumchecks: [SumcheckProof<F>] = []
                for _ in 0..<count { sumchecks.append(try Self.readSumcheck(&r)) }
                relations.append(.general(sumchecks: sumchecks, evaluations: try r.readElements("evaluations", limit: 1 << 12)))
            case let tag: throw .invalidValue(field: "relation tag", detail: "\(tag)")
            }
        }
        let advice: AdviceEvidence<F>
        if let root {
            let batch = try Self.readSumcheck(&r)
            let batchValue: F = try r.readElement()
            let adviceLength = try r.readCount("advice opening length", limit: r.remaining)
            let adviceOpening: LigeroOpeningProof<F, F>
            let adviceBytes = Array(try r.read(adviceLength))
            do throws(LigeroDecodingError) {
                adviceOpening = try LigeroOpeningProof(
                    serialized: adviceBytes, parameters: vk.adviceParameters, claimCount: 1)
            } catch { throw .invalidValue(field: "advice opening", detail: "\(error)") }
            advice = .committed(CommittedAdvice(root: root, batch: batch, batchValue: batchValue, opening: adviceOpening))
        } else {
            advice = .clear(values: clearValues)
        }
        let weightClaims = try r.readCount("weight claims", limit: 1 << 12)
        var weightOpening: LigeroOpeningProof<F, F>? = nil
        if weightClaims > 0 {
            let weightLength = try r.readCount("weight opening length", limit: r.remaining)
            let weightBytes = Array(try r.read(weightLength))
            do throws(LigeroDecodingError) {
                weightOpening = try LigeroOpeningProof(
                    serialized: weightBytes, parameters: vk.weightParameters, claimCount: weightClaims)
            } catch { throw .invalidValue(field: "weight opening", detail: "\(error)") }
        }
        try r.finish()
        self.init(
            publicInput: input, publicOutput: output, advice: advice, lookup: lookup, relations: relations,
            weightOpening: weightOpening)
    }
}
