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
/// ``ElementStorage``) and no page zeroing: the pages are the kernel's file cache, mapped in on
/// first touch (against ≈ 13 ms to `read` the file into a fresh array). Nothing is faulted in
/// up front.
///
/// Touching a mapping can make far more of the file resident than was read: kernels that keep
/// a file's cache in large folios (ext4 on Linux 6.x) map a whole folio, up to 2 MiB, on one
/// fault. Scattered small reads of a large region therefore go through
/// ``copyBytes(at:into:)`` (`pread` from the same open file), which copies just those bytes and
/// maps nothing: how a proof reads its 152 queried columns of a key's encoded matrix without
/// making all 32 MiB of it resident.
///
/// The mapping is private and read-only, and lives as long as this object (every
/// ``ElementStorage`` borrowed from it keeps it alive). The file must not be truncated or
/// rewritten in place meanwhile — zkml replaces its files by renaming a new one over them,
/// which leaves a mapping (and the open descriptor) of the old one intact.
public final class MappedFile: @unchecked Sendable {
    /// The mapped bytes (empty for an empty file). Immutable, hence `@unchecked Sendable`.
    public let bytes: UnsafeRawBufferPointer
    /// The open file, for ``copyBytes(at:into:)``; closed with the mapping.
    private let descriptor: Int32

    /// Maps the file at `path`; `nil` when it cannot be opened, examined or mapped.
    public init?(path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        var status = stat()
        guard fstat(fd, &status) == 0 else {
            close(fd)
            return nil
        }
        let size = Int(status.st_size)
        guard size > 0 else {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            descriptor = fd
            return
        }
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else {
            close(fd)
            return nil
        }
        bytes = UnsafeRawBufferPointer(start: base, count: size)
        descriptor = fd
    }

    /// Copies `destination.count` bytes of the file, from byte `offset`, into `destination`
    /// without touching the mapping; `false` when they cannot all be read (a range outside the
    /// file, an I/O error).
    public func copyBytes(at offset: Int, into destination: UnsafeMutableRawBufferPointer) -> Bool {
        guard offset >= 0, offset <= bytes.count, destination.count <= bytes.count - offset else { return false }
        var done = 0
        while done < destination.count {
            let n = pread(descriptor, destination.baseAddress! + done, destination.count - done, off_t(offset + done))
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return false }
            done += n
        }
        return true
    }

    deinit {
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
        close(descriptor)
    }
}
