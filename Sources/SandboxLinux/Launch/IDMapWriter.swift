import Glibc
import SandboxPolicy

/// Writes a child's uid and gid maps: directly as root, through newuidmap/newgidmap for a caller with
/// subordinate ids, or, for any other caller, its own id alone after denying setgroups.
struct IDMapWriter {
    let pid: pid_t

    func write(_ plan: UserNamespacePlan) throws {
        switch plan.writer {
        case .root:
            try HostFile.write(plan.uidMap.procFormat, to: "/proc/\(pid)/uid_map")
            try HostFile.write(plan.gidMap.procFormat, to: "/proc/\(pid)/gid_map")
        case .caller:
            try HostFile.write("deny", to: "/proc/\(pid)/setgroups")
            try HostFile.write(plan.uidMap.procFormat, to: "/proc/\(pid)/uid_map")
            try HostFile.write(plan.gidMap.procFormat, to: "/proc/\(pid)/gid_map")
        case .shadowHelpers:
            try HostCommand.run(["newuidmap", String(pid)] + Self.arguments(plan.uidMap))
            try HostCommand.run(["newgidmap", String(pid)] + Self.arguments(plan.gidMap))
        }
    }

    private static func arguments(_ map: IDMap) -> [String] {
        map.mappings.flatMap { [String($0.containerID), String($0.hostID), String($0.size)] }
    }
}
