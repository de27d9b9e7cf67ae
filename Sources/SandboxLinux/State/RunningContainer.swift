import CSandbox
import Glibc
import SandboxPolicy

/// A container's first process as the host sees it now, for `exec`: a pidfd checked to be the process the
/// record names, and what joining it takes, read from its /proc entry. Everything read there is read after
/// the pidfd was opened and trusted only once the process is checked again to be the same: a pid alone may
/// have been reused.
final class RunningContainer {
    let record: ContainerRecord
    let identity: ProcessIdentity
    /// Held for setns: it names the process itself, not its pid.
    let pidfd: Int32
    /// Its namespaces that are not sandbox's own: the ones `exec` joins (joining one's own user namespace
    /// is an error, and joining any other of one's own changes nothing).
    let namespaces: [Namespace]
    /// Its user namespace's maps and who wrote them; nil when it has sandbox's.
    let userNamespace: UserNamespacePlan?
    /// Whether it runs under a seccomp filter (/proc/PID/status, "Seccomp: 2").
    let filtered: Bool

    init(_ record: ContainerRecord) throws {
        guard let identity = record.identity, let pidfd = identity.open() else {
            throw SandboxError("container \(record.id) is not running")
        }
        self.record = record
        self.identity = identity
        self.pidfd = pidfd
        do {
            let proc = "/proc/\(identity.pid)"
            namespaces = try Namespace.allCases.filter { namespace in
                guard let theirs = Self.inode(proc + "/ns/" + namespace.procName) else { return false }
                guard let ours = Self.inode("/proc/self/ns/" + namespace.procName) else {
                    throw SandboxError("this kernel has no \(namespace.procName) namespace for sandbox to compare the container's with")
                }
                return theirs != ours
            }
            // Joining its namespaces makes a process's / the mount namespace's; in sandbox's own, a container's
            // root is a chroot that setns would not enter.
            guard namespaces.contains(.mount) else {
                throw SandboxError("container \(record.id) has no mount namespace of its own: a process joining it would run on the host's filesystem")
            }
            userNamespace = namespaces.contains(.user) ? try Self.userNamespace(proc) : nil
            let status = try HostFile.read(proc + "/status")
            filtered = status.split(separator: "\n").contains { $0.hasPrefix("Seccomp:") && $0.hasSuffix("2") }
            try checkAlive()
        } catch {
            close(pidfd)
            throw error
        }
    }

    deinit {
        close(pidfd)
    }

    /// A file of the container's image, such as /etc/passwd, resolved inside its root as it is now (an image's
    /// symlinks stay in the image), and only if it is a regular file of a sensible size: the image is hostile.
    func imageFile(_ path: String) throws -> String? {
        let text = try HostFile.read(path, inRoot: "/proc/\(identity.pid)/root")
        try checkAlive()
        return text
    }

    /// What was read in /proc/PID belongs to the container's process only if that is still its pid.
    func checkAlive() throws {
        guard identity.isAlive else { throw SandboxError("container \(record.id) is not running") }
    }

    /// A namespace by its device and inode, as the kernel tells them apart; nil when the kernel has no such link.
    private static func inode(_ path: String) -> [UInt64]? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return [UInt64(status.st_dev), UInt64(status.st_ino)]
    }

    /// Its maps, as /proc/PID/uid_map and gid_map show them; setgroups "deny" means an unprivileged caller
    /// wrote them, and the process may not call setgroups.
    private static func userNamespace(_ proc: String) throws -> UserNamespacePlan {
        func map(_ file: String) throws -> IDMap {
            let lines = try HostFile.read(proc + "/" + file).split(separator: "\n")
            let mappings = try lines.map { line in
                let fields = line.split(separator: " ").compactMap { UInt32($0) }
                guard fields.count == 3 else { throw SandboxError("\(proc)/\(file) has a line \"\(line)\" sandbox cannot read") }
                return IDMapping(containerID: fields[0], hostID: fields[1], size: fields[2])
            }
            return try IDMap(mappings, option: "the container's \(file)")
        }
        let setgroups = try HostFile.read(proc + "/setgroups").hasPrefix("deny")
        return UserNamespacePlan(uidMap: try map("uid_map"), gidMap: try map("gid_map"), writer: setgroups ? .caller : .root)
    }
}
