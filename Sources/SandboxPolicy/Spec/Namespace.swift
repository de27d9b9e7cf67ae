/// The namespaces a container gets. Each is new unless shared with the host by Docker's `--X host` flag.
public enum Namespace: String, CaseIterable, Codable, CodingKeyRepresentable, Sendable {
    case user, pid, network = "net", ipc, uts, mount = "mnt", cgroup, time

    /// The name of its link in `/proc/PID/ns/`.
    public var procName: String { rawValue }

    /// Made by the child once its ids are mapped, not at clone: the mount namespace must copy the parent's
    /// idmapped staging mounts, which need the new user namespace first; the cgroup namespace must be made
    /// after the child joined its cgroup, so that the container sees that cgroup as its root.
    public var isUnsharedAfterMapping: Bool { self == .mount || self == .cgroup }

    /// Made by the child once it is in its cgroups, while its parent writes the id maps, not at clone: the
    /// kernel takes half a millisecond to make a network namespace, which clone would spend in the parent
    /// before the maps could be written.
    public var isUnsharedBeforeMapping: Bool { self == .network || self == .ipc }
}

/// For each namespace, whether it is new (the default) or the host's.
public struct NamespaceSet: Equatable, Sendable {
    public private(set) var shared: Set<Namespace> = []

    public init() {}

    public mutating func share(_ namespace: Namespace) { shared.insert(namespace) }

    public func isNew(_ namespace: Namespace) -> Bool { !shared.contains(namespace) }
}
