import Testing
@testable import SandboxLinux
@testable import SandboxPolicy

/// Where the device rules go: the v1 devices controller's files, a program on the v2 tree, both on a hybrid.
struct DeviceCgroupTests {
    static let policy = DevicePolicy(privileged: false, devices: [DeviceRule(.block, 7, 3, .read)])

    static func create(_ tree: FakeCgroupTree, devices: DevicePolicy? = policy) throws -> ContainerCgroup {
        try ContainerCgroup.create(path: "sandbox/c1", limits: ResourceLimits(), devices: devices, hierarchy: tree.hierarchy, filesystem: tree)
    }

    static func deviceWrites(_ tree: FakeCgroupTree) -> [String] {
        tree.writes.filter { $0.path.contains("/devices.") }.map { "\($0.path)=\($0.value)" }
    }

    /// This machine's layout: the kernel checks the v1 list and the v2 program, so both are set.
    @Test func hybridGetsTheV1ListAndTheProgram() throws {
        let tree = FakeCgroupTree.hybrid()
        let cgroup = try Self.create(tree)
        #expect(Self.deviceWrites(tree) == Self.policy.v1Writes.map { "devices/sandbox/c1/\($0.file)=\($0.value)" })
        #expect(Self.deviceWrites(tree).first == "devices/sandbox/c1/devices.deny=a")
        #expect(tree.deviceFilters.map(\.path) == ["unified/sandbox/c1"])
        #expect(tree.deviceFilters.first?.filter == DeviceFilter(policy: Self.policy))
        try cgroup.remove()
    }

    @Test func unifiedGetsTheProgramOnly() throws {
        let tree = FakeCgroupTree.unified()
        let cgroup = try Self.create(tree)
        #expect(Self.deviceWrites(tree).isEmpty)
        #expect(tree.deviceFilters.map(\.path) == ["cgroup/sandbox/c1"])
        try cgroup.remove()
    }

    @Test func legacyGetsTheV1ListOnly() throws {
        let tree = FakeCgroupTree(["memory", "devices"].map { .init(name: $0, version: .v1, controllers: [$0]) })
        let cgroup = try Self.create(tree)
        #expect(Self.deviceWrites(tree).count == Self.policy.v1Writes.count)
        #expect(tree.deviceFilters.isEmpty)
        try cgroup.remove()
    }

    /// Without a devices controller or a v2 tree nothing can keep the container from the host's disks: refused.
    @Test func legacyWithoutTheDevicesControllerIsRefused() throws {
        let tree = FakeCgroupTree([.init(name: "memory", version: .v1, controllers: ["memory"])])
        let error = #expect(throws: SandboxError.self) { try Self.create(tree) }
        #expect(error?.message == "this host mounts neither the devices cgroup controller nor cgroup v2: sandbox cannot keep the container from the host's devices")
        #expect(!tree.exists(tree.path("memory", "sandbox")))
        // --privileged denies nothing, so it needs neither.
        try Self.create(tree, devices: DevicePolicy(privileged: true, devices: [])).remove()
    }

    /// runc's privileged container: everything allowed on v1, and no program, which would allow everything.
    @Test func privilegedAllowsAllAndAttachesNothing() throws {
        let tree = FakeCgroupTree.hybrid()
        let cgroup = try Self.create(tree, devices: DevicePolicy(privileged: true, devices: []))
        #expect(Self.deviceWrites(tree) == ["devices/sandbox/c1/devices.allow=a"])
        #expect(tree.deviceFilters.isEmpty)
        try cgroup.remove()
    }

    /// A caller other than root gets no device rules: it could load no program, and its user namespace keeps it.
    @Test func noPolicyNoRules() throws {
        let tree = FakeCgroupTree.hybrid()
        let cgroup = try Self.create(tree, devices: nil)
        #expect(Self.deviceWrites(tree).isEmpty)
        #expect(tree.deviceFilters.isEmpty)
        try cgroup.remove()
    }
}
