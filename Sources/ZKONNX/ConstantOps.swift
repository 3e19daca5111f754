import ZKModel

/// Why a constant computation failed (bad indices, unsupported types, too large a result).
struct FoldingError: Error {
    let reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Computations on constant tensors of any element type, for folding the shape subgraphs
/// exporters emit (Shape → Gather → Unsqueeze → Concat → Reshape and friends). Integers stay
/// exact (`Int64`); floats stay `Float`.
enum ConstantOps {
    /// The elements of `value` at `indices` (row-major source positions), as a tensor of `shape`.
    static func select(_ value: TensorValue, indices: [Int], shape: [Int]) throws -> TensorValue {
        do {
            switch value {
            case .float(let tensor, let type):
                return .float(try FloatTensor(shape: shape, values: indices.map { tensor.values[$0] }), elementType: type)
            case .integer(let tensor):
                return .integer(
                    try IntegerTensor(shape: shape, values: indices.map { tensor.values[$0] }, elementType: tensor.elementType))
            }
        } catch {
            throw FoldingError("\(error)")
        }
    }

    static func checkedCount(_ shape: [Int], limit: Int) throws -> Int {
        guard let count = TensorShape.elementCount(shape), count <= limit else {
            throw FoldingError("result shape \(shape) is invalid or larger than \(limit) elements")
        }
        return count
    }

    /// The values of a constant used as a list of integers (shapes, axes, indices).
    static func integers(_ value: TensorValue, _ role: String) throws -> [Int] {
        guard let values = value.integerValues else { throw FoldingError("\(role) must hold integers") }
        return values.map { Int(clamping: $0) }
    }

    static func reshape(_ value: TensorValue, to shape: [Int]) throws -> TensorValue {
        guard TensorShape.elementCount(shape) == value.count else {
            throw FoldingError("cannot reshape \(value.shape) to \(shape)")
        }
        return try select(value, indices: Array(0..<value.count), shape: shape)
    }

    static func gather(_ data: TensorValue, indices: TensorValue, axis: Int, limit: Int) throws -> TensorValue {
        let rank = data.shape.count
        guard let axis = TensorShape.normalizedAxis(axis, rank: rank) else {
            throw FoldingError("axis \(axis) is out of range for rank \(rank)")
        }
        let length = data.shape[axis]
        let picks = try integers(indices, "indices").map { index -> Int in
            let normalized = index < 0 ? index + length : index
            guard (0..<length).contains(normalized) else { throw FoldingError("index \(index) is out of range 0..<\(length)") }
            return normalized
        }
        let outer = data.shape[..<axis].reduce(1, *)
        let inner = data.shape[(axis + 1)...].reduce(1, *)
        let shape = Array(data.shape[..<axis]) + indices.shape + Array(data.shape[(axis + 1)...])
        _ = try checkedCount(shape, limit: limit)
        var sources: [Int] = []
        for o in 0..<outer {
            for pick in picks {
                for i in 0..<inner { sources.append((o * length + pick) * inner + i) }
            }
        }
        return try select(data, indices: sources, shape: shape)
    }

    static func concat(_ parts: [TensorValue], axis: Int) throws -> TensorValue {
        guard let first = parts.first else { throw FoldingError("no inputs") }
        let rank = first.shape.count
        guard let axis = TensorShape.normalizedAxis(axis, rank: rank) else {
            throw FoldingError("axis \(axis) is out of range for rank \(rank)")
        }
        var shape = first.shape
        shape[axis] = 0
        for part in parts {
            guard part.shape.count == rank,
                (0..<rank).allSatisfy({ $0 == axis || part.shape[$0] == first.shape[$0] })
            else { throw FoldingError("inputs \(parts.map(\.shape)) do not fit together") }
            shape[axis] += part.shape[axis]
        }
        let outer = first.shape[..<axis].reduce(1, *)
        if case .integer(let firstTensor) = first {
            var values: [Int64] = []
            for o in 0..<outer {
                for part in parts {
                    guard let partValues = part.integerValues else { throw FoldingError("mixed element types") }
                    let chunk = part.shape[axis...].reduce(1, *)
                    values.append(contentsOf: partValues[(o * chunk)..<((o + 1) * chunk)])
                }
            }
            do {
                return .integer(try IntegerTensor(shape: shape, values: values, elementType: firstTensor.elementType))
            } catch { throw FoldingError("\(error)") }
        }
        var values: [Float] = []
        for o in 0..<outer {
            for part in parts {
                let chunk = part.shape[axis...].reduce(1, *)
                values.append(contentsOf: part.floatTensor.values[(o * chunk)..<((o + 1) * chunk)])
            }
        }
        do {
            return .float(try FloatTensor(shape: shape, values: values), elementType: first.elementType)
        } catch { throw FoldingError("\(error)") }
    }

