import ArgumentParser
import SandboxJSON
import SandboxLinux
import SandboxPolicy

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Show what this process may do, read from the kernel.",
        discussion: """
            Namespaces, id maps, the five capability sets, seccomp, no_new_privs, cgroup limits and Docker's \
            masked paths. Run it inside a container to see what the container gets, for example: \
            sandbox run --cap-drop ALL -- sandbox probe
            """
    )

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        let probe = try Probe.current()
        if json {
            print(try JSON.encode(probe), terminator: "")
        } else {
            print(table(probe), terminator: "")
        }
    }

    private func table(_ probe: Probe) -> String {
        var rows: [(String, String)] = [
            ("uid", probe.uid), ("gid", probe.gid), ("groups", probe.groups.isEmpty ? "-" : probe.groups),
        ]
        rows += probe.namespaces.sorted { $0.key < $1.key }.map { ("namespace \($0.key)", $0.value) }
        rows += probe.uidMap.map { ("uid map", $0) } + probe.gidMap.map { ("gid map", $0) }
        let sets = probe.capabilities
        for (name, capabilities) in [("bounding", sets.bounding), ("permitted", sets.permitted), ("effective", sets.effective),
                                     ("inheritable", sets.inheritable), ("ambient", sets.ambient)] {
            rows.append(("caps \(name)", capabilities.isEmpty ? "-" : capabilities.joined(separator: " ")))
        }
        let modes = ["disabled", "strict", "filter"]
        rows.append(("seccomp", "\(probe.seccomp.mode < modes.count ? modes[probe.seccomp.mode] : String(probe.seccomp.mode)) (\(probe.seccomp.filters) filters)"))
        rows.append(("no_new_privs", probe.noNewPrivileges ? "yes" : "no"))
        rows += ["memory", "memory+swap", "cpu", "pids"].map { ("cgroup \($0)", probe.cgroupLimits[$0] ?? "unavailable") }
        rows += probe.maskedPaths.sorted { $0.key < $1.key }.map { ("masked \($0.key)", $0.value) }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0 + String(repeating: " ", count: width - $0.0.count + 2) + $0.1 + "\n" }.joined()
    }
}
