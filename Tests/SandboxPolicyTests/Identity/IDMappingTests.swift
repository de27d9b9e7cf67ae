import Testing
@testable import SandboxPolicy

/// `--uidmap CONTAINER:HOST:SIZE`, one line of uid_map; and the whole map, checked before the kernel sees it, so
/// that an overlap is named rather than a bare EINVAL.
struct IDMappingTests {
    // MARK: One line

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

    // MARK: The whole map

    static func map(_ lines: [(UInt32, UInt32, UInt32)]) throws -> IDMap {
        try IDMap(lines.map { IDMapping(containerID: $0.0, hostID: $0.1, size: $0.2) }, option: "--uidmap")
    }

    @Test(arguments: [
        // Same container ids.
        ([(0, 100_000, 100), (50, 300_000, 10)], "container ids 0-99 and 50-59 overlap"),
        // Same host ids, distinct container ids.
        ([(0, 100_000, 100), (100, 100_050, 10)], "host ids 100000-100099 and 100050-100059 overlap"),
        // A range inside another, on the host side, given in the other order.
        ([(0, 200_000, 1), (1, 100_000, 200_000)], "host ids 200000-200000 and 100000-299999 overlap"),
        // The first and the last line overlap, not neighbours.
        ([(1, 100_000, 10), (0, 1000, 1), (5, 500_000, 1)], "container ids 1-10 and 5-5 overlap"),
        // One id in common at the boundary.
        ([(0, 100_000, 10), (9, 200_000, 10)], "container ids 0-9 and 9-18 overlap"),
    ] as [([(UInt32, UInt32, UInt32)], String)])
    func overlapIsRefusedNamingBothRanges(lines: [(UInt32, UInt32, UInt32)], reason: String) {
        let error = #expect(throws: SandboxError.self) { try Self.map(lines) }
        #expect(error?.message == "overlapping --uidmap: \(reason)")
    }

    /// Ranges that touch without sharing an id are two valid lines, on both sides.
    @Test func adjacentRangesAreAllowed() throws {
        let map = try Self.map([(0, 100_000, 10), (10, 100_010, 10), (20, 50, 1)])
        #expect(map.mappings.count == 3)
    }

    @Test(arguments: [
        [(1, 100_000, 65536)],
        [(1, 0, 1), (2, 100_000, 10)],
        [],
    ] as [[(UInt32, UInt32, UInt32)]])
    func containerRootMustBeMapped(lines: [(UInt32, UInt32, UInt32)]) {
        let error = #expect(throws: SandboxError.self) { try Self.map(lines) }
        #expect(error?.message == "invalid --uidmap: container id 0 must be mapped")
    }

    /// Root may be mapped by any line, not only the first.
    @Test func rootHostIDFromAnyLine() throws {
        #expect(try Self.map([(1, 200_000, 65535), (0, 1000, 1)]).rootHostID == 1000)
        #expect(try Self.map([(0, 100_000, 65536)]).rootHostID == 100_000)
    }

    @Test func procFormatIsOneLinePerMappingInOrder() throws {
        let map = try Self.map([(1, 200_000, 65535), (0, 1000, 1)])
        #expect(map.procFormat == "1 200000 65535\n0 1000 1\n")
    }
}
