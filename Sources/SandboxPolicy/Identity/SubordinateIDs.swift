/// The ranges in `/etc/subuid` or `/etc/subgid`: lines of `OWNER:START:COUNT`, where OWNER is a name or a uid.
public struct SubordinateIDs: Equatable, Sendable {
    public struct Range: Equatable, Sendable {
        public var owner: Substring
        public var start: UInt32
        public var count: UInt32
    }

    public var ranges: [Range]

    public init(ranges: [Range]) {
        self.ranges = ranges
    }

    /// Parses the file's text; lines that are not well formed are ignored, as shadow-utils ignores them.
    public init(parsing text: String) {
        ranges = text.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: ":", omittingEmptySubsequences: false)
            guard fields.count == 3, let start = UInt32(fields[1]), let count = UInt32(fields[2]), count > 0 else {
                return nil
            }
            return Range(owner: fields[0], start: start, count: count)
        }
    }

    /// The ranges of a user, by name or uid, in file order, laid end to end from container id 0 (as Docker's
    /// userns-remap does).
    public func mappings(owner name: String, id: UInt32?) -> [IDMapping] {
        var next: UInt64 = 0
        var mappings: [IDMapping] = []
        for range in ranges where range.owner == name || (id != nil && range.owner == String(id!)) {
            // Host ids end at 4294967294 as well: the kernel cannot map a range past that, so it is left out.
            guard UInt64(range.start) + UInt64(range.count) <= UInt64(UInt32.max) else { continue }
            // Container ids end at 4294967294 too: ranges past that are left out.
            guard next + UInt64(range.count) <= UInt64(UInt32.max) else { break }
            mappings.append(IDMapping(containerID: UInt32(next), hostID: range.start, size: range.count))
            next += UInt64(range.count)
        }
        return mappings
    }

    /// The ids of `/etc/passwd` or `/etc/group` text (the third field), each as a range of one: a subordinate
    /// range must stay clear of them.
    public static func accountIDs(_ text: String) -> [Range] {
        AccountFile(parsing: text).entries.compactMap { entry in entry.id.map { Range(owner: entry.name, start: $0, count: 1) } }
    }

    /// The first start, from 100000 on, where `count` ids collide with no range here; nil if none fits below
    /// the largest id, 4294967294.
    public func firstFree(count: UInt32, from start: UInt32 = 100_000) -> UInt32? {
        var candidate = UInt64(start)
        for range in ranges.sorted(by: { $0.start < $1.start }) {
            let end = UInt64(range.start) + UInt64(range.count)
            if UInt64(range.start) < candidate + UInt64(count) && candidate < end {
                candidate = end
            }
        }
        return candidate + UInt64(count) <= UInt64(UInt32.max) ? UInt32(candidate) : nil
    }
}
