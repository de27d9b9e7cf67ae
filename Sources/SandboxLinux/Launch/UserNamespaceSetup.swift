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
        func uids(of owner: String) throws -> [IDMapping] { uids.mappings(owner: owner, id: try Self.number(of: owner, in: uids)) }
        func gids(of owner: String) throws -> [IDMapping] { gids.mappings(owner: owner, id: try Self.number(of: owner, in: gids)) }

        /// Looked up only when a line names its owner by number: each lookup reads /etc/passwd, and /etc/group
        /// or getent where it does not list the owner.
        private static func number(of owner: String, in ids: SubordinateIDs) throws -> UInt32? {
            guard ids.ranges.contains(where: { UInt32($0.owner) != nil }) else { return nil }
            return try (HostAccounts.entry(named: owner, in: .passwd) ?? HostAccounts.entry(named: owner, in: .group))?.id
        }

        /// A rootless caller's ranges, listed under its login name or its uid. The name comes from /etc/passwd;
        /// from getent only where that does not list the caller and a line may be the caller's (its uid, or a
        /// name the file does not list: a user of LDAP or SSSD). A caller no source knows gets none: newuidmap
        /// would refuse it.
        func ranges(of caller: Caller) throws -> (uids: [IDMapping], gids: [IDMapping]) {
            let owners = (uids.ranges + gids.ranges).map(\.owner)
            guard !owners.isEmpty else { return ([], []) }
            let users = try HostAccounts.file(.passwd)
            var name = users.entry(id: caller.uid).map { String($0.name) }
            if name == nil && owners.contains(where: { $0 == String(caller.uid) || (UInt32($0) == nil && users.entry(named: $0) == nil) }) {
                name = HostAccounts.getent(.passwd, String(caller.uid)).map { String($0.name) }
            }
            guard let name else { return ([], []) }
            return (uids.mappings(owner: name, id: caller.uid), gids.mappings(owner: name, id: caller.uid))
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
            if try user == RunSpec.defaultRemapUser && (files.uids(of: user).isEmpty || files.gids(of: user).isEmpty) {
                files = try createDefaultRemapUser()
            }
            let uids = try files.uids(of: user), gids = try files.gids(of: group)
            guard !uids.isEmpty else { throw missingRange(subuidPath, owner: user) }
            guard !gids.isEmpty else { throw missingRange(subgidPath, owner: group) }
            return try UserNamespacePlan(uidMap: IDMap(uids, option: "uid map"), gidMap: IDMap(gids, option: "gid map"), writer: .root)
        }
    }

    private static func rootlessPlan(for mapping: RunSpec.UserMapping, caller: Caller) throws -> UserNamespacePlan {
        guard mapping == .remap(user: RunSpec.defaultRemapUser, group: RunSpec.defaultRemapUser) else {
            throw SandboxError("--uidmap, --gidmap and --userns-remap need root; as another user, container root is you")
        }
        var ranges: (uids: [IDMapping], gids: [IDMapping]) = ([], [])
        if HostFile.exists("/usr/bin/newuidmap"), HostFile.exists("/usr/bin/newgidmap") {
            ranges = try SubordinateFiles.read().ranges(of: caller)
        }
        return try UserNamespacePlan.rootless(uid: caller.uid, gid: caller.gid, subordinateUIDs: ranges.uids, subordinateGIDs: ranges.gids)
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
        if try !files.uids(of: user).isEmpty && !files.gids(of: user).isEmpty { return files } // another run made it
        if try HostAccounts.entry(named: user, in: .passwd) == nil {
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
