import CSandbox
import Glibc
import SandboxPolicy

/// Unpacks one image layer (a tar stream, gzip-, zstd- or xz-compressed or plain) into its own directory, and
/// says what it held: its `diff_id`, the sha256 of the uncompressed stream, computed in the same pass.
///
/// Unpacking is where images attack the host: the C shim extracts in a forked child chrooted into the layer's
/// directory, with libarchive's secure flags and only the capabilities extraction needs (`sbx_unpack_layer`);
/// whiteouts become overlayfs's. The layer is unpacked into a hidden sibling of its destination, which is
/// renamed into place only once everything checked out: a crash at any point leaves only a directory whose name
/// starts with `.` and contains `.unpacking-`, which nothing takes for a layer, and which the store may remove.
public struct LayerUnpacker: Sendable {
    /// How far a layer may go: past either limit it is stopped, refused, and nothing of it is kept.
    public struct Limits: Equatable, Sendable {
        /// The uncompressed tar stream's bytes: a small gzip of zeros can stand for terabytes.
        public var bytes: UInt64
        /// The tar's entries, whiteouts included: each is an inode.
        public var entries: UInt64

        public init(bytes: UInt64, entries: UInt64) {
            self.bytes = bytes
            self.entries = entries
        }

        /// Far beyond any real image's layer (the largest, machine-learning images', hold a few GiB and a few
        /// hundred thousand files), far below what a bomb would reach.
        public static let standard = Limits(bytes: 64 << 30, entries: 2_000_000)
    }

    public var limits: Limits
    /// Marks opaque directories `user.overlay.opaque`, which an overlayfs mounted with `userxattr` reads (a
    /// rootless store), rather than `trusted.overlay.opaque`, which only CAP_SYS_ADMIN may set.
    public var rootless: Bool

    public init(limits: Limits = .standard, rootless: Bool = false) {
        self.limits = limits
        self.rootless = rootless
    }

    /// Unpacks the blob at `blob` into `destination`, which must not exist yet; with `diffID`, the layer is
    /// refused unless its uncompressed stream has that digest.
    public func unpack(blob: String, into destination: String, diffID expected: String? = nil) throws -> UnpackedLayer {
        let fd = open(blob, O_RDONLY | O_CLOEXEC | O_NOCTTY)
        guard fd >= 0 else { throw SandboxError("open \(blob)", errno: errno) }
        defer { close(fd) }
        return try unpack(blob: fd, into: destination, diffID: expected)
    }

    /// Unpacks the stream read from `blob` (a file, or a pipe such as a download) into `destination`.
    public func unpack(blob: Int32, into destination: String, diffID expected: String? = nil) throws -> UnpackedLayer {
        let (parent, name) = Self.split(destination)
        let parentFD = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard parentFD >= 0 else { throw SandboxError("open \(parent)", errno: errno) }
        defer { close(parentFD) }
        let temporary = "." + name + ".unpacking-" + Self.randomSuffix()
        // 0755, whatever the caller's umask: the layer's own "./" entry, if it has one, sets its root's mode.
        guard mkdirat(parentFD, temporary, 0o755) == 0 else { throw SandboxError("create \(parent)/\(temporary)", errno: errno) }
        do {
            let layer = try unpack(blob: blob, into: temporary, in: parentFD)
            if let expected, layer.diffID != expected {
                throw SandboxError("the layer's uncompressed content is \(layer.diffID), not its diff_id \(expected)")
            }
            let renamed = sbx_rename_new(parentFD, temporary, name)
            guard renamed == 0 else { throw SandboxError("rename the layer into \(destination)", errno: -renamed) }
            return layer
        } catch {
            _ = sbx_remove_tree(parentFD, temporary)
            throw error
        }
    }

    private func unpack(blob: Int32, into temporary: String, in parentFD: Int32) throws -> UnpackedLayer {
        let directory = openat(parentFD, temporary, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard directory >= 0 else { throw SandboxError("open \(temporary)", errno: errno) }
        defer { close(directory) }
        var options = sbx_layer_options(max_bytes: limits.bytes, max_entries: limits.entries, user_xattrs: rootless)
        var result = sbx_layer_result()
        var failure = sbx_layer_failure()
        guard sbx_unpack_layer(blob, directory, &options, &result, &failure) == 0 else {
            throw Self.error(failure)
        }
        return UnpackedLayer(diffID: "sha256:" + withUnsafeBytes(of: result.diff_id) { Self.hex($0) }, tarBytes: result.tar_bytes, size: result.size,
                             entries: result.entries, devicesSkipped: result.devices_skipped)
    }

    /// The line for the extracting child's failure record: the step, the entry's path, and libarchive's words,
    /// or else the errno's. A hostile layer writes the path, and libarchive's words may repeat it (a child it
    /// took over writes all of them): any field with a control character is quoted as Go quotes, so that the
    /// line stays one line. Public for the fuzz target.
    public static func error(_ failure: sbx_layer_failure) -> SandboxError {
        let step = printable(String(cArray: failure.step)), path = printable(String(cArray: failure.path))
        let message = printable(String(cArray: failure.message))
        let action = path.isEmpty ? step : step + " " + path
        guard !message.isEmpty else { return SandboxError(action, errno: failure.error) }
        return SandboxError(action, errno: failure.error, reason: message)
    }

    private static func printable(_ text: String) -> String {
        text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f } ? DockerFormat.goQuote(text) : text
    }

    private static func split(_ path: String) -> (parent: String, name: String) {
        let trimmed = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        guard let slash = trimmed.lastIndex(of: "/") else { return (".", trimmed) }
        let parent = trimmed[..<slash]
        return (parent.isEmpty ? "/" : String(parent), String(trimmed[trimmed.index(after: slash)...]))
    }

    private static func randomSuffix() -> String {
        var bytes = [UInt8](repeating: 0, count: 8)
        _ = bytes.withUnsafeMutableBytes { sbx_random($0.baseAddress, $0.count) }
        return bytes.withUnsafeBytes { hex($0) }
    }

    private static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// What a layer held, once unpacked.
public struct UnpackedLayer: Equatable, Sendable {
    /// `sha256:` and the hex digest of the uncompressed tar stream: the image config's `rootfs.diff_ids` entry.
    public var diffID: String
    /// The uncompressed stream's length.
    public var tarBytes: UInt64
    /// The regular files' sizes added up: the layer's size as Docker counts it (`docker images`' SIZE).
    public var size: UInt64
    /// The tar's entries, whiteouts included.
    public var entries: UInt64
    /// Device nodes the layer held and that were not made, as rootless engines skip them: a container gets
    /// its devices from its spec, never from its image.
    public var devicesSkipped: UInt64
}
