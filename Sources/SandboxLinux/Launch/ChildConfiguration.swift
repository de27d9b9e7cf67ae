import CSandbox
import Glibc
import SandboxPolicy

/// The flat C configuration the child runs from, with the memory it points into.
///
/// Built in full before clone: after clone the child may not allocate, so every string and array it reads
/// is already here. The child gets a copy of this memory; the parent frees it when the object goes.
final class ChildConfiguration {
    private(set) var raw = sbx_config()
    private var releases: [() -> Void] = []

    struct Streams {
        var stdin: Int32, stdout: Int32, stderr: Int32
        var controllingTerminal: Bool
        /// fds 3 to 3+preserved-1 reach the workload too (OCI --preserve-fds).
        var preserved: Int32 = 0
    }

    /// - Parameters:
    ///   - seccomp: the compiled program; nil: unconfined.
    ///   - console: the pty slave the `.console` mount binds, with a terminal.
    ///   - staging: the state directory (`plan.staging`), open.
    ///   - cgroup: the container's own cgroup directories, which a `.cgroup` mount shows; none without one.
    ///   - entrance: the same cgroups, open for the child to enter; it must outlive the clone.
    /// - Throws: when a namespace to join cannot be opened.
    init(plan: LaunchPlan, seccomp: SeccompProgram?, streams: Streams, console: String?, startSocket: Int32, staging: Int32,
         cgroup: [ContainerCgroup.Directory], entrance: CgroupEntrance? = nil) throws {
        let spec = plan.spec
        var joins: [sbx_join] = []
        raw.mount_namespace_fd = -1
        for namespace in Namespace.allCases {
            switch spec.namespaces[namespace] {
            case .new where namespace.isUnsharedAfterMapping || (namespace == .time && !spec.timeOffsets.isEmpty):
                raw.unshare_flags |= namespace.cloneFlag
            case .new where namespace.isUnsharedBeforeMapping:
                raw.early_unshare_flags |= namespace.cloneFlag
            case .new:
                raw.clone_flags |= namespace.cloneFlag
            case .join(let path):
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                guard fd >= 0 else { throw SandboxError("open the \(namespace.procName) namespace \(path)", errno: errno) }
                releases.append { close(fd) }
                // The child joins a mount namespace itself: a thread of a process with others cannot.
                if namespace == .mount { raw.mount_namespace_fd = fd } else { joins.append(sbx_join(fd: fd, type: Int32(namespace.cloneFlag))) }
            case .host, nil:
                break
            }
        }
        raw.joins = UnsafePointer(array(joins))
        raw.join_count = joins.count
        raw.become_root = spec.userNamespace != nil
        raw.time_offsets = spec.timeOffsets.isEmpty ? nil : string(spec.timeOffsets.map(\.line).joined())
        raw.setgroups_allowed = spec.userNamespace?.writer != .caller
        raw.caller_writes_maps = spec.userNamespace.map { $0.writer != .root } ?? false
        if let entrance {
            let tasks = entrance.tasks.map { sbx_cgroup_tasks(fd: $0.fd, path: string($0.path)) }
            raw.cgroup_tasks = UnsafePointer(array(tasks))
            raw.cgroup_task_count = tasks.count
            raw.into_cgroup_tree = entrance.tree != nil
            raw.cgroup_tree_fd = entrance.tree ?? -1
        }
        raw.tree_count = plan.trees.count
        raw.staged_paths = plan.stagedPaths.isEmpty ? nil : UnsafePointer(array(plan.stagedPaths.map { Optional(string($0)) }))
        raw.staged_path_count = plan.stagedPaths.count
        raw.rootfs = sbx_rootfs(
            staging: string(plan.staging),
            staging_fd: staging,
            path: string(plan.rootfs.path),
            source: string(plan.rootfs.source),
            layer: plan.rootfs.layer.map(string),
            overlay_data: plan.rootfs.overlayOptions.map(string),
            readonly: plan.rootfs.readOnly,
            host: spec.root.isHostRoot,
            propagation: spec.rootPropagation?.kernelFlags ?? 0,
            chroot: spec.namespaces[.mount] == .host)
        let mounts = cMounts(plan.mounts, trees: plan.treeOfMount, console: console, cgroup: cgroup)
        raw.mounts = UnsafePointer(array(mounts.entries))
        raw.mount_count = mounts.entries.count
        let sysctls = spec.sysctls.sorted { $0.key < $1.key }.map {
            sbx_sysctl(key: string($0.key), path: string(Sysctl.path(of: $0.key)), value: string($0.value))
        }
        raw.sysctls = UnsafePointer(array(sysctls))
        raw.sysctl_count = sysctls.count
        // SIZE_MAX, as C reads it, when nothing is mounted at /proc.
        raw.proc_mount = plan.mounts.lastIndex { $0.target == "/proc" && $0.makesMount }.flatMap { mounts.made[$0] } ?? -1
        raw.hostname = spec.hostname.map(string)
        raw.domainname = spec.domainname.map(string)
        raw.loopback_up = spec.isNew(.network)
        let process = spec.process
        let rlimits = process.rlimits.map { sbx_rlimit(name: string($0.name), resource: $0.resource, soft: $0.soft, hard: $0.hard) }
        raw.rlimits = UnsafePointer(array(rlimits))
        raw.rlimit_count = rlimits.count
        raw.attributes = process.attributes
        let sets = process.capabilities
        raw.capabilities = sbx_capabilities(
            last: Int32(process.lastCapability), bounding: sets.bounding.rawValue, permitted: sets.permitted.rawValue,
            effective: sets.effective.rawValue, inheritable: sets.inheritable.rawValue, ambient: sets.ambient.rawValue)
        raw.user = sbx_user(uid: process.user.uid, gid: process.user.gid,
                            groups: UnsafePointer(array(process.user.supplementaryGroups)),
                            group_count: process.user.supplementaryGroups.count)
        raw.no_new_privs = process.noNewPrivileges
        if let seccomp {
            raw.seccomp = sbx_seccomp_program(filter: UnsafeRawPointer(array(seccomp.instructions)), length: UInt16(seccomp.instructions.count),
                                              flags: seccomp.flags, listener: seccomp.listener)
        }
        raw.umask = process.umask.map { Int32($0) } ?? -1
        raw.workdir = string(process.cwd)
        raw.search_path = string(process.searchPath)
        raw.argv = UnsafePointer(array(process.args.map(mutableString) + [nil]))
        raw.envp = UnsafePointer(array(process.environment.map(mutableString) + [nil]))
        raw.start_fd = startSocket
        let hooks = spec.hooks
        raw.pause_before_pivot = !(hooks.prestart.isEmpty && hooks.createRuntime.isEmpty && hooks.createContainer.isEmpty)
        raw.create_container_hooks = UnsafePointer(array(hooks.createContainer.map(cHook)))
        raw.create_container_hook_count = hooks.createContainer.count
        raw.start_container_hooks = UnsafePointer(array(hooks.startContainer.map(cHook)))
        raw.start_container_hook_count = hooks.startContainer.count
        raw.preserve_fds = streams.preserved
        raw.stdin_fd = streams.stdin
        raw.stdout_fd = streams.stdout
        raw.stderr_fd = streams.stderr
        raw.controlling_tty = streams.controllingTerminal
        raw.`init` = process.initProcess
        raw.new_keyring = process.newKeyring
    }

