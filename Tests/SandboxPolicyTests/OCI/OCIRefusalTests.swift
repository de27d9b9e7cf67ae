import PolicyFixtures
import SandboxOCI
import Testing
@testable import SandboxPolicy

/// What a config asks that sandbox cannot honour: one line naming the field, before anything is made.
struct OCIRefusalTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let message: String
        let change: @Sendable (inout OCI.Config) -> Void
        var context = OCIFixtures.context()

        init(_ message: String, context: ContainerSpec.OCIContext = OCIFixtures.context(), _ change: @escaping @Sendable (inout OCI.Config) -> Void) {
            self.message = message
            self.context = context
            self.change = change
        }

        var testDescription: String { message }
    }

    static let userNamespace: @Sendable (inout OCI.Config) -> Void = { config in
        config.linux!.namespaces!.append(OCI.Namespace(.user))
        config.linux!.uidMappings = [OCI.IDMapping(containerID: 0, hostID: 100_000, size: 65536)]
        config.linux!.gidMappings = [OCI.IDMapping(containerID: 0, hostID: 100_000, size: 65536)]
    }

    static let process: [Case] = [
        Case("config.json: process: missing") { $0.process = nil },
        Case("config.json: process.args: needs at least the program") { $0.process!.args = [] },
        Case("config.json: process.cwd: \"tmp\" is not absolute") { $0.process!.cwd = "tmp" },
        Case("config.json: process.capabilities.bounding[3]: unknown capability \"CAP_NOPE\"") {
            $0.process!.capabilities!.bounding!.append("CAP_NOPE")
        },
        Case("config.json: process.capabilities.effective[0]: unknown capability \"chown\" (did you mean CAP_CHOWN?)") {
            $0.process!.capabilities!.effective = ["chown"]
        },
        Case("config.json: process.capabilities.effective[0]: CAP_CHOWN is not in the permitted set, as the kernel requires") {
            $0.process!.capabilities!.effective = ["CAP_CHOWN"]
        },
        Case("config.json: process.rlimits[1].type: RLIMIT_NOFILE is set twice") {
            $0.process!.rlimits!.append(OCI.RLimit(type: "RLIMIT_NOFILE", hard: 10, soft: 10))
        },
        Case("config.json: process.rlimits[1].type: unknown resource limit \"RLIMIT_NOPE\"") {
            $0.process!.rlimits!.append(OCI.RLimit(type: "RLIMIT_NOPE", hard: 10, soft: 10))
        },
        Case("config.json: process.rlimits[0]: the soft limit 2048 is above the hard limit 1024") { $0.process!.rlimits![0].soft = 2048 },
        Case("config.json: process.oomScoreAdj: 1001 is outside -1000 to 1000") { $0.process!.oomScoreAdj = 1001 },
        Case("config.json: process.consoleSize: 70000x80 is larger than a terminal can be (65535)") {
            $0.process!.consoleSize = OCI.ConsoleSize(height: 70000, width: 80)
        },
        Case("config.json: process.scheduler.nice: 25 is out of range -20 to 19") {
            $0.process!.scheduler = OCI.Scheduler(policy: .batch)
            $0.process!.scheduler!.nice = 25
        },
        Case("config.json: process.scheduler.priority: 0 is out of range 1-99 for SCHED_FIFO") { $0.process!.scheduler = OCI.Scheduler(policy: .fifo) },
        Case("config.json: process.scheduler.priority: only SCHED_FIFO and SCHED_RR take one, not SCHED_OTHER") {
            $0.process!.scheduler = OCI.Scheduler(policy: .other)
            $0.process!.scheduler!.priority = 5
        },
        Case("config.json: process.scheduler.policy: SCHED_ISO is not a policy of the Linux kernel") { $0.process!.scheduler = OCI.Scheduler(policy: .iso) },
        Case("config.json: process.scheduler.runtime: SCHED_DEADLINE needs one") { $0.process!.scheduler = OCI.Scheduler(policy: .deadline) },
        Case("config.json: process.scheduler.runtime: 2000000 ns is longer than the deadline, 1000000 ns") {
            $0.process!.scheduler = OCI.Scheduler(policy: .deadline)
            $0.process!.scheduler!.runtime = 2_000_000
            $0.process!.scheduler!.deadline = 1_000_000
        },
        Case("config.json: process.scheduler.period: only SCHED_DEADLINE takes one, not SCHED_BATCH") {
            $0.process!.scheduler = OCI.Scheduler(policy: .batch)
            $0.process!.scheduler!.period = 1_000_000
        },
        Case("config.json: process.scheduler.flags[0]: SCHED_FLAG_UTIL_CLAMP_MIN needs a clamp value, which the runtime spec cannot give") {
            $0.process!.scheduler = OCI.Scheduler(policy: .other)
            $0.process!.scheduler!.flags = [.utilizationClampMinimum]
        },
        Case("config.json: process.ioPriority.priority: 9 is out of range 0-7") {
            $0.process!.ioPriority = OCI.IOPriority(class: .bestEffort, priority: 9)
        },
        Case("config.json: process.execCPUAffinity.initial: \"0-\" is not a CPU list (such as 0-3,7)") {
            $0.process!.execCPUAffinity = OCI.CPUAffinity(initial: "0-")
        },
        Case("config.json: process.execCPUAffinity.final: CPU 4096 is beyond the 1024 a process can be given") {
            $0.process!.execCPUAffinity = OCI.CPUAffinity(final: "0,4096")
        },
        Case("config.json: process.user: uid 70000 is not mapped in the container's user namespace (mapped: 0-65535)") {
            userNamespace(&$0)
            $0.process!.user!.uid = 70000
        },
    ]

    static let linux: [Case] = [
        Case("config.json: root: missing") { $0.root = nil },
        Case("config.json: hostname: needs a uts namespace of the container's own (linux.namespaces has none)") {
            $0.linux!.namespaces!.removeAll { $0.type == .uts }
        },
        Case("config.json: linux.intelRdt: not supported") { $0.linux!.intelRdt = OCI.IntelRdt() },
        Case("config.json: linux.timeOffsets: needs a time namespace of the container's own (linux.namespaces has no \"time\")") {
            $0.linux!.timeOffsets = ["monotonic": OCI.TimeOffset(secs: 10)]
        },
        Case("config.json: linux.timeOffsets[\"realtime\"]: only monotonic and boottime can be offset") {
            $0.linux!.namespaces!.append(OCI.Namespace(.time))
            $0.linux!.timeOffsets = ["realtime": OCI.TimeOffset(secs: 10)]
        },
        Case("config.json: linux.timeOffsets[\"boottime\"].nanosecs: 1000000000 is out of range 0-999999999") {
            $0.linux!.namespaces!.append(OCI.Namespace(.time))
            $0.linux!.timeOffsets = ["boottime": OCI.TimeOffset(secs: 1, nanosecs: 1_000_000_000)]
        },
        Case("config.json: linux.personality.flags: not supported") {
            $0.linux!.personality = OCI.Personality(domain: .linux32)
            $0.linux!.personality!.flags = ["ADDR_NO_RANDOMIZE"]
        },
        Case("config.json: linux.namespaces[6].type: \"pid\" is listed twice (also at [0])") { $0.linux!.namespaces!.append(OCI.Namespace(.pid)) },
        Case("config.json: linux.namespaces: without a mount namespace of its own (type \"mount\") the container needs the host's user namespace: its root could not mount in the host's") {
            userNamespace(&$0)
            $0.linux!.namespaces!.removeAll { $0.type == .mount }
        },
        Case("config.json: linux.namespaces: without a mount namespace of its own (type \"mount\") the container's mounts are made on the host, which only root can do",
             context: OCIFixtures.context(caller: .init(uid: 1000, gid: 1000, isRoot: false))) {
            $0.linux!.namespaces!.removeAll { $0.type == .mount }
        },
        Case("config.json: linux.namespaces[4].path: a mount namespace joined by path needs the host's user namespace: the container's root could not mount in it") {
            userNamespace(&$0)
            $0.linux!.namespaces![4].path = "/proc/1/ns/mnt"
        },
        Case("config.json: linux.namespaces[1].path: \"proc/1/ns/net\" is not absolute") { $0.linux!.namespaces![1].path = "proc/1/ns/net" },
        Case("config.json: linux.namespaces[6]: this kernel has no time namespaces (Linux 5.6)",
             context: OCIFixtures.context(host: HostFacts(nodename: "h", lastCapability: 40, bounding: .all(through: 40), timeNamespaces: false))) {
            $0.linux!.namespaces!.append(OCI.Namespace(.time))
        },
        Case("config.json: linux.uidMappings: given without a user namespace (linux.namespaces has no \"user\")") {
            $0.linux!.uidMappings = [OCI.IDMapping(containerID: 0, hostID: 1000, size: 1)]
        },
        Case("config.json: linux.uidMappings: a new user namespace needs them") { $0.linux!.namespaces!.append(OCI.Namespace(.user)) },
        Case("config.json: linux.uidMappings[0]: host uids 100000-165535 are neither yours (uid 1000) nor in your subordinate ranges (/etc/subuid); only root can map them",
             context: OCIFixtures.context(caller: .init(uid: 1000, gid: 1000, isRoot: false)), userNamespace),
        Case("config.json: linux.sysctl[\"kernel.foo\"]: not in a namespace of the container's own: it would change the host") {
            $0.linux!.sysctl = ["kernel.foo": "1"]
        },
        Case(#"config.json: linux.sysctl["kernel.foo\n\"x\""]: not in a namespace of the container's own: it would change the host"#) {
            $0.linux!.sysctl = ["kernel.foo\n\"x\"": "1"]
        },
        Case("config.json: linux.sysctl[\"net.ipv4.ip_forward\"]: needs a network namespace of the container's own") {
            $0.linux!.sysctl = ["net.ipv4.ip_forward": "1"]
            $0.linux!.namespaces!.removeAll { $0.type == .network }
        },
        Case("config.json: linux.sysctl[\"kernel.hostname\"]: conflicts with the OCI \"hostname\" field; set that instead") {
            $0.linux!.sysctl = ["kernel.hostname": "x"]
        },
        Case("config.json: linux.devices[0].type: unknown device type \"s\" (b, c, u or p)") { $0.linux!.devices = [OCI.Device(path: "/dev/sock", type: "s")] },
        Case("config.json: linux.devices[0].major: missing") { $0.linux!.devices = [OCI.Device(path: "/dev/sda", type: "b")] },
        Case("config.json: hooks.prestart[0].path: \"hook\" is not absolute") {
            $0.hooks = OCI.Hooks()
            $0.hooks!.prestart = [OCI.Hook(path: "hook")]
        },
        Case("config.json: hooks.poststop[0].timeout: must be more than 0 seconds") {
            $0.hooks = OCI.Hooks()
            $0.hooks!.poststop = [OCI.Hook(path: "/bin/true", timeout: 0)]
        },
    ]

    static let mounts: [Case] = [
        Case("config.json: mounts[0].options[0]: unknown mount option \"nosiud\"") { $0.mounts![0].options = ["nosiud"] },
        Case("config.json: mounts[1].options[4]: \"tmpcopyup\": not supported (copying the image's files into the new tmpfs)") {
            $0.mounts![1].options!.append("tmpcopyup")
        },
        Case("config.json: mounts[7].type: missing (a bind mount has bind or rbind among its options)") {
            $0.mounts!.append(OCI.Mount(destination: "/data", source: "/srv"))
        },
        Case("config.json: mounts[7].source: a bind mount needs one") { $0.mounts!.append(OCI.Mount(destination: "/data", type: "bind")) },
        Case("config.json: mounts[7].destination: nothing can be mounted inside /proc but \(MountTable.mountableInProc.sorted().joined(separator: ", "))") {
            $0.mounts!.append(OCI.Mount(destination: "/proc/sys/kernel", type: "bind", source: "/srv", options: ["rbind"]))
        },
        Case("config.json: mounts[0].type: only proc, or a bind of one, can be mounted at /proc") { $0.mounts![0].type = "tmpfs" },
        Case("config.json: mounts[7].options[1]: an idmapped mount needs a new user namespace, whose maps it takes") {
            $0.mounts!.append(OCI.Mount(destination: "/data", type: "bind", source: "/srv", options: ["rbind", "idmap"]))
        },
        Case("config.json: mounts[7].options[1]: an idmapped mount needs sandbox to run as root",
             context: OCIFixtures.context(caller: .init(uid: 1000, gid: 1000, isRoot: false))) {
            $0.linux!.namespaces!.append(OCI.Namespace(.user))
            $0.linux!.uidMappings = [OCI.IDMapping(containerID: 0, hostID: 1000, size: 1)]
            $0.linux!.gidMappings = [OCI.IDMapping(containerID: 0, hostID: 1000, size: 1)]
            $0.mounts!.append(OCI.Mount(destination: "/data", type: "bind", source: "/srv", options: ["rbind", "idmap"]))
        },
        Case("config.json: mounts[7].uidMappings: only the container's own maps (linux.uidMappings) are supported") {
            userNamespace(&$0)
            var mount = OCI.Mount(destination: "/data", type: "bind", source: "/srv", options: ["rbind", "idmap"])
            mount.uidMappings = [OCI.IDMapping(containerID: 0, hostID: 200_000, size: 65536)]
            $0.mounts!.append(mount)
        },
        Case("config.json: mounts[0].options[0]: only a bind mount can be idmapped") { $0.mounts![0].options = ["idmap"] },
        Case("config.json: linux.maskedPaths[0]: \"proc/kcore\" is not absolute") { $0.linux!.maskedPaths![0] = "proc/kcore" },
    ]

    static let resources: [Case] = [
        Case("config.json: linux.resources.devices[2]: denies part of the allowance \"c 1:* rwm\", which is not supported; allow less instead") {
            $0.linux!.resources!.devices! += [.init(allow: true, type: "c", major: 1, access: "rwm"),
                                              .init(allow: false, type: "c", major: 1, minor: 3, access: "w")]
        },
        Case("config.json: linux.resources.devices[1]: a deny after every device was allowed is not supported; deny everything, then allow") {
            $0.linux!.resources!.devices = [.init(allow: true, access: "rwm"), .init(allow: false, type: "c", major: 1, minor: 3, access: "rwm")]
        },
        Case("config.json: linux.resources.devices[0].access: missing") { $0.linux!.resources!.devices = [.init(allow: false)] },
        Case("config.json: linux.resources.devices[0].type: unknown device type \"p\" (a, b or c)") {
            $0.linux!.resources!.devices = [.init(allow: false, type: "p", access: "rwm")]
        },
        Case("config.json: linux.resources.memory.swap: needs memory.limit") {
            $0.linux!.resources!.memory = OCI.Resources.Memory()
            $0.linux!.resources!.memory!.swap = 1 << 20
        },
        Case("config.json: linux.resources.memory.swap: 33554432 is less than memory.limit, 67108864: it counts memory and swap together") {
            $0.linux!.resources!.memory = OCI.Resources.Memory()
            $0.linux!.resources!.memory!.limit = 64 << 20
            $0.linux!.resources!.memory!.swap = 32 << 20
        },
        Case("config.json: linux.resources.memory.swappiness: 101 is outside 0 to 100") {
            $0.linux!.resources!.memory = OCI.Resources.Memory()
            $0.linux!.resources!.memory!.swappiness = 101
        },
        Case("config.json: linux.resources.cpu.realtimeRuntime: not supported") {
            $0.linux!.resources!.cpu = OCI.Resources.CPU()
            $0.linux!.resources!.cpu!.realtimeRuntime = 1000
        },
        Case("config.json: linux.resources.cpu.quota: 500 is less than 1000 (1 ms) and not -1 (unlimited)") {
            $0.linux!.resources!.cpu = OCI.Resources.CPU()
            $0.linux!.resources!.cpu!.quota = 500
        },
        Case("config.json: linux.resources.cpu.cpus: invalid format: 1-") {
            $0.linux!.resources!.cpu = OCI.Resources.CPU()
            $0.linux!.resources!.cpu!.cpus = "1-"
        },
        Case("config.json: linux.resources.blockIO.leafWeight: not supported by Linux 5.0 and later") {
            $0.linux!.resources!.blockIO = OCI.Resources.BlockIO()
            $0.linux!.resources!.blockIO!.leafWeight = 100
        },
        Case("config.json: linux.resources.blockIO.weight: 5 is outside 10 to 1000") {
            $0.linux!.resources!.blockIO = OCI.Resources.BlockIO()
            $0.linux!.resources!.blockIO!.weight = 5
        },
        Case("config.json: linux.resources.hugepageLimits[0].pageSize: \"2M\" is not a page size such as 2MB") {
            $0.linux!.resources!.hugepageLimits = [.init(pageSize: "2M", limit: 1 << 21)]
        },
        Case("config.json: linux.resources.unified[\"a/b\"]: not the name of a cgroup file") { $0.linux!.resources!.unified = ["a/b": "1"] },
    ]

    static let seccomp: [Case] = [
        Case("config.json: linux.seccomp.listenerPath: \"run/listener.sock\" is not absolute") {
            $0.linux!.seccomp = OCI.Seccomp(defaultAction: .allow)
            $0.linux!.seccomp!.listenerPath = "run/listener.sock"
        },
        Case("config.json: linux.seccomp.listenerMetadata: given without linux.seccomp.listenerPath") {
            $0.linux!.seccomp = OCI.Seccomp(defaultAction: .allow)
            $0.linux!.seccomp!.listenerMetadata = "x"
        },
        Case("config.json: linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY needs a listener, and linux.seccomp.listenerPath names none") {
            $0.linux!.seccomp = OCI.Seccomp(defaultAction: .allow)
            $0.linux!.seccomp!.syscalls = [.init(names: ["mkdir"], action: .notify)]
        },
        Case("config.json: linux.seccomp.syscalls[1]: SCMP_ACT_ERRNO names \"nosuchsyscall\", which this libseccomp does not know; refusing to run without the block") {
            $0.linux!.seccomp = OCI.Seccomp(defaultAction: .allow)
            $0.linux!.seccomp!.syscalls = [.init(names: ["mkdir"], action: .errno), .init(names: ["nosuchsyscall"], action: .errno)]
        },
        Case("config.json: linux.seccomp.syscalls[0].args[0].index: 6 is past 5, the last argument") {
            $0.linux!.seccomp = OCI.Seccomp(defaultAction: .allow)
            $0.linux!.seccomp!.syscalls = [.init(names: ["mkdir"], action: .errno, args: [.init(index: 6, value: 0, op: .equal)])]
        },
    ]

    @Test(arguments: process + linux + mounts + resources + seccomp)
    func refused(_ refusal: Case) {
        #expect(OCIFixtures.refusal(OCIFixtures.defaultSpec(refusal.change), context: refusal.context) == refusal.message)
    }

    /// The starting point of every case maps: each refusal is the change's doing.
    @Test func defaultSpecMaps() throws {
        let (spec, warnings) = try OCIFixtures.map(OCIFixtures.defaultSpec())
        #expect(warnings.isEmpty)
        #expect(spec.process.args == ["sh"] && spec.process.terminal && spec.hostname == "sandbox")
        #expect(spec.root == ContainerSpec.Root(path: "/bundles/one/rootfs", layout: .bind, readOnly: true))
    }
}
