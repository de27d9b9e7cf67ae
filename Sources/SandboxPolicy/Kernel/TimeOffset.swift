import SandboxOCI

/// How far a clock of the container's new time namespace is from the host's (`linux.timeOffsets`): a container
/// restored on another machine keeps its monotonic and boot times.
public struct TimeOffset: Codable, Equatable, Sendable {
    /// The only clocks a time namespace offsets (time_namespaces(7)).
    public enum Clock: String, CaseIterable, Codable, Sendable {
        case monotonic, boottime
    }

    public var clock: Clock
    public var seconds: Int64
    public var nanoseconds: UInt32

    public init(clock: Clock, seconds: Int64, nanoseconds: UInt32) {
        self.clock = clock
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    /// The line /proc/PID/timens_offsets takes for it.
    public var line: String { "\(clock.rawValue) \(seconds) \(nanoseconds)\n" }
}

extension OCIMapping {
    /// `linux.timeOffsets`, by clock name; only a time namespace the container makes can be given them, before
    /// any process enters it.
    func timeOffsets(namespaces: [Namespace: NamespaceMode]) throws -> [TimeOffset] {
        guard let given = linux.timeOffsets, !given.isEmpty else { return [] }
        switch namespaces[.time] {
        case .new: break
        case .join: throw error("linux.timeOffsets", "a time namespace that is joined keeps its own offsets")
        case .host, nil: throw error("linux.timeOffsets", "needs a time namespace of the container's own (linux.namespaces has no \"time\")")
        }
        return try given.sorted { $0.key < $1.key }.map { name, offset in
            let field = "linux.timeOffsets" + Self.key(name)
            guard let clock = TimeOffset.Clock(rawValue: name) else {
                throw error(field, "only monotonic and boottime can be offset")
            }
            let nanoseconds = offset.nanosecs ?? 0
            guard nanoseconds < 1_000_000_000 else { throw error(field + ".nanosecs", "\(nanoseconds) is out of range 0-999999999") }
            return TimeOffset(clock: clock, seconds: offset.secs ?? 0, nanoseconds: nanoseconds)
        }
    }
}
