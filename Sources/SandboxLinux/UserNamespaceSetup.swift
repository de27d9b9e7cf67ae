import Glibc
import SandboxPolicy

/// Turns the user's mapping request into a plan, reading the subordinate id files, and creating the default
/// remap user with a free range on first use, as Docker does for `dockremap`.
public enum UserNamespaceSetup {
    static let subuidPath = "/etc/subuid"
    static let subgidPath = "/etc/subgid"
    static let rangeSize: UInt32 = 65536

    /// /etc/subuid and /etc/subgid, read once for a start.
    struct SubordinateFiles {
        var uids: SubordinateIDs
        var gids: SubordinateIDs

        static func read() throws -> SubordinateFiles {
            SubordinateFiles(uids: SubordinateIDs(parsing: try HostFile.readIfPresent(subuidPath) ?? ""),
                             gids: SubordinateIDs(parsing: try HostFile.readIfPresent(subgidPath) ?? ""))
        }

        /// An owner is named in the files by name or by number (a user's uid, else a group's gid).
        func uids(of owner: String) -> [IDMapping] { uids.mappings(owner: owner, id: Self.number(of: owner, in: uids)) }
        func gids(of owner: String) -> [IDMapping] { gids.mappings(owner: owner, id: Self.number(of: owner, in: gids)) }

        /// Looked up only when a line names its owner by number: each lookup reads nsswitch.conf and passwd.
        private static func number(of owner: String, in ids: SubordinateIDs) -> UInt32? {
            guard ids.ranges.contains(where: { UInt32($0.owner) != nil }) else { return nil }
            return getpwnam(owner).map { $0.pointee.pw_uid } ?? getgrnam(owner).map { $0.pointee.gr_gid }
        }
    }

    public static func plan(for mapping: RunSpec.UserMapping, caller: Caller) throws -> UserNamespacePlan {
        let plan = try unchecked(for: mapping, caller: caller)
        try plan.checkNoHostRoot()
        return plan
    }

    private static func unchecked(for mapping: RunSpec.UserMapping, caller: Caller) throws -> UserNamespacePlan {
        guard caller.isRoot else { return try rootlessPlan(for: mapping, caller: caller) }
        switch mapping {
        case .explicit(let uid, let gid):
            return try UserNamespacePlan(uidMap: IDMap(uid, option: "--uidmap"), gidMap: IDMap(gid, option: "--gidmap"), writer: .root)
        case .remap(let user, let group):
            var files = try SubordinateFiles.read()
            if user == RunSpec.defaultRemapUser && (files.uids(of: user).isEmpty || files.gids(of: user).isEmpty) {
                files = try createDefaultRemapUser()
            }
            let uids = files.uids(of: user), gids = files.gids(of: group)
            guard !uids.isEmpty else { throw missingRange(subuidPath, owner: user) }
            guard !gids.isEmpty else { throw missingRange(subgidPath, owner: group) }
            return try UserNamespacePlan(uidMap: IDMap(uids, option: "uid map"), gidMap: IDMap(gids, option: "gid map"), writer: .root)
        }
    }

    private static func rootlessPlan(for mapping: RunSpec.UserMapping, caller: Caller) throws -> UserNamespacePlan {
        guard mapping == .remap(user: RunSpec.defaultRemapUser, group: RunSpec.defaultRemapUser) else {
            throw SandboxError("--uidmap, --gidmap and --userns-remap need root; as another user, container root is you")
        }
        var uids: [IDMapping] = [], gids: [IDMapping] = []
        if let name = caller.name, HostFile.exists("/usr/bin/newuidmap"), HostFile.exists("/usr/bin/newgidmap") {
            let files = try SubordinateFiles.read()
            uids = files.uids.mappings(owner: name, id: caller.uid)
            gids = files.gids.mappings(owner: name, id: caller.uid)
        }
        return try UserNamespacePlan.rootless(uid: caller.uid, gid: caller.gid, subordinateUIDs: uids, subordinateGIDs: gids)
    }

    private static func missingRange(_ path: String, owner: String) -> SandboxError {
        SandboxError("\(owner) has no subordinate ids in \(path): add a range with usermod --add-sub\(path.hasSuffix("uid") ? "uids" : "gids") 200000-265535 \(owner)")
    }

    /// Creates the user `sandbox` and gives it the first 65536 ids free in both files, under a lock so that
    /// two first runs do not both add a range.
    /// - Returns: the files as they are then.
    private static func createDefaultRemapUser() throws -> SubordinateFiles {
        let user = RunSpec.defaultRemapUser
        let base = try StateDirectory.prepareBase(for: Caller(uid: 0, gid: 0), environment: [:])
        let lock = try StateDirectory.lock(base + "/.remap.lock")
        defer { close(lock) }
        let files = try SubordinateFiles.read()
        if !files.uids(of: user).isEmpty && !files.gids(of: user).isEmpty { return files } // another run made it
        if getpwnam(user) == nil {
            try HostCommand.run(["useradd", "--system", "--user-group", "--no-create-home", "--shell", "/usr/sbin/nologin", user])
        }
        // A new range must not cover a user or a group the host has: container ids would be that account.
        let accounts = (try HostFile.readIfPresent("/etc/passwd") ?? "") + (try HostFile.readIfPresent("/etc/group") ?? "")
        let taken = SubordinateIDs(ranges: files.uids.ranges + files.gids.ranges + SubordinateIDs.accountIDs(accounts))
        guard let start = taken.firstFree(count: rangeSize) else {
            throw SandboxError("no free range of \(rangeSize) ids in \(subuidPath) and \(subgidPath), clear of the host's users and groups, for user \(user): free one, or pass --uidmap")
        }
        let range = "\(start)-\(start + rangeSize - 1)"
        try HostCommand.run(["usermod", "--add-subuids", range, "--add-subgids", range, user])
        return try SubordinateFiles.read()
    }
}
