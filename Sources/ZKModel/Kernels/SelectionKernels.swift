/// Runs a ``SelectionPlan``: every output position reads the input element its per-axis sources
/// name, or the fill value.
enum SelectionKernels {
    static func select(_ x: FloatTensor, _ plan: SelectionPlan) -> FloatTensor {
        let grid = plan.gridShape
        let count = grid.reduce(1, *)
        let inStrides = TensorShape.strides(plan.inputView)
        var values = [Float](repeating: plan.fill, count: count)
        var coordinate = [Int](repeating: 0, count: grid.count)
        for o in 0..<count {
            var k = 0
            var inside = true
            for a in 0..<grid.count {
                let i = plan.sources[a][coordinate[a]]
                if i < 0 { inside = false; break }
                k += i * inStrides[a]
            }
            if inside { values[o] = x.values[k] }
            var a = grid.count - 1
            while a >= 0 {
                coordinate[a] += 1
                if coordinate[a] < grid[a] { break }
                coordinate[a] = 0
                a -= 1
            }
        }
        return FloatTensor(validatedShape: plan.outputShape, values: values)
    }
}
