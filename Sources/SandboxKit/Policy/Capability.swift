import CLibcap

/// A Linux capability, by number, named as Docker names them (CHOWN, NET_ADMIN, ...).
public struct Capability: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let number: Int

    public init(_ number: Int) { self.number = number }

    /// libcap's name without its `cap_` prefix, upper-cased; a number for a capability newer than libcap.
    public var name: String {
        guard let raw = cap_to_name(cap_value_t(number)) else { return String(number) }
        defer { cap_free(raw) }
        let name = String(cString: raw)
        return (name.hasPrefix("cap_") ? String(name.dropFirst(4)) : name).uppercased()
    }

    public var description: String { "CAP_" + name }
    public static func < (lhs: Capability, rhs: Capability) -> Bool { lhs.number < rhs.number }
}

/// A set of capabilities as the kernel's 64-bit masks hold them.
public struct CapabilityMask: Hashable, Sendable {
    public var rawValue: UInt64

    public init(rawValue: UInt64) { self.rawValue = rawValue }

    public init<S: Sequence>(_ capabilities: S) where S.Element == Capability {
        rawValue = capabilities.reduce(0) { $0 | (1 << UInt64($1.number)) }
    }

    /// Every capability from 0 through `last`.
    public static func all(through last: Int) -> CapabilityMask {
        CapabilityMask(rawValue: last >= 63 ? .max : (1 << UInt64(last + 1)) - 1)
    }

    public func contains(_ capability: Capability) -> Bool { rawValue & (1 << UInt64(capability.number)) != 0 }
    public func union(_ other: CapabilityMask) -> CapabilityMask { CapabilityMask(rawValue: rawValue | other.rawValue) }
    public func subtracting(_ other: CapabilityMask) -> CapabilityMask { CapabilityMask(rawValue: rawValue & ~other.rawValue) }
    public func intersection(_ other: CapabilityMask) -> CapabilityMask { CapabilityMask(rawValue: rawValue & other.rawValue) }

    public var capabilities: [Capability] {
        (0..<64).map(Capability.init).filter(contains)
    }
}
