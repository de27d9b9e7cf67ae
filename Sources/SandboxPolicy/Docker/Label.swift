/// `--label KEY=VALUE` and `--label-file`: a container's metadata, kept in its record for `ps` and `inspect`,
/// by Docker's rules: a name without whitespace; no `=`, an empty value; a label file read as an env file is.
public enum Label {
    public static func parse(_ text: String) throws -> (key: String, value: String) {
        do {
            return try pair(text)
        } catch let error as SandboxError {
            throw SandboxError("invalid argument \"\(text)\" for \"-l, --label\" flag: \(error.message)")
        }
    }

    /// The labels of a file's lines, in order.
    public static func parse(file text: String, path: String) throws -> [(key: String, value: String)] {
        try Environment.fileLines(text).map { number, line in
            do {
                return try pair(String(line))
            } catch let error as SandboxError {
                throw SandboxError("invalid label file \(path), line \(number): \(error.message)")
            }
        }
    }

    private static func pair(_ text: String) throws -> (key: String, value: String) {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let key = String(parts[0])
        guard !key.isEmpty else { throw SandboxError("invalid label '\(text)': empty name") }
        guard !key.contains(where: \.isWhitespace) else { throw SandboxError("label '\(key)' contains whitespaces") }
        return (key, parts.count == 2 ? String(parts[1]) : "")
    }
}
