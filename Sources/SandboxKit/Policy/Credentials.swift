/// Who the workload is: its ids and the capability sets the child installs before execve.
public struct Credentials: Equatable, Sendable {
    public var user: UserSpec.Resolved
    public var capabilities: CapabilityPolicy.Sets
    public var noNewPrivileges: Bool
    /// The kernel's highest capability number.
    public var lastCapability: Int

    /// Resolves the spec's user against the container's files and its capability flags against the kernel.
    public init(spec: RunSpec, passwd: String?, group: String?, lastCapability: Int,
                userNamespace: UserNamespacePlan?) throws {
        user = try spec.user.resolve(passwd: passwd, group: group)
        capabilities = try spec.capabilities.resolve(lastCapability: lastCapability, rootUser: user.uid == 0)
        noNewPrivileges = spec.noNewPrivileges
        self.lastCapability = lastCapability
        if let userNamespace {
            try Self.checkMapped(user.uid, in: userNamespace.uidMap, kind: "uid")
            for gid in [user.gid] + user.supplementaryGroups {
                try Self.checkMapped(gid, in: userNamespace.gidMap, kind: "gid")
            }
            if userNamespace.writer == .caller && !user.supplementaryGroups.isEmpty {
                throw SandboxError("supplementary groups need setgroups, which a rootless container without subordinate ids may not call")
            }
        }
    }

    private static func checkMapped(_ id: UInt32, in map: IDMap, kind: String) throws {
        guard map.mappings.contains(where: { $0.host(for: id) != nil }) else {
            let ranges = map.mappings.map { "\($0.containerID)-\($0.containerID + $0.size - 1)" }.joined(separator: ", ")
            throw SandboxError("\(kind) \(id) is not mapped in the container's user namespace (mapped: \(ranges))")
        }
    }
}
