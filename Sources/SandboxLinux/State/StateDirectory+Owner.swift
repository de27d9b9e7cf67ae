import Glibc
import SandboxPolicy

/// The directory's owner: the process that holds its flock for the container's life (a detached container's
/// monitor, or a foreground `sandbox run`), records how the container ended, and removes it with --rm.
/// `stop`, `rm` and `restart` wait for it to let go; `restart` starts a new monitor that owns the same
/// directory again.
extension StateDirectory {
    /// The existing directory `name`, owned by this process from now on: a detached container started again.
    /// - Throws: when it does not exist, or another process still owns it after a second.
    public static func own(base: String, name: String) throws -> StateDirectory {
        guard let directory = openExisting(base + "/" + name) else { throw SandboxError("container \"\(name)\" does not exist") }
        // A command that looks at the directory (`isOwned`) holds the flock for an instant: try again a while.
        for _ in 0..<100 {
            if flock(directory.fd, LOCK_EX | LOCK_NB) == 0 { return directory }
            guard errno == EWOULDBLOCK || errno == EINTR else { throw SandboxError("lock \(directory.path)", errno: errno) }
            usleep(10_000)
        }
        throw SandboxError("container \"\(name)\" is still owned by another process (its monitor or sandbox run)")
    }

    /// Waits until no process owns the directory: its owner has recorded how the container ended, and has
    /// removed it if it was to.
    /// - Returns: false when an owner still held it after `milliseconds`.
    public func waitUntilReleased(milliseconds: Int) -> Bool {
        for _ in 0..<max(milliseconds / 10, 1) {
            if !isOwned { return true }
            usleep(10_000)
        }
        return !isOwned
    }

    /// Whether the directory still holds the container's record: false once it was removed.
    public var hasRecord: Bool {
        faccessat(fd, Self.recordFile, F_OK, AT_SYMLINK_NOFOLLOW) == 0
    }
}
