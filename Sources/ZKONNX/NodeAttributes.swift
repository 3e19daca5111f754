import ZKModel

/// Typed access to a node's attributes. Older files may leave `type` unset, so values are
/// read from whichever field holds them.
struct NodeAttributes {
    private let byName: [String: Onnx_AttributeProto]
    let maxTensorElements: Int

    init(_ attributes: [Onnx_AttributeProto], maxTensorElements: Int) {
        var byName: [String: Onnx_AttributeProto] = [:]
        for attribute in attributes where byName[attribute.name] == nil { byName[attribute.name] = attribute }
        self.byName = byName
        self.maxTensorElements = maxTensorElements
    }

    var names: [String] { byName.keys.sorted() }

    func contains(_ name: String) -> Bool { byName[name] != nil }

    func int(_ name: String) -> Int? {
        guard let attribute = byName[name], attribute.hasI || attribute.type == .int else { return nil }
        return Int(attribute.i)
    }

    func int(_ name: String, default value: Int) -> Int { int(name) ?? value }

    func ints(_ name: String) -> [Int]? {
        guard let attribute = byName[name] else { return nil }
        if !attribute.ints.isEmpty || attribute.type == .ints { return attribute.ints.map { Int($0) } }
        return nil
    }

    func float(_ name: String) -> Float? {
        guard let attribute = byName[name], attribute.hasF || attribute.type == .float else { return nil }
        return attribute.f
    }

    func float(_ name: String, default value: Float) -> Float { float(name) ?? value }

    func floats(_ name: String) -> [Float]? {
        guard let attribute = byName[name] else { return nil }
        if !attribute.floats.isEmpty || attribute.type == .floats { return attribute.floats }
        return nil
    }

    func string(_ name: String) -> String? {
        guard let attribute = byName[name], attribute.hasS || attribute.type == .string else { return nil }
        return String(decoding: attribute.s, as: UTF8.self)
    }

    func strings(_ name: String) -> [String]? {
        guard let attribute = byName[name] else { return nil }
        if !attribute.strings.isEmpty || attribute.type == .strings { return attribute.strings.map { String(decoding: $0, as: UTF8.self) } }
        return nil
    }

    func tensor(_ name: String) throws -> TensorValue? {
        guard let attribute = byName[name], attribute.hasT || attribute.type == .tensor else { return nil }
        return try TensorDecoding.decode(attribute.t, maxElements: maxTensorElements)
    }

    /// Whether the attribute holds a subgraph (control flow).
    var hasSubgraph: Bool {
        byName.values.contains { $0.hasG || !$0.graphs.isEmpty }
    }
}
