extension OCI.Config {
    /// The config `sandbox spec` writes into a bundle, the starting point a user edits: `runc spec`'s, so that
    /// a bundle made for runc or crun reads the same here. `sh` on a terminal in a read-only `rootfs`, runc's
    /// three capabilities, no_new_privs, 1024 open files, the usual pseudo-filesystems, Docker's masked and
    /// read-only paths, every device denied but the defaults, and new pid, network, ipc, uts, mount and cgroup
    /// namespaces (the cgroup one as on a cgroup v2 host, and as `sandbox run` always makes).
    public static func defaultSpec() -> OCI.Config {
        var process = OCI.Process(cwd: "/", args: ["sh"])
        process.terminal = true
        process.user = OCI.User(uid: 0, gid: 0)
        process.env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "TERM=xterm"]
        let capabilities = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
        process.capabilities = OCI.Capabilities(bounding: capabilities, effective: capabilities,
                                                permitted: capabilities)
        process.rlimits = [OCI.RLimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)]
        process.noNewPrivileges = true

        var linux = OCI.Linux()
        var resources = OCI.Resources()
        resources.devices = [OCI.Resources.DeviceRule(allow: false, access: "rwm")]
        linux.resources = resources
        linux.namespaces = [.pid, .network, .ipc, .uts, .mount, .cgroup].map { OCI.Namespace($0) }
        linux.maskedPaths = maskedPaths
        linux.readonlyPaths = readonlyPaths

        var config = OCI.Config()
        config.process = process
        config.root = OCI.Root(path: "rootfs", readonly: true)
        config.hostname = "sandbox"
        config.mounts = [
            OCI.Mount(destination: "/proc", type: "proc", source: "proc"),
            OCI.Mount(destination: "/dev", type: "tmpfs", source: "tmpfs",
                      options: ["nosuid", "strictatime", "mode=755", "size=65536k"]),
            OCI.Mount(destination: "/dev/pts", type: "devpts", source: "devpts",
                      options: ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"]),
            OCI.Mount(destination: "/dev/shm", type: "tmpfs", source: "shm",
                      options: ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"]),
            OCI.Mount(destination: "/dev/mqueue", type: "mqueue", source: "mqueue",
                      options: ["nosuid", "noexec", "nodev"]),
            OCI.Mount(destination: "/sys", type: "sysfs", source: "sysfs",
                      options: ["nosuid", "noexec", "nodev", "ro"]),
            OCI.Mount(destination: "/sys/fs/cgroup", type: "cgroup", source: "cgroup",
                      options: ["nosuid", "noexec", "nodev", "relatime", "ro"]),
        ]
        config.linux = linux
        return config
    }

    /// `sandbox spec --rootless` for the user `uid`:`gid` who will run it, as `runc spec --rootless` makes it:
    /// a new user namespace where that user alone is root (the only ids it may map without help); the host's
    /// network, since an unprivileged user cannot give a new network namespace a way out; the host's sysfs
    /// bound, since a user namespace that does not own the network namespace may not mount sysfs; no `gid=5`
    /// for devpts, since group 5 is unmapped; and no resources, since the user may own no cgroup to set them in.
    public static func rootlessSpec(uid: UInt32, gid: UInt32) -> OCI.Config {
        var config = defaultSpec()
        var linux = config.linux ?? OCI.Linux()
        let kept = (linux.namespaces ?? []).filter { $0.type != .network && $0.type != .user }
        linux.namespaces = kept + [OCI.Namespace(.user)]
        linux.uidMappings = [OCI.IDMapping(containerID: 0, hostID: uid, size: 1)]
        linux.gidMappings = [OCI.IDMapping(containerID: 0, hostID: gid, size: 1)]
        linux.resources = nil
        config.linux = linux
        config.mounts = config.mounts?.map { mount in
            if mount.destination == "/sys" {
                return OCI.Mount(destination: "/sys", type: "none", source: "/sys",
                                 options: ["rbind", "nosuid", "noexec", "nodev", "ro"])
            }
            var mount = mount
            mount.options = mount.options?.filter { !$0.hasPrefix("uid=") && !$0.hasPrefix("gid=") }
            return mount
        }
        return config
    }

    /// Docker's masked paths: kernel information a container has no business reading.
    public static let maskedPaths = [
        "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys", "/proc/latency_stats",
        "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug", "/proc/scsi", "/sys/firmware",
        "/sys/devices/virtual/powercap",
    ]

    /// Docker's read-only paths: kernel settings a container could change for the whole host.
    public static let readonlyPaths = ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"]
}
