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
}
