import SandboxOCI

/// `mounts`, `linux.devices` and the masked and read-only paths, laid out in runc's order: the config's
/// mounts as listed, then /dev's nodes and links (unless /dev is the host's), the console, and the masks last.
extension OCIMapping {
    mutating func mounts(namespaces: [Namespace: NamespaceMode], userNamespace: UserNamespacePlan?) throws -> [MountEntry] {
        var entries: [MountEntry] = []
        for (index, mount) in (config.mounts ?? []).enumerated() {
            entries.append(try entry(mount, field: "mounts[\(index)]", userNamespace: userNamespace))
        }
        // runc's setupDev: the runtime fills /dev unless the config binds one from the host.
        let bindsDev = entries.contains { entry in
            if case .bind = entry.kind { entry.target == "/dev" } else { false }
        }
        if !bindsDev {
            entries += try deviceNodes(inUserNamespace: namespaces[.user] != .host)
        }
        if config.process?.terminal == true {
            entries.append(MountEntry(.console, at: "/dev/console"))
        }
        if !bindsDev {
            for (name, destination) in [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                                        ("stderr", "/proc/self/fd/2"), ("ptmx", "pts/ptmx")] {
                entries.append(MountEntry(.symlink(destination: destination), at: "/dev/" + name))
            }
        }
        for (field, paths, kind) in [("linux.maskedPaths", linux.maskedPaths, true), ("linux.readonlyPaths", linux.readonlyPaths, false)] {
            for (index, path) in (paths ?? []).enumerated() {
                guard path.hasPrefix("/") else { throw error("\(field)[\(index)]", "\"\(path)\" is not absolute") }
                let target = ContainerPath.clean(path)
                guard target != "/" else { throw error("\(field)[\(index)]", "cannot be /") }
                let within = Self.mount(holding: target, in: entries)
                entries.append(MountEntry(kind ? .mask(within: within) : .readOnly(within: within), at: target))
            }
        }
        return entries
    }

    /// The target of the mount a path lies beneath, the latest made at one of its parents: a mask is found
    /// beneath it, never through what the image holds. "/" when none is: the container's root.
    static func mount(holding path: String, in entries: [MountEntry]) -> String {
        entries.last { entry in
            switch entry.kind {
            case .filesystem, .bind, .cgroup: path.hasPrefix(entry.target == "/" ? "/" : entry.target + "/")
            case .console, .device, .mask, .readOnly, .symlink: false
            }
        }?.target ?? "/"
    }

    private mutating func entry(_ mount: OCI.Mount, field: String, userNamespace: UserNamespacePlan?) throws -> MountEntry {
        guard !mount.destination.isEmpty else { throw error(field + ".destination", "empty") }
        if !mount.destination.hasPrefix("/") {
            warn(field + ".destination", "\"\(mount.destination)\" is not absolute; read as relative to /, as runc 1.1 reads it")
        }
        let target = ContainerPath.clean("/" + mount.destination)
        guard target != "/" else { throw error(field + ".destination", "cannot be /: root.path is the container's /") }
        let given = mount.options ?? []
        let type = mount.type.flatMap { $0.isEmpty ? nil : $0 }
        let isBind = type == "bind" || given.contains("bind") || given.contains("rbind")
        let options = try MountOptions(given, filesystem: isBind ? nil : type, field: field + ".options")

        let kind: MountEntry.Kind
        if isBind {
            guard let source = mount.source, !source.isEmpty else { throw error(field + ".source", "a bind mount needs one") }
            // As runc and crun: mount(2) ignores a bind's data, so a config may carry a tmpfs's options to one.
            for data in options.data {
                warn(data.field, "\"\(data.option)\" is not an option of a bind mount; ignored")
            }
            let idmapped = try self.idmapped(mount, options: options, field: field, userNamespace: userNamespace)
            kind = .bind(source: inBundle(source), idmapped: idmapped, recursive: options.recursive)
        } else {
            guard let type else { throw error(field + ".type", "missing (a bind mount has bind or rbind among its options)") }
            if let idmap = options.idmap { throw error(idmap, "only a bind mount can be idmapped") }
            if mount.uidMappings != nil || mount.gidMappings != nil { throw error(field + ".uidMappings", "only a bind mount can be idmapped") }
            if type == "cgroup" {
                if let data = options.data.first { throw error(data.field, "\"\(data.option)\" is not an option of a cgroup mount") }
                kind = .cgroup
            } else {
                kind = .filesystem(type: type, data: options.data.isEmpty ? nil : options.data.map(\.option).joined(separator: ","),
                                   source: mount.source.flatMap { $0.isEmpty || $0 == type ? nil : $0 })
            }
        }
        try Self.checkProc(target, kind: kind, field: field)
        var entry = MountEntry(kind, at: target, attributes: options.attributes, realDirectory: target == "/proc" || target == "/sys")
        entry.propagation = options.propagation
        return entry
    }

