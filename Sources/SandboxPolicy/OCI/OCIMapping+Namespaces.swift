import SandboxOCI

/// `linux.namespaces`, the user namespace's maps and `linux.sysctl`, which the namespaces decide.
extension OCIMapping {
    /// Each type listed is new, or joined by its path; one not listed is the runtime's own, the mount
    /// namespace too (runc's reading: the container's mounts are then made on the host, see `mountNamespace`).
    mutating func namespaces() throws -> ([Namespace: NamespaceMode], UserNamespacePlan?) {
        var modes = Dictionary(uniqueKeysWithValues: Namespace.allCases.map { ($0, NamespaceMode.host) })
        var listed: [Namespace: Int] = [:]
        for (index, entry) in (linux.namespaces ?? []).enumerated() {
            let field = "linux.namespaces[\(index)]"
            let namespace = Namespace(oci: entry.type)
            if let first = listed[namespace] {
                throw error(field + ".type", "\"\(entry.type.rawValue)\" is listed twice (also at [\(first)])")
            }
            listed[namespace] = index
            if let path = entry.path, !path.isEmpty {
                guard path.hasPrefix("/") else { throw error(field + ".path", "\"\(path)\" is not absolute") }
                // A user namespace would have to be joined before every other, from a process that cannot come back.
                guard namespace != .user else { throw error(field + ".path", "joining a user namespace is not supported") }
                modes[namespace] = .join(path: path)
            } else {
                if namespace == .time && !host.timeNamespaces { throw error(field, "this kernel has no time namespaces (Linux 5.6)") }
                modes[namespace] = .new
            }
        }
        try mountNamespace(modes, field: listed[.mount].map { "linux.namespaces[\($0)].path" } ?? "linux.namespaces")
        return (modes, try userNamespace(modes[.user]!))
    }

    /// The mounts are made by the container's first process, in the mount namespace it ends in: a new one, one
    /// joined by path (which it enters itself, as only a single-threaded process can), or sandbox's own. In
    /// one it did not make, it can mount only with the privileges of the user namespace that namespace
    /// belongs to: the host's.
    private func mountNamespace(_ modes: [Namespace: NamespaceMode], field: String) throws {
        switch modes[.mount]! {
        case .new:
            return
        case .join:
            guard modes[.user] == .host else {
                throw error(field, "a mount namespace joined by path needs the host's user namespace: the container's root could not mount in it")
            }
        case .host:
            guard modes[.user] == .host else {
                throw error(field, "without a mount namespace of its own (type \"mount\") the container needs the host's user namespace: its root could not mount in the host's")
            }
            guard context.caller.isRoot else {
                throw error(field, "without a mount namespace of its own (type \"mount\") the container's mounts are made on the host, which only root can do")
            }
        }
    }

    /// The maps of a new user namespace and who can write them; runc's rule that maps need one.
    private mutating func userNamespace(_ mode: NamespaceMode) throws -> UserNamespacePlan? {
        let uids = linux.uidMappings ?? [], gids = linux.gidMappings ?? []
        switch mode {
        case .host:
            if !uids.isEmpty || !gids.isEmpty {
                throw error(uids.isEmpty ? "linux.gidMappings" : "linux.uidMappings", "given without a user namespace (linux.namespaces has no \"user\")")
            }
            return nil
        case .join:
            return nil
        case .new:
            guard !uids.isEmpty else { throw error("linux.uidMappings", "a new user namespace needs them") }
            guard !gids.isEmpty else { throw error("linux.gidMappings", "a new user namespace needs them") }
            let uidMap = try map(uids, field: "linux.uidMappings", option: "uid map")
            let gidMap = try map(gids, field: "linux.gidMappings", option: "gid map")
            return UserNamespacePlan(uidMap: uidMap, gidMap: gidMap, writer: try writer(uidMap: uidMap, gidMap: gidMap))
        }
    }

    private func map(_ mappings: [OCI.IDMapping], field: String, option: String) throws -> IDMap {
        for (index, mapping) in mappings.enumerated() {
            guard mapping.size > 0 else { throw error("\(field)[\(index)].size", "must be at least 1") }
            guard UInt64(mapping.containerID) + UInt64(mapping.size) <= UInt64(UInt32.max),
                  UInt64(mapping.hostID) + UInt64(mapping.size) <= UInt64(UInt32.max) else {
                throw error("\(field)[\(index)]", "the range passes the largest id, \(UInt32.max - 1)")
            }
        }
        do {
            return try IDMap(mappings, option: option)
        } catch let failure as SandboxError {
            throw error(field, failure.message)
        }
    }

