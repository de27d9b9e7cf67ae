import SandboxJSON
import Testing
@testable import SandboxOCI

/// What sandbox writes: every property back, in the spec's order, readable, and read back the same.
struct EncodingTests {
    /// Every property of the spec survives decoding and encoding, and the text comes back byte for byte: two
    /// spaces a level, `"key": value`, members in runc's order, slashes and non-ASCII unescaped.
    @Test func everyPropertyComesBackAsWritten() throws {
        let config = try JSON.decode(OCI.Config.self, from: EverythingConfig.json, document: "everything")
        #expect(try JSON.encode(config) == EverythingConfig.json + "\n")
        #expect(try JSON.decode(OCI.Config.self, from: JSON.encode(config), document: "again") == config)
    }

    /// Spot checks that the values behind the text are the ones meant, at the widths the schema gives.
    @Test func everyPropertyDecodesToItsValue() throws {
        let config = try JSON.decode(OCI.Config.self, from: EverythingConfig.json, document: "everything")
        let process = try #require(config.process)
        #expect(process.consoleSize == OCI.ConsoleSize(height: 25, width: 80))
        #expect(process.user?.umask == 0o77 && process.user?.username == "containeradministrator")
        #expect(process.oomScoreAdj == -500 && process.ioPriority == OCI.IOPriority(class: .idle, priority: 4))
        #expect(process.scheduler?.policy == .deadline && process.scheduler?.flags == [.resetOnFork, .utilizationClampMaximum])
        #expect(process.execCPUAffinity == OCI.CPUAffinity(initial: "7", final: "0-3,7"))
        #expect(config.hooks?.poststart == [OCI.Hook(path: "/usr/bin/notify-start", timeout: 5)])
        #expect(config.mounts?[1].uidMappings == [OCI.IDMapping(containerID: 0, hostID: 100_000, size: 65536)])
        let linux = try #require(config.linux)
        #expect(linux.namespaces?.map(\.type) == [.pid, .network, .mount, .ipc, .uts, .user, .cgroup, .time])
        #expect(linux.namespaces?.first?.path == "/proc/1234/ns/pid")
        #expect(linux.resources?.memory?.swap == -1 && linux.resources?.memory?.checkBeforeUpdate == true)
        #expect(linux.resources?.cpu?.realtimeRuntime == 950_000 && linux.resources?.cpu?.idle == 0)
        #expect(linux.resources?.blockIO?.throttleWriteIOPSDevice == [.init(major: 8, minor: 16, rate: 300)])
        #expect(linux.resources?.rdma?["mlx5_1"] == OCI.Resources.RDMA(hcaHandles: 3, hcaObjects: 10000))
        #expect(linux.resources?.unified?["io.max"]?.contains("\n") == true)
        #expect(linux.seccomp?.syscalls?[1].args == [.init(index: 0, value: 4_294_967_295, valueTwo: 8, op: .maskedEqual)])
        #expect(linux.seccomp?.flags == [.log, .waitKillableReceive] && linux.seccomp?.listenerPath == "/run/seccomp-agent.socket")
        #expect(linux.rootfsPropagation == .slave && linux.personality?.domain == .linux32 && linux.personality?.flags == [])
        #expect(linux.timeOffsets?["boottime"] == OCI.TimeOffset(secs: -86400, nanosecs: 500))
        #expect(linux.intelRdt?.enableMBM == true && linux.devices?.first?.fileMode == 0o666)
    }
}
