import Glibc

/// Who runs sandbox: root sets up any map and idmapped mounts; anyone else gets a rootless container.
public struct Caller: Equatable, Sendable {
    public var uid: UInt32
    public var gid: UInt32
    public var name: String?

    public static func current() -> Caller {
        let uid = getuid()
        return Caller(uid: uid, gid: getgid(), name: getpwuid(uid).map { String(cString: $0.pointee.pw_name) })
    }

    public var isRoot: Bool { uid == 0 }
}
