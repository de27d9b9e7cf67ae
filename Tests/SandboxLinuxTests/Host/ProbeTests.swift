import SandboxJSON
import Testing
@testable import SandboxLinux

/// What `probe --json` prints.
struct ProbeTests {
    /// Every object's keys alphabetically, as `probe --json` has always printed them; paths keep their slashes.
    @Test func jsonListsKeysAlphabetically() throws {
        let probe = Probe(
            uid: "0 0 0 0", gid: "0 0 0 0", groups: "", namespaces: ["user": "user:[4026532201]", "pid": "pid:[4026532204]"],
            uidMap: ["0 100000 65536"], gidMap: ["0 100000 65536"],
            capabilities: .init(inheritable: [], permitted: ["KILL"], effective: ["KILL"], bounding: ["CHOWN", "KILL"], ambient: []),
            seccomp: .init(mode: 2, filters: 1), noNewPrivileges: true, cgroupLimits: ["pids": "max", "memory": "max"],
            maskedPaths: ["/proc/kcore": "masked", "/proc/acpi": "absent"])
        #expect(try JSON.encode(probe) == """
            {
              "capabilities": {
                "ambient": [],
                "bounding": [
                  "CHOWN",
                  "KILL"
                ],
                "effective": [
                  "KILL"
                ],
                "inheritable": [],
                "permitted": [
                  "KILL"
                ]
              },
              "cgroupLimits": {
                "memory": "max",
                "pids": "max"
              },
              "gid": "0 0 0 0",
              "gidMap": [
                "0 100000 65536"
              ],
              "groups": "",
              "maskedPaths": {
                "/proc/acpi": "absent",
                "/proc/kcore": "masked"
              },
              "namespaces": {
                "pid": "pid:[4026532204]",
                "user": "user:[4026532201]"
              },
              "noNewPrivileges": true,
              "seccomp": {
                "filters": 1,
                "mode": 2
              },
              "uid": "0 0 0 0",
              "uidMap": [
                "0 100000 65536"
              ]
            }

            """)
    }
}
