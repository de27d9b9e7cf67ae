import SandboxOCI

/// How the kernel schedules a container's process, beside what it runs: its I/O priority (ioprio_set).
/// Kept as the kernel's numbers, so that the child only copies them into its syscalls; each reading of an OCI
/// field checks what the kernel would refuse, so that the refusal names the field.
public struct ProcessScheduling: Codable, Equatable, Sendable {
    /// ioprio_set's value; nil: inherited.
    public var ioPriority: IOPriority?

    public init() {}

    public struct IOPriority: Codable, Equatable, Sendable {
        /// IOPRIO_CLASS_*.
        public var `class`: Int32
        /// 0, the highest, to 7.
        public var level: Int32

        /// ioprio_set's argument: the class above the 13 bits of the level (IOPRIO_PRIO_VALUE).
        public var value: Int32 { `class` << 13 | level }

        /// The kernel's classes (include/uapi/linux/ioprio.h).
        static let classes: [OCI.IOPriority.Class: Int32] = [.realTime: 1, .bestEffort: 2, .idle: 3]

        init(oci: OCI.IOPriority, refuse: (String, String) -> SandboxError) throws {
            let level = oci.priority ?? 0
            guard (0...7).contains(level) else { throw refuse("ioPriority.priority", "\(level) is out of range 0-7") }
            self.class = Self.classes[oci.class]!
            self.level = level
        }
    }
}

extension ProcessScheduling {
    /// An OCI process's scheduling fields.
    /// - Parameter refuse: makes the one line for a field named from the process on (`ioPriority.priority`).
    init(oci process: OCI.Process, refuse: (String, String) -> SandboxError) throws {
        ioPriority = try process.ioPriority.map { try IOPriority(oci: $0, refuse: refuse) }
    }
}
