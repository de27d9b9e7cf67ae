import CSandbox
import Glibc
import Testing
@testable import SandboxKit

/// What the parent and the child will do, decided before anything starts: namespaces at clone or after the
/// maps are written, the overlay's options, and which trees the parent idmaps.
struct LaunchPlanTests {
    static let id = ContainerID(randomFrom: Array(0..<32))

    /// A real state directory (empty directories only) under a fresh directory in /tmp, removed after `body`.
    static func withState<T>(volumes: Int = 0, baseName: String = "sandboxkit-tests", _ body: (StateDirectory) throws -> T) throws -> T {
        var template = Array("/tmp/\(baseName).XXXXXX".utf8CString)
        let base = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }.map { String(cString: $0) })
        defer {
            unlink(base + "/.lock")
            rmdir(base)
        }
        let state = try StateDirectory.create(base: base, name: "test", volumes: volumes)
        defer { state.remove() }
        return try body(state)
    }

    static let passwd = "root:x:0:0:root:/root:/bin/sh\n"

    static func plan(_ spec: RunSpec, userNamespace: UserNamespacePlan? = Fixtures.rootRemap, timeNamespaces: Bool = true,
                     passwd: String? = passwd, state: StateDirectory) throws -> LaunchPlan {
        let credentials = try Credentials(spec: spec, passwd: passwd, group: nil, lastCapability: 40, userNamespace: userNamespace)
        return LaunchPlan(spec: spec, id: id, userNamespace: userNamespace, credentials: credentials, seccomp: nil, state: state, console: nil,
                          timeNamespaces: timeNamespaces)
    }

    static let atClone = SBX_CLONE_NEWUSER | SBX_CLONE_NEWPID | SBX_CLONE_NEWNET | SBX_CLONE_NEWIPC | SBX_CLONE_NEWUTS | SBX_CLONE_NEWTIME
    static let afterMapping = SBX_CLONE_NEWNS | SBX_CLONE_NEWCGROUP

    /// Mount and cgroup namespaces are unshared by the child after its ids are mapped (see
    /// `Namespace.isUnsharedAfterMapping`); the others are made at clone; time only if the kernel has it.
    @Test(arguments: [
        ([], true, atClone, afterMapping),
        ([], false, atClone & ~SBX_CLONE_NEWTIME, afterMapping),
        ([.network], true, atClone & ~SBX_CLONE_NEWNET, afterMapping),
        ([.pid, .ipc, .uts], true, SBX_CLONE_NEWUSER | SBX_CLONE_NEWNET | SBX_CLONE_NEWTIME, afterMapping),
        ([.user], true, atClone & ~SBX_CLONE_NEWUSER, afterMapping),
        ([.cgroup], true, atClone, SBX_CLONE_NEWNS),
        ([.time], true, atClone & ~SBX_CLONE_NEWTIME, afterMapping),
        ([.time], false, atClone & ~SBX_CLONE_NEWTIME, afterMapping),
    ] as [([Namespace], Bool, UInt64, UInt64)])
    func namespaceFlags(shared: [Namespace], timeNamespaces: Bool, clone: UInt64, unshare: UInt64) throws {
        let plan = try Self.withState { try Self.plan(.sharing(shared), timeNamespaces: timeNamespaces, state: $0) }
        #expect(plan.cloneFlags == clone)
        #expect(plan.unshareFlags == unshare)
        #expect(plan.cloneFlags & plan.unshareFlags == 0)
    }

    @Test func namespacesMadeAfterMappingAreMountAndCgroup() {
        #expect(Namespace.allCases.filter(\.isUnsharedAfterMapping) == [.mount, .cgroup])
        #expect(Namespace.allCases.map(\.procName) == ["user", "pid", "net", "ipc", "uts", "mnt", "cgroup", "time"])
    }

    @Test(arguments: [
        ([], String?.none, String?("000102030405"), "000102030405"),
        ([], "web", "web", "web"),
        // With the host's uts namespace the container keeps the host's name: sandbox sets none.
        ([.uts], nil, nil, HostFile.kernel().nodename),
    ] as [([Namespace], String?, String?, String)])
    func hostname(shared: [Namespace], requested: String?, hostname: String?, variable: String) throws {
        var spec = RunSpec.sharing(shared)
        spec.hostname = requested
        let plan = try Self.withState { try Self.plan(spec, state: $0) }
        #expect(plan.hostname == hostname)
        #expect(plan.environment["HOSTNAME"] == variable)
    }

    @Test func environmentHasDockerDefaults() throws {
        var spec = RunSpec(command: ["sh"])
        spec.tty = true
        try spec.environment.add("A=1", host: [:])
        let plan = try Self.withState { try Self.plan(spec, state: $0) }
        #expect(plan.environment.assignments == ["PATH=\(Environment.defaultPath)", "HOSTNAME=000102030405", "TERM=xterm", "A=1", "HOME=/root"])
    }

    /// HOME is the workload user's, from the container's passwd; "/" when it lists none, as Docker.
    @Test(arguments: [(String?(passwd), "/root"), ("root:x:0:0:root::/bin/sh\n", "/"), (nil, "/")])
    func homeFromTheContainersPasswd(passwd: String?, home: String) throws {
        let plan = try Self.withState { try Self.plan(RunSpec(command: ["sh"]), passwd: passwd, state: $0) }
        #expect(plan.environment["HOME"] == home)
    }

    /// On the host's /, there is no overlay: the child binds / read-only onto the mount point.
    @Test func hostRootHasNoOverlay() throws {
        var spec = RunSpec(command: ["sh"])
        spec.readOnly = true
        try Self.withState { state in
            let plan = try Self.plan(spec, state: state)
            #expect(plan.rootfs == LaunchPlan.Rootfs(path: state.rootfs, layer: nil, overlayOptions: nil, readOnly: false))
            #expect(plan.idmappedMounts.isEmpty)
        }
    }

    /// The overlay's lower layer is the image, or its idmapped staging mount when root can make one; in a
    /// user namespace, overlayfs keeps its xattrs in user.* (userxattr), as it cannot write trusted.*.
    @Test(arguments: [(UserNamespacePlan?.none, false), (Fixtures.rootlessWithSubordinates, false),
                      (Fixtures.rootlessCallerOnly, false), (Fixtures.rootRemap, true)])
    func overlayOnAnImage(userNamespace: UserNamespacePlan?, idmapped: Bool) throws {
        var spec = RunSpec(command: ["sh"])
        spec.rootfs = "/images/busybox"
        spec.readOnly = true
        try Self.withState { state in
            let plan = try Self.plan(spec, userNamespace: userNamespace, state: state)
            let lower = idmapped ? state.lower : "/images/busybox"
            let xattrs = userNamespace == nil ? "" : ",userxattr"
            #expect(plan.rootfs == LaunchPlan.Rootfs(
                path: state.rootfs, layer: state.layer,
                overlayOptions: "lowerdir=\(lower),upperdir=\(state.layer)/upper,workdir=\(state.layer)/work\(xattrs)",
                readOnly: true))
            #expect(plan.idmappedMounts == (idmapped ? [LaunchPlan.IdmappedMount(source: "/images/busybox", staging: state.lower)] : []))
        }
    }

    @Test func imagePathIsEscapedInOverlayOptions() throws {
        var spec = RunSpec(command: ["sh"])
        spec.rootfs = "/images/a,b:c"
        let options = try Self.withState { try Self.plan(spec, userNamespace: nil, state: $0).rootfs.overlayOptions }
        #expect(options?.hasPrefix("lowerdir=/images/a\\,b\\:c,upperdir=") == true)
    }

    @Test(arguments: [("/plain/path", "/plain/path"), ("/a,b", "/a\\,b"), ("/a:b", "/a\\:b"), ("/a\\b", "/a\\\\b"),
                      ("/,:\\", "/\\,\\:\\\\"), ("/é ü", "/é ü")])
    func escapeOverlayPath(path: String, escaped: String) {
        #expect(LaunchPlan.escapeOverlayPath(path) == escaped)
    }

    /// upperdir and workdir are split at ',' like lowerdir; a state directory under an
    /// $XDG_RUNTIME_DIR holding a comma breaks the overlay's options, as an image path would have.
    @Test func stateDirectoryPathIsEscapedInOverlayOptions() throws {
        var spec = RunSpec(command: ["sh"])
        spec.rootfs = "/images/busybox"
        try Self.withState(baseName: "sandboxkit,tests") { state in
            let options = try Self.plan(spec, state: state).rootfs.overlayOptions ?? ""
            #expect(options.contains("upperdir=\(LaunchPlan.escapeOverlayPath(state.layer))/upper,"), "\(options)")
            #expect(options.contains("workdir=\(LaunchPlan.escapeOverlayPath(state.layer))/work"), "\(options)")
        }
    }

    /// An `idmap` volume is staged (idmapped by the parent) only when root can; otherwise it is bound as it is,
    /// keeping the host's ids, as a plain volume. Staging directories are numbered by the volume's position.
    @Test(arguments: [(Fixtures.rootRemap, true), (Fixtures.rootlessWithSubordinates, false), (UserNamespacePlan?.none, false)])
    func idmappedVolumes(userNamespace: UserNamespacePlan?, staged: Bool) throws {
        var spec = RunSpec(command: ["sh"])
        spec.volumes = try ["/srv/plain:/plain", "/srv/shifted:/shifted:idmap,ro"].map(Volume.init(parsing:))
        try Self.withState(volumes: 2) { state in
            let plan = try Self.plan(spec, userNamespace: userNamespace, state: state)
            let shiftedSource = staged ? state.volume(1) : "/srv/shifted"
            #expect(plan.idmappedMounts == (staged ? [LaunchPlan.IdmappedMount(source: "/srv/shifted", staging: state.volume(1))] : []))
            #expect(plan.mounts.entries.first { $0.target == "/plain" } == MountEntry(.bind(source: "/srv/plain"), at: "/plain"))
            #expect(plan.mounts.entries.first { $0.target == "/shifted" } == MountEntry(.bind(source: shiftedSource), at: "/shifted", attributes: .readOnly))
        }
    }

    /// The image is staged before the volumes: the parent attaches them in this order.
    @Test func imageStagedBeforeVolumes() throws {
        var spec = RunSpec(command: ["sh"])
        spec.rootfs = "/images/busybox"
        spec.volumes = try ["/srv/a:/a:idmap", "/srv/b:/b", "/srv/c:/c:idmap"].map(Volume.init(parsing:))
        try Self.withState(volumes: 3) { state in
            let plan = try Self.plan(spec, state: state)
            #expect(plan.idmappedMounts == [
                LaunchPlan.IdmappedMount(source: "/images/busybox", staging: state.lower),
                LaunchPlan.IdmappedMount(source: "/srv/a", staging: state.volume(0)),
                LaunchPlan.IdmappedMount(source: "/srv/c", staging: state.volume(2)),
            ])
        }
    }

    @Test func mountTableFollowsTheUserNamespace() throws {
        let spec = RunSpec.sharing([.pid])
        try Self.withState { state in
            let inUserNamespace = try Self.plan(spec, state: state), asRoot = try Self.plan(spec, userNamespace: nil, state: state)
            #expect(inUserNamespace.mounts.entries.first?.kind == .bind(source: "/proc"))
            #expect(asRoot.mounts.entries.first?.kind == .filesystem(type: "proc", data: nil))
        }
    }
}
