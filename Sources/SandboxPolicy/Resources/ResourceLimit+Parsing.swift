/// Docker's `--ulimit TYPE=SOFT[:HARD]`, parsed as docker/go-units ParseUlimit parses it, with its messages.
extension ResourceLimit {
    /// The types Docker names, each the kernel's `RLIMIT_` + its name in capitals (Docker has no `as`).
    static let dockerTypes: Set<String> = [
        "core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio",
        "rttime", "sigpending", "stack",
    ]

    /// The limit's name as OCI writes it (`RLIMIT_NOFILE`).
    public var name: String {
        Self.resources.first { $0.value == resource }?.key ?? "resource \(resource)"
    }

    /// `nofile=1024`, `nofile=1024:2048`; -1 is unlimited. No hard limit: the soft one.
    public init(docker text: String) throws {
        func invalid(_ reason: String) -> SandboxError {
            SandboxError("invalid argument \"\(text)\" for \"--ulimit\" flag: \(reason)")
        }
        guard let equals = text.firstIndex(of: "=") else { throw invalid("invalid ulimit argument: \(text)") }
        let type = String(text[..<equals])
        guard Self.dockerTypes.contains(type), let resource = Self.resources["RLIMIT_" + type.uppercased()] else {
            throw invalid("invalid ulimit type: \(type)")
        }
        let values = text[text.index(after: equals)...].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        func value(_ field: Substring) throws -> Int64 {
            guard let number = Int64(field) else { throw invalid("strconv.ParseInt: parsing \"\(field)\": invalid syntax") }
            guard number >= -1 else { throw invalid("invalid ulimit argument: \(text)") }
            return number
        }
        let soft = try value(values[0])
        let hard = try values.count == 2 ? value(values[1]) : soft
        if hard != -1 && (soft == -1 || soft > hard) {
            throw invalid("ulimit soft limit must be less than or equal to hard limit: \(soft) > \(hard)")
        }
        func kernel(_ number: Int64) -> UInt64 { number == -1 ? .max : UInt64(number) }
        self.init(resource: resource, soft: kernel(soft), hard: kernel(hard))
    }
}
