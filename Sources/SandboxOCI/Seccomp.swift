extension OCI {
    /// `linux.seccomp` in the OCI format: libseccomp's names, a default action and rules by syscall name.
    ///
    /// Not Docker's profile format, which adds `includes`/`excludes` conditions and per-architecture syscall
    /// lists: the engine resolves those before writing config.json.
    public struct Seccomp: Codable, Equatable, Sendable {
        public var defaultAction: Action
        /// The errno of a default `SCMP_ACT_ERRNO` or `SCMP_ACT_TRACE`; EPERM when absent.
        public var defaultErrnoRet: UInt32?
        public var architectures: [Architecture]?
        /// seccomp(2)'s filter flags.
        public var flags: [Flag]?
        /// The Unix socket that gets the notify fd (`seccompFd`) and an `OCI.ContainerProcessState` when a rule
        /// says `SCMP_ACT_NOTIFY`.
        public var listenerPath: String?
        /// Passed to the listener as `metadata`; only with `listenerPath`.
        public var listenerMetadata: String?
        public var syscalls: [Syscall]?

        public init(defaultAction: Action) { self.defaultAction = defaultAction }

        /// A rule: these syscalls, when every argument condition holds, get this action.
        public struct Syscall: Codable, Equatable, Sendable {
            /// At least one.
            public var names: [String]
            public var action: Action
            /// The errno of `SCMP_ACT_ERRNO` or `SCMP_ACT_TRACE`; EPERM when absent.
            public var errnoRet: UInt32?
            public var args: [Argument]?

            public init(names: [String], action: Action, errnoRet: UInt32? = nil, args: [Argument]? = nil) {
                self.names = names
                self.action = action
                self.errnoRet = errnoRet
                self.args = args
            }
        }

        /// A condition on one syscall argument.
        public struct Argument: Codable, Equatable, Sendable {
            /// The argument's position, 0 to 5.
            public var index: UInt32
            /// For `SCMP_CMP_MASKED_EQ`, the mask.
            public var value: UInt64
            /// For `SCMP_CMP_MASKED_EQ`, what the masked argument must equal.
            public var valueTwo: UInt64?
            public var op: Operator

            public init(index: UInt32, value: UInt64, valueTwo: UInt64? = nil, op: Operator) {
                self.index = index
                self.value = value
                self.valueTwo = valueTwo
                self.op = op
            }
        }

        public enum Action: String, OCI.Token {
            case kill = "SCMP_ACT_KILL", killProcess = "SCMP_ACT_KILL_PROCESS", killThread = "SCMP_ACT_KILL_THREAD"
            case trap = "SCMP_ACT_TRAP", errno = "SCMP_ACT_ERRNO", trace = "SCMP_ACT_TRACE"
            case allow = "SCMP_ACT_ALLOW", log = "SCMP_ACT_LOG", notify = "SCMP_ACT_NOTIFY"

            public static let kind = "seccomp action"
        }

        public enum Operator: String, OCI.Token {
            case notEqual = "SCMP_CMP_NE", less = "SCMP_CMP_LT", lessOrEqual = "SCMP_CMP_LE", equal = "SCMP_CMP_EQ"
            case greaterOrEqual = "SCMP_CMP_GE", greater = "SCMP_CMP_GT", maskedEqual = "SCMP_CMP_MASKED_EQ"

            public static let kind = "seccomp operator"
        }

        /// libseccomp 2.6's architectures, as the spec lists them.
        public enum Architecture: String, OCI.Token {
            case x86 = "SCMP_ARCH_X86", x86_64 = "SCMP_ARCH_X86_64", x32 = "SCMP_ARCH_X32"
            case arm = "SCMP_ARCH_ARM", aarch64 = "SCMP_ARCH_AARCH64"
            case loongarch64 = "SCMP_ARCH_LOONGARCH64", m68k = "SCMP_ARCH_M68K"
            case mips = "SCMP_ARCH_MIPS", mips64 = "SCMP_ARCH_MIPS64", mips64n32 = "SCMP_ARCH_MIPS64N32"
            case mipsel = "SCMP_ARCH_MIPSEL", mipsel64 = "SCMP_ARCH_MIPSEL64", mipsel64n32 = "SCMP_ARCH_MIPSEL64N32"
            case ppc = "SCMP_ARCH_PPC", ppc64 = "SCMP_ARCH_PPC64", ppc64le = "SCMP_ARCH_PPC64LE"
            case s390 = "SCMP_ARCH_S390", s390x = "SCMP_ARCH_S390X"
            case sh = "SCMP_ARCH_SH", sheb = "SCMP_ARCH_SHEB"
            case parisc = "SCMP_ARCH_PARISC", parisc64 = "SCMP_ARCH_PARISC64"
            case riscv64 = "SCMP_ARCH_RISCV64"

            public static let kind = "seccomp architecture"
        }

        public enum Flag: String, OCI.Token {
            case threadSynchronize = "SECCOMP_FILTER_FLAG_TSYNC", log = "SECCOMP_FILTER_FLAG_LOG"
            case speculationAllowed = "SECCOMP_FILTER_FLAG_SPEC_ALLOW"
            case waitKillableReceive = "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"

            public static let kind = "seccomp flag"
        }
    }
}