    /// Inserts size-1 dimensions at `axes` (positions in the output).
    static func unsqueezedShape(_ shape: [Int], axes: [Int]) throws -> [Int] {
        let rank = shape.count + axes.count
        let normalized = try axes.map { axis -> Int in
            guard let value = TensorShape.normalizedAxis(axis, rank: rank) else {
                throw FoldingError("axis \(axis) is out of range for output rank \(rank)")
            }
            return value
        }
        guard Set(normalized).count == normalized.count else { throw FoldingError("repeated axes \(axes)") }
        var result: [Int] = []
        var source = shape.makeIterator()
        for position in 0..<rank {
            if normalized.contains(position) { result.append(1) } else if let next = source.next() { result.append(next) }
        }
        return result
    }

    /// Removes the size-1 dimensions at `axes` (all of them when `axes` is `nil`).
    static func squeezedShape(_ shape: [Int], axes: [Int]?) throws -> [Int] {
        guard let axes else { return shape.filter { $0 != 1 } }
        let normalized = try axes.map { axis -> Int in
            guard let value = TensorShape.normalizedAxis(axis, rank: shape.count), shape[value] == 1 else {
                throw FoldingError("axis \(axis) of \(shape) is not a size-1 dimension")
            }
            return value
        }
        return shape.enumerated().filter { !normalized.contains($0.offset) }.map(\.element)
    }

    static func expand(_ value: TensorValue, to target: [Int], limit: Int) throws -> TensorValue {
        guard let shape = Broadcasting.shape([value.shape, target]) else {
            throw FoldingError("\(value.shape) does not broadcast with \(target)")
        }
        _ = try checkedCount(shape, limit: limit)
        return try select(value, indices: Broadcasting.sourceIndices(of: value.shape, broadcastTo: shape), shape: shape)
    }

    /// ONNX Slice (opset 10+ form) with clamping of out-of-range starts and ends.
    static func slice(
        _ data: TensorValue, starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?, limit: Int
    ) throws -> TensorValue {
        let rank = data.shape.count
        let axes = axes ?? Array(0..<starts.count)
        let steps = steps ?? [Int](repeating: 1, count: starts.count)
        guard starts.count == ends.count, axes.count == starts.count, steps.count == starts.count else {
            throw FoldingError("starts, ends, axes and steps differ in length")
        }
        var begin = [Int](repeating: 0, count: rank)
        var step = [Int](repeating: 1, count: rank)
        var size = data.shape
        for (k, rawAxis) in axes.enumerated() {
            guard let axis = TensorShape.normalizedAxis(rawAxis, rank: rank) else {
                throw FoldingError("axis \(rawAxis) is out of range for rank \(rank)")
            }
            let length = data.shape[axis]
            let stride = steps[k]
            guard stride != 0, stride != Int.min else { throw FoldingError("step 0") }
            func clampIndex(_ value: Int, low: Int, high: Int) -> Int {
                let shifted = value < 0 ? (value < -length ? -1 : value + length) : value
                return min(max(shifted, low), high)
            }
            var first: Int
            var last: Int
            if stride > 0 {
                first = clampIndex(starts[k], low: 0, high: length)
                last = clampIndex(ends[k], low: 0, high: length)
                size[axis] = last > first ? (last - first + stride - 1) / stride : 0
            } else {
                first = clampIndex(starts[k], low: -1, high: length - 1)
                last = clampIndex(ends[k], low: -1, high: length - 1)
                if ends[k] < -length { last = -1 }
                size[axis] = first > last ? (first - last + (-stride) - 1) / (-stride) : 0
            }
            begin[axis] = first
            step[axis] = stride
        }
        let count = try checkedCount(size, limit: limit)
        let strides = TensorShape.strides(data.shape)
        var sources = [Int](repeating: 0, count: count)
        var counter = [Int](repeating: 0, count: rank)
        for flat in 0..<count {
            var offset = 0
            for axis in 0..<rank { offset += (begin[axis] + counter[axis] * step[axis]) * strides[axis] }
            sources[flat] = offset
            var axis = rank - 1
            while axis >= 0 {
                counter[axis] += 1
                if counter[axis] < size[axis] { break }
                counter[axis] = 0
                axis -= 1
            }
        }
        return try select(data, indices: sources, shape: size)
    }

