import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// `/etc/subuid`: the ranges of `sandbox` (uid 1000) become a root's remap and a rootless user's map,
    /// whose edges are looked up, and a free range is found for a new user.
    static let subordinateIDs = FuzzTarget(name: "subordinate-ids") { bytes in
        let file = SubordinateIDs(parsing: FuzzInput.text(bytes))
        _ = file.firstFree(count: 65536)
        let mappings = file.mappings(owner: "sandbox", id: 1000)
        if !mappings.isEmpty {
            IDFuzzing.lookUpEdges(of: try IDMap(mappings, option: "/etc/subuid"))
        }
        let plan = try UserNamespacePlan.rootless(uid: 1000, gid: 1000,
                                                  subordinateUIDs: mappings, subordinateGIDs: mappings)
        IDFuzzing.lookUpEdges(of: plan.uidMap)
        _ = plan.mapsGroup(5)
    }
}
