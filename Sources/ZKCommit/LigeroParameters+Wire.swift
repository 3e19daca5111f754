public import ZKWire

/// The bytes of ``LigeroParameters`` inside the keys' formats: `u32 numVariables, u32 logRows,
/// u32 logInverseRate, u32 queryCount`.
extension LigeroParameters {
    public func write(to writer: inout WireWriter) {
        writer.write(count: numVariables)
        writer.write(count: logRows)
        writer.write(count: logInverseRate)
        writer.write(count: queryCount)
    }

    /// Reads parameters written by ``write(to:)``; values the initialiser refuses are a
    /// ``WireError/invalidValue(field:detail:)``.
    public init(reading reader: inout WireReader) throws(WireError) {
        let n = try reader.readCount("numVariables", limit: LigeroParameters.maximumNumVariables)
        let rows = try reader.readCount("logRows", limit: LigeroParameters.maximumNumVariables)
        let rate = try reader.readCount("logInverseRate", limit: 8)
        let queries = try reader.readCount("queries", limit: 1 << 20)
        do throws(LigeroError) {
            try self.init(numVariables: n, logRows: rows, logInverseRate: rate, queryCount: queries)
        } catch {
            throw .invalidValue(field: "commitment parameters", detail: "\(error)")
        }
    }
}
