import CSandbox
import Glibc

/// `wait` on a container run with `--rm`: its monitor removes the record, and the exit code in it, as soon as it
/// has written it. So a waiter holds a shared lock on the container's lock file for as long as it waits, and the
/// monitor takes it exclusively before it removes the directory: every waiter has read the code by then. The
/// lock is a byte-range one, which the flock that `locked` takes on the same file neither sees nor blocks.
extension StateDirectory {
    /// A shared hold, released when the returned fd is closed; nil when the container is already going.
    public func holdWhileWaiting() -> Int32? {
        let lock = openat(fd, Self.lockFile, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        guard lock >= 0 else { return nil }
        guard sbx_range_lock(lock, false) == 0 else {
            close(lock)
            return nil
        }
        return lock
    }

    /// Waits until no waiter holds the directory, at most `seconds`: a waiter that is stopped or stuck must not
    /// keep a removed container's directory for ever.
    func awaitWaiters(seconds: Double) {
        let lock = openat(fd, Self.lockFile, O_RDWR | O_NOFOLLOW | O_CLOEXEC)
        guard lock >= 0 else { return }
        defer { close(lock) }
        var tries = Int(seconds * 100)
        while sbx_range_lock(lock, true) == -EAGAIN, tries > 0 {
            usleep(10_000)
            tries -= 1
        }
    }
}
