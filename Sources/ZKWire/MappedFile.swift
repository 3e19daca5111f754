#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file mapped read-only into memory (`mmap`): its bytes without reading them into an array.
///
/// Decoding a 34 MB proving key from a mapping costs no copy (the matrix is used in place, see
/// ``ElementStorage``) and no page zeroing: the pages are the kernel's file cache, mapped in
/// (≈ 0.5 ms here against ≈ 13 ms to `read` the file into a fresh array).
///
/// The mapping is private and read-only, and lives as long as this object (every
/// ``ElementStorage`` borrowed from it keeps it alive). The file must not be truncated or
/// rewritten in place meanwhile — zkml replaces its files by renaming a new one over them,
/// which leaves a mapping of the old one intact.
public final class MappedFile: @unchecked Sendable {
    /// The mapped bytes (empty for an empty file). Immutable, hence `@unchecked Sendable`.
    public let bytes: UnsafeRawBufferPointer

    /// Maps the file at `path`; `nil` when it cannot be opened, examined or mapped.
    public init?(path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { return nil }
        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE   // fault every page in now, in one call
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let base = mmap(nil, size, PROT_READ, flags, fd, 0), base != MAP_FAILED else { return nil }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
    }
}
