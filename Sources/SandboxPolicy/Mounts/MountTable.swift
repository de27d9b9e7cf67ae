/// The container's mount table, Docker's defaults first (as runc's default spec), then the user's mounts,
/// then the masked and read-only paths, which must come last to cover whatever the others mounted.
public struct MountTable: Equatable, Sendable {
    /// Docker's masked paths: kernel information a container has no business reading.
    public static let maskedPaths = [
        "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/devices/virtual/powercap",
    ]
    /// Docker's read-only paths: kernel settings a container could change for the whole host.
    public static let readOnlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
    /// The device nodes of Docker's /dev, bound from the host: mknod is not allowed in a user namespace.
    public static let devices = DevicePolicy.defaultNodes.map(\.path)

    public private(set) var entries: [MountEntry] = []

    /// - Parameters:
    ///   - userNamespace: the container's, or nil with --userns host.
    ///   - ownCgroup: sandbox makes the container a cgroup of its own, which /sys/fs/cgroup then shows.
    ///   - anonymousVolumes: the directories made for `spec.anonymousVolumes`, one each, in order.
    public init(spec: RunSpec, userNamespace: UserNamespacePlan?, ownCgroup: Bool = false, anonymousVolumes: [String] = []) {
        let inUserNamespace = userNamespace != nil
        // A user namespace may mount proc, sysfs and mqueue only for the pid, network and ipc namespaces it
        // owns; sharing one of those with the host means binding the host's instance instead.
        if inUserNamespace && !spec.namespaces.isNew(.pid) {
            add(.bind(source: "/proc"), at: "/proc", realDirectory: true)
        } else {
            add(.filesystem(type: "proc", data: nil), at: "/proc", attributes: .restricted, realDirectory: true)
        }
        if spec.privileged {
            // Docker's --privileged gives the host's devices; a user namespace cannot mknod them, so bind them all.
            add(.bind(source: "/dev"), at: "/dev")
        } else {
            add(.filesystem(type: "tmpfs", data: "mode=755,size=65536k"), at: "/dev", attributes: .noSetuid)
        }
        let ttyGroup = userNamespace.map { $0.mapsGroup(5) } ?? true ? ",gid=5" : ""
        add(.filesystem(type: "devpts", data: "newinstance,ptmxmode=0666,mode=0620" + ttyGroup),
            at: "/dev/pts", attributes: [.noSetuid, .noExec])
        add(.filesystem(type: "tmpfs", data: "mode=1777,size=\(spec.shmSize.map(String.init) ?? "65536k")"), at: "/dev/shm", attributes: .restricted)
        if !inUserNamespace || spec.namespaces.isNew(.ipc) {
            // On the host's /dev (--privileged) the mount point may be missing, and cannot be made there.
            add(.filesystem(type: "mqueue", data: nil), at: "/dev/mqueue", attributes: .restricted, optional: spec.privileged)
        }
        let sysAttributes: MountAttributes = spec.privileged ? .restricted : [.readOnly, .noSetuid, .noDevices, .noExec]
        if inUserNamespace && !spec.namespaces.isNew(.network) {
            add(.bind(source: "/sys"), at: "/sys", attributes: sysAttributes, realDirectory: true)
        } else {
            add(.filesystem(type: "sysfs", data: nil), at: "/sys", attributes: sysAttributes, realDirectory: true)
        }
        if ownCgroup {
            // Docker's, read-only even with --privileged: the container reads its limits, never changes them.
            add(.cgroup, at: "/sys/fs/cgroup", attributes: [.readOnly, .noSetuid, .noDevices, .noExec])
        }
        if !spec.privileged {
            for device in Self.devices {
                add(.bind(source: device), at: device)
            }
        }
        if spec.tty {
            add(.console, at: "/dev/console")
        }
        for (name, destination) in [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                                    ("stderr", "/proc/self/fd/2"), ("ptmx", "pts/ptmx")] {
            add(.symlink(destination: destination), at: "/dev/" + name)
        }
        if spec.rootfs == nil {
            // The host's / is read-only; these give the workload the scratch space programs expect.
            for path in ["/tmp", "/run"] {
                add(.filesystem(type: "tmpfs", data: "mode=1777"), at: path, attributes: [.noSetuid, .noDevices])
            }
        }

        // Docker sorts the user's mounts by depth, so a mount inside another lands on top of it.
        let userMounts: [MountEntry] =
            spec.volumes.map { volume in
                var entry = MountEntry(.bind(source: volume.source, idmapped: volume.idmapped, recursive: volume.recursive), at: volume.target,
                                       attributes: volume.readOnly ? .readOnly : [])
                entry.propagation = volume.propagation
                return entry
            }
            + spec.tmpfs.map { MountEntry(.filesystem(type: "tmpfs", data: $0.data), at: $0.target, attributes: $0.attributes) }
            // Writable, as Docker's volumes are, whatever --read-only says of the root.
            + zip(anonymousVolumes, spec.anonymousVolumes).map { MountEntry(.bind(source: $0), at: $1) }
        entries += userMounts.enumerated().sorted { lhs, rhs in
            let (left, right) = (Self.depth(lhs.element.target), Self.depth(rhs.element.target))
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
        // As runc, devices come after the mounts, so that one inside a volume or tmpfs lands in it.
        for device in spec.devices where !(spec.privileged && device.isInHostDev) {
            add(.bind(source: device.hostPath), at: device.containerPath)
        }

        if !spec.privileged && !spec.unconfinedSystemPaths {
            for path in Self.maskedPaths {
                add(.mask(within: Self.pseudoFilesystem(of: path)), at: path)
            }
            for path in Self.readOnlyPaths {
                add(.readOnly(within: Self.pseudoFilesystem(of: path)), at: path)
            }
        }
    }

    /// Docker's rule, after runc's: nothing is mounted inside /proc but these, which lxcfs replaces. A mount
    /// there could cover what the masks hide, or be covered by them.
    public static let mountableInProc: Set<String> = [
        "/proc/cpuinfo", "/proc/diskstats", "/proc/meminfo", "/proc/stat", "/proc/swaps", "/proc/uptime",
        "/proc/loadavg", "/proc/slabinfo", "/proc/net/dev", "/proc/sys/kernel/ns_last_pid",
    ]

    /// The mount a masked or read-only path lies beneath: /proc or /sys.
    static func pseudoFilesystem(of path: String) -> String {
        path.hasPrefix("/proc/") ? "/proc" : "/sys"
    }

    private mutating func add(_ kind: MountEntry.Kind, at target: String, attributes: MountAttributes = [], optional: Bool = false,
                              realDirectory: Bool = false) {
        entries.append(MountEntry(kind, at: target, attributes: attributes, optional: optional, realDirectory: realDirectory))
    }

    private static func depth(_ path: String) -> Int {
        path.split(separator: "/").count
    }
}
