import PolicyFixtures
import SandboxJSON
import SandboxOCI
import Testing
@testable import SandboxPolicy

/// What `sandbox exec` runs: the container's process unless the flags say otherwise, or an engine's
/// process.json taken whole; decided without the host.
struct ExecSpecTests {
    static let passwd = "root:x:0:0:root:/root:/bin/sh\nuser:x:1000:1000::/home/user:/bin/sh\n"
    static let group = "root:x:0:\nwheel:x:10:user\n"
    static let context = ExecSpec.Context(host: ContainerSpec.host, passwd: passwd, group: group, userNamespace: Fixtures.rootRemap)

    /// A container run as `sandbox run -t --security-opt no-new-privileges ... sh` would record it.
    static let container: ContainerProcess = {
        var run = RunSpec(command: ["sh"])
        run.tty = true
        run.noNewPrivileges = true
        try! run.environment.add("A=1", host: [:])
        var process = try! ContainerSpec.docker(run, passwd: passwd).process
        process.umask = 0o027
        process.rlimits = [ResourceLimit(resource: 7, soft: 1024, hard: 1024)]
        return process
    }()

    static func exec(_ change: (inout ExecSpec) throws -> Void) throws -> ContainerProcess {
        var spec = ExecSpec()
        spec.command = ["ps"]
        try change(&spec)
        try spec.validate()
        return try spec.process(joining: container, context: context)
    }

    @Test func theContainersProcessIsTheDefault() throws {
        let process = try Self.exec { _ in }
        #expect(process.args == ["ps"])
        #expect(process.environment == Self.container.environment)
        #expect(process.cwd == Self.container.cwd)
        #expect(process.user == Self.container.user)
        #expect(process.capabilities == Self.container.capabilities)
        #expect(process.noNewPrivileges && !process.terminal && !process.initProcess)
        #expect(process.umask == 0o027 && process.rlimits == Self.container.rlimits)
    }

    @Test func userEnvironmentAndWorkdir() throws {
        let process = try Self.exec { spec in
            spec.user = try UserSpec(parsing: "user")
            spec.additionalGroups = [20, 10]
            try spec.environment.add("A=2", host: [:])
            try spec.environment.add("B=3", host: [:])
            spec.workdir = "/tmp//x/../y"
            spec.tty = true
        }
        #expect(process.user == UserSpec.Resolved(uid: 1000, gid: 1000, supplementaryGroups: [10, 20], home: "/home/user"))
        #expect(process.environment.contains("A=2") && process.environment.contains("B=3") && !process.environment.contains("A=1"))
        #expect(process.environment.contains("HOME=/home/user") && process.environment.contains("TERM=xterm"))
        #expect(process.cwd == "/tmp/y" && process.terminal)
        // The container's sets stay: the kernel leaves a non-root user none of them after execve.
        #expect(process.capabilities == Self.container.capabilities)
    }

