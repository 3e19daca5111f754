/// A circuit: tensors, the relations between them, and the lookup tables they use.
///
/// The relations are listed in evaluation order (every tensor is defined before it is used);
/// the verifier walks them backwards, consuming claims on each relation's output and producing
/// claims on its inputs.
public struct Circuit: Sendable, Hashable, Codable {
    public var tensors: [TensorInfo]
    public var relations: [Relation]
    public var tables: [LookupTableSpec]
    public var input: TensorID
    public var output: TensorID

    public init(tensors: [TensorInfo], relations: [Relation], tables: [LookupTableSpec], input: TensorID, output: TensorID) {
        self.tensors = tensors
        self.relations = relations
        self.tables = tables
        self.input = input
        self.output = output
    }

    /// Checks the circuit's structure: ids in range, shapes compatible, storage classes as each
    /// relation requires, every virtual tensor defined by exactly one relation.
    public func validate() throws(CircuitError) {
        func tensor(_ id: TensorID, _ relation: Int) throws(CircuitError) -> TensorInfo {
            guard tensors.indices.contains(id) else { throw .invalid(relation: relation, "unknown tensor \(id)") }
            return tensors[id]
        }
        guard tensors.indices.contains(input), tensors[input].storage == .publicInput else {
            throw .invalid(relation: -1, "the input must be a public-input tensor")
        }
        guard tensors.indices.contains(output), tensors[output].storage == .publicOutput else {
            throw .invalid(relation: -1, "the output must be a public-output tensor")
        }
        var definitions = [Int](repeating: 0, count: tensors.count)
        for (index, relation) in relations.enumerated() {
            switch relation {
            case .matMul(let out, let w, let x, let b):
                let (o, wt, xt) = (try tensor(out, index), try tensor(w, index), try tensor(x, index))
                guard wt.storage == .weight, wt.layout.shape.count == 2 else {
                    throw .invalid(relation: index, "matMul weights must be a 2-D weight tensor")
                }
                guard xt.layout.shape == [wt.layout.shape[1]], o.layout.shape == [wt.layout.shape[0]] else {
                    throw .invalid(relation: index, "matMul shapes \(wt.layout.shape) · \(xt.layout.shape) → \(o.layout.shape)")
                }
                guard o.storage == .virtual else { throw .invalid(relation: index, "matMul output must be virtual") }
                if let b {
                    let bt = try tensor(b, index)
                    guard bt.storage == .constant, bt.layout.shape == o.layout.shape else {
                        throw .invalid(relation: index, "matMul bias must be a constant of the output's shape")
                    }
                }
                definitions[out] += 1
            case .requantize(let out, let acc, let limbs, let multiplier, let shift):
                let (o, a) = (try tensor(out, index), try tensor(acc, index))
                guard o.layout == a.layout else { throw .invalid(relation: index, "requantize changes the layout") }
                guard a.storage == .virtual || a.storage == .advice || a.storage == .publicInput else {
                    throw .invalid(relation: index, "requantize input must be virtual, advice or the public input")
                }
                guard o.storage == .advice || o.storage == .publicOutput else {
                    throw .invalid(relation: index, "requantize output must be advice or the public output")
                }
                guard multiplier > 0, shift >= 1, shift <= 62 else {
                    throw .invalid(relation: index, "requantize needs M > 0 and 1 ≤ s ≤ 62")
                }
                guard limbs.count == (shift + 7) / 8 else {
                    throw .invalid(relation: index, "requantize with s = \(shift) needs \((shift + 7) / 8) remainder limbs")
                }
                for limb in limbs {
                    let l = try tensor(limb, index)
                    guard l.storage == .advice, l.layout == o.layout else {
                        throw .invalid(relation: index, "remainder limbs must be advice tensors of the output's layout")
                    }
                }
            case .lookup(let x, let out, let table):
                let xt = try tensor(x, index)
                guard tables.indices.contains(table) else { throw .invalid(relation: index, "unknown table \(table)") }
                guard tables[table].width == (out == nil ? 1 : 2) else {
                    throw .invalid(relation: index, "lookup arity does not match table \(table)")
                }
                guard xt.storage == .advice else { throw .invalid(relation: index, "lookup inputs must be advice") }
                if let out {
                    let ot = try tensor(out, index)
                    guard ot.layout == xt.layout else { throw .invalid(relation: index, "lookup changes the layout") }
                    guard ot.storage == .advice || ot.storage == .publicOutput else {
                        throw .invalid(relation: index, "lookup outputs must be advice or the public output")
                    }
                }
            case .add(let out, let a, let b), .mul(let out, let a, let b):
                let (o, at, bt) = (try tensor(out, index), try tensor(a, index), try tensor(b, index))
                guard o.layout == at.layout, o.layout == bt.layout else {
                    throw .invalid(relation: index, "\(relation.kind) needs equal layouts")
                }
                if o.storage == .virtual { definitions[out] += 1 }
            case .linear(let out, let x, let map):
                let (o, xt) = (try tensor(out, index), try tensor(x, index))
                if let problem = map.shapeProblem(inputShape: xt.layout.shape, outputShape: o.layout.shape) {
                    throw .invalid(relation: index, "linear map: \(problem)")
                }
                guard let terms = map.termCount(inputShape: xt.layout.shape, outputShape: o.layout.shape),
                      terms <= CircuitLimits.maximumRelationTerms else {
                    throw .invalid(relation: index, "linear map with more than \(CircuitLimits.maximumRelationTerms) terms")
                }
                if o.storage == .virtual { definitions[out] += 1 }
            case .concat(let out, let inputs, let axis):
                let o = try tensor(out, index)
                var shapes: [[Int]] = []
                for x in inputs { shapes.append(try tensor(x, index).layout.shape) }
                guard !inputs.isEmpty, axis >= 0, axis < o.layout.shape.count,
                      shapes.allSatisfy({ $0.count == o.layout.shape.count }),
                      shapes.allSatisfy({ s in s.indices.allSatisfy { $0 == axis || s[$0] == o.layout.shape[$0] } }),
                      shapes.map({ $0[axis] }).reduce(0, +) == o.layout.shape[axis] else {
                    throw .invalid(relation: index, "concat of \(shapes) along \(axis) is not \(o.layout.shape)")
                }
                if o.storage == .virtual { definitions[out] += 1 }
            case .maxPool(let out, let x, let differences, let kernel, let stride, let pads):
                let (o, xt) = (try tensor(out, index), try tensor(x, index))
                let window = LinearMap.window(kernel: kernel, stride: stride, pads: pads, offset: [0, 0])
                if let problem = window.shapeProblem(inputShape: xt.layout.shape, outputShape: o.layout.shape) {
                    throw .invalid(relation: index, "maxPool: \(problem)")
                }
                guard differences.count == kernel[0] * kernel[1] else {
                    throw .invalid(relation: index, "maxPool needs one difference tensor per window element")
                }
                guard let terms = CircuitLimits.checkedProduct([o.layout.count] + kernel),
                      terms <= CircuitLimits.maximumRelationTerms else {
                    throw .invalid(relation: index, "maxPool windows with more than \(CircuitLimits.maximumRelationTerms) terms")
                }
                guard o.storage == .advice || o.storage == .publicOutput else {
                    throw .invalid(relation: index, "maxPool writes a stored tensor")
                }
                _ = xt
                for d in differences {
                    let dt = try tensor(d, index)
                    guard dt.storage == .advice, dt.layout == o.layout else {
                        throw .invalid(relation: index, "maxPool differences are advice tensors of the output's layout")
                    }
                }
            case .conv2d(let out, let w, let x, let b, let stride, let pads, let groups):
                let (o, wt, xt) = (try tensor(out, index), try tensor(w, index), try tensor(x, index))
                let (ws, xs, os) = (wt.layout.shape, xt.layout.shape, o.layout.shape)
                guard wt.storage == .weight, ws.count == 4, xs.count == 3, os.count == 3, stride.count == 2,
                      pads.count == 4, groups >= 1, stride.allSatisfy({ $0 >= 1 }), pads.allSatisfy({ $0 >= 0 }) else {
                    throw .invalid(relation: index, "conv2d needs [Cin,H,W] input, [Cout,Cin/g,kh,kw] weights")
                }
                guard xs[0] % groups == 0, os[0] % groups == 0, ws[0] == os[0], ws[1] * groups == xs[0] else {
                    throw .invalid(relation: index, "conv2d channels \(xs[0]) → \(os[0]) with \(groups) groups and weights \(ws)")
                }
                for a in 0..<2 {
                    let expected = (xs[a + 1] + pads[a] + pads[a + 2] - ws[a + 2]) / stride[a] + 1
                    guard expected == os[a + 1], xs[a + 1] + pads[a] + pads[a + 2] >= ws[a + 2] else {
                        throw .invalid(relation: index, "conv2d output size \(os) for input \(xs)")
                    }
                }
                guard o.storage == .virtual else {
                    throw .invalid(relation: index, "conv2d writes a virtual accumulator")
                }
                // The verifier's per-axis tables cost kh·Ho + kw·Wo per claim.
                guard let axisTerms = CircuitLimits.checkedSum([ws[2] * os[1], ws[3] * os[2]]),
                      axisTerms <= CircuitLimits.maximumRelationTerms else {
                    throw .invalid(relation: index, "conv2d kernel and output too large for the verifier's tables")
                }
                if let b {
                    let bt = try tensor(b, index)
                    guard bt.storage == .constant, bt.layout.shape == [os[0]] else {
                        throw .invalid(relation: index, "conv2d bias must be a constant of shape [Cout]")
                    }
                }
                definitions[out] += 1
            }
        }
        let read = Set(relations.flatMap(\.inputs))
        for (id, info) in tensors.enumerated() where info.storage == .virtual {
            guard definitions[id] == 1 else {
                throw .invalid(relation: -1, "virtual tensor \(info.name) is defined \(definitions[id]) times")
            }
            guard read.contains(id) else {
                throw .invalid(relation: -1, "virtual tensor \(info.name) is never read (nothing would constrain it)")
            }
        }
    }
}

/// A structural problem in a circuit.
public enum CircuitError: Error, Equatable, Sendable {
    /// Relation `relation` (−1: the circuit as a whole) is malformed.
    case invalid(relation: Int, String)
}
