import SandboxJSON
import Testing
@testable import SandboxLinux

/// What `seccomp test --json` prints.
struct SeccompTestSupervisorTests {
    /// A denial's keys alphabetically, as `seccomp test --json` has always printed them; what is unknown is left out.
    @Test func aDenialListsItsKeysAlphabetically() throws {
        let denials = [SeccompTestSupervisor.Denial(syscall: "mkdir", architecture: "x86_64", count: 2, action: "SCMP_ACT_ERRNO", errno: 1),
                       SeccompTestSupervisor.Denial(syscall: "syscall 1234", architecture: nil, count: 1, action: "SCMP_ACT_KILL_PROCESS", errno: nil)]
        #expect(try JSON.encode(denials) == """
            [
              {
                "action": "SCMP_ACT_ERRNO",
                "architecture": "x86_64",
                "count": 2,
                "errno": 1,
                "syscall": "mkdir"
              },
              {
                "action": "SCMP_ACT_KILL_PROCESS",
                "count": 1,
                "syscall": "syscall 1234"
              }
            ]

            """)
    }
}
