/// The workload's environment, built as `docker run` builds it: defaults, then `--env-file`, then `-e`.
public struct Environment: Equatable, Sendable {
    /// Docker's default PATH, used also to find the command inside the container.
    public static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// NAME=VALUE pairs in order; a later NAME replaces an earlier one in place.
    public private(set) var variables: [(name: String, value: String)] = []
    /// Names given as `-e NAME` that the host has no value for. Docker passes such a name on, meaning "unset":
    /// an image's value of it is dropped too.
    public private(set) var unset: [String] = []

    public init() {}

    public static func == (lhs: Environment, rhs: Environment) -> Bool {
        lhs.variables.elementsEqual(rhs.variables) { $0 == $1 } && lhs.unset == rhs.unset
    }

    public subscript(name: String) -> String? {
        variables.last { $0.name == name }?.value
    }

    public mutating func set(_ name: String, _ value: String) {
        if let index = variables.firstIndex(where: { $0.name == name }) {
            variables[index].value = value
        } else {
            variables.append((name, value))
        }
    }

    /// Adds `-e NAME=VALUE`, or `-e NAME`, which takes NAME's value from `host`, or unsets NAME if it has none.
    public mutating func add(_ assignment: String, host: [String: String]) throws {
        let parts = assignment.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let name = String(parts[0])
        guard !name.isEmpty else { throw SandboxError("invalid environment variable \"\(assignment)\": the name is empty") }
        guard !name.contains(where: \.isWhitespace) else {
            throw SandboxError("invalid environment variable \"\(name)\": the name contains whitespace")
        }
        if parts.count == 2 {
            set(name, String(parts[1]))
        } else if let value = host[name] {
            set(name, value)
        } else {
            unset.append(name)
        }
    }

    /// Adds the lines of an `--env-file`: `NAME=VALUE` or `NAME`, with blank lines and `#` comments skipped.
    public mutating func add(envFile text: String, path: String, host: [String: String]) throws {
        for (number, line) in Self.fileLines(text) {
            do {
                try add(String(line), host: host)
            } catch let error as SandboxError {
                throw SandboxError("\(path), line \(number): \(error.message)")
            }
        }
    }

    /// The lines of Docker's env file format, which its label files share: with their numbers, leading
    /// whitespace, blank lines and `#` comments dropped.
    static func fileLines(_ text: String) -> [(number: Int, line: Substring)] {
        // As Docker's scanner: CRLF ends a line too ("\r\n" is one Character, a newline), and a BOM is dropped.
        let text = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        return text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated().compactMap { index, line in
            let trimmed = line.drop(while: \.isWhitespace)
            return trimmed.isEmpty || trimmed.hasPrefix("#") ? nil : (index + 1, trimmed)
        }
    }

    /// Docker's defaults, under what the user set: PATH, HOSTNAME, HOME (the user's, from passwd), and TERM
    /// with a terminal.
    public func withDefaults(hostname: String, home: String, tty: Bool) -> Environment {
        var result = Environment()
        result.set("PATH", Self.defaultPath)
        result.set("HOSTNAME", hostname)
        if tty { result.set("TERM", "xterm") }
        for variable in variables { result.set(variable.name, variable.value) }
        if result["HOME"] == nil { result.set("HOME", home) }
        return result
    }

    public var assignments: [String] { variables.map { "\($0.name)=\($0.value)" } }
}
