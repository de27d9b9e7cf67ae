/// What the parent and the child will do for one container: its spec laid out on its state directory.
public struct LaunchPlan: Equatable, Sendable {
    /// Where the container's / comes from.
    public struct Rootfs: Equatable, Sendable {
        /// The mount point that becomes /.
        public var path: String
        /// The tmpfs for the overlay's upper and work directories; nil when the root is bound as it is.
        public var layer: String?
        public var overlayOptions: String?
        /// The directory bound as /, when it is not an overlay.
        public var source: String
        public var readOnly: Bool
    }

    /// A tree the parent shifts onto the container's ids and hands to the child, which attaches it at
    /// `staging` in its own mount namespace.
    public struct IdmappedMount: Equatable, Sendable {
        public var source: String
        public var staging: String
    }

    public var spec: ContainerSpec
    public var rootfs: Rootfs
    public var idmappedMounts: [IdmappedMount] = []
    /// The spec's mounts, with each idmapped bind's source its staging path.
    public var mounts: [MountEntry]

    public init(spec: ContainerSpec, layout: StateLayout) {
        self.spec = spec
        let idmapping = spec.userNamespace?.canIdmapMounts ?? false
        if spec.root.layout == .overlay {
            var lower = spec.root.path
            if idmapping {
                idmappedMounts.append(IdmappedMount(source: lower, staging: layout.lower))
                lower = layout.lower
            }
            // Unprivileged overlayfs cannot write trusted.* xattrs; user.* serve in a user namespace.
            let xattrs = spec.userNamespace == nil ? "" : ",userxattr"
            rootfs = Rootfs(
                path: layout.rootfs, layer: layout.layer,
                overlayOptions: "lowerdir=\(Self.escapeOverlayPath(lower)),upperdir=\(Self.escapeOverlayPath(layout.layer))/upper,"
                    + "workdir=\(Self.escapeOverlayPath(layout.layer))/work\(xattrs)",
                source: spec.root.path, readOnly: spec.root.readOnly)
        } else {
            rootfs = Rootfs(path: layout.rootfs, layer: nil, overlayOptions: nil, source: spec.root.path, readOnly: spec.root.readOnly)
        }

        mounts = spec.mounts
        var staged = 0
        for (index, entry) in mounts.enumerated() {
            guard case .bind(let source, idmapped: true, let recursive) = entry.kind, idmapping else { continue }
            idmappedMounts.append(IdmappedMount(source: source, staging: layout.volume(staged)))
            mounts[index].kind = .bind(source: layout.volume(staged), recursive: recursive)
            staged += 1
        }
    }

    /// How many idmapped volumes the spec has: the state directory makes a mount point for each.
    public static func idmappedVolumes(in spec: ContainerSpec) -> Int {
        spec.mounts.filter { if case .bind(_, idmapped: true, _) = $0.kind { true } else { false } }.count
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
