import SandboxJSON
import Testing
@testable import SandboxOCI

/// What podman, Docker and containerd hand a runtime decodes unchanged, with the values they meant.
struct CompatConfigTests {
    @Test(.enabled(if: Compat.has(Compat.podman), "needs ../shared/compat/oci/\(Compat.podman)"))
    func podman() throws {
        let config = try Compat.config(Compat.podman)
        let process = try #require(config.process)
        #expect(process.user == {
            var user = OCI.User(uid: 1000, gid: 1000)
            user.umask = 0o22
            user.additionalGids = [1000, 1001]
            return user
        }())
        #expect(process.capabilities?.bounding?.count == 12 && process.capabilities?.bounding?.contains("CAP_NET_ADMIN") == true)
        #expect(process.capabilities?.ambient == ["CAP_NET_ADMIN"])
        let resources = try #require(config.linux?.resources)
        #expect(resources.memory?.limit == 67_108_864 && resources.memory?.swap == 134_217_728)
        #expect(resources.pids == OCI.Resources.Pids(limit: 100))
        #expect(resources.devices == [OCI.Resources.DeviceRule(allow: false, access: "rwm")])
        let seccomp = try #require(config.linux?.seccomp)
        #expect(seccomp.defaultAction == .errno && seccomp.defaultErrnoRet == 38)
        #expect(seccomp.architectures == [.x86_64, .x86, .x32])
        #expect(seccomp.syscalls?.first?.errnoRet == 1 && (seccomp.syscalls?.count ?? 0) > 20)
        #expect(config.linux?.namespaces?[1] == OCI.Namespace(.network, path: "/run/netns/netns-bbe12ffc-92fb-6fb8-1d74-80906a987cb9"))
        #expect(config.annotations?["org.opencontainers.image.stopSignal"] == "15")
    }

    @Test(.enabled(if: Compat.has(Compat.docker), "needs ../shared/compat/oci/\(Compat.docker)"))
    func docker() throws {
        let config = try Compat.config(Compat.docker)
        #expect(config.hooks?.prestart?.count == 1)
        #expect(config.hooks?.prestart?.first?.path == "/proc/29924/exe")
        #expect(config.hooks?.prestart?.first?.args?.first == "libnetwork-setkey")
        #expect(config.process?.oomScoreAdj == 0)
        #expect(config.process?.user?.additionalGids == [1000, 1001])
        #expect(config.linux?.resources?.cpu?.shares == 0 && config.linux?.resources?.blockIO?.weight == 0)
        #expect(config.linux?.resources?.devices?.last
            == OCI.Resources.DeviceRule(allow: false, type: "c", major: 10, minor: 229, access: "rwm"))
        #expect(config.linux?.sysctl?["net.ipv4.ping_group_range"] == "0 2147483647")
        #expect(config.mounts?.first(where: { $0.destination == "/etc/hosts" })?.options == ["rbind", "rprivate"])
    }

    @Test(.enabled(if: Compat.has(Compat.containerd), "needs ../shared/compat/oci/\(Compat.containerd)"))
    func containerd() throws {
        let config = try Compat.config(Compat.containerd)
        #expect(config.process?.rlimits == [OCI.RLimit(type: "RLIMIT_NOFILE", hard: 1024, soft: 1024)])
        #expect(config.process?.noNewPrivileges == true)
        #expect(config.process?.capabilities?.inheritable == nil && config.process?.capabilities?.effective?.count == 14)
        #expect(config.linux?.resources?.devices?.first(where: { $0.major == 136 })
            == .init(allow: true, type: "c", major: 136, access: "rwm"))
        #expect(config.linux?.cgroupsPath == "/default/cap1")
        #expect(config.linux?.seccomp == nil && config.hooks == nil)
    }

    /// Encoding what was decoded gives back the engine's document member for member, in its order: nothing
    /// the engine said is dropped, and sandbox writes what runc writes.
    @Test(.enabled(if: Compat.all.allSatisfy(Compat.has), "needs the files in ../shared/compat/oci"), arguments: Compat.all)
    func encodingGivesTheDocumentBack(name: String) throws {
        let original = try JSONValue(parsing: Compat.text(name))
        let config = try Compat.config(name)
        let difference = firstDifference(try JSONValue(encoding: config), original)
        #expect(difference == nil, "first differs at \(difference ?? "")")
        #expect(try JSON.decode(OCI.Config.self, from: JSON.encode(config), document: "again") == config)
    }
}
