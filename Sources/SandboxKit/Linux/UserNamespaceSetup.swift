import Glibc

/// Turns the user's mapping request into a plan, reading the subordinate id files, and creating the default
/// remap user with a free range on first use, as Docker does for `dockremap`.
public enum UserNamespaceSetup {
    static let subuidPath = "/etc/subuid"
    static let subgidPath = "/etc/subgid"
    static let rangeSize: UInt32 = 65536

    public static func plan(for mapping: RunSpec.UserMapping, caller: Caller) throws -> UserNamespacePlan {
        guard caller.isRoot else { return try rootlessPlan(for: mapping, caller: caller) }
        switch mapping {
        case .explicit(let uid, let gid):
            return try UserNamespacePlan(uidMap: IDMap(uid, option: "--uidmap"), gidMap: IDMap(gid, option: "--gidmap"), writer: .root)
        case .remap(let user, let group):
            if user == RunSpec.defaultRemapUser { try ensureDefaultRemapUser() }
            let uids = try ranges(in: subuidPath, owner: user)
            let gids = try ranges(in: subgidPath, owner: group)
            return try UserNamespacePlan(uidMap: IDMap(uids, option: "uid map"), gidMap: IDMap(gids, option: "gid map"), writer: .root)
        }
    }

    private static func rootlessPlan(for mapping: RunSpec.UserMapping, caller: Caller) throws -> UserNamespacePlan {
        guard mapping == .remap(user: RunSpec.defaultRemapUser, group: RunSpec.defaultRemapUser) else {
            throw SandboxError("--uidmap, --gidmap and --userns-remap need root; as another user, container root is you")
        }
        var uids: [IDMapping] = [], gids: [IDMapping] = []
        if let name = caller.name, HostFile.exists("/usr/bin/newuidmap"), HostFile.exists("/usr/bin/newgidmap") {
            uids = SubordinateIDs(parsing: try HostFile.readIfPresent(subuidPath) ?? "").mappings(owner: name, id: caller.uid)
            gids = SubordinateIDs(parsing: try HostFile.readIfPresent(subgidPath) ?? "").mappings(owner: name, id: caller.uid)
        }
        return try UserNamespacePlan.rootless(uid: caller.uid, gid: caller.gid, subordinateUIDs: uids, subordinateGIDs: gids)
    }

    private static func ranges(in path: String, owner: String) throws -> [IDMapping] {
        let id = getpwnam(owner).map { $0.pointee.pw_uid } ?? getgrnam(owner).map { $0.pointee.gr_gid }
        let mappings = SubordinateIDs(parsing: try HostFile.readIfPresent(path) ?? "").mappings(owner: owner, id: id)
        guard !mappings.isEmpty else {
            throw SandboxError("\(owner) has no subordinate ids in \(path): add a range with usermod --add-sub\(path.hasSuffix("uid") ? "uids" : "gids") 200000-265535 \(owner)")
        }
        return mappings
    }

    /// Creates the user `sandbox` and gives it the first 65536 ids free in both files, under a lock so that
    /// two first runs do not both add a range.
    private static func ensureDefaultRemapUser() throws {
        let user = RunSpec.defaultRemapUser
        if try hasRanges(user) { return }
        let base = StateDirectory.base(for: Caller(uid: 0, gid: 0), environment: [:])
        try StateDirectory.makeDirectory(base, mode: 0o711, existing: true)
        let lock = try StateDirectory.lock(base + "/.remap.lock")
        defer { close(lock) }
        if try hasRanges(user) { return }
        if getpwnam(user) == nil {
            try HostCommand.run(["useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", user])
        }
        let subuid = try HostFile.readIfPresent(subuidPath) ?? "", subgid = try HostFile.readIfPresent(subgidPath) ?? ""
        let taken = SubordinateIDs(parsing: subuid + "\n" + subgid)
        guard let start = taken.firstFree(count: rangeSize) else {
            throw SandboxError("no free range of \(rangeSize) ids in \(subuidPath) and \(subgidPath) for user \(user): free one, or pass --uidmap")
        }
        let range = "\(start)-\(start + rangeSize - 1)"
        try HostCommand.run(["usermod", "--add-subuids", range, "--add-subgids", range, user])
    }

    private static func hasRanges(_ user: String) throws -> Bool {
        let id = getpwnam(user).map { $0.pointee.pw_uid }
        let subuid = try HostFile.readIfPresent(subuidPath) ?? "", subgid = try HostFile.readIfPresent(subgidPath) ?? ""
        return !SubordinateIDs(parsing: subuid).mappings(owner: user, id: id).isEmpty
            && !SubordinateIDs(parsing: subgid).mappings(owner: user, id: id).isEmpty
    }
}
