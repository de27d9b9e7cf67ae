import Foundation
import PolicyFixtures
import Testing
@testable import SandboxLinux
@testable import SandboxPolicy

/// The two dialects of Docker-format profiles, and Docker's loading rules.
struct SeccompProfileTests {
    /// Docker's own default profile, in `shared/compat` above the checkout: not part of the repository, so the
    /// tests that compare against it are skipped, saying so, where it is missing.
    static let moby = OCIFixtures.compat.appendingPathComponent("moby-default-seccomp.json").path
    static let hasMoby = FileManager.default.fileExists(atPath: moby)

    static func host(_ architecture: String = "x86_64") -> SeccompFilter.Host {
        let native = SeccompCompiler.host()
        return SeccompFilter.Host(architecture: architecture, kernel: (6, 1), knows: native.knows)
    }

    static var defaultCapabilities: CapabilityMask {
        get throws { try CapabilityPolicy().resolve(lastCapability: 40, available: .all(through: 40), rootUser: true).bounding }
    }

    @Test func containersCommonDialectParses() throws {
        let profile = try SeccompProfileFile.parse("""
            { "defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 38, "defaultErrno": "ENOSYS",
              "syscalls": [
                { "names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1, "errno": "EPERM", "args": null,
                  "includes": {}, "excludes": {} },
                { "names": ["personality"], "action": "SCMP_ACT_ALLOW",
                  "args": [{ "index": 0, "value": 8, "valueTwo": 0, "op": "SCMP_CMP_EQ" }], "includes": {}, "excludes": {} } ] }
            """, source: "test")
        #expect(profile.defaultErrnoRet == 38)
        #expect(profile.syscalls[0].args.isEmpty && profile.syscalls[0].errnoRet == 1)
        #expect(profile.syscalls[1].args == [SeccompProfile.Argument(index: 0, value: 8, op: .equal)])
    }

