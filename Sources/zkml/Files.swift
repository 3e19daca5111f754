import Foundation

/// The bytes of the file at `path`, read straight into an array (no intermediate `Data`);
/// `nil` if it cannot be read.
func readBytes(atPath path: String) -> [UInt8]? {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    let end = lseek(fd, 0, SEEK_END)
    guard end >= 0, lseek(fd, 0, SEEK_SET) == 0 else { return nil }
    let size = Int(end)
    var complete = true
    let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
        while initialized < size {
            let n = read(fd, buffer.baseAddress! + initialized, size - initialized)
            guard n > 0 else { complete = false; return }
            initialized += n
        }
    }
    return complete ? bytes : nil
}

/// Writes `bytes` to `path` atomically: into a temporary file beside it, renamed over `path`
/// once complete, so a reader (or a mapping of the old file) never sees a partial file.
/// POSIX calls rather than `Data.write(to:options: .atomic)`, which copies the bytes first.
func writeBytes(_ bytes: [UInt8], toPath path: String) throws {
    let temporary = path + ".tmp-\(getpid())"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw UsageError("cannot write \(path): \(String(cString: strerror(errno)))", code: "unwritable_file") }
    var written = 0
    bytes.withUnsafeBytes { raw in
        while written < raw.count {
            let n = write(fd, raw.baseAddress! + written, raw.count - written)
            guard n > 0 else { return }
            written += n
        }
    }
    let closed = close(fd) == 0
    guard written == bytes.count, closed, rename(temporary, path) == 0 else {
        let reason = String(cString: strerror(errno))
        unlink(temporary)
        throw UsageError("cannot write \(path): \(reason)", code: "unwritable_file")
    }
}
