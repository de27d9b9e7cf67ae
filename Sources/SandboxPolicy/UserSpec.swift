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
        let users = Self.entries(passwd)
        let groups = Self.entries(groupFile)
        let entry = users.first { $0.first == user } ?? UInt32(user).flatMap { uid in users.first { $0.count > 2 && UInt32($0[2]) == uid } }
        guard let uid = UInt32(user) ?? entry.flatMap({ $0.count > 2 ? UInt32($0[2]) : nil }) else {
            throw SandboxError("unable to find user \(user): no matching entries in the container's /etc/passwd")
        }
        var gid = entry.flatMap { $0.count > 3 ? UInt32($0[3]) : nil } ?? 0
        if let group { gid = try Self.groupID(group, in: groups) }
        // Supplementary groups: those listing the user's name as a member, then --group-add.
        let name = entry?.first ?? user
        var supplementary = groups.filter { $0.count > 3 && $0[3].split(separator: ",").contains(Substring(name)) }
            .compactMap { UInt32($0[2]) }
        for extra in additionalGroups {
            supplementary.append(try Self.groupID(extra, in: groups))
        }
        var seen = Set<UInt32>()
        supplementary = supplementary.filter { seen.insert($0).inserted }
        let home = entry.flatMap { $0.count > 5 && !$0[5].isEmpty ? $0[5] : nil } ?? "/"
        return Resolved(uid: uid, gid: gid, supplementaryGroups: supplementary, home: home)
    }

    private static func groupID(_ group: String, in groups: [[String]]) throws -> UInt32 {
        if let gid = UInt32(group) { return gid }
        guard let entry = groups.first(where: { $0.first == group }), entry.count > 2, let gid = UInt32(entry[2]) else {
            throw SandboxError("unable to find group \(group): no matching entries in the container's /etc/group")
        }
        return gid
    }

    private static func entries(_ text: String?) -> [[String]] {
        (text ?? "").split(whereSeparator: \.isNewline).filter { !$0.hasPrefix("#") }
            .map { $0.split(separator: ":", omittingEmptySubsequences: false).map(String.init) }
    }
}
