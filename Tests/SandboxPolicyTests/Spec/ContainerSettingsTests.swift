import Testing
@testable import SandboxPolicy

/// What a container was made with, kept for `inspect`: its limits as `update` last left them.
struct ContainerSettingsTests {
    @Test func recordedLimitsFollowUpdate() throws {
        var limits = ContainerSettings.Limits()
        limits.merge(try ResourceLimits(memory: "64m", cpus: "1.5", host: HostResources(onlineCPUs: try CPUList(parsing: "0-3"),
                                                                                         onlineNodes: try CPUList(parsing: "0"))))
        #expect(limits.memory == 64 << 20)
        #expect(limits.nanoCPUs == 1_500_000_000)
        limits.merge(try ResourceLimits(pidsLimit: "10", host: HostResources(onlineCPUs: try CPUList(parsing: "0-3"),
                                                                             onlineNodes: try CPUList(parsing: "0"))))
        #expect(limits.memory == 64 << 20)
        #expect(limits.pidsLimit == 10)
    }
}
