import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// `--uidmap` values, one a line, as a map: each container id at a range's edges is looked up.
    static let idMap = FuzzTarget(name: "id-map") { bytes in
        let lines = FuzzInput.text(bytes).split(separator: "\n", omittingEmptySubsequences: false)
        let map = try IDMap(lines.map { try IDMapping(parsing: String($0), option: "--uidmap") }, option: "--uidmap")
        IDFuzzing.lookUpEdges(of: map)
        _ = map.procFormat
    }
}

enum IDFuzzing {
    /// Looks up the first and last id of each mapping, and the ids just outside it.
    static func lookUpEdges(of map: IDMap) {
        _ = map.rootHostID
        for mapping in map.mappings {
            let first = UInt64(mapping.containerID), last = first + UInt64(mapping.size) - 1
            for id in [first, last, first &- 1, last + 1] where id <= UInt64(UInt32.max) {
                for candidate in map.mappings { _ = candidate.host(for: UInt32(id)) }
            }
        }
    }
}
