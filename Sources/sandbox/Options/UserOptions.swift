import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// Which host ids the container's ids are.
struct UserOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "Map container ids to USER's ranges in /etc/subuid and GROUP's (default USER's) in /etc/subgid (root only).",
        valueName: "user[:group]"))
    var usernsRemap: String?

    @Option(help: ArgumentHelp(
        "Map SIZE container uids from CONTAINER to host uids from HOST (repeatable; root only). Alone, it maps gids too.",
        valueName: "container:host:size"))
    var uidmap: [String] = []

    @Option(help: ArgumentHelp("The same for gids. Alone, it maps uids too.", valueName: "container:host:size"))
    var gidmap: [String] = []

    func apply(to spec: inout RunSpec) throws {
        if !uidmap.isEmpty || !gidmap.isEmpty {
            guard usernsRemap == nil else { throw SandboxError("conflicting options: --userns-remap and --uidmap/--gidmap") }
            let uids = try uidmap.map { try IDMapping(parsing: $0, option: "--uidmap") }
            let gids = try gidmap.map { try IDMapping(parsing: $0, option: "--gidmap") }
            spec.userMapping = .explicit(uid: uids.isEmpty ? gids : uids, gid: gids.isEmpty ? uids : gids)
        } else if let usernsRemap {
            let parts = usernsRemap.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            guard (1...2).contains(parts.count), !parts.contains(where: \.isEmpty) else {
                throw SandboxError("invalid --userns-remap \"\(usernsRemap)\": expected USER or USER:GROUP")
            }
            spec.userMapping = .remap(user: parts[0], group: parts.count == 2 ? parts[1] : parts[0])
        }
    }
}
