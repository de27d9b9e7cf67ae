import SandboxJSON
import Testing
@testable import SandboxOCI

/// The OCI types as the spec declares them: unknown properties ignored, known ones strict, every failure one
/// line with its place.
struct DecodingTests {
    static func decode(_ json: String) throws(JSON.DocumentError) -> OCI.Config {
        try JSON.decode(OCI.Config.self, from: json, document: "config.json")
    }

    /// The error a document gives, or nil when it decodes.
    static func failure(_ json: String) -> String? {
        do {
            _ = try decode(json)
            return nil
        } catch {
            return error.description
        }
    }

    static let minimal = #"{"ociVersion": "1.2.1", "process": {"cwd": "/", "args": ["sh"]}}"#

    @Test func unknownPropertiesAreIgnoredAtEveryLevel() throws {
        let config = try Self.decode("""
            {"ociVersion": "1.2.1", "windows": {"layerFolders": ["C:\\\\layers"]}, "vm": {"kernel": {"path": "/k"}},
             "com.example.extension": [1, {"x": null}],
             "process": {"cwd": "/", "args": ["sh"], "futureField": {"deep": [true]},
                         "user": {"uid": 0, "gid": 0, "sid": "S-1-5"}},
             "linux": {"netDevices": {"eth0": {}}, "memoryPolicy": {"mode": "MPOL_BIND"},
                       "resources": {"memory": {"limit": 1, "future": "x"}}}}
            """)
        var expected = try Self.decode(Self.minimal)
        expected.process?.user = OCI.User(uid: 0, gid: 0)
        expected.linux = OCI.Linux()
        expected.linux?.resources = OCI.Resources()
        expected.linux?.resources?.memory = OCI.Resources.Memory()
        expected.linux?.resources?.memory?.limit = 1
        #expect(config == expected)
    }

    /// Go reads `null` as absent, and engines write it (`"args": null` in containers/common's seccomp rules).
    @Test func nullReadsAsAbsent() throws {
        let config = try Self.decode("""
            {"ociVersion": "1.2.1", "hostname": null, "mounts": null,
             "linux": {"seccomp": {"defaultAction": "SCMP_ACT_ALLOW",
                                   "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "args": null}]}}}
            """)
        #expect(config.hostname == nil && config.mounts == nil)
        #expect(config.linux?.seccomp?.syscalls == [OCI.Seccomp.Syscall(names: ["mkdir"], action: .errno)])
    }

    /// A known property with the wrong kind of value, a number that does not fit, a required one missing, an
    /// unknown token: each one line naming the JSON path and what was wrong.
    @Test(arguments: [
        (#""process": {"cwd": "/", "capabilities": {"bounding": ["CAP_KILL", "CAP_CHOWN", 7]}}"#,
         "process.capabilities.bounding[2]: expected a string, found a number"),
        (#""process": {"cwd": "/", "user": {"uid": -1, "gid": 0}}"#,
         "process.user.uid: expected an integer from 0 to 4294967295, found -1"),
        (#""process": {"cwd": "/", "user": {"uid": 4294967296}}"#,
         "process.user.uid: expected an integer from 0 to 4294967295, found 4294967296"),
        (#""process": {"cwd": "/", "user": {"additionalGids": [1, "2"]}}"#,
         "process.user.additionalGids[1]: expected a non-negative integer, found a string"),
        (#""process": {"cwd": "/", "terminal": "yes"}"#, "process.terminal: expected true or false, found a string"),
        (#""process": {"cwd": "/", "oomScoreAdj": 1.5}"#, "process.oomScoreAdj: expected an integer, found 1.5"),
        (#""process": {"args": ["sh"]}"#, "process.cwd: missing"),
        (#""process": {"cwd": "/", "rlimits": [{"type": "RLIMIT_NOFILE", "soft": 1}]}"#, "process.rlimits[0].hard: missing"),
        (#""process": {"cwd": "/", "scheduler": {"policy": "SCHED_FAST"}}"#,
         #"process.scheduler.policy: unknown scheduler policy "SCHED_FAST" (known: SCHED_OTHER, SCHED_FIFO, SCHED_RR, SCHED_BATCH, SCHED_ISO, SCHED_IDLE, SCHED_DEADLINE)"#),
        (#""mounts": {"destination": "/proc"}"#, "mounts: expected an array, found an object"),
        (#""mounts": [{"destination": "/proc", "options": "ro"}]"#, "mounts[0].options: expected an array, found a string"),
        (#""hooks": {"poststop": [{"path": "/bin/x", "timeout": "5"}]}"#,
         "hooks.poststop[0].timeout: expected an integer, found a string"),
        (#""annotations": {"io.podman.annotations.init": false}"#,
         #"annotations["io.podman.annotations.init"]: expected a string, found a boolean"#),
        (#""linux": {"namespaces": [{"type": "pid"}, {"type": "net"}]}"#,
         #"linux.namespaces[1].type: unknown namespace type "net" (known: mount, pid, network, uts, ipc, user, cgroup, time)"#),
        (#""linux": {"resources": {"memory": {"limit": "64m"}}}"#,
         "linux.resources.memory.limit: expected an integer, found a string"),
        (#""linux": {"resources": {"memory": {"limit": 9223372036854775808}}}"#,
         "linux.resources.memory.limit: expected an integer from -9223372036854775808 to 9223372036854775807, found 9223372036854775808"),
        (#""linux": {"resources": {"pids": {}}}"#, "linux.resources.pids.limit: missing"),
        (#""linux": {"resources": {"devices": [{"allow": false, "major": -1.0}]}}"#,
         "linux.resources.devices[0].major: expected an integer, found -1.0"),
        (#""linux": {"resources": {"rdma": {"mlx5_1": {"hcaHandles": -3}}}}"#,
         "linux.resources.rdma.mlx5_1.hcaHandles: expected an integer from 0 to 4294967295, found -3"),
        (#""linux": {"seccomp": {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": null, "action": "SCMP_ACT_ALLOW"}]}}"#,
         "linux.seccomp.syscalls[0].names: expected an array, found null"),
        (#""linux": {"seccomp": {"syscalls": []}}"#, "linux.seccomp.defaultAction: missing"),
        (#""linux": {"seccomp": {"defaultAction": 0}}"#, "linux.seccomp.defaultAction: expected a string, found a number"),
        (#""linux": {"sysctl": {"net.ipv4.ip_forward": 1}}"#,
         #"linux.sysctl["net.ipv4.ip_forward"]: expected a string, found a number"#),
        (#""linux": {"timeOffsets": {"monotonic": {"secs": "1"}}}"#,
         "linux.timeOffsets.monotonic.secs: expected an integer, found a string"),
        (#""linux": null, "root": []"#, "root: expected an object, found an array"),
    ])
    func wrongValueNamesItsPath(members: String, message: String) {
        #expect(Self.failure(#"{"ociVersion": "1.2.1", "# + members + "}") == "config.json: " + message)
    }

    /// The document as a whole: its syntax is the JSON library's to check (SandboxJSONTests).
    @Test(arguments: [
        ("[]", "config.json: expected an object, found an array"),
        ("{}", "config.json: ociVersion: missing"),
        (#"{"ociVersion": 1.2}"#, "config.json: ociVersion: expected a string, found a number"),
        ("", "config.json: invalid JSON at line 1, column 1: expected a value"),
    ])
    func brokenDocumentNamesItsPlace(json: String, message: String) {
        #expect(Self.failure(json) == message)
    }
}
