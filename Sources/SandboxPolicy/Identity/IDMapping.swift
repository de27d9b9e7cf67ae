import SandboxOCI

/// One line of `/proc/PID/uid_map` or `gid_map`: `size` ids from `containerID` onward are `hostID` onward; the
/// runtime spec's `LinuxIDMapping`, one type for both.
public typealias IDMapping = OCI.IDMapping

extension IDMapping {
    /// Parses `--uidmap`'s `CONTAINER:HOST:SIZE`.
    public init(parsing text: String, option: String) throws {
        let fields = text.split(separator: ":", omittingEmptySubsequences: false)
        // Digits only: UInt32("+5") would parse.
        guard fields.count == 3, fields.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let container = UInt32(fields[0]), let host = UInt32(fields[1]), let size = UInt32(fields[2])
        else {
            throw SandboxError("invalid \(option) \"\(text)\": expected CONTAINER:HOST:SIZE, three non-negative numbers")
        }
        guard size > 0 else { throw SandboxError("invalid \(option) \"\(text)\": the size must be at least 1") }
        guard UInt64(container) + UInt64(size) <= UInt64(UInt32.max), UInt64(host) + UInt64(size) <= UInt64(UInt32.max) else {
            throw SandboxError("invalid \(option) \"\(text)\": the range passes the largest id, \(UInt32.max - 1)")
        }
        self.init(containerID: container, hostID: host, size: size)
    }

    var containerRange: Range<UInt64> { UInt64(containerID)..<UInt64(containerID) + UInt64(size) }
    var hostRange: Range<UInt64> { UInt64(hostID)..<UInt64(hostID) + UInt64(size) }

    /// The host id that container id `id` stands for, if it is mapped here.
    public func host(for id: UInt32) -> UInt32? {
        containerRange.contains(UInt64(id)) ? hostID + (id - containerID) : nil
    }
}

/// The uid or gid map of a user namespace, checked as the kernel would check it, but with a clearer message.
public struct IDMap: Codable, Equatable, Sendable {
    public var mappings: [IDMapping]

    /// - Throws: when two lines overlap on either side, or the map leaves container root unmapped
    ///   (sandbox becomes container root to set the container up).
    public init(_ mappings: [IDMapping], option: String) throws {
        for (index, first) in mappings.enumerated() {
            for second in mappings[(index + 1)...] {
                if first.containerRange.overlaps(second.containerRange) {
                    throw SandboxError("overlapping \(option): container ids \(Self.describe(first.containerRange)) and \(Self.describe(second.containerRange)) overlap")
                }
                if first.hostRange.overlaps(second.hostRange) {
                    throw SandboxError("overlapping \(option): host ids \(Self.describe(first.hostRange)) and \(Self.describe(second.hostRange)) overlap")
                }
            }
        }
        guard mappings.contains(where: { $0.host(for: 0) != nil }) else {
            throw SandboxError("invalid \(option): container id 0 must be mapped")
        }
        self.mappings = mappings
    }

    /// The host id of container root.
    public var rootHostID: UInt32 { mappings.lazy.compactMap { $0.host(for: 0) }.first! }

    /// The file format of `/proc/PID/uid_map`.
    public var procFormat: String {
        mappings.map { "\($0.containerID) \($0.hostID) \($0.size)\n" }.joined()
    }

    private static func describe(_ range: Range<UInt64>) -> String { "\(range.lowerBound)-\(range.upperBound - 1)" }
}
