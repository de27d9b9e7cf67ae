import CSandbox
import Glibc
import SandboxPolicy

/// The parent's half of creating a container, the same for every caller (a foreground run, a detached
/// container's monitor, an engine's `create`): clone, cgroup, id maps, idmapped trees, the go-ahead, and the
/// child's report that it is set up and waits to be started. A failure on the way leaves no child alive.
extension ContainerSetup {
    /// - Parameters:
    ///   - streams: the child's 0, 1 and 2; sandbox's copies of the child's ends are closed once it has its own.
    ///   - startsAtOnce: its creator starts it as soon as it is set up (a foreground run): ordered once
    ///     `meanwhile` is done, the order waits in the socket, and the child goes on from READY to execve
    ///     without waiting for its parent to wake, read READY and order it. Not with `mounted`, whose state
    ///     comes through the same socket.
    ///   - mounted: when the spec has hooks to run before pivot_root: runs the prestart and createRuntime hooks
    ///     for the child's pid, and returns the state the createContainer hooks read.
    ///   - meanwhile: work of the parent's own for the child's pid, done while the child sets itself up (on
    ///     another CPU, when there is one) rather than after.
    func launch(streams: ChildStreams, startsAtOnce: Bool = false, mounted: ((pid_t) throws -> String)? = nil,
                meanwhile: ((pid_t) throws -> Void)? = nil) throws -> CreatedChild {
        precondition(mounted == nil || !startsAtOnce, "a child that pauses for its hooks is started after them")
        // From within a cgroup namespace it joined, the parent may not clone into a cgroup outside it.
        var joinsCgroupNamespace = false
        if case .join = spec.namespaces[.cgroup] { joinsCgroupNamespace = true }
        let entrance = try cgroup.map { try CgroupEntrance($0, cloneIntoTree: !joinsCgroupNamespace) }
        let configuration = try ChildConfiguration(plan: plan, seccomp: seccomp, streams: streams.child,
                                                   console: streams.terminal?.slavePath, startSocket: startSocket,
                                                   staging: staging, cgroup: cgroup?.directories ?? [], entrance: entrance)
        var raw = sbx_child()
        Trace.mark("child configuration")
        let spawned = withUnsafePointer(to: configuration.raw) { sbx_spawn($0, channel.child, &raw) }
        Trace.mark("clone")
        channel.closeChildEnd()
        guard spawned == 0 else {
            let into = entrance?.tree != nil ? cgroup?.tree.map { " into cgroup \($0)" } ?? "" : ""
            throw SandboxError("clone the container" + into, errno: -spawned,
                               hint: -spawned == EPERM ? "are user namespaces allowed for this user?" : nil)
        }
        streams.closeChildEnds()
        let child = CreatedChild(pid: raw.pid, pidfd: raw.pidfd, goFd: raw.go_fd)
        reports.agent?.state.pid = Int(child.pid)
        do {
            if entrance?.tree == nil { try cgroup?.joinTree(child.pid) }
            try spec.process.applyOOMScore(to: child.pid)
            var trees: [Int32] = []
            defer { trees.forEach { close($0) } }
            if let userNamespace = spec.userNamespace {
                try IDMapWriter(pid: child.pid).write(userNamespace)
                trees = try handedTrees(pid: child.pid)
            }
            let released = sbx_release(child.goFd, trees, trees.count)
            guard released == 0 else { throw SandboxError("start the container", errno: -released) }
            Trace.mark("maps, trees, go-ahead")
            try meanwhile?(child.pid)
            Trace.mark("meanwhile")
            // A child that failed meanwhile has said why on the report channel, read below; the order's EPIPE
            // would hide it. One still alive reads EOF for its order, and reports that.
            if startsAtOnce { _ = try? child.start() }
            // Created: set up to the last step before execve, waiting to be started.
            while true {
                guard let record = try nextReport() else {
                    throw SandboxError("the container's process ended before it was set up")
                }
                if record.step == SBX_STEP_READY {
                    Trace.mark("child setup → READY")
                    break
                }
                guard record.step == SBX_STEP_MOUNTED, let mounted else {
                    throw ChildFailure(record).error(onHostRoot: spec.root.isHostRoot)
                }
                let state = try mounted(child.pid)
                let continued = state.withCString { sbx_continue(child.goFd, $0, strlen($0)) }
                guard continued == 0 else { throw SandboxError("continue the container after its hooks", errno: -continued) }
            }
        } catch {
            child.kill()
            throw error
        }
        return child
    }

