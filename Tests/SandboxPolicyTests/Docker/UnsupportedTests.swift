import Testing
@testable import SandboxPolicy

/// Docker's flags sandbox refuses, each with its reason.
struct UnsupportedTests {
    @Test func refusedFlagsAreFoundByEveryName() {
        #expect(Unsupported.refusal(of: "-p")?.message == "-p is not supported: " + Unsupported.networks)
        #expect(Unsupported.refusal(of: "--publish=80:80")?.message == "--publish is not supported: " + Unsupported.networks)
        #expect(Unsupported.refusal(of: "--dns")?.message.hasPrefix("--dns is not supported: sandbox writes no /etc/resolv.conf") == true)
        #expect(Unsupported.refusal(of: "--bogus") == nil)
        #expect(Unsupported.refusal(of: "--rm") == nil)
        let names = Unsupported.flags.flatMap(\.names)
        #expect(Set(names).count == names.count)
    }
}
