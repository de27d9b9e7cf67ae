/// `--device HOST[:CONTAINER][:PERMISSIONS]`: a host device node put into the container, and allowed by its
/// device cgroup with PERMISSIONS (some of r, w, m; `rwm` by default), as Docker's flag.
///
/// The node is bound from the host, since a user namespace cannot mknod; it keeps its host owner and mode.
public struct DeviceMapping: Equatable, Sendable {
    public var hostPath: String
    public var containerPath: String
    public var access: DeviceAccess

    public init(hostPath: String, containerPath: String, access: DeviceAccess = .all) {
        self.hostPath = hostPath
        self.containerPath = containerPath
        self.access = access
    }

    /// Docker's reading: a second field that is a valid permission string is the permissions
    /// (`/dev/sda:r`), otherwise it is the container path.
    public init(parsing text: String) throws {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard fields.count <= 3, !fields[0].isEmpty else {
            throw SandboxError("invalid --device \"\(text)\": expected HOST[:CONTAINER][:PERMISSIONS]")
        }
        var container = fields[0], access = DeviceAccess.all
        if fields.count == 2 {
            if let given = DeviceAccess(parsing: fields[1]) { access = given } else { container = fields[1] }
        } else if fields.count == 3 {
            container = fields[1]
            guard let given = DeviceAccess(parsing: fields[2]) else {
                throw SandboxError("invalid --device \"\(text)\": bad permissions \"\(fields[2])\" (some of r, w and m, each once)")
            }
            access = given
        }
        for path in [fields[0], container] where !path.hasPrefix("/") {
            throw SandboxError("invalid --device \"\(text)\": \"\(path)\" is not an absolute path")
        }
        guard ContainerPath.clean(container) != "/" else {
            throw SandboxError("invalid --device \"\(text)\": the container path cannot be /")
        }
        self.init(hostPath: fields[0], containerPath: ContainerPath.clean(container), access: access)
    }

    /// Under `--privileged` the container's `/dev` is the host's, so a node under it is already there at
    /// its host path, and cannot be put at another (its mount point would be made in the host's `/dev`).
    var isInHostDev: Bool { containerPath.hasPrefix("/dev/") }
}
