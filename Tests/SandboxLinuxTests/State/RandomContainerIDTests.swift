import Testing
@testable import SandboxLinux
@testable import SandboxPolicy

/// A new container's id, from the kernel's random bytes.
struct RandomContainerIDTests {
    @Test func randomIsSixtyFourHexDigits() {
        let first = ContainerID.random(), second = ContainerID.random()
        #expect(first.value.count == 64)
        #expect(first.value.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(first.short == String(first.value.prefix(12)))
        #expect(first != second)
    }
}