    deinit {
        releases.forEach { $0() }
    }

    /// The C entries, and for each entry that makes a mount the index of the C entry that makes it: an entry
    /// may take several (`.cgroup`), and a C entry names another by its index.
    /// - Parameter trees: for an entry made from a handed tree, the tree's index.
    private func cMounts(_ entries: [MountEntry], trees: [Int?], console: String?, cgroup: [ContainerCgroup.Directory])
        -> (entries: [sbx_mount], made: [Int?]) {
        var mounts: [sbx_mount] = []
        // By entry: the index of the C mount it makes, if it makes one.
        var made = [Int?](repeating: nil, count: entries.count)
        for (index, entry) in entries.enumerated() {
            if entry.makesMount { made[index] = mounts.count }
            if case .cgroup = entry.kind {
                mounts += cgroupMounts(entry, directories: cgroup, first: mounts.count)
            } else {
                var mount = cMount(entry, index: index, in: entries, made: made, console: console)
                if let tree = trees[index] {
                    mount.kind = SBX_MOUNT_TREE
                    mount.tree = tree
                }
                mounts.append(mount)
            }
        }
        return (mounts, made)
    }

    private func cMount(_ entry: MountEntry, index: Int, in entries: [MountEntry], made: [Int?], console: String?) -> sbx_mount {
        var mount = sbx_mount()
        mount.target = string(entry.target)
        mount.optional = entry.optional
        mount.real_directory = entry.realDirectory
        mount.attributes = entry.attributes.kernelFlags
        mount.propagation = entry.propagation?.kernelFlags ?? 0
        // A masked path names its mount, the latest entry made at that path, or the root; the child resolves the
        // rest beneath it.
        func cover(within: String) {
            if within == "/" {
                mount.within_root = true
                mount.target = string(String(entry.target.dropFirst()))
                return
            }
            let owner = entries[..<index].lastIndex { $0.target == within && $0.makesMount }!
            mount.within = made[owner]!
            mount.target = string(String(entry.target.dropFirst(within.count + 1)))
        }
        switch entry.kind {
        case .filesystem(let type, let data, let source):
            mount.kind = SBX_MOUNT_FS
            mount.source = string(source ?? type)
            mount.fstype = string(type)
            mount.data = data.map(string)
        case .bind(let source, _, let recursive):
            mount.kind = SBX_MOUNT_BIND
            mount.source = string(source)
            mount.recursive = recursive
        case .device(let node, let major, let minor, let mode, let uid, let gid):
            mount.kind = SBX_MOUNT_DEVICE
            let type: mode_t = switch node {
            case .character: S_IFCHR
            case .block: S_IFBLK
            case .fifo: S_IFIFO
            }
            mount.device = sbx_device_node(type: type, major: major, minor: minor, mode: mode, uid: uid, gid: gid)
        case .cgroup:
            preconditionFailure("a cgroup mount is laid out by cgroupMounts")
        case .console:
            mount.kind = SBX_MOUNT_BIND
            mount.source = string(console!) // a terminal always has its pty: Container makes one
        case .mask(let within):
            mount.kind = SBX_MOUNT_MASK
            cover(within: within)
        case .readOnly(let within):
            mount.kind = SBX_MOUNT_READONLY
            cover(within: within)
        case .symlink(let destination):
            mount.kind = SBX_MOUNT_SYMLINK
            mount.source = string(destination)
        }
        return mount
    }

