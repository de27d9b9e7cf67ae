import Testing
@testable import SandboxLinux
@testable import SandboxPolicy

/// A notified syscall is named and decided on its own architecture, as the kernel's filter decides it.
struct SeccompArchitectureTests {
    /// The kernel's AUDIT_ARCH_* values, which seccomp_data.arch carries (linux/audit.h; Swift imports none).
    static let auditArch: [String: UInt32] = ["x86_64": 0xC000_003E, "x86": 0x4000_0003, "aarch64": 0xC000_00B7]

    static let names: [(arch: UInt32, number: Int32, architecture: String?, name: String?)] = [
        (auditArch["x86"]!, 120, "x86", "clone"),
        (auditArch["x86_64"]!, 120, "x86_64", "getresgid"),
        (auditArch["x86_64"]!, 0x4000_0000 | 56, "x32", "clone"),
        (auditArch["x86_64"]!, -1, "x86_64", nil), // a tracer's skipped syscall, not x32's
        (auditArch["aarch64"]!, 220, "aarch64", "clone"),
        (0x1234, 1, nil, nil),
    ]

    @Test(arguments: names)
    func syscallIsNamedOnItsOwnArchitecture(arch: UInt32, number: Int32, architecture: String?, name: String?) {
        let syscall = SeccompCompiler.syscall(arch: arch, number: number, arguments: [])
        #expect(syscall.architecture == architecture && syscall.name == name)
    }

    static func defaultFilter() throws -> SeccompFilter {
        try SeccompFilter(profile: SeccompProfileFile.load("default"), bounding: SeccompProfileTests.defaultCapabilities,
                          host: SeccompProfileTests.host())
    }

    static func syscall(_ arch: String, _ number: Int32, _ arguments: [UInt64] = []) -> SeccompFilter.Syscall {
        SeccompCompiler.syscall(arch: auditArch[arch]!, number: number, arguments: arguments)
    }

    static let cloneNewUser: UInt64 = 0x1000_0000 | 17 // CLONE_NEWUSER | SIGCHLD

    @Test func defaultProfileDecidesI386AndX32SyscallsByTheirNames() throws {
        let filter = try Self.defaultFilter()
        #expect(filter.architectures == ["x86_64", "x86", "x32"])
        #expect(filter.decide(Self.syscall("x86", 120, [Self.cloneNewUser])) == .errno(1))
        #expect(filter.decide(Self.syscall("x86", 120, [17])) == .allow)
        #expect(filter.decide(Self.syscall("x86_64", 0x4000_0000 | 56, [Self.cloneNewUser])) == .errno(1))
        #expect(filter.decide(Self.syscall("x86", 310, [0x1000_0000])) == .errno(1)) // i386 unshare
        // What the same numbers name natively, which sandbox used to decide instead.
        #expect(filter.decide(Self.syscall("x86_64", 120, [Self.cloneNewUser])) == .allow)
    }

    @Test func anArchitectureTheFilterDoesNotCoverIsKilledAndAnUnnamedNumberGetsTheDefault() throws {
        let filter = try Self.defaultFilter()
        #expect(filter.decide(Self.syscall("aarch64", 220, [17])) == .killThread)
        #expect(filter.decide(.init(architecture: nil, name: nil, number: 1, arguments: [])) == .killThread)
        #expect(filter.decide(Self.syscall("x86_64", 999)) == .errno(1))
        let nativeOnly = SeccompProfile(defaultAction: .allow, syscalls: [.init(names: ["mkdir"], action: .errno)])
        let native = try SeccompFilter(profile: nativeOnly, bounding: SeccompProfileTests.defaultCapabilities, host: SeccompProfileTests.host())
        #expect(native.architectures == ["x86_64"])
        #expect(native.decide(Self.syscall("x86", 20)) == SeccompFilter.badArchitecture)
        #expect(native.decide(Self.syscall("x86_64", 0x4000_0000 | 39)) == SeccompFilter.badArchitecture)
    }

    /// libseccomp's 32-bit filters compare the low halves: personality(0x1_0000_0000) is personality(0) there.
    @Test func aThirtyTwoBitArchitectureComparesTheLowHalvesOnly() throws {
        let filter = try Self.defaultFilter()
        #expect(filter.decide(Self.syscall("x86", 136, [0x1_0000_0000])) == .allow)
        #expect(filter.decide(Self.syscall("x86_64", 135, [0x1_0000_0000])) == .errno(1))
    }

    @Test func traceWatchesTheDefaultProfilesArchitecturesAndListsThoseUsed() throws {
        let trace = SeccompTraceSupervisor()
        let watched = trace.filter(for: try Self.defaultFilter(), host: SeccompProfileTests.host())
        #expect(watched.architectures == ["x86_64", "x86", "x32"] && watched.defaultDecision == .notify && watched.rules.isEmpty)
        #expect(trace.decide(Self.syscall("x86_64", 39), pid: 0) == (true, 0))
        #expect(trace.architectures == ["x86_64"])
        #expect(trace.decide(Self.syscall("x86", 20), pid: 0) == (true, 0))
        #expect(trace.architectures == ["x86_64", "x86"] && trace.syscalls == ["getpid"])
        #expect(trace.profileJSON.contains(#""architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"]"#))
        let profile = try SeccompProfileFile.parse(trace.profileJSON, source: "traced")
        #expect(profile.architectures == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"] && profile.syscalls.map(\.names) == [["getpid"]])
    }
}