    @Test func privilegedAndAddedCapabilities() throws {
        let privileged = try Self.exec { $0.privileged = true }
        #expect(privileged.capabilities.bounding == .all(through: 40) && privileged.capabilities.effective == .all(through: 40))
        #expect(privileged.noNewPrivileges)

        let added = try Self.exec { spec in
            spec.user = UserSpec(user: "1000")
            spec.addedCapabilities = ["net_admin"]
        }
        let netAdmin = CapabilityMask([Capability(12)])
        #expect(added.capabilities.bounding == Self.container.capabilities.bounding.union(netAdmin))
        #expect(added.capabilities.ambient == netAdmin && added.capabilities.inheritable == netAdmin)
        #expect(throws: SandboxError("unknown capability \"NET_ADMINN\" in --cap: did you mean NET_ADMIN?")) {
            try Self.exec { $0.addedCapabilities = ["NET_ADMINN"] }
        }
    }

    @Test func refused() {
        let cases: [((inout ExecSpec) -> Void, String)] = [
            ({ $0.workdir = "tmp" }, "the working directory \"tmp\" is invalid: it needs to be an absolute path"),
            ({ $0.command = [] }, "exec needs a command to run, or --process"),
            ({ $0.ociProcess = OCI.Process(cwd: "/", args: ["true"]) }, "--process describes the whole process: a command cannot be given with it"),
            ({ $0.user = UserSpec(user: "ghost") }, "unable to find user ghost: no matching entries in the container's /etc/passwd"),
            ({ $0.user = UserSpec(user: "70000") }, "uid 70000 is not mapped in the container's user namespace (mapped: 0-65535)"),
        ]
        for (change, message) in cases {
            #expect(throws: SandboxError(message)) { try Self.exec(change) }
        }
    }

    static func oci(_ json: String) throws -> ContainerProcess {
        var spec = ExecSpec()
        spec.ociProcess = try JSON.decode(OCI.Process.self, from: json, document: "process.json")
        try spec.validate()
        return try spec.process(joining: container, context: context)
    }

    @Test func anEnginesProcessIsTakenWhole() throws {
        let process = try Self.oci("""
            {"user": {"uid": 1000, "gid": 5, "additionalGids": [10, 10], "umask": 18}, "args": ["sh"], "cwd": "/srv",
             "env": ["PATH=/bin"], "terminal": true, "noNewPrivileges": false, "oomScoreAdj": 100,
             "capabilities": {"bounding": ["CAP_CHOWN", "CAP_KILL"], "permitted": ["CAP_KILL"], "effective": ["CAP_KILL"]},
             "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 10, "hard": 20}]}
            """)
        #expect(process.user == UserSpec.Resolved(uid: 1000, gid: 5, supplementaryGroups: [10], home: "/home/user"))
        #expect(process.environment == ["PATH=/bin", "HOME=/home/user"])
        #expect(process.cwd == "/srv" && process.terminal && !process.noNewPrivileges && process.oomScoreAdj == 100)
        #expect(process.umask == 18 && process.rlimits == [ResourceLimit(resource: 7, soft: 10, hard: 20)])
        #expect(process.capabilities == CapabilityPolicy.Sets(
            bounding: CapabilityMask(rawValue: 0x21), permitted: CapabilityMask(rawValue: 0x20), effective: CapabilityMask(rawValue: 0x20),
            inheritable: CapabilityMask(rawValue: 0), ambient: CapabilityMask(rawValue: 0)))
    }

    @Test(arguments: [
        (#"{"cwd": "/"}"#, "process.json: args: needs at least the program"),
        (#"{"cwd": "srv", "args": ["sh"]}"#, "process.json: cwd: \"srv\" is not absolute"),
        (#"{"cwd": "/", "args": ["sh"], "selinuxLabel": "x"}"#, "process.json: selinuxLabel: not supported"),
        (#"{"cwd": "/", "args": ["sh"], "capabilities": {"bounding": ["NET_ADMIN"]}}"#,
         "process.json: capabilities.bounding[0]: unknown capability \"NET_ADMIN\""),
        (#"{"cwd": "/", "args": ["sh"], "capabilities": {"effective": ["CAP_KILL"]}}"#,
         "process.json: capabilities.effective: CAP_KILL is not in the permitted set, as the kernel requires"),
        (#"{"cwd": "/", "args": ["sh"], "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 2, "hard": 1}]}"#,
         "process.json: rlimits[0]: the soft limit 2 is above the hard limit 1"),
        (#"{"cwd": "/", "args": ["sh"], "user": {"uid": 70000}}"#,
         "process.json: user: uid 70000 is not mapped in the container's user namespace (mapped: 0-65535)"),
        (#"{"cwd": "/", "args": ["sh"], "ioPriority": {"class": "IOPRIO_CLASS_RT", "priority": -1}}"#,
         "process.json: ioPriority.priority: -1 is out of range 0-7"),
    ])
    func anEnginesProcessIsRefusedNamingTheField(json: String, message: String) {
        #expect(throws: SandboxError(message)) { try Self.oci(json) }
    }
}
