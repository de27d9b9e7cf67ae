import Testing
@testable import SandboxPolicy

/// `--uidmap CONTAINER:HOST:SIZE`, one line of uid_map.
struct IDMappingTests {
    @Test(arguments: [
        ("0:100000:65536", IDMapping(containerID: 0, hostID: 100_000, size: 65536)),
        ("1000:1000:1", IDMapping(containerID: 1000, hostID: 1000, size: 1)),
        // The largest id is 4294967294 (4294967295 is (uid_t)-1): a range may end exactly there.
        ("4294967294:0:1", IDMapping(containerID: 4_294_967_294, hostID: 0, size: 1)),
        ("0:4294967294:1", IDMapping(containerID: 0, hostID: 4_294_967_294, size: 1)),
        ("0:0:4294967295", IDMapping(containerID: 0, hostID: 0, size: 4_294_967_295)),
    ])
    func parses(text: String, expected: IDMapping) throws {
        #expect(try IDMapping(parsing: text, option: "--uidmap") == expected)
    }

    static let formatMessage = "expected CONTAINER:HOST:SIZE, three non-negative numbers"

    @Test(arguments: [
        ("", formatMessage),
        ("0:100000", formatMessage),
        ("0:100000:65536:1", formatMessage),
        ("0::65536", formatMessage),
        ("root:100000:65536", formatMessage),
        ("-1:100000:65536", formatMessage),
        ("0:100000:1k", formatMessage),
        ("0:100000: 1", formatMessage),
        ("4294967296:0:1", formatMessage),
        ("0:100000:0", "the size must be at least 1"),
        // One past the largest id, on either side.
        ("4294967295:0:1", "the range passes the largest id, 4294967294"),
        ("0:4294967295:1", "the range passes the largest id, 4294967294"),
        ("1:0:4294967295", "the range passes the largest id, 4294967294"),
        ("4294967200:0:100", "the range passes the largest id, 4294967294"),
    ])
    func refuses(text: String, reason: String) {
        let error = #expect(throws: SandboxError.self) { try IDMapping(parsing: text, option: "--gidmap") }
        #expect(error?.message == "invalid --gidmap \"\(text)\": \(reason)")
    }

    @Test(arguments: [(UInt32(10), UInt32?(1000)), (14, 1004), (9, nil), (15, nil), (0, nil)])
    func hostForContainerID(id: UInt32, host: UInt32?) {
        #expect(IDMapping(containerID: 10, hostID: 1000, size: 5).host(for: id) == host)
    }
}
