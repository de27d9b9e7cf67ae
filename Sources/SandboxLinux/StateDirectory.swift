import Glibc
import SandboxPolicy

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

    /// The base directory, made if missing, and refused unless it is the caller's own: a real directory (not a
    /// symlink), owned by the caller, writable by nobody else; 0700 for anyone but root. In /tmp anyone could
    /// have made it first, to read or plant what sandbox keeps there.
    /// - Returns: its path.
    public static func prepareBase(for caller: Caller, environment: [String: String]) throws -> String {
        let path = base(for: caller, environment: environment)
        let mode: mode_t = caller.isRoot ? 0o711 : 0o700
        try makeDirectory(path, mode: mode, existing: true)
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ELOOP || errno == ENOTDIR {
                throw SandboxError("state directory \(path) is a symlink or a file, not a directory: refusing it; remove it")
            }
            throw SandboxError("state directory \(path)", errno: errno)
        }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0 else { throw SandboxError("state directory \(path)", errno: errno) }
        guard status.st_uid == caller.uid else {
            throw SandboxError("state directory \(path) belongs to uid \(status.st_uid), not to you (uid \(caller.uid)): refusing it; remove it, or set XDG_RUNTIME_DIR")
        }
        // Writable by others, it may hold anything; only readable, it is the caller's own to tighten.
        guard status.st_mode & 0o022 == 0 else {
            throw SandboxError("state directory \(path) has mode \(String(status.st_mode & 0o7777, radix: 8)), writable by others: refusing it; remove it")
        }
        if status.st_mode & 0o777 & ~mode != 0, fchmod(fd, mode) != 0 {
            throw SandboxError("state directory \(path): chmod \(String(mode, radix: 8))", errno: errno)
        }
        return path
    }

    /// The socket a created container waits on until `start` connects, in this directory.
    public static let startSocket = "start"

    /// An fd on the directory, for names in it: the path may be longer than a socket address takes.
    public var fd: Int32 { lock }

    public var layout: StateLayout { StateLayout(path: path) }

    private init(path: String, lock: Int32) {
        self.path = path
        self.lock = lock
    }

    /// Creates `base/name` and the mount points a container needs, after removing what killed runs left.
    /// - Parameter base: from `prepareBase`.
    public static func create(base: String, name: String, volumes: Int) throws -> StateDirectory {
        // Creating (mkdir, then flock) and collecting (flock, then remove) must not interleave.
        let registry = try Self.lock(base + "/.lock")
        defer { close(registry) }
        let abandoned = removeAbandoned(in: base)

        let path = base + "/" + name
        guard mkdir(path, 0o711) == 0 else {
            if errno == EEXIST { throw SandboxError("the container name \"\(name)\" is already in use by a running container") }
            throw SandboxError("create \(path)", errno: errno)
        }
        let lock = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard lock >= 0, flock(lock, LOCK_EX | LOCK_NB) == 0 else {
            let code = errno
            rmdir(path)
            throw SandboxError("lock \(path)", errno: code)
        }
        let directory = StateDirectory(path: path, lock: lock)
        directory.abandoned = abandoned
        do {
            // mkdir's mode passes the caller's umask: the container's root must reach its mount points whatever it is.
            guard fchmod(lock, 0o711) == 0 else { throw SandboxError("chmod \(path)", errno: errno) }
            let layout = directory.layout
            for mountPoint in [layout.rootfs, layout.layer, layout.lower] + (0..<volumes).map(layout.volume) {
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
        let fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SandboxError("open \(path)", errno: errno) }
        while flock(fd, LOCK_EX) < 0 {
            guard errno == EINTR else { close(fd); throw SandboxError("lock \(path)", errno: errno) }
        }
        return fd
    }

    /// Directories no running sandbox holds. Nothing is ever mounted on them on the host, so removing one is
    /// a few rmdirs; a symlink is never followed (O_NOFOLLOW here, and rmdir does not follow one).
    /// - Returns: their names.
    private static func removeAbandoned(in base: String) -> [String] {
        var removed: [String] = []
        for name in HostFile.entries(of: base) where !name.hasPrefix(".") {
            let path = base + "/" + name
            let fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard fd >= 0 else { continue }
            defer { close(fd) }
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else { continue }
            removeTree(path)
            removed.append(name)
        }
        return removed
    }

    /// The empty mount points, the lock and the start socket; rmdir never descends into a mount still attached.
    private static func removeTree(_ path: String) {
        for entry in HostFile.entries(of: path) where rmdir(path + "/" + entry) != 0 && errno == ENOTDIR {
            unlink(path + "/" + entry)
        }
        rmdir(path)
    }

    /// With `mode` exactly, past the caller's umask.
    static func makeDirectory(_ path: String, mode: mode_t, existing: Bool) throws {
        if mkdir(path, mode) == 0 {
            guard chmod(path, mode) == 0 else { throw SandboxError("chmod \(path)", errno: errno) }
            return
        }
        if existing && errno == EEXIST { return }
        throw SandboxError("create \(path)", errno: errno)
    }
}
