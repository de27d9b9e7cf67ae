/// A set of CPU or memory-node numbers in the kernel's list format (`0-1`, `1,3`, `0-2,5`): what
/// `--cpuset-cpus` and `--cpuset-mems` take, what `cpuset.cpus` holds and what
/// `/sys/devices/system/cpu/online` says.
///
/// Kept as merged ranges, never expanded: `0-4000000000` is one range, not four billion numbers.
public struct CPUList: Equatable, Sendable, CustomStringConvertible {
    /// Sorted, disjoint and not adjacent: `0-1,2` is stored as `0-2`.
    public private(set) var ranges: [ClosedRange<Int>]

    public init(ranges: [ClosedRange<Int>]) {
        var merged: [ClosedRange<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            // A range after one that ends at Int.max (`9223372036854775807,9223372036854775807`) overlaps it.
            if let last = merged.last, last.upperBound == .max || range.lowerBound <= last.upperBound + 1 {
                merged[merged.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                merged.append(range)
            }
        }
        self.ranges = merged
    }

    /// Docker's ParseUintList: comma-separated numbers and `LOW-HIGH` ranges, duplicates allowed, no spaces;
    /// on error "invalid format: TEXT", which Docker wraps with the flag's name.
    public init(parsing text: String) throws {
        let invalid = SandboxError("invalid format: \(text)")
        var ranges: [ClosedRange<Int>] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
            guard let low = Self.number(bounds[0]), let high = bounds.count == 2 ? Self.number(bounds[1]) : low,
                  low <= high else { throw invalid }
            ranges.append(low...high)
        }
        self.init(ranges: ranges)
    }

    public var isEmpty: Bool { ranges.isEmpty }

    /// How many numbers the list holds; Int.max for `0-9223372036854775807`, which holds one more.
    public var count: Int {
        // Disjoint ranges of non-negative numbers hold at most 2^63 numbers together: UInt64 cannot overflow.
        Int(clamping: ranges.reduce(UInt64(0)) { $0 + UInt64($1.upperBound - $1.lowerBound) + 1 })
    }

    public func isSubset(of other: CPUList) -> Bool {
        ranges.allSatisfy { range in other.ranges.contains { $0.contains(range.lowerBound) && $0.contains(range.upperBound) } }
    }

    /// The canonical list format, as the kernel prints it back.
    public var description: String {
        ranges.map { $0.lowerBound == $0.upperBound ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }.joined(separator: ",")
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else { return nil }
        return Int(text)
    }
}

/// Kept (in a container's record) as the list format.
extension CPUList: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