    static func cast(_ value: TensorValue, to type: ElementType) throws -> TensorValue {
        do {
            if type.isFloatingPoint {
                return .float(value.floatTensor, elementType: type)
            }
            let integers: [Int64]
            switch value {
            case .integer(let tensor): integers = tensor.values
            case .float(let tensor, _):
                integers = try tensor.values.map { element in
                    guard element.isFinite, abs(element) < 9.2e18 else { throw FoldingError("cannot cast \(element) to \(type)") }
                    return Int64(element.rounded(.towardZero))
                }
            }
            let range = type.integerRange ?? Int64.min...Int64.max
            let fitted = type == .bool ? integers.map { $0 != 0 ? 1 : 0 } : integers.map { min(max($0, range.lowerBound), range.upperBound) }
            return .integer(try IntegerTensor(shape: value.shape, values: fitted, elementType: type))
        } catch let error as FoldingError {
            throw error
        } catch {
            throw FoldingError("\(error)")
        }
    }

    static func constantOfShape(_ shape: [Int], value: TensorValue?, limit: Int) throws -> TensorValue {
        let count = try checkedCount(shape, limit: limit)
        let fill = value ?? .float(FloatTensor(scalar: 0))
        guard fill.count == 1 else { throw FoldingError("value must hold one element") }
        return try select(fill, indices: [Int](repeating: 0, count: count), shape: shape)
    }

    static func range(start: TensorValue, limit end: TensorValue, delta: TensorValue, maxElements: Int) throws -> TensorValue {
        guard start.count == 1, end.count == 1, delta.count == 1 else { throw FoldingError("inputs must be scalars") }
        if case .integer(let s) = start, let e = end.integerValues, let d = delta.integerValues {
            let (first, last, step) = (s.values[0], e[0], d[0])
            guard step != 0 else { throw FoldingError("delta is 0") }
            let (span, overflow) = last.subtractingReportingOverflow(first)
            guard !overflow else { throw FoldingError("range too large") }
            let (adjusted, overflowAdjust) = span.addingReportingOverflow(step > 0 ? step - 1 : step + 1)
            guard !overflowAdjust else { throw FoldingError("range too large") }
            let count = max(0, adjusted / step)
            guard count <= Int64(maxElements) else { throw FoldingError("range has more than \(maxElements) elements") }
            let values = (0..<count).map { first + $0 * step }
            do {
                return .integer(try IntegerTensor(shape: [Int(count)], values: values, elementType: s.elementType))
            } catch { throw FoldingError("\(error)") }
        }
        let (first, last, step) = (start.floatTensor.values[0], end.floatTensor.values[0], delta.floatTensor.values[0])
        guard step != 0, step.isFinite, first.isFinite, last.isFinite else { throw FoldingError("invalid range") }
        let countValue = max(0, ((last - first) / step).rounded(.up))
        guard countValue <= Float(maxElements) else { throw FoldingError("range has more than \(maxElements) elements") }
        let values = (0..<Int(countValue)).map { first + Float($0) * step }
        return .float(FloatTensor(scalar: 0).replacing(shape: [values.count], values: values), elementType: start.elementType)
    }

    enum Arithmetic: String { case add = "Add", sub = "Sub", mul = "Mul", div = "Div", equal = "Equal" }

