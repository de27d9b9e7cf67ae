/// `--restart`: whether the monitor of a detached container starts it again when it ends, as Docker's.
public enum RestartPolicy: Equatable, Sendable, Codable, CustomStringConvertible {
    case no
    /// When it exits with a status other than 0, at most `maximum` times (nil: always).
    case onFailure(maximum: Int?)
    case always
    /// As always, but not once a user stopped it.
    case unlessStopped

    /// Docker's syntax and messages: `no`, `on-failure[:N]`, `always`, `unless-stopped`.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        let name = parts[0], count = parts.count == 2 ? String(parts[1]) : nil
        switch name {
        case "no", "": self = .no
        case "always": self = .always
        case "unless-stopped": self = .unlessStopped
        case "on-failure":
            guard let count else { self = .onFailure(maximum: nil); return }
            guard let maximum = Int(count), maximum >= 0 else {
                throw SandboxError("invalid restart policy format: maximum retry count must be a positive integer")
            }
            self = .onFailure(maximum: maximum)
            return
        default:
            throw SandboxError("invalid restart policy format: no such policy \"\(name)\"")
        }
        if count != nil { throw SandboxError("invalid restart policy format: maximum retry count can only be used with 'on-failure'") }
    }

    /// Whether to start it again after it exited with `status`, having been restarted `restarts` times; never
    /// after a user stopped it (Docker's rule for every policy but always, which a stop also ends until the
    /// next start).
    public func restarts(afterExit status: Int32, restarts: Int, stoppedByUser: Bool) -> Bool {
        guard !stoppedByUser else { return false }
        switch self {
        case .no: return false
        case .always, .unlessStopped: return true
        case .onFailure(let maximum): return status != 0 && maximum.map { restarts < $0 } ?? true
        }
    }

    public var description: String {
        switch self {
        case .no: "no"
        case .onFailure(let maximum): maximum.map { "on-failure:\($0)" } ?? "on-failure"
        case .always: "always"
        case .unlessStopped: "unless-stopped"
        }
    }
}

/// `--log-opt` of the json-file driver: the size a log file may grow to before it is rotated, and how many
/// files are kept, as Docker's (`max-size=10m`, `max-file=3`). Unlike Docker's json-file, which keeps
/// everything unless told, the default is the cap of Docker's `local` driver, which Docker recommends for that
/// reason: 5 files of 20 MiB, at most 100 MiB a container.
public struct LogOptions: Equatable, Sendable, Codable {
    /// Bytes.
    public var maxSize: Int64 = 20 << 20
    public var maxFiles: Int = 5

    public init() {}

    public mutating func add(_ option: String) throws {
        let parts = option.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw SandboxError("invalid log opt \"\(option)\": expected KEY=VALUE") }
        let value = String(parts[1])
        switch parts[0] {
        case "max-size":
            let bytes = try ResourceLimits.bytes(value, flag: "--log-opt max-size")
            guard bytes > 0 else { throw SandboxError("max-size must be a positive number") }
            maxSize = bytes
        case "max-file":
            guard let files = Int(value), files >= 1 else { throw SandboxError("max-file must be a positive number") }
            maxFiles = files
        default:
            throw SandboxError("unknown log opt '\(parts[0])' for json-file log driver")
        }
    }
}