    private func cHook(_ hook: Hook) -> sbx_hook {
        sbx_hook(path: string(hook.path), argv: UnsafePointer(array(hook.args.map(mutableString) + [nil])),
                 envp: UnsafePointer(array(hook.environment.map(mutableString) + [nil])), timeout: Int32(hook.timeout ?? 0))
    }

    func string(_ text: String) -> UnsafePointer<CChar> {
        UnsafePointer(mutableString(text)!)
    }

    /// execve's argv and envp are `char *const *`.
    private func mutableString(_ text: String) -> UnsafeMutablePointer<CChar>? {
        let copy = strdup(text)!
        releases.append { free(copy) }
        return copy
    }

    private func array<Element>(_ elements: [Element]) -> UnsafeMutablePointer<Element> {
        let pointer = UnsafeMutablePointer<Element>.allocate(capacity: max(elements.count, 1))
        pointer.initialize(from: elements, count: elements.count)
        releases.append { pointer.deinitialize(count: elements.count); pointer.deallocate() }
        return pointer
    }
}

extension MountEntry {
    /// Whether the entry makes a mount of its own (one a masked path can lie beneath).
    var makesMount: Bool {
        switch kind {
        case .filesystem, .bind, .console, .cgroup: true
        case .device, .mask, .readOnly, .symlink: false
        }
    }
}

extension MountAttributes {
    var kernelFlags: UInt64 {
        var flags: UInt64 = 0
        if contains(.readOnly) { flags |= SBX_MOUNT_ATTR_RDONLY }
        if contains(.noSetuid) { flags |= SBX_MOUNT_ATTR_NOSUID }
        if contains(.noDevices) { flags |= SBX_MOUNT_ATTR_NODEV }
        if contains(.noExec) { flags |= SBX_MOUNT_ATTR_NOEXEC }
        if contains(.noAccessTime) { flags |= SBX_MOUNT_ATTR_NOATIME }
        if contains(.strictAccessTime) { flags |= SBX_MOUNT_ATTR_STRICTATIME }
        if contains(.noDirectoryAccessTime) { flags |= SBX_MOUNT_ATTR_NODIRATIME }
        if contains(.noSymlinks) { flags |= SBX_MOUNT_ATTR_NOSYMFOLLOW }
        return flags
    }
}

extension MountPropagation {
    /// As mount(2) takes it: the type, with MS_REC for the whole tree.
    var kernelFlags: UInt64 {
        switch self {
        case .private: SBX_MS_PRIVATE
        case .shared: SBX_MS_SHARED
        case .slave: SBX_MS_SLAVE
        case .unbindable: SBX_MS_UNBINDABLE
        case .recursivePrivate: SBX_MS_PRIVATE | SBX_MS_REC
        case .recursiveShared: SBX_MS_SHARED | SBX_MS_REC
        case .recursiveSlave: SBX_MS_SLAVE | SBX_MS_REC
        case .recursiveUnbindable: SBX_MS_UNBINDABLE | SBX_MS_REC
        }
    }
}
