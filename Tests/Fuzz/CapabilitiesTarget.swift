import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// `--cap-add` values, one a line, then after a `--` line `--cap-drop` values: resolved for a kernel whose
    /// last capability is 40, for root and another user, with and without `--privileged`.
    static let capabilities = FuzzTarget(name: "capabilities") { bytes in
        let sections = FuzzInput.sections(bytes).map { $0.split(separator: "\n").map(String.init) }
        for privileged in [false, true] {
            let policy = CapabilityPolicy(added: sections[0], dropped: sections.count > 1 ? sections[1] : [],
                                          privileged: privileged)
            for rootUser in [true, false] { _ = try policy.resolve(lastCapability: 40, available: .all(through: 40), rootUser: rootUser) }
        }
    }
}
