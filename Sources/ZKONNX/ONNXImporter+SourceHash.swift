import ZKSodium

extension ONNXImporter {
    /// The source hash of a model file: BLAKE2b-256 of its bytes, as lowercase hex. The importer
    /// stores it in ``ModelGraph/sourceHash``, the compiler carries it into the compiled model, and
    /// setup writes it into the verification key, so any change to the file, even one that
    /// quantizes to the same integers, gives a new model id.
    public static func sourceHash(of bytes: [UInt8]) -> String {
        Blake2b.hash256(bytes).description
    }
}
