import CSandbox
import Glibc

/// A container's directory on the host: the empty mount points its filesystem is built on.
///
/// It holds no data (the writable layer is a tmpfs inside the container's mount namespace), so removing it
/// is removing a few empty directories. Its name is the container's, which makes names unique among running
/// containers. A running sandbox holds a flock on it; a directory nobody holds was left by a sandbox that
/// was killed, and the next run removes it.
public final class StateDirectory {
    public let path: String
    private let lock: Int32
    /// The containers whose directories this run found abandoned and removed: sandboxes that were killed,
    /// whose cgroups are then left too.
    public private(set) var abandoned: [String] = []

    /// /run/sandbox for root; for anyone else $XDG_RUNTIME_DIR/sandbox, or /tmp/sandbox-UID.
    public static func base(for caller: Caller, environment: [String: String]) -> String {
        if caller.isRoot { return "/run/sandbox" }
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty { return runtime + "/sandbox" }
        return "/tmp/sandbox-\(caller.uid)"
    }

    public var rootfs: String { path + "/rootfs" }
    public var layer: String { path + "/layer" }
    public var lower: String { path + "/lower" }
    public func volume(_ index: Int) -> String { path + "/volume-\(index)" }

    private init(path: String, lock: Int32) {
        self.path = path
        self.lock = lock
    }

    /// Creates `base/name` and the mount points a container needs, after removing what killed runs left.
    public static func create(base: String, name: String, volumes: Int) throws -> StateDirectory {
        try makeDirectory(base, mode: 0o711, existing: true)
        // Creating (mkdir, then flock) and collecting (flock, then remove) must not interleave.
        let registry = try Self.lock(base + "/.lock")
        defer { close(registry) }
        let abandoned = removeAbandoned(in: base)

        let path = base + "/" + name
        guard mkdir(path, 0o711) == 0 else {
            if errno == EEXIST { throw SandboxError("the container name \"\(name)\" is already in use by a running container") }
            throw SandboxError("create \(path)", errno: errno)
        }
        let lock = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            rmdir(path)
            throw SandboxError("lock \(path)", errno: code)
        }
        let directory = StateDirectory(path: path, lock: lock)
        directory.abandoned = abandoned
        do {
            for mountPoint in [directory.rootfs, directory.layer, directory.lower] + (0..<volumes).map(directory.volume) {
                try makeDirectory(mountPoint, mode: 0o755, existing: false)
            }
        } catch {
            directory.remove()
            throw error
        }
        return directory
    }

    /// Removes the directory and its empty mount points; rmdir never descends into a mount still attached.
    public func remove() {
        Self.removeTree(path)
        close(lock)
    }

    /// An exclusive flock on `path`, created if missing, held until the returned fd is closed.
    static func lock(_ path: String) throws -> Int32 {
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SandboxError("open \(path)", errno: errno) }
        while flock(fd, LOCK_EX) < 0 {
            guard errno == EINTR else { close(fd); throw SandboxError("lock \(path)", errno: errno) }
        }
        return fd
    }

    /// Directories no running sandbox holds; a staging mount a killed sandbox left attached is detached first.
    /// - Returns: their names.
    private static func removeAbandoned(in base: String) -> [String] {
        var removed: [String] = []
        for name in HostFile.entries(of: base) where !name.hasPrefix(".") {
            let path = base + "/" + name
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            for entry in HostFile.entries(of: path) { _ = sbx_detach(path + "/" + entry) }
            removeTree(path)
            removed.append(name)
        }
        return removed
    }

    private static func removeTree(_ path: String) {
        for entry in HostFile.entries(of: path) { rmdir(path + "/" + entry) }
        rmdir(path)
    }

    static func makeDirectory(_ path: String, mode: mode_t, existing: Bool) throws {
        if mkdir(path, mode) == 0 || (existing && errno == EEXIST) { return }
        throw SandboxError("create \(path)", errno: errno)
    }
}
