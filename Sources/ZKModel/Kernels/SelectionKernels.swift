/// Runs a ``SelectionPlan``: every output position reads the input element its per-axis sources
/// name, or the fill value.
enum SelectionKernels {
    static func select(_ x: FloatTensor, _ plan: SelectionPlan) -> FloatTensor {
        let values = plan.sourceIndices().map { $0 < 0 ? plan.fill : x.values[$0] }
        return FloatTensor(validatedShape: plan.outputShape, values: values)
    }
}
