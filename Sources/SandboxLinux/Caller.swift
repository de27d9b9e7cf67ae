import Glibc
import SandboxPolicy

/// Who runs sandbox: root sets up any map and idmapped mounts; anyone else gets a rootless container.
public struct Caller: Equatable, Sendable {
    public var uid: UInt32
    public var gid: UInt32

    public static func current() -> Caller {
        Caller(uid: getuid(), gid: getgid())
    }

    public var isRoot: Bool { uid == 0 }

    /// The login name, which /etc/subuid may use; looked up only when needed (a passwd lookup costs a start).
    public var name: String? {
        getpwuid(uid).map { String(cString: $0.pointee.pw_name) }
    }
}
