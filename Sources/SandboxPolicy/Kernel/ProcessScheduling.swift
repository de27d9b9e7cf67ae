import SandboxOCI

/// How the kernel schedules a container's process, beside what it runs: its I/O priority (ioprio_set), its
/// CPU scheduler (sched_setattr) and the CPUs an exec'd process runs on (sched_setaffinity).
/// Kept as the kernel's numbers, so that the child only copies them into its syscalls; each reading of an OCI
/// field checks what the kernel would refuse, so that the refusal names the field.
public struct ProcessScheduling: Codable, Equatable, Sendable {
    /// ioprio_set's value; nil: inherited.
    public var ioPriority: IOPriority?
    /// sched_setattr's settings; nil: inherited.
    public var scheduler: Scheduler?
    /// For a process added with exec, never the container's first (runtime-spec 1.2, as runc and crun).
    public var execCPUAffinity: CPUAffinity?

    public init() {}

    /// The CPUs an exec'd process runs on: `initial` from its start, while it joins the container, and `final`
    /// from its execve (when absent, every CPU: the container's cpuset then decides, as runc and crun reset it).
    public struct CPUAffinity: Codable, Equatable, Sendable {
        public var initial: CPUList?
        public var final: CPUList?

        /// sched_setaffinity's masks as glibc's cpu_set_t holds them (CPU_SETSIZE).
        public static let cpuLimit = 1024

        init?(oci: OCI.CPUAffinity, refuse: (String, String) -> SandboxError) throws {
            func list(_ text: String?, _ field: String) throws -> CPUList? {
                guard let text, !text.isEmpty else { return nil }
                let list: CPUList
                do { list = try CPUList(parsing: text) } catch {
                    throw refuse("execCPUAffinity." + field, "\"\(text)\" is not a CPU list (such as 0-3,7)")
                }
                if let last = list.ranges.last?.upperBound, last >= Self.cpuLimit {
                    throw refuse("execCPUAffinity." + field, "CPU \(last) is beyond the \(Self.cpuLimit) a process can be given")
                }
                return list
            }
            initial = try list(oci.initial, "initial")
            final = try list(oci.final, "final")
            if initial == nil && final == nil { return nil }
        }
    }

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
    public struct Scheduler: Codable, Equatable, Sendable {
        /// SCHED_*.
        public var policy: UInt32
        /// SCHED_FLAG_*.
        public var flags: UInt64
        public var nice: Int32
        /// The static priority, 1 to 99 for the real-time policies, 0 for the others.
        public var priority: UInt32
        /// SCHED_DEADLINE's, in nanoseconds; 0 for the others (a period of 0 is the deadline).
        public var runtime: UInt64 = 0
        public var deadline: UInt64 = 0
        public var period: UInt64 = 0

        /// The kernel's policies (include/uapi/linux/sched.h); SCHED_ISO, 4, was never merged.
        static let policies: [OCI.Scheduler.Policy: UInt32] = [.other: 0, .fifo: 1, .roundRobin: 2, .batch: 3, .idle: 5, .deadline: 6]
        static let flagBits: [OCI.Scheduler.Flag: UInt64] = [
            .resetOnFork: 0x01, .reclaim: 0x02, .deadlineOverrun: 0x04, .keepPolicy: 0x08, .keepParameters: 0x10,
            .utilizationClampMinimum: 0x20, .utilizationClampMaximum: 0x40,
        ]
        /// sched(7): a deadline policy's times are at least 1024 ns (DL_SCALE) and below 2^63.
        static let deadlineTimes = UInt64(1024)...UInt64(Int64.max)

        init(oci: OCI.Scheduler, refuse: (String, String) -> SandboxError) throws {
            let name = oci.policy.rawValue
            guard let policy = Self.policies[oci.policy] else {
                throw refuse("scheduler.policy", "\(name) is not a policy of the Linux kernel")
            }
            self.policy = policy
            nice = oci.nice ?? 0
            guard (-20...19).contains(nice) else { throw refuse("scheduler.nice", "\(nice) is out of range -20 to 19") }
            let priority = oci.priority ?? 0
            if oci.policy == .fifo || oci.policy == .roundRobin {
                guard (1...99).contains(priority) else { throw refuse("scheduler.priority", "\(priority) is out of range 1-99 for \(name)") }
            } else if priority != 0 {
                throw refuse("scheduler.priority", "only SCHED_FIFO and SCHED_RR take one, not \(name)")
            }
            self.priority = UInt32(priority)
            flags = 0
            for (index, flag) in (oci.flags ?? []).enumerated() {
                if flag == .utilizationClampMinimum || flag == .utilizationClampMaximum {
                    throw refuse("scheduler.flags[\(index)]", "\(flag.rawValue) needs a clamp value, which the runtime spec cannot give")
                }
                flags |= Self.flagBits[flag]!
            }
            let times = [("runtime", oci.runtime), ("deadline", oci.deadline), ("period", oci.period)]
            guard oci.policy == .deadline else {
                if let (field, _) = times.first(where: { ($0.1 ?? 0) != 0 }) {
                    throw refuse("scheduler." + field, "only SCHED_DEADLINE takes one, not \(name)")
                }
                return
            }
            for (field, value) in times where field != "period" || (value ?? 0) != 0 {
                guard let value, Self.deadlineTimes.contains(value) else {
                    throw refuse("scheduler." + field, value == nil ? "SCHED_DEADLINE needs one" : "\(value) ns is out of range 1024 to 2^63-1")
                }
            }
            runtime = oci.runtime!
            deadline = oci.deadline!
            period = oci.period ?? 0
            guard runtime <= deadline else { throw refuse("scheduler.runtime", "\(runtime) ns is longer than the deadline, \(deadline) ns") }
            guard period == 0 || deadline <= period else { throw refuse("scheduler.deadline", "\(deadline) ns is longer than the period, \(period) ns") }
        }
    }

    /// An OCI process's scheduling fields; nil when it has none, as a Docker container's process has none.
    /// - Parameter refuse: makes the one line for a field named from the process on (`ioPriority.priority`).
    static func of(oci process: OCI.Process, refuse: (String, String) -> SandboxError) throws -> ProcessScheduling? {
        let scheduling = try ProcessScheduling(oci: process, refuse: refuse)
        return scheduling == ProcessScheduling() ? nil : scheduling
    }

    private init(oci process: OCI.Process, refuse: (String, String) -> SandboxError) throws {
        ioPriority = try process.ioPriority.map { try IOPriority(oci: $0, refuse: refuse) }
        scheduler = try process.scheduler.map { try Scheduler(oci: $0, refuse: refuse) }
        execCPUAffinity = try process.execCPUAffinity.flatMap { try CPUAffinity(oci: $0, refuse: refuse) }
    }
}
