/// Everything `sandbox run` was asked for, parsed and checked; nothing on the host is touched to make one.
public struct RunSpec: Equatable, Sendable {
    /// Which ids the container's user namespace maps.
    public enum UserMapping: Equatable, Sendable {
        /// The subordinate ranges of a user (and group) in /etc/subuid and /etc/subgid, as Docker's
        /// userns-remap; the user `sandbox` by default, created with a free range on first use.
        case remap(user: String, group: String)
        /// `--uidmap` and `--gidmap`, as given.
        case explicit(uid: [IDMapping], gid: [IDMapping])
    }

    public static let defaultRemapUser = "sandbox"

    /// The command, or the entrypoint's arguments: `CMD`'s words.
    public var command: [String]
    /// `--entrypoint`: nil when not given (the image's, or none); Docker's `[""]` for `--entrypoint ""`, which
    /// resets the image's and does not take its command.
    public var entrypoint: [String]?
    public var namespaces = NamespaceSet()
    public var userMapping = UserMapping.remap(user: defaultRemapUser, group: defaultRemapUser)
    /// The image directory; nil runs on the host's / read-only.
    public var rootfs: String?
    /// The image the container is made from, as the user named it (`busybox`, an ID): the first word of the
    /// command line when it names an image in the store and there is no `--rootfs`.
    public var image: String?
    public var readOnly = false
    public var volumes: [Volume] = []
    public var tmpfs: [TmpfsMount] = []
    /// `--device`: host nodes bound in and allowed by the device cgroup.
    public var devices: [DeviceMapping] = []
    /// Cleaned when set: the child creates it if missing. nil: the image's, or `/`.
    public var workdir: String? {
        didSet { if let workdir, workdir.hasPrefix("/") { self.workdir = ContainerPath.clean(workdir) } }
    }
    public var environment = Environment()
    public var hostname: String?
    /// `--domainname`: the NIS domain name of its own uts namespace.
    public var domainname: String?
    public var name: String?
    public var interactive = false
    public var tty = false
    public var initProcess = false
    /// `--user`; nil: the image's, or root.
    public var user: UserSpec?
    /// `--group-add`: supplementary groups, by name or id, beside the user's own.
    public var groupAdd: [String] = []
    public var capabilities = CapabilityPolicy()
    /// Docker's --privileged: every capability, no masked or read-only paths, the host's devices; the user
    /// namespace stays (container root is still not host root) unless --userns host.
    public var privileged = false {
        didSet { capabilities.privileged = privileged }
    }
    /// `--security-opt no-new-privileges`: no setuid bit or file capability raises privilege past execve.
    public var noNewPrivileges = false
    /// Cgroup limits; empty: none asked for.
    public var resources = ResourceLimits()
    /// `--ulimit`: at most one per type, the last given winning, as Docker's.
    public var ulimits: [ResourceLimit] = []
    /// `--sysctl`: settings of the container's own IPC and network namespaces.
    public var sysctls: [String: String] = [:]
    /// `--oom-score-adj`: how readily the kernel's OOM killer picks the container's processes, -1000 to 1000.
    public var oomScoreAdj: Int?
    /// `--shm-size`: the bytes of its /dev/shm; nil: Docker's 64 MiB.
    public var shmSize: Int64?
    /// `--security-opt systempaths=unconfined`: none of Docker's masked and read-only paths.
    public var unconfinedSystemPaths = false
    /// `-d`: a monitor runs the container in the background, and `run` returns once it runs.
    public var detach = false
    /// `--rm`: removed once it ends (for a detached container; a foreground one always is).
    public var autoRemove = false
    /// `--restart`: what the monitor of a detached container does when it ends.
    public var restart = RestartPolicy.no
    /// `--log-opt`: how a detached container's output log is rotated.
    public var logOptions = LogOptions()
    /// `--label`, `--label-file`: kept in its record.
    public var labels: [String: String] = [:]
    /// `--annotation`: its OCI config's annotations, kept in its record too.
    public var annotations: [String: String] = [:]
    /// `--stop-signal`: what `stop` sends first; nil: SIGTERM.
    public var stopSignal: Signal?
    /// `--stop-timeout`: the seconds `stop` waits before SIGKILL; nil: 10; negative: for ever (Docker's -1).
    public var stopTimeout: Int?
    /// `--health-cmd`, its timing and `--no-healthcheck`: what the monitor of a detached container checks it
    /// with, where the image's health check (if any) is changed field by field.
    public var health = HealthCheck.Settings()
    /// Paths at which the container gets a directory of its own, writable even with `--read-only` and removed
    /// with the container: Docker's anonymous volumes, which an image's `VOLUME` asks for.
    public var anonymousVolumes: [String] = []
    /// `--cidfile`: where its id is written once it is known.
    public var cidfile: String?
    /// `--stats-on-exit`: report the cgroup's usage when the container ends.
    public var statsOnExit = false
    /// `--security-opt seccomp=`: a profile path, "default" (profiles/default.json), or nil for unconfined.
    public var seccompProfile: String? = "default"
    /// The profile in force: none with --privileged, as Docker.
    public var effectiveSeccompProfile: String? { privileged ? nil : seccompProfile }

