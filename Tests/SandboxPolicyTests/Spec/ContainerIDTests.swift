import Testing
@testable import SandboxPolicy

/// Docker's container ids: 64 lowercase hex digits, the first 12 the default hostname.
struct ContainerIDTests {
    @Test func hexOfTheBytesInOrder() {
        let id = ContainerID(randomFrom: [0x00, 0x0f, 0xa0, 0xff, 0x12, 0x34, 0x56, 0x78])
        #expect(id.value == "000fa0ff12345678")
        #expect(id.short == "000fa0ff1234")
        #expect(id.description == id.value)
    }
}
