/// The version of the zkml toolkit that wrote a file. Every file format (compiled model, keys)
/// carries it after its magic and format version, so a reader can say which tool made a file;
/// it is informational and never part of a model's identity.
public enum ToolVersion {
    public static let current = "0.3.0"
}