    /// The child's next record on the report channel (`ChildReports`); nil at EOF: its execve, or its end.
    func nextReport() throws -> sbx_failure? {
        try reports.next(from: channel.parent)
    }

    /// A detached copy of each tree the plan hands over, cloned as host root and, when idmapped, shifted
    /// through the child's user namespace, for the child to attach in its own mount namespace: none of them
    /// is ever mounted on the host.
    private func handedTrees(pid: pid_t) throws -> [Int32] {
        guard !plan.trees.isEmpty else { return [] }
        guard plan.trees.count <= Int(SBX_MAX_STAGED) else {
            throw SandboxError("too many bind mounts: \(plan.trees.count), at most \(SBX_MAX_STAGED) in a user namespace")
        }
        let namespace = open("/proc/\(pid)/ns/user", O_RDONLY | O_CLOEXEC)
        guard namespace >= 0 else { throw SandboxError("open the container's user namespace", errno: errno) }
        defer { close(namespace) }
        var trees: [Int32] = []
        for tree in plan.trees {
            let fd = sbx_clone_tree(tree.source, tree.recursive, tree.idmapped ? namespace : -1, tree.receivesHostMounts)
            guard fd >= 0 else {
                trees.forEach { close($0) }
                throw SandboxError(tree.idmapped ? "idmap \(tree.source)" : "bind \(tree.source)", errno: -fd,
                                   hint: -fd == EINVAL && tree.idmapped
                                       ? "its filesystem cannot be idmapped; use --userns host, or keep it on ext4, xfs, btrfs or tmpfs" : nil)
            }
            trees.append(fd)
        }
        return trees
    }
}

/// A child set up to the last step before execve, waiting for its creator's order, then for `start`.
struct CreatedChild {
    let pid: pid_t
    /// Signals reach it through this: its pid may be reused once it is reaped.
    let pidfd: Int32
    let goFd: Int32

    /// Its creator stays, and will start and reap it.
    func stay() throws {
        defer { close(goFd) }
        let ordered = sbx_order(goFd, SBX_ORDER_STAY)
        guard ordered == 0 else { throw SandboxError("order the container to wait", errno: -ordered) }
    }

    /// Its creator starts it now, and stays: it execs without waiting for a `start`. Returns once it is
    /// ordered; its failure or its execve (EOF) reaches the report channel.
    func start() throws {
        defer { close(goFd) }
        let ordered = sbx_order(goFd, SBX_ORDER_START)
        guard ordered == 0 else { throw SandboxError("start the container", errno: -ordered) }
    }

    /// Its creator exits: it no longer dies with it, and lives on under the caller's subreaper. Returns once
    /// it said so on the setup's report channel, so that the creator's exit cannot kill it.
    func detach(reportingTo setup: ContainerSetup) throws {
        defer { close(goFd) }
        let ordered = sbx_order(goFd, SBX_ORDER_DETACH)
        guard ordered == 0 else { throw SandboxError("detach the container", errno: -ordered) }
        guard let record = try setup.nextReport(), record.step == SBX_STEP_DETACHED else {
            throw SandboxError("detach the container: it did not answer")
        }
    }

    /// Kills and reaps it: what a failed create leaves of it.
    func kill() {
        _ = sbx_pidfd_signal(pidfd, SIGKILL)
        _ = sbx_wait(pid)
    }
}

/// `start`: releases a created container waiting on the socket in its state directory, and learns whether its
/// process reached execve.
enum StartConnection {
    /// - Parameter state: the container's state, which its startContainer hooks read.
    /// - Throws: the failure the child reported, as `docker run` exits for it (126, 127 for exec).
    static func start(_ directory: StateDirectory, state: String, reports: inout ChildReports, onHostRoot: Bool) throws {
        var connection: Int32 = -1
        let started = state.withCString { sbx_start_connect(directory.fd, StateDirectory.startSocket, $0, strlen($0), &connection) }
        guard started == 0 else {
            throw SandboxError("start the container", errno: -started,
                               hint: -started == ECONNREFUSED || -started == ENOENT ? "it is not waiting to be started" : nil)
        }
        defer { close(connection) }
        if let record = try reports.next(from: connection) {
            throw ChildFailure(record).error(onHostRoot: onHostRoot)
        }
    }
}
