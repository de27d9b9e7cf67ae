/// Everything the parent and the child will do for one container, decided before anything is started.
public struct LaunchPlan: Equatable, Sendable {
    /// Where the container's / comes from.
    public struct Rootfs: Equatable, Sendable {
        /// The mount point that becomes /.
        public var path: String
        /// The tmpfs for the overlay's upper and work directories; nil on the host's /.
        public var layer: String?
        public var overlayOptions: String?
        public var readOnly: Bool
    }

    /// A tree the parent attaches, shifted onto the container's ids, before the child copies the mount table.
    public struct IdmappedMount: Equatable, Sendable {
        public var source: String
        public var staging: String
    }

    public var spec: RunSpec
    public var userNamespace: UserNamespacePlan?
    public var credentials: Credentials
    /// nil: unconfined.
    public var seccomp: SeccompProgram?
    public var hostname: String?
    public var environment: Environment
    public var rootfs: Rootfs
    public var idmappedMounts: [IdmappedMount] = []
    public var mounts: MountTable
    public var cloneFlags: UInt64 = 0
    public var unshareFlags: UInt64 = 0

    /// - Parameters:
    ///   - console: the pty slave's host path with -t.
    ///   - timeNamespaces: whether this kernel has time namespaces (5.6 and later).
    public init(spec: RunSpec, id: ContainerID, userNamespace: UserNamespacePlan?, credentials: Credentials,
                seccomp: SeccompProgram?, state: StateDirectory, console: String?, timeNamespaces: Bool) {
        self.spec = spec
        self.userNamespace = userNamespace
        self.credentials = credentials
        self.seccomp = seccomp
        hostname = spec.namespaces.isNew(.uts) ? spec.hostname ?? id.short : nil
        // With the host's uts namespace the workload's HOSTNAME is the host's name, as in Docker.
        environment = spec.environment.withDefaults(hostname: hostname ?? HostFile.kernel().nodename, home: credentials.user.home,
                                                    tty: spec.tty)

        let idmapping = userNamespace?.canIdmapMounts ?? false
        if let image = spec.rootfs {
            var lower = image
            if idmapping {
                idmappedMounts.append(IdmappedMount(source: image, staging: state.lower))
                lower = state.lower
            }
            // Unprivileged overlayfs cannot write trusted.* xattrs; user.* serve in a user namespace.
            let xattrs = userNamespace == nil ? "" : ",userxattr"
            rootfs = Rootfs(
                path: state.rootfs, layer: state.layer,
                overlayOptions: "lowerdir=\(Self.escapeOverlayPath(lower)),upperdir=\(Self.escapeOverlayPath(state.layer))/upper,"
                    + "workdir=\(Self.escapeOverlayPath(state.layer))/work\(xattrs)",
                readOnly: spec.readOnly)
        } else {
            rootfs = Rootfs(path: state.rootfs, layer: nil, overlayOptions: nil, readOnly: false)
        }

        var volumeSources: [String] = []
        for (index, volume) in spec.volumes.enumerated() {
            if volume.idmapped && idmapping {
                idmappedMounts.append(IdmappedMount(source: volume.source, staging: state.volume(index)))
                volumeSources.append(state.volume(index))
            } else {
                volumeSources.append(volume.source)
            }
        }
        mounts = MountTable(spec: spec, context: .init(userNamespace: userNamespace, volumeSources: volumeSources, console: console))

        for namespace in Namespace.allCases where spec.namespaces.isNew(namespace) {
            if namespace == .time && !timeNamespaces { continue }
            if namespace.isUnsharedAfterMapping {
                unshareFlags |= namespace.cloneFlag
            } else {
                cloneFlags |= namespace.cloneFlag
            }
        }
    }

    /// overlayfs splits its options at ',' and layers at ':'; a backslash keeps either in a path.
    static func escapeOverlayPath(_ path: String) -> String {
        var escaped = ""
        for character in path {
            if character == "," || character == ":" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}
