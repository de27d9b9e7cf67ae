/// The entries of a passwd or group file, a container's or the host's: one entry a line, its fields split at
/// colons, the name first and the id third (`name:password:uid:gid:gecos:home:shell`,
/// `name:password:gid:member,member`), comment lines skipped. Read as runc's libcontainer/user reads them:
/// a static executable must never ask glibc's NSS.
public struct AccountFile: Sendable {
    public struct Entry: Equatable, Sendable {
        public var fields: [Substring]

        public var name: Substring { fields[0] }
        /// A user's uid or a group's gid.
        public var id: UInt32? { self[2].flatMap { UInt32($0) } }

        /// The field at `index`; nil where the line is shorter.
        public subscript(index: Int) -> Substring? { index < fields.count ? fields[index] : nil }
    }

    public var entries: [Entry]

    /// - Parameter text: the file, or nil where there is none (no entries).
    ///
    /// Split as bytes, at either line end: split as Characters (grapheme breaking), an image's passwd cost a
    /// start more than its read.
    public init(parsing text: String?) {
        let lines = (text ?? "").utf8.split { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
        entries = lines.filter { $0.first != UInt8(ascii: "#") }.map { line in
            Entry(fields: line.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false).map(Substring.init))
        }
    }

    /// The first entry of that name, as getpwnam answers from a file.
    public func entry(named name: some StringProtocol) -> Entry? {
        entries.first { $0.name == name }
    }

    /// The first entry with that id, as getpwuid answers from a file.
    public func entry(id: UInt32) -> Entry? {
        entries.first { $0.id == id }
    }
}
