import ZKModel

/// Walks an ONNX graph in topological order, folding constants, translating supported nodes
/// to ZKModel operators and collecting every unsupported node.
struct GraphImport {
    let options: ONNXImporter.Options
    let opsets: [String: Int]

    private(set) var values: [String: ImportedValue] = [:]
    private(set) var aliases: [String: String] = [:]
    private(set) var nodes: [ModelNode] = []
    private(set) var unsupported: [UnsupportedNode] = []
    private(set) var foldedNodeCount = 0
    private(set) var fixedDimensions: [FixedDimension] = []
    private var extraConstants: [String: TensorValue] = [:]

    init(options: ONNXImporter.Options, opsets: [String: Int]) {
        self.options = options
        self.opsets = opsets
    }

    static let defaultDomains: Set<String> = ["", "ai.onnx"]
    /// The other domains with translated operators: scikit-learn's `ai.onnx.ml` and
    /// onnxruntime's `com.microsoft` (its quantized operators only).
    static let otherDomains: Set<String> = ["ai.onnx.ml", "com.microsoft"]

    func opset(for domain: String) -> Int {
        opsets[Self.defaultDomains.contains(domain) ? "" : domain] ?? 0
    }

    mutating func run(_ graph: Onnx_GraphProto) throws -> ModelGraph {
        // Initializers.
        for initializer in graph.initializer {
            guard !initializer.name.isEmpty else { throw ONNXImportError.invalidGraph(reason: "an initializer has no name") }
            values[initializer.name] = .constant(try TensorDecoding.decode(initializer, maxElements: options.maxTensorElements))
        }
        if let sparse = graph.sparseInitializer.first {
            throw ONNXImportError.invalidTensor(name: sparse.values.name, reason: "sparse initializers are not supported")
        }
        // Inputs (those not given by initializers), with static shapes.
        var inputs: [ValueInfo] = []
        for input in graph.input where values[input.name] == nil {
            if let value = options.constantInputs[input.name] {
                values[input.name] = .constant(value)
                continue
            }
            let info = try inputInfo(input)
            guard values[info.name] == nil else { throw ONNXImportError.invalidGraph(reason: "input '\(info.name)' is listed twice") }
            values[info.name] = .dynamic(info.type)
            inputs.append(info)
        }
        let order = try topologicalOrder(graph)
        var usedNames = Set(graph.output.map(\.name))
        for node in graph.node { usedNames.formUnion(node.input) }
        var nodeNames: Set<String> = []
        for index in order {
            let proto = graph.node[index]
            var name = proto.name.isEmpty ? "\(proto.opType)_\(index)" : proto.name
            while nodeNames.contains(name) { name += "_" }
            nodeNames.insert(name)
            try importNode(proto, name: name, usedNames: usedNames)
        }
        if !unsupported.isEmpty { throw ONNXImportError.unsupportedNodes(unsupported) }
        return try assemble(graph, inputs: inputs)
    }

    /// The non-initializer graph inputs with their static types (ignoring `constantInputs`).
    mutating func declaredInputs(_ graph: Onnx_GraphProto) throws -> [ValueInfo] {
        let initializerNames = Set(graph.initializer.map(\.name))
        return try graph.input.filter { !initializerNames.contains($0.name) }.map { try inputInfo($0) }
    }

    /// A graph input's name and static type; unknown and symbolic dimensions become 1.
    private mutating func inputInfo(_ input: Onnx_ValueInfoProto) throws -> ValueInfo {
        guard !input.name.isEmpty else { throw ONNXImportError.invalidGraph(reason: "a graph input has no name") }
        guard case .tensorType(let tensorType)? = input.type.value else {
            throw ONNXImportError.invalidGraph(reason: "input '\(input.name)' is not a tensor")
        }
        guard let elementType = TensorDecoding.elementType(onnxCode: tensorType.elemType) else {
            throw ONNXImportError.invalidGraph(
                reason: "input '\(input.name)' has unsupported element type \(TensorDecoding.typeName(onnxCode: tensorType.elemType))")
        }
        if let override = options.inputShapes[input.name] {
            guard TensorShape.elementCount(override) != nil else {
                throw ONNXImportError.invalidGraph(reason: "the shape given for input '\(input.name)' is invalid: \(override)")
            }
            return ValueInfo(name: input.name, type: TensorType(elementType: elementType, shape: override))
        }
        guard tensorType.hasShape else {
            throw ONNXImportError.invalidGraph(
                reason: "input '\(input.name)' has no shape; give one with ONNXImporter.Options.inputShapes")
        }
        var shape: [Int] = []
        for (axis, dimension) in tensorType.shape.dim.enumerated() {
            if case .dimValue(let value)? = dimension.value, value > 0, value <= Int64(Int32.max) {
                shape.append(Int(value))
                continue
            }
            var symbol = ""
            if case .dimParam(let parameter)? = dimension.value { symbol = parameter }
            fixedDimensions.append(FixedDimension(input: input.name, axis: axis, symbol: symbol))
            shape.append(1)
        }
        guard let count = TensorShape.elementCount(shape), count <= options.maxTensorElements else {
            throw ONNXImportError.invalidGraph(reason: "input '\(input.name)' has too large a shape \(shape)")
        }
        return ValueInfo(name: input.name, type: TensorType(elementType: elementType, shape: shape))
    }

