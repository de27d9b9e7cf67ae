/// The mapping from `sandbox run`'s flags to a container: where Docker's defaults live, once.
extension ContainerSpec {
    /// What Docker's flags need of the host and the image, gathered by the Linux side before anything starts.
    public struct DockerContext: Sendable {
        public var id: ContainerID
        public var host: HostFacts
        /// The image's /etc/passwd and /etc/group (the host's with no image); nil when missing.
        public var passwd: String?
        public var group: String?
        /// nil with `--userns host`.
        public var userNamespace: UserNamespacePlan?
        /// The rule of each `--device` node, read from the host's node.
        public var deviceRules: [DeviceRule]
        /// The profile `--security-opt seccomp=` named, read: its text and how messages name it.
        public var seccompProfile: (text: String, source: String)?
        /// sandbox makes the container a cgroup of its own, which Docker's /sys/fs/cgroup mount then shows.
        public var ownCgroup: Bool
        /// The directories made for `RunSpec.anonymousVolumes`, one each, in order.
        public var anonymousVolumes: [String] = []

        public init(id: ContainerID, host: HostFacts, passwd: String?, group: String?, userNamespace: UserNamespacePlan?,
                    deviceRules: [DeviceRule], seccompProfile: (text: String, source: String)?, ownCgroup: Bool = false) {
            self.id = id
            self.host = host
            self.passwd = passwd
            self.group = group
            self.userNamespace = userNamespace
            self.deviceRules = deviceRules
            self.seccompProfile = seccompProfile
            self.ownCgroup = ownCgroup
        }
    }

    /// Resolves the flags as `docker run` would: the user in the image's files, Docker's capabilities, its
    /// environment and hostname, its mount table, its device rules, its seccomp profile.
    public init(docker run: RunSpec, context: DockerContext) throws {
        let host = context.host
        guard context.anonymousVolumes.count == run.anonymousVolumes.count else {
            throw SandboxError("volumes \(run.anonymousVolumes.joined(separator: ", ")): no directories were made for them")
        }
        var userSpec = run.user ?? .root
        userSpec.additionalGroups = run.groupAdd
        let user = try userSpec.resolve(passwd: context.passwd, group: context.group)
        try context.userNamespace?.checkMapped(user)
        if context.userNamespace?.canIdmapMounts == false, let volume = run.volumes.first(where: \.idmapped) {
            throw SandboxError("volume \(volume.target): idmap needs sandbox to run as root")
        }
        // A new user namespace starts with every capability in its own bounding set; without one, the container
        // can hold at most what sandbox holds.
        let available = context.userNamespace == nil ? host.bounding : .all(through: host.lastCapability)
        let capabilities = try run.capabilities.resolve(lastCapability: host.lastCapability, available: available,
                                                        rootUser: user.uid == 0)
        let hostname = run.namespaces.isNew(.uts) ? run.hostname ?? context.id.short : nil
        // With the host's uts namespace the workload's HOSTNAME is the host's name, as in Docker.
        let environment = run.environment.withDefaults(hostname: hostname ?? host.nodename, home: user.home, tty: run.tty)
        var namespaces: [Namespace: NamespaceMode] = [:]
        for namespace in Namespace.allCases {
            let new = run.namespaces.isNew(namespace) && (namespace != .time || host.timeNamespaces)
            namespaces[namespace] = new ? .new : .host
        }
        var seccomp = SeccompSetting.unconfined
        if !run.privileged, let profile = context.seccompProfile {
            seccomp = .dockerProfile(text: profile.text, source: profile.source)
        }
        self.init(
            process: ContainerProcess(
                args: run.arguments, environment: environment.assignments, cwd: run.workdir ?? "/", user: user,
                capabilities: capabilities, lastCapability: host.lastCapability, noNewPrivileges: run.noNewPrivileges,
                terminal: run.tty, initProcess: run.initProcess),
            root: run.rootfs.map { Root(path: $0, layout: .overlay, readOnly: run.readOnly) } ?? Root(path: "/", layout: .bind, readOnly: true),
            hostname: hostname,
            mounts: MountTable(spec: run, userNamespace: context.userNamespace, ownCgroup: context.ownCgroup,
                               anonymousVolumes: context.anonymousVolumes).entries,
            namespaces: namespaces,
            userNamespace: context.userNamespace,
            devices: DevicePolicy(privileged: run.privileged, devices: context.deviceRules),
            seccomp: seccomp,
            resources: run.resources,
            annotations: run.annotations)
        // Docker's containers start with runc's mask whatever the caller's is.
        process.umask = 0o022
        process.rlimits = run.ulimits
        process.oomScoreAdj = run.oomScoreAdj
        domainname = run.domainname
        sysctls = run.sysctls
    }
}
