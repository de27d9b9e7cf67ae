import Glibc

/// A container's directory on the host: the empty mount points its filesystem is built on.
///
/// It holds no data (the writable layer is a tmpfs inside the container's mount namespace), so removing it is
/// removing a few empty directories. Its name is the container's, which makes names unique among running
/// containers.
public struct StateDirectory: Sendable {
    public let path: String

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

    /// Creates `base/name` and the mount points a container needs.
    public static func create(base: String, name: String, volumes: Int) throws -> StateDirectory {
        try makeDirectory(base, mode: 0o711, existing: true)
        let directory = StateDirectory(path: base + "/" + name)
        guard mkdir(directory.path, 0o711) == 0 else {
            if errno == EEXIST { throw SandboxError("the container name \"\(name)\" is already in use by a running container") }
            throw SandboxError("create \(directory.path)", errno: errno)
        }
        do {
            for path in [directory.rootfs, directory.layer, directory.lower] + (0..<volumes).map(directory.volume) {
                try makeDirectory(path, mode: 0o755, existing: false)
            }
        } catch {
            directory.remove()
            throw error
        }
        return directory
    }

    /// Removes the directory and its empty mount points; it never follows into a mount still attached.
    public func remove() {
        let entries = (try? Self.entries(of: path)) ?? []
        for entry in entries {
            rmdir(path + "/" + entry)
        }
        rmdir(path)
    }

    /// An exclusive flock on a file in /run/sandbox, held until the returned fd is closed.
    static func lock(name: String) throws -> Int32 {
        try makeDirectory("/run/sandbox", mode: 0o711, existing: true)
        let fd = open("/run/sandbox/" + name, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SandboxError("open /run/sandbox/\(name)", errno: errno) }
        while flock(fd, LOCK_EX) < 0 {
            guard errno == EINTR else { close(fd); throw SandboxError("lock /run/sandbox/\(name)", errno: errno) }
        }
        return fd
    }

    private static func makeDirectory(_ path: String, mode: mode_t, existing: Bool) throws {
        if mkdir(path, mode) == 0 || (existing && errno == EEXIST) { return }
        throw SandboxError("create \(path)", errno: errno)
    }

    private static func entries(of path: String) throws -> [String] {
        guard let directory = opendir(path) else { throw SandboxError("open \(path)", errno: errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