    /// Node indices in an order where each node follows the producers of its inputs (the file's
    /// order when it already is one, as ONNX requires).
    private func topologicalOrder(_ graph: Onnx_GraphProto) throws -> [Int] {
        var producer: [String: Int] = [:]
        for (index, node) in graph.node.enumerated() {
            for output in node.output where !output.isEmpty {
                guard producer[output] == nil, values[output] == nil else {
                    throw ONNXImportError.invalidGraph(reason: "the value '\(output)' is defined more than once")
                }
                producer[output] = index
            }
        }
        var dependents = [[Int]](repeating: [], count: graph.node.count)
        var pending = [Int](repeating: 0, count: graph.node.count)
        for (index, node) in graph.node.enumerated() {
            for input in Set(node.input) where !input.isEmpty {
                if let source = producer[input] {
                    dependents[source].append(index)
                    pending[index] += 1
                } else if values[input] == nil {
                    throw ONNXImportError.invalidGraph(
                        reason: "node '\(node.name)' (\(node.opType)) reads '\(input)', which nothing defines")
                }
            }
        }
        // Kahn's algorithm, always taking the earliest ready node (keeps the file's order).
        var ready = (0..<graph.node.count).filter { pending[$0] == 0 }.reversed() as [Int]
        var order: [Int] = []
        order.reserveCapacity(graph.node.count)
        while let next = ready.popLast() {
            order.append(next)
            var released: [Int] = []
            for dependent in dependents[next] {
                pending[dependent] -= 1
                if pending[dependent] == 0 { released.append(dependent) }
            }
            ready.append(contentsOf: released)
            ready.sort(by: >)
        }
        guard order.count == graph.node.count else { throw ONNXImportError.invalidGraph(reason: "the graph has a cycle") }
        return order
    }

    private mutating func importNode(_ proto: Onnx_NodeProto, name: String, usedNames: Set<String>) throws {
        let domain = proto.domain
        let opset = opset(for: domain)
        let context = NodeContext(
            name: name, opType: proto.opType, domain: domain, opset: opset,
            attributes: NodeAttributes(proto.attribute, maxTensorElements: options.maxTensorElements),
            inputs: proto.input.map { aliases[$0] ?? $0 }, outputs: proto.output, values: values,
            usedNames: usedNames, maxTensorElements: options.maxTensorElements)
        func reject(_ hint: String) {
            unsupported.append(
                UnsupportedNode(name: name, opType: proto.opType, domain: domain, opsetVersion: opset, hint: hint))
            for output in proto.output where !output.isEmpty { values[output] = .unknown }
        }
        guard Self.defaultDomains.contains(domain) || Self.otherDomains.contains(domain) else {
            return reject("operators of the domain '\(domain)' are not supported (custom or contrib operator)")
        }
        if context.attributes.hasSubgraph {
            return reject("control flow with subgraphs is not supported; export with static control flow")
        }
        if context.inputs.contains(where: { !$0.isEmpty && values[$0].map { if case .unknown = $0 { true } else { false } } ?? false }) {
            // Downstream of an unsupported node: only report this node when its operator is
            // unsupported whatever its inputs.
            let known = domain == "com.microsoft"
                ? NodeTranslator.microsoftOperators.contains(proto.opType) : NodeTranslator.knownOperators.contains(proto.opType)
            if !known {
                reject(NodeTranslator.hint(forUnknown: proto.opType, domain: domain))
            } else {
                for output in proto.output where !output.isEmpty { values[output] = .unknown }
            }
            return
        }
        let translation: Translation
        do {
            translation = try NodeTranslator(context: context).translate()
        } catch let failure as TranslationFailure {
            return reject(failure.hint)
        } catch let failure as FoldingError {
            return reject("cannot compute at import: \(failure.reason)")
        }
        switch translation {
        case .folded(let results):
            foldedNodeCount += 1
            for (output, value) in zip(proto.output, results) where !output.isEmpty { values[output] = .constant(value) }
        case .alias(let source):
            guard let output = proto.output.first, !output.isEmpty else { return }
            aliases[output] = source
            values[output] = values[source]
        case .nodes(let newNodes, let constants):
            try add(newNodes, constants: constants)
        }
    }

