/// What the parent and the child will do for one container: its spec laid out on its state directory.
public struct LaunchPlan: Equatable, Sendable {
    /// Where the container's / comes from.
    public struct Rootfs: Equatable, Sendable {
        /// The mount point that becomes /.
        public var path: String
        /// The directory for the overlay's upper and work directories; nil when the root is bound as it is.
        public var layer: String?
        public var overlayOptions: String?
        /// The directory bound as /, when it is not an overlay.
        public var source: String
        public var readOnly: Bool
    }

    /// A tree the parent clones from the host, as host root, and hands to the child, which attaches it in its
    /// own mount namespace: the image, shifted onto the container's ids, and in a user namespace root makes,
    /// every bind's source, which the container's root may not be allowed to reach on the host (podman's
    /// container directory is 0700), shifted too when idmapped.
    public struct HandedTree: Equatable, Sendable {
        public var source: String
        public var idmapped: Bool
        public var recursive: Bool
        /// A slave of the host's mount, receiving what the host mounts beneath it later; otherwise private.
        /// Never a peer: what the container mounts must not reach the host.
        public var receivesHostMounts = false
    }

    public var spec: ContainerSpec
    /// The state directory, which the child covers with a tmpfs of its own mount namespace holding every path
    /// of `rootfs`, and `stagedPaths`, relative to it (`StateLayout`): the host's directory has none of them. For
    /// a container without a mount namespace of its own, a directory in it, whose tmpfs the host sees until the
    /// container is deleted.
    public var staging: String
    public var rootfs: Rootfs
    /// The trees the parent hands over, the image's first when it is one (attached at `stagedPaths` for the
    /// overlay).
    public var trees: [HandedTree] = []
    /// Where the first trees are attached: the image's layers (`lower`, `lower1`...), then a writable layer
    /// kept on disk (at `layer`); empty when the image is not handed.
    public var stagedPaths: [String] = []
    /// The spec's mounts.
    public var mounts: [MountEntry]
    /// For each of `mounts`, the index of the handed tree it is made from, if it is. (An array, not a
    /// dictionary: a start's first dictionary of a key type costs a scan of every protocol conformance.)
    public var treeOfMount: [Int?] = []

    public init(spec: ContainerSpec, layout: StateLayout) {
        self.spec = spec
        staging = layout.path
        let idmapping = spec.userNamespace?.canIdmapMounts ?? false
        if spec.root.layout == .overlay {
            var lowers = spec.root.layers ?? [spec.root.path]
            var layer = spec.root.writableLayer ?? layout.layer
            if idmapping {
                // Each layer shifted onto the container's ids; a kept writable layer too, so that what the
                // container writes is stored with the image's ids (root is 0 on disk), whatever its map.
                for (index, lower) in lowers.enumerated() {
                    trees.append(HandedTree(source: lower, idmapped: true, recursive: true))
                    stagedPaths.append(layout.lower(index))
                }
                lowers = stagedPaths
                if let writable = spec.root.writableLayer {
                    trees.append(HandedTree(source: writable, idmapped: true, recursive: false))
                    stagedPaths.append(layout.layer)
                    layer = layout.layer
                }
            }
            // Unprivileged overlayfs cannot write trusted.* xattrs; user.* serve in a user namespace.
            let xattrs = spec.userNamespace == nil ? "" : ",userxattr"
            let lowerdir = lowers.map(Self.escapeOverlayPath).joined(separator: ":")
            rootfs = Rootfs(
                path: layout.rootfs, layer: layer,
                overlayOptions: "lowerdir=\(lowerdir),upperdir=\(Self.escapeOverlayPath(layer))/upper,workdir=\(Self.escapeOverlayPath(layer))/work\(xattrs)",
                source: spec.root.path, readOnly: spec.root.readOnly)
        } else {
            rootfs = Rootfs(path: layout.rootfs, layer: nil, overlayOptions: nil, source: spec.root.path, readOnly: spec.root.readOnly)
        }

        mounts = spec.mounts
        treeOfMount = Array(repeating: nil, count: mounts.count)
        for (index, entry) in mounts.enumerated() {
            guard idmapping, case .bind(let source, let idmapped, let recursive) = entry.kind else { continue }
            treeOfMount[index] = trees.count
            let propagation = entry.propagation ?? spec.rootPropagation ?? .private
            trees.append(HandedTree(source: source, idmapped: idmapped, recursive: recursive,
                                    receivesHostMounts: ![.private, .recursivePrivate, .unbindable, .recursiveUnbindable].contains(propagation)))
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