    /// runc's rule (checkProcMount): /proc itself takes a proc (or a bind of one), and nothing is mounted
    /// inside it but what lxcfs replaces, which the masks could not otherwise be trusted over.
    private static func checkProc(_ target: String, kind: MountEntry.Kind, field: String) throws {
        if target == "/proc" {
            switch kind {
            case .filesystem(type: "proc", _, _), .bind: return
            default: throw error(field + ".type", "only proc, or a bind of one, can be mounted at /proc")
            }
        }
        if target.hasPrefix("/proc/") && !MountTable.mountableInProc.contains(target) {
            throw error(field + ".destination", "nothing can be mounted inside /proc but \(MountTable.mountableInProc.sorted().joined(separator: ", "))")
        }
    }

    /// An idmapped bind is shifted by the container's own maps, which only root can do.
    private func idmapped(_ mount: OCI.Mount, options: MountOptions, field: String, userNamespace: UserNamespacePlan?) throws -> Bool {
        let mapped = mount.uidMappings != nil || mount.gidMappings != nil
        guard options.idmap != nil || mapped else { return false }
        let name = options.idmap ?? field + ".uidMappings"
        guard let userNamespace else { throw error(name, "an idmapped mount needs a new user namespace, whose maps it takes") }
        guard userNamespace.canIdmapMounts else { throw error(name, "an idmapped mount needs sandbox to run as root") }
        for (key, given, map) in [("uidMappings", mount.uidMappings, userNamespace.uidMap), ("gidMappings", mount.gidMappings, userNamespace.gidMap)] {
            guard let given else { continue }
            let mappings = given
            guard mappings == map.mappings else {
                throw error(field + "." + key, "only the container's own maps (linux.\(key)) are supported")
            }
        }
        return true
    }

    /// runc's default nodes but those the config makes itself, then `linux.devices`: made with mknod, or in a
    /// user namespace, which cannot make a device, bound from the host's node of the same path. A FIFO is
    /// made everywhere (the spec's type p, whose numbers it ignores).
    private func deviceNodes(inUserNamespace: Bool) throws -> [MountEntry] {
        let devices = linux.devices ?? []
        var nodes: [(path: String, node: MountEntry.Node, major: UInt32, minor: UInt32, mode: UInt32, uid: UInt32, gid: UInt32)] =
            DevicePolicy.defaultNodes.filter { node in !devices.contains { ContainerPath.clean($0.path) == node.path } }
                .map { ($0.path, .character, $0.major, $0.minor, 0o666, 0, 0) }
        for (index, device) in devices.enumerated() {
            let field = "linux.devices[\(index)]"
            guard device.path.hasPrefix("/") else { throw error(field + ".path", "\"\(device.path)\" is not absolute") }
            let node: MountEntry.Node
            switch device.type {
            case "c", "u": node = .character
            case "b": node = .block
            case "p": node = .fifo
            default: throw error(field + ".type", "unknown device type \"\(device.type)\" (b, c, u or p)")
            }
            var numbers: (major: UInt32, minor: UInt32) = (0, 0)
            if node != .fifo {
                guard let major = device.major else { throw error(field + ".major", "missing") }
                guard let minor = device.minor else { throw error(field + ".minor", "missing") }
                guard let majorNumber = UInt32(exactly: major) else { throw error(field + ".major", "\(major) is not a device number") }
                guard let minorNumber = UInt32(exactly: minor) else { throw error(field + ".minor", "\(minor) is not a device number") }
                numbers = (majorNumber, minorNumber)
            }
            nodes.append((ContainerPath.clean(device.path), node, numbers.major, numbers.minor, (device.fileMode ?? 0o666) & 0o7777,
                          device.uid ?? 0, device.gid ?? 0))
        }
        return nodes.map { node in
            inUserNamespace && node.node != .fifo
                ? MountEntry(.bind(source: node.path), at: node.path)
                : MountEntry(.device(node.node, major: node.major, minor: node.minor, mode: node.mode, uid: node.uid, gid: node.gid), at: node.path)
        }
    }
}
