/// The container's user namespace as the host will set it up: its maps, and who writes them.
public struct UserNamespacePlan: Codable, Equatable, Sendable {
    public enum Writer: Codable, Equatable, Sendable {
        /// sandbox runs as root and writes any map itself; it can also make idmapped mounts.
        case root
        /// A non-root caller with subordinate ids: newuidmap and newgidmap (setuid helpers) write the maps.
        case shadowHelpers
        /// A non-root caller without them: container root is the caller, and setgroups is denied, as the
        /// kernel requires before an unprivileged process may write gid_map.
        case caller
    }

    public var uidMap: IDMap
    public var gidMap: IDMap
    public var writer: Writer

    public init(uidMap: IDMap, gidMap: IDMap, writer: Writer) {
        self.uidMap = uidMap
        self.gidMap = gidMap
        self.writer = writer
    }

    /// The map of a non-root caller: container root is the caller; with subordinate ids, container ids
    /// from 1 on are those (as podman's rootless maps).
    public static func rootless(uid: UInt32, gid: UInt32, subordinateUIDs: [IDMapping], subordinateGIDs: [IDMapping]) throws -> UserNamespacePlan {
        guard !subordinateUIDs.isEmpty, !subordinateGIDs.isEmpty else {
            return try UserNamespacePlan(
                uidMap: IDMap([IDMapping(containerID: 0, hostID: uid, size: 1)], option: "uid map"),
                gidMap: IDMap([IDMapping(containerID: 0, hostID: gid, size: 1)], option: "gid map"),
                writer: .caller)
        }
        func shifted(_ mappings: [IDMapping], caller: UInt32) -> [IDMapping] {
            [IDMapping(containerID: 0, hostID: caller, size: 1)]
                + mappings.map { IDMapping(containerID: $0.containerID + 1, hostID: $0.hostID, size: $0.size) }
        }
        return try UserNamespacePlan(
            uidMap: IDMap(shifted(subordinateUIDs, caller: uid), option: "uid map"),
            gidMap: IDMap(shifted(subordinateGIDs, caller: gid), option: "gid map"),
            writer: .shadowHelpers)
    }

    /// Refuses a map that puts a container id on host uid 0 or gid 0: that container user would be host root,
    /// which only `--userns host` may give, and says so. A rootless caller's own id is exempt (it is what the
    /// caller already is); every id sandbox maps for root, and every subordinate range, is checked.
    public func checkNoHostRoot() throws {
        for (map, kind) in [(uidMap, "uid"), (gidMap, "gid")] {
            for mapping in map.mappings where mapping.hostRange.contains(0) {
                if writer != .root && mapping.containerID == 0 && mapping.size == 1 { continue }
                let last = UInt64(mapping.containerID) + UInt64(mapping.size) - 1
                throw SandboxError("the \(kind) map puts container \(kind)s \(mapping.containerID)-\(last) on host \(kind) 0 (host root): refusing it; use --userns host to run as host root")
            }
        }
    }

    /// Refuses a user whose uid or a gid has no host id in the maps: the kernel would refuse to switch to it.
    public func checkMapped(_ user: UserSpec.Resolved) throws {
        func check(_ id: UInt32, in map: IDMap, kind: String) throws {
            guard map.mappings.contains(where: { $0.host(for: id) != nil }) else {
                let ranges = map.mappings.map { "\($0.containerID)-\($0.containerID + $0.size - 1)" }.joined(separator: ", ")
                throw SandboxError("\(kind) \(id) is not mapped in the container's user namespace (mapped: \(ranges))")
            }
        }
        try check(user.uid, in: uidMap, kind: "uid")
        for gid in [user.gid] + user.supplementaryGroups {
            try check(gid, in: gidMap, kind: "gid")
        }
        if writer == .caller && !user.supplementaryGroups.isEmpty {
            throw SandboxError("supplementary groups need setgroups, which a rootless container without subordinate ids may not call")
        }
    }

    /// Whether the parent can shift an image or a volume onto the container's ids (root only).
    public var canIdmapMounts: Bool { writer == .root }

    /// Whether container gid `gid` exists in the namespace (devpts takes `gid=5` only if it does).
    public func mapsGroup(_ gid: UInt32) -> Bool {
        gidMap.mappings.contains { $0.host(for: gid) != nil }
    }
}
