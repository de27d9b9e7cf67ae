/// A Linux capability, by number, named as Docker names them (CHOWN, NET_ADMIN, ...).
public struct Capability: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let number: Int

    public init(_ number: Int) { self.number = number }

    /// The kernel's names (include/uapi/linux/capability.h, through Linux 5.9), without `CAP_`, by number.
    public static let names = [
        "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "SETPCAP",
        "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
        "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
        "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
        "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF",
        "CHECKPOINT_RESTORE",
    ]

    /// Its name without `CAP_`; a number for one newer than the table, as the kernel may know more.
    public var name: String {
        number < Self.names.count ? Self.names[number] : String(number)
    }

    public var description: String { "CAP_" + name }
    public static func < (lhs: Capability, rhs: Capability) -> Bool { lhs.number < rhs.number }
}

/// A set of capabilities as the kernel's 64-bit masks hold them.
public struct CapabilityMask: Codable, Hashable, Sendable {
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
