import SandboxJSON
import Testing
@testable import SandboxOCI

/// `sandbox spec` and `sandbox spec --rootless`: runc's starting points.
struct DefaultSpecTests {
    static let runcCapabilities = ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"]
    static let mountPoints = ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys", "/sys/fs/cgroup"]

    @Test func defaultSpecIsRuncs() throws {
        let config = OCI.Config.defaultSpec()
        #expect(config.ociVersion == OCI.version && config.root == OCI.Root(path: "rootfs", readonly: true))
        let process = try #require(config.process)
        #expect(process.args == ["sh"] && process.terminal == true && process.cwd == "/")
        #expect(process.user == OCI.User(uid: 0, gid: 0) && process.noNewPrivileges == true)
        #expect(process.capabilities == OCI.Capabilities(bounding: Self.runcCapabilities, effective: Self.runcCapabilities,
                                                         permitted: Self.runcCapabilities))
        #expect(process.rlimits == [OCI.RLimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)])
        #expect(config.mounts?.map(\.destination) == Self.mountPoints)
        #expect(config.mounts?[2].options?.contains("gid=5") == true)
        #expect(config.mounts?[5].options == ["nosuid", "noexec", "nodev", "ro"])
        let linux = try #require(config.linux)
        #expect(linux.namespaces?.map(\.type) == [.pid, .network, .ipc, .uts, .mount, .cgroup])
        #expect(linux.namespaces?.allSatisfy { $0.path == nil } == true)
        #expect(linux.resources?.devices == [OCI.Resources.DeviceRule(allow: false, access: "rwm")])
        #expect(linux.maskedPaths?.contains("/proc/kcore") == true && linux.readonlyPaths?.contains("/proc/sys") == true)
        #expect(linux.uidMappings == nil && linux.gidMappings == nil)
    }

    @Test func rootlessSpecMapsTheCallerAlone() throws {
        let config = OCI.Config.rootlessSpec(uid: 1000, gid: 1001)
        let linux = try #require(config.linux)
        #expect(linux.namespaces?.map(\.type) == [.pid, .ipc, .uts, .mount, .cgroup, .user])
        #expect(linux.uidMappings == [OCI.IDMapping(containerID: 0, hostID: 1000, size: 1)])
        #expect(linux.gidMappings == [OCI.IDMapping(containerID: 0, hostID: 1001, size: 1)])
        #expect(linux.resources == nil)
        #expect(config.mounts?.map(\.destination) == Self.mountPoints)
        #expect(config.mounts?[5] == OCI.Mount(destination: "/sys", type: "none", source: "/sys",
                                                options: ["rbind", "nosuid", "noexec", "nodev", "ro"]))
        #expect(config.mounts?[2].options == ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"])
        let unchanged = OCI.Config.defaultSpec()
        #expect(config.process == unchanged.process && config.root == unchanged.root)
        #expect(config.mounts?[3] == unchanged.mounts?[3] && linux.maskedPaths == unchanged.linux?.maskedPaths)
    }

    /// What `sandbox spec` prints starts as `runc spec`'s does, members in the spec's order.
    @Test func defaultSpecTextReadsInTheSpecsOrder() throws {
        let text = try JSON.encode(OCI.Config.defaultSpec())
        #expect(text.hasPrefix("""
            {
              "ociVersion": "\(OCI.version)",
              "process": {
                "terminal": true,
                "user": {
                  "uid": 0,
                  "gid": 0
                },
                "args": [
                  "sh"
                ],
            """))
        #expect(text.contains("""
                {
                  "destination": "/proc",
                  "type": "proc",
                  "source": "proc"
                },
            """))
        let order = ["\"process\"", "\"root\"", "\"hostname\"", "\"mounts\"", "\"linux\""].map { text.firstRange(of: $0)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil } && order.map { $0! } == order.map { $0! }.sorted())
        #expect(try JSON.decode(OCI.Config.self, from: text, document: "spec") == OCI.Config.defaultSpec())
        #expect(try JSON.decode(OCI.Config.self, from: JSON.encode(OCI.Config.rootlessSpec(uid: 1, gid: 2)), document: "spec")
            == OCI.Config.rootlessSpec(uid: 1, gid: 2))
    }
}