    /// Elementwise arithmetic with broadcasting: exact on integers (Div truncates toward
    /// zero, as ONNX's integer Div), in `Float` otherwise. Equal gives a bool tensor.
    static func arithmetic(_ op: Arithmetic, _ a: TensorValue, _ b: TensorValue, limit: Int) throws -> TensorValue {
        guard let shape = Broadcasting.shape([a.shape, b.shape]) else {
            throw FoldingError("shapes \(a.shape) and \(b.shape) do not broadcast")
        }
        _ = try checkedCount(shape, limit: limit)
        let aIndex = Broadcasting.sourceIndices(of: a.shape, broadcastTo: shape)
        let bIndex = Broadcasting.sourceIndices(of: b.shape, broadcastTo: shape)
        do {
            if a.elementType.isInteger, b.elementType.isInteger, let x = a.integerValues, let y = b.integerValues {
                var values: [Int64] = []
                values.reserveCapacity(aIndex.count)
                for i in 0..<aIndex.count {
                    let (p, q) = (x[aIndex[i]], y[bIndex[i]])
                    let result: (Int64, Bool)
                    switch op {
                    case .add: result = p.addingReportingOverflow(q)
                    case .sub: result = p.subtractingReportingOverflow(q)
                    case .mul: result = p.multipliedReportingOverflow(by: q)
                    case .div:
                        guard q != 0 else { throw FoldingError("integer division by zero") }
                        result = p.dividedReportingOverflow(by: q)
                    case .equal: result = (p == q ? 1 : 0, false)
                    }
                    guard !result.1 else { throw FoldingError("integer overflow") }
                    values.append(result.0)
                }
                let type: ElementType = op == .equal ? .bool : a.elementType
                return .integer(try IntegerTensor(shape: shape, values: values, elementType: type))
            }
            let (x, y) = (a.floatTensor.values, b.floatTensor.values)
            var values: [Float] = []
            values.reserveCapacity(aIndex.count)
            for i in 0..<aIndex.count {
                let (p, q) = (x[aIndex[i]], y[bIndex[i]])
                switch op {
                case .add: values.append(p + q)
                case .sub: values.append(p - q)
                case .mul: values.append(p * q)
                case .div: values.append(p / q)
                case .equal: values.append(p == q ? 1 : 0)
                }
            }
            if op == .equal {
                return .integer(try IntegerTensor(shape: shape, values: values.map { Int64($0) }, elementType: .bool))
            }
            return .float(try FloatTensor(shape: shape, values: values), elementType: a.elementType)
        } catch let error as FoldingError {
            throw error
        } catch {
            throw FoldingError("\(error)")
        }
    }

    /// `condition ? x : y` elementwise with broadcasting.
    static func select(condition: TensorValue, _ x: TensorValue, _ y: TensorValue, limit: Int) throws -> TensorValue {
        guard let shape = Broadcasting.shape([condition.shape, x.shape, y.shape]) else {
            throw FoldingError("shapes do not broadcast")
        }
        _ = try checkedCount(shape, limit: limit)
        guard let flags = condition.integerValues else { throw FoldingError("condition must be boolean") }
        let cIndex = Broadcasting.sourceIndices(of: condition.shape, broadcastTo: shape)
        let xIndex = Broadcasting.sourceIndices(of: x.shape, broadcastTo: shape)
        let yIndex = Broadcasting.sourceIndices(of: y.shape, broadcastTo: shape)
        do {
            if case .integer(let xt) = x, let yv = y.integerValues {
                let values = (0..<cIndex.count).map { flags[cIndex[$0]] != 0 ? xt.values[xIndex[$0]] : yv[yIndex[$0]] }
                return .integer(try IntegerTensor(shape: shape, values: values, elementType: xt.elementType))
            }
            let (xv, yv) = (x.floatTensor.values, y.floatTensor.values)
            let values = (0..<cIndex.count).map { flags[cIndex[$0]] != 0 ? xv[xIndex[$0]] : yv[yIndex[$0]] }
            return .float(try FloatTensor(shape: shape, values: values), elementType: x.elementType)
        } catch {
            throw FoldingError("\(error)")
        }
    }
}

extension FloatTensor {
    /// A tensor with the given shape and values, which the caller has made consistent.
    fileprivate func replacing(shape: [Int], values: [Float]) -> FloatTensor {
        (try? FloatTensor(shape: shape, values: values)) ?? self
    }
}
