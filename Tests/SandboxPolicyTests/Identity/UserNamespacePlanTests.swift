import PolicyFixtures
import Testing
@testable import SandboxPolicy

/// The maps of a non-root caller, as podman's rootless maps, and what each kind of writer may do.
struct UserNamespacePlanTests {
    @Test func withoutSubordinateIDsContainerRootIsTheCallerAlone() throws {
        let plan = try UserNamespacePlan.rootless(uid: 1000, gid: 1001, subordinateUIDs: [], subordinateGIDs: [])
        #expect(plan.uidMap.procFormat == "0 1000 1\n")
        #expect(plan.gidMap.procFormat == "0 1001 1\n")
        #expect(plan.writer == .caller)
        #expect(!plan.canIdmapMounts)
    }

    /// newuidmap needs both files to have a range; with only one, the caller alone is mapped in both.
    @Test(arguments: [([IDMapping(containerID: 0, hostID: 100_000, size: 65536)], []),
                      ([], [IDMapping(containerID: 0, hostID: 100_000, size: 65536)])])
    func withSubordinateIDsOnOneSideOnlyTheCallerAlone(uids: [IDMapping], gids: [IDMapping]) throws {
        let plan = try UserNamespacePlan.rootless(uid: 1000, gid: 1000, subordinateUIDs: uids, subordinateGIDs: gids)
        #expect(plan.writer == .caller)
        #expect(plan.uidMap.procFormat == "0 1000 1\n")
        #expect(plan.gidMap.procFormat == "0 1000 1\n")
    }

    @Test func withSubordinateIDsTheyFollowContainerRoot() throws {
        let plan = try UserNamespacePlan.rootless(
            uid: 1000, gid: 1001,
            subordinateUIDs: [IDMapping(containerID: 0, hostID: 100_000, size: 65536),
                              IDMapping(containerID: 65536, hostID: 300_000, size: 10)],
            subordinateGIDs: [IDMapping(containerID: 0, hostID: 200_000, size: 65536)])
        #expect(plan.uidMap.procFormat == "0 1000 1\n1 100000 65536\n65537 300000 10\n")
        #expect(plan.gidMap.procFormat == "0 1001 1\n1 200000 65536\n")
        #expect(plan.writer == .shadowHelpers)
        #expect(!plan.canIdmapMounts)
    }

    /// A caller whose own uid lies in its subordinate range would map one host id twice.
    @Test func callerInsideItsSubordinateRangeIsRefused() {
        let error = #expect(throws: SandboxError.self) {
            try UserNamespacePlan.rootless(uid: 100_005, gid: 1000,
                                           subordinateUIDs: [IDMapping(containerID: 0, hostID: 100_000, size: 65536)],
                                           subordinateGIDs: [IDMapping(containerID: 0, hostID: 200_000, size: 65536)])
        }
        #expect(error?.message == "overlapping uid map: host ids 100005-100005 and 100000-165535 overlap")
    }

    @Test func onlyRootCanIdmapMounts() {
        #expect(Fixtures.rootRemap.canIdmapMounts)
        #expect(!Fixtures.rootlessWithSubordinates.canIdmapMounts)
        #expect(!Fixtures.rootlessCallerOnly.canIdmapMounts)
    }

    /// gid 5 (tty) exists unless only container root is mapped.
    @Test(arguments: [(Fixtures.rootRemap, true), (Fixtures.rootlessWithSubordinates, true), (Fixtures.rootlessCallerOnly, false)])
    func mapsGroupFive(plan: UserNamespacePlan, mapped: Bool) {
        #expect(plan.mapsGroup(5) == mapped)
        #expect(plan.mapsGroup(0))
        #expect(!plan.mapsGroup(65537))
    }

    /// No container id may be host root, unless it is a rootless caller's own id (it is what the caller is).
    @Test func mapsOntoHostRootAreRefusedButACallersOwnIdIsNot() throws {
        let root = try UserNamespacePlan(uidMap: IDMap([IDMapping(containerID: 0, hostID: 100_000, size: 65536),
                                                       IDMapping(containerID: 65536, hostID: 0, size: 1)], option: "uid map"),
                                         gidMap: Fixtures.rootRemap.gidMap, writer: .root)
        let error = #expect(throws: SandboxError.self) { try root.checkNoHostRoot() }
        #expect(error?.message == "the uid map puts container uids 65536-65536 on host uid 0 (host root): refusing it; use --userns host to run as host root")
        let subordinateZero = try UserNamespacePlan.rootless(uid: 1000, gid: 1000, subordinateUIDs: Fixtures.rootRemap.uidMap.mappings,
                                                             subordinateGIDs: [IDMapping(containerID: 0, hostID: 0, size: 10)])
        #expect(throws: SandboxError.self) { try subordinateZero.checkNoHostRoot() }
        let ownGroupZero = try UserNamespacePlan.rootless(uid: 1000, gid: 0, subordinateUIDs: [], subordinateGIDs: [])
        try ownGroupZero.checkNoHostRoot()
        try Fixtures.rootRemap.checkNoHostRoot()
    }
}