    public init(command: [String]) {
        self.command = command
    }

    /// What runs: the entrypoint's words, then the command's.
    public var arguments: [String] {
        (entrypoint == [""] ? [] : entrypoint ?? []) + command
    }

    /// Cross-option rules, as Docker's.
    public func validate() throws {
        if autoRemove && restart != .no {
            throw SandboxError("conflicting options: cannot specify both --restart and --rm")
        }
        if restart != .no && !detach {
            throw SandboxError("--restart needs -d: only a detached container's monitor can start it again")
        }
        if health.asksForCheck && !detach {
            throw SandboxError("\(health.firstFlag) needs -d: health checks are run by a detached container's monitor")
        }
        _ = try health.resolved()
        if detach && statsOnExit {
            throw SandboxError("conflicting options: --stats-on-exit and -d (see sandbox stats)")
        }
        guard let executable = arguments.first, !executable.isEmpty else {
            throw SandboxError("no command given: usage is sandbox run [OPTIONS] [--] CMD [ARG...]")
        }
        if let workdir, !workdir.hasPrefix("/") {
            throw SandboxError("the working directory \"\(workdir)\" is invalid: it needs to be an absolute path")
        }
        if let rootfs, !rootfs.hasPrefix("/") {
            throw SandboxError("the root filesystem \"\(rootfs)\" must be an absolute path")
        }
        if hostname != nil, !namespaces.isNew(.uts) {
            throw SandboxError("conflicting options: --hostname and --uts host")
        }
        if domainname != nil, !namespaces.isNew(.uts) {
            throw SandboxError("conflicting options: --domainname and --uts host")
        }
        for (kind, name) in [("hostname", hostname), ("domain name", domainname)] {
            guard let name else { continue }
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
            guard (1...64).contains(name.count), name.allSatisfy(allowed.contains), name.first != "-" else {
                throw SandboxError("invalid \(kind) \"\(name)\": letters, digits, '.' and '-', at most 64")
            }
        }
        if let oomScoreAdj, !(-1000...1000).contains(oomScoreAdj) {
            throw SandboxError("Invalid value \(oomScoreAdj), range for oom score adj is [-1000, 1000]")
        }
        if let name {
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
            guard name.count >= 2, name.first!.isLetter || name.first!.isNumber, name.allSatisfy(allowed.contains) else {
                throw SandboxError("invalid container name \"\(name)\": only [a-zA-Z0-9][a-zA-Z0-9_.-]+ are allowed")
            }
        }
        var targets = Set<String>()
        for target in volumes.map(\.target) + tmpfs.map(\.target) + anonymousVolumes + devices.map(\.containerPath) {
            guard targets.insert(target).inserted else { throw SandboxError("duplicate mount point: \(target)") }
            if (target == "/proc" || target.hasPrefix("/proc/")) && !MountTable.mountableInProc.contains(target) {
                throw SandboxError("\"\(target)\" cannot be mounted because it is inside /proc")
            }
        }
        if privileged, let device = devices.first(where: { $0.isInHostDev && $0.containerPath != ContainerPath.clean($0.hostPath) }) {
            throw SandboxError("--device \(device.hostPath):\(device.containerPath): with --privileged, /dev is the host's and a device keeps its host path")
        }
        if !namespaces.isNew(.user) {
            if case .explicit = userMapping {
                throw SandboxError("conflicting options: --uidmap/--gidmap and --userns host")
            }
            if let volume = volumes.first(where: \.idmapped) {
                throw SandboxError("volume \(volume.target): idmap needs a user namespace, not --userns host")
            }
        }
        if namespaces.isNew(.user), !namespaces.isNew(.mount) {
            throw SandboxError("a new user namespace needs a new mount namespace")
        }
        // runc's words: a setting of a namespace shared with the host would change the host.
        for key in sysctls.keys.sorted() {
            switch Sysctl.namespace(of: key) {
            case nil:
                throw SandboxError("sysctl \"\(key)\" is not in a separate kernel namespace")
            case .ipc? where !namespaces.isNew(.ipc):
                throw SandboxError("sysctl \"\(key)\" is not allowed in the hosts ipc namespace")
            case .network? where !namespaces.isNew(.network):
                throw SandboxError("sysctl \"\(key)\" not allowed in host network namespace")
            default:
                continue
            }
        }
    }
}
