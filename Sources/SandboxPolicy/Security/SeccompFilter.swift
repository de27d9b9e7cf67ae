/// A profile resolved for one container, by Docker's loading rules: the rules that apply to this
/// architecture, kernel and bounding set, one per syscall and argument alternative, ready for libseccomp.
public struct SeccompFilter: Codable, Equatable, Sendable {
    public enum Decision: Codable, Equatable, Hashable, Sendable {
        case allow, errno(UInt32), killThread, killProcess, trap, trace(UInt32), log, notify

        /// Whether the syscall does not run: these are what `seccomp test` reports.
        public var denies: Bool {
            switch self {
            case .errno, .killThread, .killProcess, .trap: true
            case .allow, .trace, .log, .notify: false
            }
        }
    }

    public struct Condition: Codable, Equatable, Hashable, Sendable {
        public var index: UInt32
        public var op: SeccompProfile.Operator
        public var value: UInt64
        public var valueTwo: UInt64

        /// The condition a 32-bit architecture's filter tests: the values' low halves.
        var narrowed: Condition {
            Condition(index: index, op: op, value: value & 0xffff_ffff, valueTwo: valueTwo & 0xffff_ffff)
        }
    }

    /// One libseccomp rule: the syscall, the decision, and conditions that must all hold.
    public struct Rule: Codable, Equatable, Hashable, Sendable {
        public var syscall: String
        public var decision: Decision
        public var conditions: [Condition]
    }

    /// A syscall as a seccomp notification gives it, named as libseccomp names it.
    public struct Syscall: Equatable, Sendable {
        /// libseccomp's name of the architecture it was made on ("x86_64", "x86", "x32"); nil if libseccomp has none.
        public var architecture: String?
        /// Its name on that architecture; nil if libseccomp cannot name the number there.
        public var name: String?
        public var number: Int32
        public var arguments: [UInt64]

        public init(architecture: String?, name: String?, number: Int32, arguments: [UInt64]) {
            self.architecture = architecture
            self.name = name
            self.number = number
            self.arguments = arguments
        }

        /// How a report names it.
        public var displayName: String { name ?? "syscall \(number)" }
    }

    /// What the filter does with a syscall of an architecture it does not cover: libseccomp's default
    /// SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL, which the compiler also sets, so that a supervisor answers as
    /// the kernel's filter would.
    public static let badArchitecture = Decision.killThread

    /// What the host contributes to the resolution.
    public struct Host: Sendable {
        /// libseccomp's name of the native architecture, such as "x86_64" or "aarch64".
        public var architecture: String
        public var kernel: (major: Int, minor: Int)
        /// Whether this libseccomp knows a syscall name.
        public var knows: @Sendable (String) -> Bool

        public init(architecture: String, kernel: (major: Int, minor: Int), knows: @escaping @Sendable (String) -> Bool) {
            self.architecture = architecture
            self.kernel = kernel
            self.knows = knows
        }
    }

    public var defaultDecision: Decision
    /// libseccomp's names of the architectures the filter covers: the native one first, then Docker's archMap
    /// for it, or else the profile's `architectures`. A syscall of any other gets `badArchitecture`.
    public var architectures: [String]
    public var rules: [Rule]
    public var flags: [String]
    /// Names the profile allows that this libseccomp does not know: skipped, as the profile may be newer.
    public var skippedNames: [String] = []

