import PolicyFixtures
import Testing
@testable import SandboxPolicy

/// `--sysctl` and `--ulimit`, parsed and checked as Docker does, and what Docker's flags map to.
struct SysctlAndUlimitTests {
    // MARK: --sysctl

    @Test(arguments: [
        ("net.ipv4.ip_forward", "net/ipv4/ip_forward"), ("kernel.shmmax", "kernel/shmmax"),
        ("net.ipv4.conf.eth0/100.forwarding", "net/ipv4/conf/eth0.100/forwarding"), ("fs.mqueue.msg_max", "fs/mqueue/msg_max"),
    ])
    func aKeyIsAFileUnderProcSys(key: String, path: String) {
        #expect(Sysctl.path(of: key) == path)
    }

    @Test(arguments: [
        ("net.ipv4.ip_forward", Namespace?.some(.network)), ("kernel.shmmax", .ipc), ("kernel.shm_rmid_forced", .ipc),
        ("fs.mqueue.queues_max", .ipc), ("kernel.hostname", nil), ("kernel.panic", nil), ("vm.swappiness", nil), ("netfoo", nil),
    ])
    func onlyTheIPCAndNetworkNamespacesSettingsAreTheContainers(key: String, namespace: Namespace?) {
        #expect(Sysctl.namespace(of: key) == namespace)
    }

    @Test func aSettingIsKeyAndValueTheValueAsGiven() throws {
        let setting = try Sysctl.parse(docker: "net.ipv4.ip_local_port_range=1024 65000")
        #expect(setting.key == "net.ipv4.ip_local_port_range" && setting.value == "1024 65000")
        #expect(try Sysctl.parse(docker: "net.x=a=b").value == "a=b")
    }

    @Test(arguments: [
        ("kernel.panic=1", "sysctl 'kernel.panic=1' is not allowed"),
        ("net.ipv4.ip_forward", "sysctl 'net.ipv4.ip_forward' is not allowed"),
        ("=1", "sysctl '=1' is not allowed"),
        ("net..x=1", "'net..x' names no file under /proc/sys"),
        ("net.//.//.self.comm=1", "'net.//.//.self.comm' names no file under /proc/sys"),
        ("net./=1", "'net./' names no file under /proc/sys"),
    ])
    func settingsDockerRefusesAreRefused(text: String, reason: String) {
        #expect(throws: SandboxError("invalid argument \"\(text)\" for \"--sysctl\" flag: \(reason)")) {
            try Sysctl.parse(docker: text)
        }
    }

    /// runc's rule and words: a setting of a namespace shared with the host would change the host.
    @Test(arguments: [
        ("net.ipv4.ip_forward", Namespace.network, "sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace"),
        ("kernel.msgmax", .ipc, "sysctl \"kernel.msgmax\" is not allowed in the hosts ipc namespace"),
        ("fs.mqueue.msg_max", .ipc, "sysctl \"fs.mqueue.msg_max\" is not allowed in the hosts ipc namespace"),
    ])
    func aSettingOfANamespaceSharedWithTheHostIsRefused(key: String, shared: Namespace, message: String) throws {
        var run = RunSpec.sharing([shared])
        run.sysctls = [key: "1"]
        #expect(throws: SandboxError(message)) { try run.validate() }
        run.sysctls = ["kernel.panic": "1"]
        #expect(throws: SandboxError("sysctl \"kernel.panic\" is not in a separate kernel namespace")) { try run.validate() }
        run.namespaces = NamespaceSet()
        run.sysctls = [key: "1"]
        try run.validate()
    }

    // MARK: --ulimit

    @Test(arguments: [
        ("nofile=1024", 7, UInt64(1024), UInt64(1024)), ("nofile=1024:2048", 7, 1024, 2048), ("memlock=-1", 8, .max, .max),
        ("core=0:-1", 4, 0, .max), ("nproc=-1:-1", 6, .max, .max), ("rttime=5", 15, 5, 5), ("stack=8388608", 3, 8388608, 8388608),
    ] as [(String, Int32, UInt64, UInt64)])
    func limitsAreParsedAsDockers(text: String, resource: Int32, soft: UInt64, hard: UInt64) throws {
        #expect(try ResourceLimit(docker: text) == ResourceLimit(resource: resource, soft: soft, hard: hard))
    }

    @Test(arguments: [
        ("nofile", "invalid ulimit argument: nofile"),
        ("as=1", "invalid ulimit type: as"),
        ("NOFILE=1", "invalid ulimit type: NOFILE"),
        ("=1", "invalid ulimit type: "),
        ("nofile=", "strconv.ParseInt: parsing \"\": invalid syntax"),
        ("nofile=1.5", "strconv.ParseInt: parsing \"1.5\": invalid syntax"),
        ("nofile=1:2:3", "strconv.ParseInt: parsing \"2:3\": invalid syntax"),
        ("nofile=3:2", "ulimit soft limit must be less than or equal to hard limit: 3 > 2"),
        ("nofile=-1:2", "ulimit soft limit must be less than or equal to hard limit: -1 > 2"),
        ("nofile=-2", "invalid ulimit argument: nofile=-2"),
    ])
    func limitsDockerRefusesAreRefused(text: String, reason: String) {
        #expect(throws: SandboxError("invalid argument \"\(text)\" for \"--ulimit\" flag: \(reason)")) {
            try ResourceLimit(docker: text)
        }
    }

    @Test func aLimitIsNamedAsOCINamesIt() throws {
        #expect(try ResourceLimit(docker: "msgqueue=1").name == "RLIMIT_MSGQUEUE")
    }

    // MARK: Docker's mapping

    @Test func dockersFlagsBecomeTheSpecsWithDockersUmask() throws {
        var run = RunSpec(command: ["sh"])
        run.ulimits = [try ResourceLimit(docker: "nofile=10:20")]
        run.sysctls = ["net.ipv4.ip_forward": "1"]
        let spec = try ContainerSpec.docker(run)
        #expect(spec.process.rlimits == run.ulimits)
        #expect(spec.sysctls == run.sysctls)
        #expect(spec.process.umask == 0o022)
        #expect(spec.domainname == nil && spec.rootPropagation == nil && spec.process.oomScoreAdj == nil)
    }
}
