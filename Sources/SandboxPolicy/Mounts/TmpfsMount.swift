/// `--tmpfs PATH[:OPTIONS]`: a fresh tmpfs, by Docker's rules: nosuid, nodev and noexec unless the options say
/// otherwise; `size`, `mode`, `uid`, `gid` and `nr_inodes` go to the kernel as they are.
public struct TmpfsMount: Equatable, Sendable {
    public var target: String
    public var data: String?
    public var attributes: MountAttributes

    private static let kernelOptions: Set<Substring> = ["size", "mode", "uid", "gid", "nr_inodes", "nr_blocks"]
    private static let flagOptions: [Substring: (set: MountAttributes, clear: MountAttributes)] = [
        "ro": (.readOnly, []), "rw": ([], .readOnly),
        "noexec": (.noExec, []), "exec": ([], .noExec),
        "nosuid": (.noSetuid, []), "suid": ([], .noSetuid),
        "nodev": (.noDevices, []), "dev": ([], .noDevices),
    ]

    public init(target: String, data: String?, attributes: MountAttributes = .restricted) {
        self.target = target
        self.data = data
        self.attributes = attributes
    }

    public init(parsing text: String) throws {
        let (path, options) = text.firstIndex(of: ":").map { (String(text[..<$0]), text[text.index(after: $0)...]) } ?? (text, "")
        guard path.hasPrefix("/") else {
            throw SandboxError("invalid tmpfs \"\(text)\": the path \"\(path)\" must be absolute")
        }
        guard ContainerPath.clean(path) != "/" else {
            throw SandboxError("invalid tmpfs \"\(text)\": the path cannot be /")
        }
        var attributes = MountAttributes.restricted
        var data: [Substring] = []
        for option in options.split(separator: ",") {
            let key = option.split(separator: "=", maxSplits: 1).first ?? option
            if let flag = Self.flagOptions[option] {
                attributes.subtract(flag.clear)
                attributes.formUnion(flag.set)
            } else if Self.kernelOptions.contains(key), option.contains("=") {
                data.append(option)
            } else {
                throw SandboxError("invalid tmpfs \"\(text)\": unknown option \"\(option)\"")
            }
        }
        self.target = ContainerPath.clean(path)
        self.data = data.isEmpty ? nil : data.joined(separator: ",")
        self.attributes = attributes
    }
}
