import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// `--user` and its resolution, in sections split at `--` lines: the `--user` value on the first line and
    /// a `--group-add` value on each further one; then the container's /etc/passwd; then its /etc/group
    /// (a missing section is a missing file).
    static let user = FuzzTarget(name: "user") { bytes in
        let sections = FuzzInput.sections(bytes)
        let options = sections[0].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var spec = try UserSpec(parsing: options[0])
        spec.additionalGroups = Array(options.dropFirst())
        let passwd = sections.count > 1 ? sections[1] : nil, group = sections.count > 2 ? sections[2] : nil
        _ = try spec.resolve(passwd: passwd, group: group)
    }
}