    /// - Parameter bounding: the container's bounding set, against which `includes.caps` and `excludes.caps`
    ///   are checked, as Docker checks them.
    public init(profile: SeccompProfile, bounding: CapabilityMask, host: Host) throws {
        let defaultErrno = profile.defaultErrnoRet ?? 1
        defaultDecision = Self.decision(profile.defaultAction, errno: profile.defaultErrnoRet, defaultErrno: defaultErrno)
        let native = "SCMP_ARCH_" + host.architecture.uppercased()
        if let entry = profile.archMap.first(where: { $0.architecture == native }) {
            architectures = [host.architecture] + entry.subArchitectures.map(Self.libseccompName)
        } else {
            architectures = [host.architecture] + profile.architectures.filter { $0 != native }.map(Self.libseccompName)
        }
        flags = profile.flags
        rules = []
        let goArchitecture = Self.goArchitectures[host.architecture] ?? host.architecture
        let capabilities = Set(bounding.capabilities.map(\.description))

        for (index, rule) in profile.syscalls.enumerated() {
            guard Self.applies(rule, architecture: goArchitecture, kernel: host.kernel, capabilities: capabilities) else { continue }
            let decision = Self.decision(rule.action, errno: rule.errnoRet, defaultErrno: defaultErrno)
            // libseccomp refuses a rule whose action is the filter's default; Docker skips it.
            if decision == defaultDecision { continue }
            let alternatives = Self.alternativeCount(rule.args)
            for name in rule.names {
                guard host.knows(name) else {
                    guard !decision.denies && decision != .notify else {
                        throw SandboxError("syscalls[\(index)]: \(rule.action.rawValue) names \"\(name)\", which this libseccomp does not know; refusing to run without the block")
                    }
                    skippedNames.append(name)
                    continue
                }
                // Counted before they are made: a profile of a few lines can ask for millions.
                guard rules.count + alternatives <= Self.maximumRules else {
                    throw SandboxError("syscalls[\(index)]: the profile makes more than \(Self.maximumRules) rules, more than a seccomp filter can hold (several conditions on one argument are alternatives, and each choice is a rule)")
                }
                for conditions in Self.alternatives(rule.args) {
                    rules.append(Rule(syscall: name, decision: decision, conditions: conditions))
                }
            }
        }
    }

    /// The decision the kernel's filter makes for a notified syscall: by its name on its own architecture,
    /// since each has its own numbers (i386's clone is x86_64's getresgid). An architecture the filter does
    /// not cover gets `badArchitecture`, a number libseccomp cannot name the default: no rule names it.
    public func decide(_ syscall: Syscall) -> Decision {
        guard let architecture = syscall.architecture, architectures.contains(architecture) else { return Self.badArchitecture }
        guard let name = syscall.name else { return defaultDecision }
        return decide(name, arguments: syscall.arguments, narrow: Self.narrowArchitectures.contains(architecture))
    }

    /// The decision the filter makes for a syscall with these arguments; rules are checked as the kernel
    /// would rank them if several match: the most severe wins. On a `narrow` architecture libseccomp
    /// compares only the low 32 bits, of the argument and of the profile's values.
    public func decide(_ syscall: String, arguments: [UInt64], narrow: Bool = false) -> Decision {
        let matching = rules.filter { rule in
            rule.syscall == syscall && rule.conditions.allSatisfy { condition in
                let argument = Int(condition.index) < arguments.count ? arguments[Int(condition.index)] : 0
                return narrow ? Self.holds(condition.narrowed, argument & 0xffff_ffff) : Self.holds(condition, argument)
            }
        }.map(\.decision)
        return matching.max { Self.severity($0) < Self.severity($1) } ?? defaultDecision
    }

    static func holds(_ condition: Condition, _ argument: UInt64) -> Bool {
        switch condition.op {
        case .notEqual: argument != condition.value
        case .less: argument < condition.value
        case .lessOrEqual: argument <= condition.value
        case .equal: argument == condition.value
        case .greaterOrEqual: argument >= condition.value
        case .greater: argument > condition.value
        case .maskedEqual: argument & condition.value == condition.valueTwo
        }
    }

    /// The kernel's precedence of filter results.
    static func severity(_ decision: Decision) -> Int {
        switch decision {
        case .killProcess: 7
        case .killThread: 6
        case .trap: 5
        case .errno: 4
        case .notify: 3
        case .trace: 2
        case .log: 1
        case .allow: 0
        }
    }