    /// A profile is read as every JSON document is: one line naming it, then where its text or a value is wrong.
    @Test(arguments: [
        ("{\n  \"defaultAction\": \"SCMP_ACT_ALLOW\",\n}", "invalid JSON at line 3, column 1: expected a member name in double quotes"),
        ("[]", "expected an object, found an array"),
        (#"{"syscalls": []}"#, "defaultAction: missing"),
        (#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errno": "EWHAT"}]}"#,
         #"syscalls[0].errno: unknown errno "EWHAT""#),
        (#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": -1}]}"#,
         "syscalls[0].errnoRet: expected an integer from 0 to 4294967295, found -1"),
        (#"{"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"action": "SCMP_ACT_ERRNO"}]}"#, "syscalls[0].names: a rule needs name or names"),
    ])
    func aBrokenProfileIsOneLineNamingItsPlace(text: String, message: String) {
        #expect(throws: SandboxError("seccomp profile p.json: " + message)) { try SeccompProfileFile.parse(text, source: "p.json") }
    }

    @Test func ruleWithTheDefaultActionIsSkipped() throws {
        let profile = SeccompProfile(defaultAction: .errno, defaultErrnoRet: 1, syscalls: [
            .init(names: ["mkdir"], action: .errno), .init(names: ["rmdir"], action: .errno, errnoRet: 38),
        ])
        let filter = try SeccompFilter(profile: profile, bounding: Self.defaultCapabilities, host: Self.host())
        #expect(filter.rules.map(\.syscall) == ["rmdir"])
    }

    @Test func conditionsOnOneArgumentAreAlternativesAndOnDistinctOnesAllHold() throws {
        let profile = SeccompProfile(defaultAction: .errno, syscalls: [
            .init(names: ["socket"], action: .allow, args: [
                .init(index: 0, value: 1, op: .equal), .init(index: 0, value: 2, op: .equal), .init(index: 1, value: 3, op: .equal),
            ]),
        ])
        let filter = try SeccompFilter(profile: profile, bounding: Self.defaultCapabilities, host: Self.host())
        #expect(filter.rules.map { $0.conditions.map(\.value) } == [[1, 3], [2, 3]])
        #expect(filter.decide("socket", arguments: [2, 3]) == .allow)
        #expect(filter.decide("socket", arguments: [2, 4]) == .errno(1))
    }

    /// Found while writing the fuzz target: each choice of one condition per argument is a rule, so 48
    /// conditions made 262144 rules a syscall, and `sandbox run` hung. A filter of more than 4096 rules
    /// cannot load (4096 instructions at most): it is refused, before a single rule is made.
    @Test(arguments: [(["personality"], 4, true), (["personality", "socket"], 4, false), (["personality"], 8, false)])
    func alternativesBeyondWhatAFilterHoldsAreRefused(names: [String], conditionsPerArgument: Int, loads: Bool) throws {
        let arguments = (0..<6).flatMap { index in
            (0..<conditionsPerArgument).map { SeccompProfile.Argument(index: UInt32(index), value: UInt64($0), op: .equal) }
        }
        let profile = SeccompProfile(defaultAction: .allow, syscalls: [.init(names: names, action: .errno, args: arguments)])
        if loads {
            #expect(try SeccompFilter(profile: profile, bounding: Self.defaultCapabilities, host: Self.host()).rules.count == 4096)
        } else {
            let error = #expect(throws: SandboxError.self) {
                try SeccompFilter(profile: profile, bounding: Self.defaultCapabilities, host: Self.host())
            }
            #expect(error?.message == "syscalls[0]: the profile makes more than 4096 rules, more than a seccomp filter can hold (several conditions on one argument are alternatives, and each choice is a rule)")
        }
    }

    @Test func maskedEqualTakesTheMaskThenTheValue() {
        let condition = SeccompFilter.Condition(index: 0, op: .maskedEqual, value: 0x7E02_0000, valueTwo: 0)
        #expect(SeccompFilter.holds(condition, 0x11))
        #expect(!SeccompFilter.holds(condition, 0x1000_0000))
    }

    @Test func unknownNameFailsClosedForADenyAndIsSkippedForAnAllow() throws {
        let allow = SeccompProfile(defaultAction: .errno, syscalls: [.init(names: ["mkdir", "not_a_syscall"], action: .allow)])
        let filter = try SeccompFilter(profile: allow, bounding: Self.defaultCapabilities, host: Self.host())
        #expect(filter.skippedNames == ["not_a_syscall"] && filter.rules.map(\.syscall) == ["mkdir"])
        let deny = SeccompProfile(defaultAction: .allow, syscalls: [.init(names: ["not_a_syscall"], action: .killProcess)])
        #expect(throws: SandboxError.self) { try SeccompFilter(profile: deny, bounding: Self.defaultCapabilities, host: Self.host()) }
    }

    @Test(.enabled(if: hasMoby, "needs shared/compat/moby-default-seccomp.json above the checkout"))
    func mobysProfileLoadsUnchanged() throws {
        let profile = try SeccompProfileFile.load(Self.moby)
        let filter = try SeccompFilter(profile: profile, bounding: Self.defaultCapabilities, host: Self.host())
        #expect(filter.defaultDecision == .errno(1))
        #expect(filter.decide("keyctl", arguments: []) == .errno(1) && filter.decide("add_key", arguments: []) == .errno(1))
        #expect(filter.decide("kexec_load", arguments: []) == .errno(1) && filter.decide("mount", arguments: []) == .errno(1))
        #expect(filter.decide("clone3", arguments: []) == .errno(38) && filter.decide("read", arguments: []) == .allow)
        #expect(try SeccompCompiler.compile(filter).instructions.count > 100)
    }

    /// Every capability moby's profile conditions a rule on, each added alone to the default set.
    /// (Without the file, the default set alone: the test is then skipped.)
    static let capabilitySets: [[String]] = {
        let profile = try? SeccompProfileFile.load(moby)
        let names = Set((profile?.syscalls ?? []).flatMap { $0.includes.caps + $0.excludes.caps })
        return [[]] + names.sorted().map { [String($0.dropFirst(4))] }
    }()

    @Test(.enabled(if: hasMoby, "needs shared/compat/moby-default-seccomp.json above the checkout"),
          arguments: ["x86_64", "aarch64"], capabilitySets)
    func defaultProfileDecidesAsMobysForEverySyscall(architecture: String, added: [String]) throws {
        let bounding = try CapabilityPolicy(added: added).resolve(lastCapability: 40, available: .all(through: 40), rootUser: true).bounding
        let ours = try SeccompFilter(profile: SeccompProfileFile.load("default"), bounding: bounding, host: Self.host(architecture))
        let theirs = try SeccompFilter(profile: SeccompProfileFile.load(Self.moby), bounding: bounding, host: Self.host(architecture))
        #expect(ours.defaultDecision == theirs.defaultDecision && ours.architectures == theirs.architectures)
        var names = Set<String>()
        for number in Int32(0)..<1024 {
            let arch = SeccompArchitectureTests.auditArch[architecture]!
            if let name = SeccompCompiler.syscall(arch: arch, number: number, arguments: []).name { names.insert(name) }
        }
        #expect(names.count > 300)
        for name in names {
            #expect(Set(ours.rules.filter { $0.syscall == name }) == Set(theirs.rules.filter { $0.syscall == name }), "\(name)")
        }
    }
}