    /// Root writes any map. Anyone else maps only its own id alone (and writes that itself), or its own id and
    /// its subordinate ranges, which newuidmap and newgidmap write, as UserNamespacePlan.rootless plans them.
    /// A root caller's maps are the engine's choice: unlike `--uidmap`, one putting a container id on host
    /// root is not refused.
    private func writer(uidMap: IDMap, gidMap: IDMap) throws -> UserNamespacePlan.Writer {
        let caller = context.caller
        if caller.isRoot { return .root }
        func isOwn(_ map: IDMap, _ id: UInt32) -> Bool { map.mappings.count == 1 && map.mappings[0].hostID == id && map.mappings[0].size == 1 }
        if isOwn(uidMap, caller.uid) && isOwn(gidMap, caller.gid) { return .caller }
        try checkRootless(uidMap, own: caller.uid, subordinate: caller.subordinateUIDs, field: "linux.uidMappings", kind: "uid")
        try checkRootless(gidMap, own: caller.gid, subordinate: caller.subordinateGIDs, field: "linux.gidMappings", kind: "gid")
        return .shadowHelpers
    }

    private func checkRootless(_ map: IDMap, own: UInt32, subordinate: [IDMapping], field: String, kind: String) throws {
        for (index, mapping) in map.mappings.enumerated() {
            let range = mapping.hostRange
            if range == UInt64(own)..<UInt64(own) + 1 { continue }
            if subordinate.contains(where: { $0.hostRange.lowerBound <= range.lowerBound && range.upperBound <= $0.hostRange.upperBound }) { continue }
            throw error("\(field)[\(index)]", "host \(kind)s \(range.lowerBound)-\(range.upperBound - 1) are neither yours (\(kind) \(own)) nor in your subordinate ranges (/etc/sub\(kind)); only root can map them")
        }
    }

    /// Only what the container's own namespaces hold, as runc validates it; the hostname and domain name
    /// have fields of their own. A joined network namespace is taken to be another than the host's: runc
    /// compares it with its own, which only the host can tell.
    func sysctls(namespaces: [Namespace: NamespaceMode]) throws -> [String: String] {
        var result: [String: String] = [:]
        for (key, value) in (linux.sysctl ?? [:]).sorted(by: { $0.key < $1.key }) {
            let field = "linux.sysctl" + Self.key(key)
            let name = Self.dotted(key)
            if Self.ipcSysctls.contains(name) || name.hasPrefix("fs.mqueue.") {
                guard namespaces[.ipc] != .host else { throw error(field, "needs an ipc namespace of the container's own") }
            } else if name.hasPrefix("net.") {
                guard namespaces[.network] != .host else { throw error(field, "needs a network namespace of the container's own") }
            } else if name == "kernel.hostname" || name == "kernel.domainname" {
                throw error(field, "conflicts with the OCI \"\(name.dropFirst(7))\" field; set that instead")
            } else {
                throw error(field, "not in a namespace of the container's own: it would change the host")
            }
            result[name] = value
        }
        return result
    }

    /// The System V IPC settings an ipc namespace holds.
    static let ipcSysctls: Set = [
        "kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem", "kernel.shmall", "kernel.shmmax", "kernel.shmmni",
        "kernel.shm_rmid_forced",
    ]

    /// sysctl(8)'s rule: a key whose first separator is `/` uses `/` between its parts, and `.` within one.
    static func dotted(_ key: String) -> String {
        guard key.first(where: { $0 == "." || $0 == "/" }) == "/" else { return key }
        return String(key.map { $0 == "/" ? "." : $0 == "." ? "/" : $0 })
    }
}

extension Namespace {
    init(oci kind: OCI.Namespace.Kind) {
        switch kind {
        case .mount: self = .mount
        case .pid: self = .pid
        case .network: self = .network
        case .uts: self = .uts
        case .ipc: self = .ipc
        case .user: self = .user
        case .cgroup: self = .cgroup
        case .time: self = .time
        }
    }
}
