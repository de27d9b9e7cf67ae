import Testing
@testable import SandboxPolicy

/// /etc/subuid and /etc/subgid: whose ranges they are, and where a new range fits.
struct SubordinateIDsTests {
    static let file = """
        alice:100000:65536
        # a comment
        bob:165536:65536

        1000:300000:1000
        alice:400000:10
        """

    @Test func parsesWellFormedLinesInFileOrder() {
        let ranges = SubordinateIDs(parsing: Self.file).ranges
        #expect(ranges.map(\.owner) == ["alice", "bob", "1000", "alice"])
        #expect(ranges.map(\.start) == [100_000, 165_536, 300_000, 400_000])
        #expect(ranges.map(\.count) == [65536, 65536, 1000, 10])
    }

    /// shadow-utils skips what it cannot read; so do we, rather than refuse to start.
    @Test(arguments: ["alice:100000", "alice:100000:65536:1", "alice:x:65536", "alice:100000:-1", "alice:100000:0",
                      "alice:100000:4294967296", "alice 100000 65536", ""])
    func ignoresMalformedLine(line: String) {
        #expect(SubordinateIDs(parsing: line + "\nbob:1:2\n").ranges.map(\.owner) == ["bob"])
    }

    @Test func rangesOfAUserByNameLaidEndToEnd() {
        let mappings = SubordinateIDs(parsing: Self.file).mappings(owner: "alice", id: nil)
        #expect(mappings == [
            IDMapping(containerID: 0, hostID: 100_000, size: 65536),
            IDMapping(containerID: 65536, hostID: 400_000, size: 10),
        ])
    }

    /// A line may name its owner by uid; both kinds of line count, in file order.
    @Test func rangesOwnedByUIDNumber() {
        let mappings = SubordinateIDs(parsing: Self.file).mappings(owner: "alice", id: 1000)
        #expect(mappings == [
            IDMapping(containerID: 0, hostID: 100_000, size: 65536),
            IDMapping(containerID: 65536, hostID: 300_000, size: 1000),
            IDMapping(containerID: 66536, hostID: 400_000, size: 10),
        ])
    }

    /// Found by `make fuzz`: a range past the largest host id, 4294967294, cannot be mapped; looking up a
    /// container id in it overflowed.
    @Test func rangePastTheLargestHostIDIsLeftOut() throws {
        let mappings = SubordinateIDs(parsing: "alice:4294967001:2900\nalice:100000:65536\n").mappings(owner: "alice", id: nil)
        #expect(mappings == [IDMapping(containerID: 0, hostID: 100_000, size: 65536)])
        let plan = try UserNamespacePlan.rootless(uid: 1000, gid: 1000, subordinateUIDs: mappings, subordinateGIDs: mappings)
        #expect(plan.uidMap.mappings.compactMap { $0.host(for: 1000) } == [100_999])
    }

    @Test(arguments: [("ali", UInt32?.none), ("alice2", nil), ("carol", 1001), ("", nil), ("100", 100)])
    func noRangesForAnotherOwner(name: String, id: UInt32?) {
        #expect(SubordinateIDs(parsing: Self.file).mappings(owner: name, id: id).isEmpty)
    }

    @Test(arguments: [
        // Nothing taken: the conventional first range.
        ("", UInt32(65536), UInt32(100_000)),
        // Ranges below the start do not matter.
        ("a:0:1000\nb:1000:99000", 65536, 100_000),
        // A range that ends exactly at the start does not collide.
        ("a:34464:65536", 65536, 100_000),
        // A range straddling the start pushes past its end.
        ("a:50000:60000", 65536, 110_000),
        ("a:100000:65536", 65536, 165_536),
        // A gap too small is skipped; one large enough is used.
        ("a:100000:65536\nb:200000:65536", 65536, 265_536),
        ("a:100000:65536\nb:231072:65536", 65536, 165_536),
        // A range starting right after the candidate's last id does not collide.
        ("a:165536:10", 65536, 100_000),
        // The file is not sorted: a range listed later may be the one that blocks.
        ("b:165536:65536\na:100000:65536", 65536, 231_072),
        ("c:300000:10\nb:165536:65536\na:100000:65536\nd:231072:5", 65536, 231_077),
        // Nested ranges (as subuid and subgid read together may give).
        ("a:100000:200000\nb:150000:10", 65536, 300_000),
    ])
    func firstFree(file: String, count: UInt32, expected: UInt32) {
        #expect(SubordinateIDs(parsing: file).firstFree(count: count) == expected)
    }

    @Test func firstFreeFromAnotherStart() {
        #expect(SubordinateIDs(parsing: "a:100000:65536").firstFree(count: 10, from: 0) == 0)
        #expect(SubordinateIDs(parsing: "a:0:65536").firstFree(count: 10, from: 0) == 65536)
    }

    /// When the taken ranges reach the top, no range fits below the largest id (4294967294): nil, not a
    /// start whose range `usermod` would be given past it.
    @Test func firstFreeNeverReturnsARangePastTheLargestID() {
        #expect(SubordinateIDs(parsing: "a:100000:4294860000").firstFree(count: 65536) == nil)
        #expect(SubordinateIDs(parsing: "a:100000:4294801759").firstFree(count: 65536) == 4294901759)
    }

    /// A new range keeps clear of the host's accounts: container ids would otherwise be their files' owners.
    @Test func firstFreeSkipsTheHostsAccounts() {
        let accounts = SubordinateIDs.accountIDs("root:x:0:0::/root:/bin/sh\nsvc:x:120000:120000::/:/bin/false\nbad line\n")
        #expect(accounts.map(\.start) == [0, 120_000])
        let taken = SubordinateIDs(ranges: SubordinateIDs(parsing: "a:100000:10000\n").ranges + accounts)
        #expect(taken.firstFree(count: 65536) == 120_001)
    }
}
