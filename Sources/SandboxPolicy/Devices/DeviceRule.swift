/// What a container may do with a device node: read or write it (checked at open) and make one (mknod).
///
/// The raw values are the kernel's `BPF_DEVCG_ACC_*` bits, which a v2 device program receives.
public struct DeviceAccess: OptionSet, Codable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let mknod = DeviceAccess(rawValue: 1 << 0)
    public static let read = DeviceAccess(rawValue: 1 << 1)
    public static let write = DeviceAccess(rawValue: 1 << 2)
    public static let all: DeviceAccess = [.read, .write, .mknod]

    /// Docker's rule for a permission string: some of r, w and m, each at most once, in any order.
    public init?(parsing text: String) {
        var access: DeviceAccess = []
        for character in text {
            let bit: DeviceAccess
            switch character {
            case "r": bit = .read
            case "w": bit = .write
            case "m": bit = .mknod
            default: return nil
            }
            guard !access.contains(bit) else { return nil }
            access.insert(bit)
        }
        guard !access.isEmpty else { return nil }
        self = access
    }

    /// As the v1 devices cgroup writes it: `rwm`, `r`, `m`.
    public var description: String {
        (contains(.read) ? "r" : "") + (contains(.write) ? "w" : "") + (contains(.mknod) ? "m" : "")
    }
}

/// One entry of a device allow-list: a type, a major and a minor number (nil: any), and what may be done.
public struct DeviceRule: Codable, Hashable, Sendable, CustomStringConvertible {
    /// The letters the v1 devices cgroup uses.
    public enum Kind: Character, Sendable {
        case all = "a"
        case character = "c"
        case block = "b"
    }

    public var kind: Kind
    public var major: UInt32?
    public var minor: UInt32?
    public var access: DeviceAccess

    public init(_ kind: Kind, _ major: UInt32?, _ minor: UInt32?, _ access: DeviceAccess = .all) {
        self.kind = kind
        self.major = major
        self.minor = minor
        self.access = access
    }

    /// Every device, every access: what `a` means to the v1 devices cgroup.
    public static let everything = DeviceRule(.all, nil, nil)

    /// The v1 devices cgroup's syntax, which `devices.list` reads back: `c 1:3 rwm`, `b *:* m`, `a *:* rwm`.
    public var description: String {
        "\(kind.rawValue) \(major.map(String.init) ?? "*"):\(minor.map(String.init) ?? "*") \(access)"
    }
}

/// An enum kept as its letter (a device's type), which a Character has no coding of its own for.
public protocol LetterCoded: RawRepresentable, Codable where RawValue == Character {}

extension LetterCoded {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let letter = try container.decode(String.self)
        guard letter.count == 1, let value = Self(rawValue: Character(letter)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown device type \"\(letter)\"")
        }
        self = value
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(rawValue))
    }
}

extension DeviceRule.Kind: LetterCoded {}
