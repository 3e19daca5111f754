import ZKModel

/// The float tensor type of ZKModel (named here to avoid clashing with Foundation names).
typealias ZKModelTensor = FloatTensor