    static func decision(_ action: SeccompProfile.Action, errno: UInt32?, defaultErrno: UInt32) -> Decision {
        switch action {
        case .allow: .allow
        case .errno: .errno(errno ?? defaultErrno)
        case .kill, .killThread: .killThread
        case .killProcess: .killProcess
        case .trap: .trap
        case .trace: .trace(errno ?? defaultErrno)
        case .log: .log
        case .notify: .notify
        }
    }

    /// Docker's rule: every cap of `includes` in the bounding set, none of `excludes`; the arch is Go's name
    /// of the native one; `minKernel` at most the running kernel.
    static func applies(_ rule: SeccompProfile.Rule, architecture: String, kernel: (major: Int, minor: Int),
                        capabilities: Set<String>) -> Bool {
        if !rule.includes.caps.allSatisfy(capabilities.contains) { return false }
        if !rule.includes.arches.isEmpty && !rule.includes.arches.contains(architecture) { return false }
        if let minimum = rule.includes.minKernel, !Self.kernel(kernel, isAtLeast: minimum) { return false }
        if rule.excludes.caps.contains(where: capabilities.contains) { return false }
        if rule.excludes.arches.contains(architecture) { return false }
        return true
    }

    /// Whether a kernel is `minimum` ("4.8") or later.
    static func kernel(_ kernel: (major: Int, minor: Int), isAtLeast minimum: String) -> Bool {
        let parts = minimum.split(separator: ".").compactMap { Int($0) }
        let required = (parts.first ?? 0, parts.count > 1 ? parts[1] : 0)
        return kernel.major > required.0 || (kernel.major == required.0 && kernel.minor >= required.1)
    }

    /// The kernel loads a filter of at most 4096 instructions (BPF_MAXINSNS), and each rule takes one or more.
    static let maximumRules = 4096

    /// How many rules `alternatives` makes of these arguments, or `maximumRules + 1` if more.
    static func alternativeCount(_ arguments: [SeccompProfile.Argument]) -> Int {
        Dictionary(grouping: arguments, by: \.index).values.reduce(1) { min($0 * $1.count, maximumRules + 1) }
    }

    /// Conditions on distinct arguments are ANDed; several on one argument are alternatives (OR), so a
    /// rule becomes one libseccomp rule per choice of one condition for each argument.
    static func alternatives(_ arguments: [SeccompProfile.Argument]) -> [[Condition]] {
        var byIndex: [UInt32: [Condition]] = [:]
        for argument in arguments {
            byIndex[argument.index, default: []].append(
                Condition(index: argument.index, op: argument.op, value: argument.value, valueTwo: argument.valueTwo))
        }
        return byIndex.keys.sorted().reduce([[]]) { partial, index in
            partial.flatMap { prefix in byIndex[index]!.map { prefix + [$0] } }
        }
    }

    /// "SCMP_ARCH_X86_64" is libseccomp's "x86_64".
    static func libseccompName(_ architecture: String) -> String {
        (architecture.hasPrefix("SCMP_ARCH_") ? String(architecture.dropFirst(10)) : architecture).lowercased()
    }

    /// libseccomp's 32-bit architectures (ARCH_SIZE_32; x32 and mips64n32 among them): their filters compare
    /// the low 32 bits of arguments only.
    static let narrowArchitectures: Set = [
        "x86", "x32", "arm", "m68k", "mips", "mipsel", "mips64n32", "mipsel64n32", "ppc", "s390", "parisc", "sh", "sheb",
    ]

    /// Docker matches `arches` against Go's name of the native architecture.
    static let goArchitectures = [
        "x86_64": "amd64", "x86": "386", "x32": "x32", "aarch64": "arm64", "arm": "arm", "ppc64le": "ppc64le",
        "s390": "s390", "s390x": "s390x", "riscv64": "riscv64", "mips64": "mips64", "mips64n32": "mips64n32",
    ]
}
