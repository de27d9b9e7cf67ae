/// `--user UID[:GID]` or `--user NAME[:GROUP]`, and `--group-add`, resolved as Docker resolves them:
/// against the container's own /etc/passwd and /etc/group, never the host's.
public struct UserSpec: Equatable, Sendable {
    public var user: String
    public var group: String?
    public var additionalGroups: [String] = []

    /// Container root, the default.
    public static let root = UserSpec(user: "0")

    public init(user: String, group: String? = nil, additionalGroups: [String] = []) {
        self.user = user
        self.group = group
        self.additionalGroups = additionalGroups
    }

    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (1...2).contains(parts.count), !parts.contains(where: \.isEmpty) else {
            throw SandboxError("invalid --user \"\(text)\": expected UID[:GID] or NAME[:GROUP]")
        }
        self.init(user: parts[0], group: parts.count == 2 ? parts[1] : nil)
    }

    /// The ids the workload runs as.
    public struct Resolved: Codable, Equatable, Sendable {
        public var uid: UInt32
        public var gid: UInt32
        public var supplementaryGroups: [UInt32]
        /// From passwd; "/" for a uid it does not list, as Docker.
        public var home: String
    }

    /// - Parameters:
    ///   - passwd: the container's /etc/passwd, or nil if it has none.
    ///   - group: the container's /etc/group, or nil.
    /// - Throws: for a name that the files do not list, as Docker: numbers need no entry, names do.
    public func resolve(passwd: String?, group groupFile: String?) throws -> Resolved {
        let users = AccountFile(parsing: passwd)
        let groups = AccountFile(parsing: groupFile)
        let entry = users.entry(named: user) ?? UInt32(user).flatMap { users.entry(id: $0) }
        guard let uid = UInt32(user) ?? entry?.id else {
            throw SandboxError("unable to find user \(user): no matching entries in the container's /etc/passwd")
        }
        var gid = entry?[3].flatMap { UInt32($0) } ?? 0
        if let group { gid = try Self.groupID(group, in: groups) }
        // Supplementary groups: those listing the user's name as a member, then --group-add.
        let name = entry.map { String($0.name) } ?? user
        var supplementary = groups.entries.filter { $0[3]?.split(separator: ",").contains(Substring(name)) ?? false }
            .compactMap(\.id)
        for extra in additionalGroups {
            supplementary.append(try Self.groupID(extra, in: groups))
        }
        var seen = Set<UInt32>()
        supplementary = supplementary.filter { seen.insert($0).inserted }
        let home = entry?[5].flatMap { $0.isEmpty ? nil : String($0) } ?? "/"
        return Resolved(uid: uid, gid: gid, supplementaryGroups: supplementary, home: home)
    }

    private static func groupID(_ group: String, in groups: AccountFile) throws -> UInt32 {
        if let gid = UInt32(group) { return gid }
        guard let gid = groups.entry(named: group)?.id else {
            throw SandboxError("unable to find group \(group): no matching entries in the container's /etc/group")
        }
        return gid
    }
}
