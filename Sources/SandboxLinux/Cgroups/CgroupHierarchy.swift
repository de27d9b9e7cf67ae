import SandboxPolicy

/// One mounted cgroup hierarchy.
public struct CgroupMount: Equatable, Sendable {
    public var path: String
    public var version: CgroupVersion
    /// v1: the controllers bound to the hierarchy (none for a named one such as name=systemd); v2: those its
    /// root's cgroup.controllers offers, which leaves out any a v1 hierarchy holds.
    public var controllers: Set<String>

    public init(path: String, version: CgroupVersion, controllers: Set<String>) {
        self.path = path
        self.version = version
        self.controllers = controllers
    }
}

/// The cgroup hierarchies the host mounts, read from mountinfo: all v2 (most current hosts), all v1, or a
/// hybrid (v1 controllers under /sys/fs/cgroup/CONTROLLER and a v2 tree, often with no controller, at
/// /sys/fs/cgroup/unified). A controller lives in exactly one hierarchy, so each limit has one place to go.
public struct CgroupHierarchy: Equatable, Sendable {
    public enum Mode: Equatable, Sendable {
        /// Only the v2 tree.
        case unified
        /// Only v1 hierarchies.
        case legacy
        /// v1 controllers and a v2 tree besides.
        case hybrid
    }

    public var mode: Mode
    /// Every hierarchy, each once, in mountinfo's order: a container joins them all, so that with its own
    /// cgroup namespace it sees its cgroup as / in each.
    public var mounts: [CgroupMount]

    /// The v2 controllers sandbox enables for its cgroups, when the tree offers them.
    static let v2Controllers = ["cpu", "cpuset", "memory", "pids"]

    /// Options of a v1 mount that are not controllers (`name=` and `release_agent=` are left out by their `=`).
    /// (Arrays rather than sets of Substring here: a start's first set of a type costs a scan of every protocol
    /// conformance in the binary, longer than these lookups.)
    private static let v1MountFlags: [Substring] = [
        "rw", "ro", "noprefix", "clone_children", "xattr", "cpuset_v2_mode", "favordynmods", "nofavordynmods",
    ]

    public init(mode: Mode, mounts: [CgroupMount]) {
        self.mode = mode
        self.mounts = mounts
    }

    /// The hierarchies in `mountinfo` (the text of /proc/self/mountinfo); a v2 tree's controllers are read
    /// from its cgroup.controllers through `filesystem`.
    public init(mountinfo: String, filesystem: any CgroupFilesystem) throws {
        var mounts: [CgroupMount] = []
        var devices: [Substring] = []
        for line in HostFile.lines(mountinfo) {
            let fields = line.utf8.split(separator: UInt8(ascii: " ")).map(Substring.init)
            // ID PARENT MAJOR:MINOR ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPEROPTIONS
            guard fields.count > 7, let separator = fields[6...].firstIndex(of: "-"), separator + 1 < fields.count
            else { continue }
            let type = fields[separator + 1]
            guard type == "cgroup" || type == "cgroup2" else { continue }
            // The same hierarchy bound twice is one hierarchy.
            guard !devices.contains(fields[2]) else { continue }
            devices.append(fields[2])
            let path = Self.unescape(fields[4])
            if type == "cgroup2" {
                let offered = filesystem.value(path + "/cgroup.controllers") ?? ""
                mounts.append(CgroupMount(path: path, version: .v2,
                                          controllers: Set(offered.split(separator: " ").map(String.init))))
            } else {
                let options = separator + 3 < fields.count ? fields[separator + 3].split(separator: ",") : []
                let controllers = options.filter { !$0.contains("=") && !Self.v1MountFlags.contains($0) }
                mounts.append(CgroupMount(path: path, version: .v1, controllers: Set(controllers.map(String.init))))
            }
        }
        let hasV1 = mounts.contains { $0.version == .v1 && !$0.controllers.isEmpty }
        let hasV2 = mounts.contains { $0.version == .v2 }
        switch (hasV1, hasV2) {
        case (true, true): self.init(mode: .hybrid, mounts: mounts)
        case (true, false): self.init(mode: .legacy, mounts: mounts)
        case (false, true): self.init(mode: .unified, mounts: mounts)
        case (false, false): throw SandboxError("no cgroup filesystem is mounted: resource limits need one at /sys/fs/cgroup")
        }
    }

    /// This process's view of the host's hierarchies.
    public static func host(filesystem: any CgroupFilesystem = HostCgroupFilesystem()) throws -> CgroupHierarchy {
        try CgroupHierarchy(mountinfo: HostFile.read("/proc/self/mountinfo"), filesystem: filesystem)
    }

    /// The hierarchy that holds `controller`: a v1 one that binds it, or else the v2 tree if it offers it.
    public func mount(for controller: String) -> CgroupMount? {
        mounts.first { $0.version == .v1 && $0.controllers.contains(controller) }
            ?? mounts.first { $0.version == .v2 && $0.controllers.contains(controller) }
    }

    /// mountinfo writes a space, tab, newline and backslash in a path as octal escapes (\040).
    private static func unescape(_ field: Substring) -> String {
        var bytes: [UInt8] = []
        var rest = field.utf8[...]
        while let byte = rest.first {
            let octal = rest.dropFirst().prefix(3)
            if byte == UInt8(ascii: "\\"), octal.count == 3, let value = UInt8(String(decoding: octal, as: UTF8.self), radix: 8) {
                bytes.append(value)
                rest = rest.dropFirst(4)
            } else {
                bytes.append(byte)
                rest = rest.dropFirst()
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