    /// Infers the new nodes' types; folds them when every input is a constant (and they are
    /// not quantization operators); otherwise appends them to the graph.
    private mutating func add(_ newNodes: [ModelNode], constants: [String: TensorValue]) throws {
        for (name, value) in constants {
            values[name] = .constant(value)
            extraConstants[name] = value
        }
        for node in newNodes {
            let inputTypes = node.inputs.map { $0.isEmpty ? nil : values[$0]?.type }
            let outputTypes: [TensorType]
            do {
                outputTypes = try ShapeInference.outputTypes(of: node, inputs: inputTypes)
            } catch let error as ModelError {
                throw ONNXImportError.invalidModel(error)
            }
            if let folded = try fold(node, outputTypes: outputTypes) {
                foldedNodeCount += 1
                for (output, value) in zip(node.outputs, folded) { values[output] = .constant(value) }
                continue
            }
            for (output, type) in zip(node.outputs, outputTypes) { values[output] = .dynamic(type) }
            nodes.append(node)
        }
    }

    /// Runs a node whose inputs are all constants, or returns `nil` when it must stay in the graph.
    private func fold(_ node: ModelNode, outputTypes: [TensorType]) throws -> [TensorValue]? {
        guard !node.op.isQuantized else { return nil }
        var initializers: [String: TensorValue] = [:]
        for input in node.inputs where !input.isEmpty {
            guard case .constant(let value)? = values[input] else { return nil }
            // Integers beyond 2^24 would not survive the float executor.
            if value.elementType.isInteger, let integers = value.integerValues, integers.contains(where: { abs($0) > 1 << 24 }) {
                return nil
            }
            initializers[input] = value
        }
        guard
            outputTypes.allSatisfy({ (TensorShape.elementCount($0.shape) ?? .max) <= options.maxTensorElements })
        else { return nil }
        let graph = ModelGraph(
            name: node.name, inputs: [],
            outputs: zip(node.outputs, outputTypes).map { ValueInfo(name: $0, type: $1) },
            initializers: initializers, nodes: [node])
        do {
            let results = try FloatExecutor(graph: graph).run([:])
            return try zip(node.outputs, outputTypes).map { output, type in
                guard let tensor = results[output] else { throw ModelError.undefinedOutput(name: output) }
                if type.elementType.isFloatingPoint { return .float(tensor, elementType: type.elementType) }
                // An integer result computed in floats may be infinite, NaN or beyond Int64 (1/0,
                // an overflowing power): refused, never converted with a trap.
                var integers: [Int64] = []
                integers.reserveCapacity(tensor.values.count)
                for value in tensor.values {
                    guard value.isFinite, abs(value) < 0x1p63 else {
                        throw ModelError.invalidNode(node: node.name, op: node.op.name,
                                                     reason: "folding gives \(value), not a \(type.elementType) value")
                    }
                    integers.append(Int64(value.rounded()))
                }
                return .integer(try IntegerTensor(shape: tensor.shape, values: integers, elementType: type.elementType))
            }
        } catch let error as ModelError {
            throw ONNXImportError.invalidModel(error)
        }
    }

    /// The final graph: inputs, the constants the nodes read, nodes, outputs (aliased and
    /// constant outputs get an Identity node or an initializer of their own name).
    private mutating func assemble(_ graph: Onnx_GraphProto, inputs: [ValueInfo]) throws -> ModelGraph {
        var initializers: [String: TensorValue] = [:]
        for node in nodes {
            for input in node.inputs where !input.isEmpty {
                if case .constant(let value)? = values[input] { initializers[input] = value }
            }
        }
        var outputNames: [String] = []
        for output in graph.output {
            let name = output.name
            guard !name.isEmpty, !outputNames.contains(name) else {
                throw ONNXImportError.invalidGraph(reason: "graph output names must be unique and non-empty")
            }
            outputNames.append(name)
            let source = aliases[name] ?? name
            switch values[source] {
            case .constant(let value)?:
                initializers[name] = value
            case .dynamic?:
                if source != name {
                    nodes.append(ModelNode(name: "\(name)/identity", op: .identity, inputs: [source], outputs: [name]))
                }
            default:
                throw ONNXImportError.invalidGraph(reason: "graph output '\(name)' is not computed by the graph")
            }
        }
        var model = ModelGraph(
            name: graph.name.isEmpty ? "model" : graph.name, inputs: inputs, outputs: [], initializers: initializers,
            nodes: nodes)
        do {
            let types = try model.inferTypes()
            model.outputs = try outputNames.map { name in
                guard let type = types[name] else { throw ModelError.undefinedOutput(name: name) }
                return ValueInfo(name: name, type: type)
            }
            _ = try model.inferTypes()
        } catch let error as ModelError {
            throw ONNXImportError.invalidModel(error)
        }
        return model
    }
}
