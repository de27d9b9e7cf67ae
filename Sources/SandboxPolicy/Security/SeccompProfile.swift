/// A seccomp profile in Docker's JSON format, as moby and containers/common write it.
///
/// Both dialects decode: containers/common's adds symbolic `errno`/`defaultErrno` beside the numbers, writes
/// `valueTwo` always, `includes: {}` and `args: null`. A value of the wrong kind or an unknown action or
/// operator is a decoding error whose coding path names where it is.
public struct SeccompProfile: Decodable, Equatable, Sendable {
    public enum Action: String, CaseIterable, ProfileToken, Sendable {
        case allow = "SCMP_ACT_ALLOW", errno = "SCMP_ACT_ERRNO", kill = "SCMP_ACT_KILL"
        case killThread = "SCMP_ACT_KILL_THREAD", killProcess = "SCMP_ACT_KILL_PROCESS", trap = "SCMP_ACT_TRAP"
        case trace = "SCMP_ACT_TRACE", log = "SCMP_ACT_LOG", notify = "SCMP_ACT_NOTIFY"

        static let kind = "action"
    }

    public enum Operator: String, CaseIterable, ProfileToken, Encodable, Sendable {
        case notEqual = "SCMP_CMP_NE", less = "SCMP_CMP_LT", lessOrEqual = "SCMP_CMP_LE", equal = "SCMP_CMP_EQ"
        case greaterOrEqual = "SCMP_CMP_GE", greater = "SCMP_CMP_GT", maskedEqual = "SCMP_CMP_MASKED_EQ"

        static let kind = "operator"
    }

    public struct Argument: Decodable, Equatable, Sendable {
        public var index: UInt32
        /// For SCMP_CMP_MASKED_EQ, the mask.
        public var value: UInt64
        /// For SCMP_CMP_MASKED_EQ, the value the masked argument must equal.
        public var valueTwo: UInt64
        public var op: Operator

        enum CodingKeys: String, CodingKey { case index, value, valueTwo, op }

        public init(index: UInt32, value: UInt64, valueTwo: UInt64 = 0, op: Operator) {
            self.index = index
            self.value = value
            self.valueTwo = valueTwo
            self.op = op
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            index = try container.decode(UInt32.self, forKey: .index)
            guard index <= 5 else {
                throw DecodingError.dataCorruptedError(forKey: .index, in: container,
                                                       debugDescription: "argument index \(index) is past 5, the last")
            }
            value = try container.decode(UInt64.self, forKey: .value)
            valueTwo = try container.decodeIfPresent(UInt64.self, forKey: .valueTwo) ?? 0
            op = try container.decode(Operator.self, forKey: .op)
        }
    }

    /// `includes` and `excludes`: the capabilities, architectures and kernel a rule depends on.
    public struct Filter: Decodable, Equatable, Sendable {
        public var caps: [String] = []
        public var arches: [String] = []
        public var minKernel: String?

        public init(caps: [String] = [], arches: [String] = [], minKernel: String? = nil) {
            self.caps = caps
            self.arches = arches
            self.minKernel = minKernel
        }

        enum CodingKeys: String, CodingKey { case caps, arches, minKernel }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            caps = try container.decodeIfPresent([String].self, forKey: .caps) ?? []
            arches = try container.decodeIfPresent([String].self, forKey: .arches) ?? []
            minKernel = try container.decodeIfPresent(String.self, forKey: .minKernel)
        }
    }

    public struct Rule: Decodable, Equatable, Sendable {
        public var names: [String]
        public var action: Action
        public var errnoRet: UInt32?
        public var args: [Argument]
        public var includes: Filter
        public var excludes: Filter
        public var comment: String?

        enum CodingKeys: String, CodingKey { case name, names, action, errnoRet, errno, args, includes, excludes, comment }

        public init(names: [String], action: Action, errnoRet: UInt32? = nil, args: [Argument] = [],
                    includes: Filter = Filter(), excludes: Filter = Filter()) {
            self.names = names
            self.action = action
            self.errnoRet = errnoRet
            self.args = args
            self.includes = includes
            self.excludes = excludes
        }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            names = try container.decodeIfPresent([String].self, forKey: .names) ?? []
            if let name = try container.decodeIfPresent(String.self, forKey: .name) { names.append(name) }
            guard !names.isEmpty else {
                throw DecodingError.dataCorruptedError(forKey: .names, in: container, debugDescription: "a rule needs name or names")
            }
            action = try container.decode(Action.self, forKey: .action)
            errnoRet = try container.decodeIfPresent(UInt32.self, forKey: .errnoRet)
                ?? SeccompProfile.errno(named: try container.decodeIfPresent(String.self, forKey: .errno), in: container, key: .errno)
            args = try container.decodeIfPresent([Argument].self, forKey: .args) ?? []
            includes = try container.decodeIfPresent(Filter.self, forKey: .includes) ?? Filter()
            excludes = try container.decodeIfPresent(Filter.self, forKey: .excludes) ?? Filter()
            comment = try container.decodeIfPresent(String.self, forKey: .comment)
        }
    }

    public struct ArchitectureMap: Decodable, Equatable, Sendable {
        public var architecture: String
        public var subArchitectures: [String]

        enum CodingKeys: String, CodingKey { case architecture, subArchitectures }

        public init(from decoder: Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            architecture = try container.decode(String.self, forKey: .architecture)
            subArchitectures = try container.decodeIfPresent([String].self, forKey: .subArchitectures) ?? []
        }
    }

    public var defaultAction: Action
    public var defaultErrnoRet: UInt32?
    public var architectures: [String]
    public var archMap: [ArchitectureMap]
    public var syscalls: [Rule]
    public var flags: [String]

    enum CodingKeys: String, CodingKey { case defaultAction, defaultErrnoRet, defaultErrno, architectures, archMap, syscalls, flags }

    public init(defaultAction: Action, defaultErrnoRet: UInt32? = nil, syscalls: [Rule] = []) {
        self.defaultAction = defaultAction
        self.defaultErrnoRet = defaultErrnoRet
        architectures = []
        archMap = []
        self.syscalls = syscalls
        flags = []
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        defaultAction = try container.decode(Action.self, forKey: .defaultAction)
        defaultErrnoRet = try container.decodeIfPresent(UInt32.self, forKey: .defaultErrnoRet)
            ?? Self.errno(named: try container.decodeIfPresent(String.self, forKey: .defaultErrno), in: container, key: .defaultErrno)
        architectures = try container.decodeIfPresent([String].self, forKey: .architectures) ?? []
        archMap = try container.decodeIfPresent([ArchitectureMap].self, forKey: .archMap) ?? []
        syscalls = try container.decodeIfPresent([Rule].self, forKey: .syscalls) ?? []
        flags = try container.decodeIfPresent([String].self, forKey: .flags) ?? []
    }

    /// The errnos containers/common names symbolically; a number is always given beside them.
    static let errnoNames: [String: UInt32] = ["EPERM": 1, "ENOENT": 2, "EACCES": 13, "EINVAL": 22, "ENOSYS": 38]

    static func errno<Key: CodingKey>(named name: String?, in container: KeyedDecodingContainer<Key>, key: Key) throws -> UInt32? {
        guard let name else { return nil }
        guard let number = errnoNames[name] else {
            throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "unknown errno \"\(name)\"")
        }
        return number
    }
}

/// A profile's symbolic value (an action, an operator): an unknown one is an error that names it.
protocol ProfileToken: RawRepresentable, Decodable where RawValue == String {
    static var kind: String { get }
}

extension ProfileToken {
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Self(rawValue: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown \(Self.kind) \"\(text)\"")
        }
        self = value
    }
}
