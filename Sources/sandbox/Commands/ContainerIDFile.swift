import Glibc
import SandboxLinux
import SandboxPolicy

/// `--cidfile`: the container's id, written once it is known, as the docker CLI writes it. The file is made
/// before anything starts and must not exist (it may be another container's, still running); it goes again if
/// the container never started.
final class ContainerIDFile {
    let path: String
    private var fd: Int32

    init(creating path: String) throws {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            if errno == EEXIST {
                throw SandboxError("container ID file found, make sure the other container isn't running or delete \(path)")
            }
            throw SandboxError("failed to create the container ID file \(path)", errno: errno)
        }
    }

    deinit {
        if fd >= 0 { close(fd) }
    }

    func write(_ id: ContainerID) throws {
        let text = Array(id.value.utf8)
        let written = text.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        guard written == text.count else { throw SandboxError("write the container ID file \(path)", errno: written < 0 ? errno : EIO) }
        close(fd)
        fd = -1
    }

    /// For a container that never started.
    func remove() {
        unlink(path)
    }
}
