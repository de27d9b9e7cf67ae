import PolicyFixtures
import Testing
@testable import SandboxPolicy

/// A spec laid out on its state directory: the overlay's options, and which trees the parent idmaps.
struct LaunchPlanTests {
    static let layout = StateLayout(path: "/run/sandbox/test")

    static func plan(_ run: RunSpec, userNamespace: UserNamespacePlan? = Fixtures.rootRemap, layout: StateLayout = layout) throws -> LaunchPlan {
        LaunchPlan(spec: try ContainerSpec.docker(run, userNamespace: userNamespace), layout: layout)
    }

    /// Mount and cgroup namespaces are unshared by the child after its ids are mapped, network and IPC while
    /// they are; the others are made at clone.
    @Test func namespacesTheChildMakesItself() {
        #expect(Namespace.allCases.filter(\.isUnsharedAfterMapping) == [.mount, .cgroup])
        #expect(Namespace.allCases.filter(\.isUnsharedBeforeMapping) == [.network, .ipc])
        #expect(Namespace.allCases.map(\.procName) == ["user", "pid", "net", "ipc", "uts", "mnt", "cgroup", "time"])
    }

    /// On the host's /, there is no overlay: the child binds / read-only onto the mount point.
    @Test func hostRootHasNoOverlay() throws {
        let plan = try Self.plan(RunSpec(command: ["sh"]))
        #expect(plan.rootfs == LaunchPlan.Rootfs(path: Self.layout.rootfs, layer: nil, overlayOptions: nil, source: "/", readOnly: true))
        #expect(plan.spec.root.isHostRoot)
        #expect(plan.stagedPaths.isEmpty && !plan.trees.contains { $0.source == "/" })
    }

    /// The overlay's lower layer is the image, or its idmapped staging mount when root can make one; in a
    /// user namespace, overlayfs keeps its xattrs in user.* (userxattr), as it cannot write trusted.*.
    @Test(arguments: [(UserNamespacePlan?.none, false), (Fixtures.rootlessWithSubordinates, false),
                      (Fixtures.rootlessCallerOnly, false), (Fixtures.rootRemap, true)])
    func overlayOnAnImage(userNamespace: UserNamespacePlan?, idmapped: Bool) throws {
        var run = RunSpec(command: ["sh"])
        run.rootfs = "/images/busybox"
        run.readOnly = true
        let plan = try Self.plan(run, userNamespace: userNamespace)
        let layout = Self.layout
        let lower = idmapped ? layout.lower : "/images/busybox"
        let xattrs = userNamespace == nil ? "" : ",userxattr"
        #expect(plan.rootfs == LaunchPlan.Rootfs(
            path: layout.rootfs, layer: layout.layer,
            overlayOptions: "lowerdir=\(lower),upperdir=\(layout.layer)/upper,workdir=\(layout.layer)/work\(xattrs)",
            source: "/images/busybox", readOnly: true))
        #expect(plan.trees.first { $0.source == "/images/busybox" } == (idmapped ? LaunchPlan.HandedTree(source: "/images/busybox", idmapped: true, recursive: true) : nil))
        #expect(plan.stagedPaths == (idmapped ? [layout.lower] : []))
    }

    @Test func imagePathIsEscapedInOverlayOptions() throws {
        var run = RunSpec(command: ["sh"])
        run.rootfs = "/images/a,b:c"
        #expect(try Self.plan(run, userNamespace: nil).rootfs.overlayOptions?.hasPrefix("lowerdir=/images/a\\,b\\:c,upperdir=") == true)
    }

    @Test(arguments: [("/plain/path", "/plain/path"), ("/a,b", "/a\\,b"), ("/a:b", "/a\\:b"), ("/a\\b", "/a\\\\b"),
                      ("/,:\\", "/\\,\\:\\\\"), ("/é ü", "/é ü")])
    func escapeOverlayPath(path: String, escaped: String) {
        #expect(LaunchPlan.escapeOverlayPath(path) == escaped)
    }

    /// The child builds the root in its state directory, which it enters: the overlay's options name the layer
    /// relative to it, and a state directory under an $XDG_RUNTIME_DIR holding a comma cannot break them.
    @Test func overlayOptionsDoNotNameTheStateDirectory() throws {
        var run = RunSpec(command: ["sh"])
        run.rootfs = "/images/busybox"
        let layout = StateLayout(path: "/run/user/1000/sandbox,x/test")
        let options = try Self.plan(run, layout: layout).rootfs.overlayOptions ?? ""
        #expect(options == "lowerdir=lower,upperdir=layer/upper,workdir=layer/work,userxattr", "\(options)")
    }

    /// In a user namespace root makes, every bind's source is cloned by the parent, as host root, and handed
    /// to the child (the container's root may not reach it on the host), after the image; idmapped ones shifted.
    @Test func bindSourcesAreHandedAfterTheImage() throws {
        var run = RunSpec(command: ["sh"])
        run.rootfs = "/images/busybox"
        run.volumes = try ["/srv/a:/a:idmap", "/srv/b:/b", "/srv/c:/c:idmap,ro"].map(Volume.init(parsing:))
        let plan = try Self.plan(run)
        #expect(plan.trees.first == LaunchPlan.HandedTree(source: "/images/busybox", idmapped: true, recursive: true))
        #expect(plan.treeOfMount.count == plan.mounts.count)
        let handed = plan.treeOfMount.indices.filter { plan.treeOfMount[$0] != nil }.map { plan.mounts[$0].target }
        #expect(handed == MountTable.devices + ["/a", "/b", "/c"])
        for (mount, tree) in plan.treeOfMount.enumerated() {
            guard let tree else { continue }
            guard case .bind(let source, let idmapped, let recursive) = plan.mounts[mount].kind else { Issue.record("not a bind"); continue }
            #expect(plan.trees[tree] == LaunchPlan.HandedTree(source: source, idmapped: idmapped, recursive: recursive,
                                                              receivesHostMounts: false))
        }
        #expect(try Self.plan(run, userNamespace: nil).trees.isEmpty)
        #expect(try Self.plan(RunSpec(command: ["sh"]), userNamespace: Fixtures.rootlessCallerOnly).trees.isEmpty)
    }

    /// Without root an idmapped volume cannot be made: refused before anything starts.
    @Test func idmappedVolumeNeedsRoot() throws {
        var run = RunSpec(command: ["sh"])
        run.volumes = [try Volume(parsing: "/srv/a:/a:idmap")]
        #expect(throws: SandboxError("volume /a: idmap needs sandbox to run as root")) {
            try Self.plan(run, userNamespace: Fixtures.rootlessWithSubordinates)
        }
    }

    @Test func mountTableFollowsTheUserNamespace() throws {
        let run = RunSpec.sharing([.pid])
        #expect(try Self.plan(run).mounts.first?.kind == .bind(source: "/proc"))
        #expect(try Self.plan(run, userNamespace: nil).mounts.first?.kind == .filesystem(type: "proc", data: nil))
    }
}
