/// What the workload's five capability sets will be, from Docker's default set, `--cap-add`, `--cap-drop`,
/// `--privileged` and the user it runs as.
public struct CapabilityPolicy: Equatable, Sendable {
    /// Docker's default set, bounding mask 0x00000000a80425fb.
    public static let dockerDefaults = ["CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW", "SETGID", "SETUID",
                                        "SETFCAP", "SETPCAP", "NET_BIND_SERVICE", "SYS_CHROOT", "KILL", "AUDIT_WRITE"]

    /// The sets the child installs before execve. The kernel then computes the workload's: root's permitted
    /// and effective become the bounding set; another user's become its ambient set.
    public struct Sets: Codable, Equatable, Sendable {
        public var bounding: CapabilityMask
        public var permitted: CapabilityMask
        public var effective: CapabilityMask
        /// Empty but for caps added explicitly for a non-root user: the fix for CVE-2022-24769 keeps it empty.
        public var inheritable: CapabilityMask
        public var ambient: CapabilityMask
    }

    public var added: [String] = []
    public var dropped: [String] = []
    public var privileged = false

    public init(added: [String] = [], dropped: [String] = [], privileged: Bool = false) {
        self.added = added
        self.dropped = dropped
        self.privileged = privileged
    }

    /// - Parameters:
    ///   - lastCapability: the kernel's /proc/sys/kernel/cap_last_cap: every capability it knows is accepted.
    ///   - rootUser: whether the workload runs as container uid 0.
    /// - Throws: for a name the kernel does not know, naming it and the nearest valid one.
    ///   - available: the bounding set sandbox itself runs with: `--privileged` gives all of it, and a
    ///     capability outside it cannot be given.
    public func resolve(lastCapability: Int, available: CapabilityMask, rootUser: Bool) throws -> Sets {
        let known = (0...lastCapability).map(Capability.init)
        let everything = CapabilityMask.all(through: lastCapability).intersection(available)
        let adding = try mask(added, option: "--cap-add", known: known, all: everything)
        let dropping = try mask(dropped, option: "--cap-drop", known: known, all: everything)
        if let missing = adding.subtracting(everything).capabilities.first {
            throw SandboxError("--cap-add \(missing.name): sandbox itself does not hold \(missing), so it cannot give it")
        }
        let defaults = privileged ? everything : try mask(Self.dockerDefaults, option: "default", known: known, all: everything)
        // As Docker: drop first, then add, so --cap-drop ALL --cap-add X leaves X.
        let bounding = defaults.subtracting(dropping).union(adding)
        let ambient = rootUser ? CapabilityMask(rawValue: 0) : adding.intersection(bounding)
        return Sets(bounding: bounding, permitted: bounding, effective: bounding, inheritable: ambient, ambient: ambient)
    }

    /// - Parameter all: what `ALL` stands for.
    func mask(_ names: [String], option: String, known: [Capability], all: CapabilityMask) throws -> CapabilityMask {
        var result = CapabilityMask(rawValue: 0)
        for list in names {
            for raw in list.split(separator: ",", omittingEmptySubsequences: false) {
                var name = raw.trimmingSpaces.uppercased()
                if name.hasPrefix("CAP_") { name.removeFirst(4) }
                if name == "ALL" {
                    result = result.union(all)
                } else if let capability = known.first(where: { $0.name == name }) {
                    result = result.union(CapabilityMask([capability]))
                } else {
                    let nearest = known.min { Self.distance($0.name, name) < Self.distance($1.name, name) }
                    throw SandboxError("unknown capability \"\(raw)\" in \(option)" + (nearest.map { ": did you mean \($0.name)?" } ?? ""))
                }
            }
        }
        return result
    }

    /// Levenshtein distance, for the suggestion.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }
}

extension Substring {
    /// By index, not through reversed views: each view is a generic type the runtime would build on first use,
    /// scanning every protocol conformance in the binary to check its requirements (0.15 ms a start).
    var trimmingSpaces: String {
        guard let first = firstIndex(where: { $0 != " " }), let last = lastIndex(where: { $0 != " " }) else { return "" }
        return String(self[first...last])
    }
}
