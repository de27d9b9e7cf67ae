/// Which device nodes a container may open and make, enforced by its cgroup: the v1 devices controller
/// and a v2 device program, from this one policy.
///
/// Capabilities do not protect the host's devices: with `--userns host`, container root has CAP_MKNOD and
/// is host root, and `mknod /dev/x b 8 0` would give it the host's disk. Docker is safe only because its
/// device cgroup denies every device but a few harmless ones; this is that list.
public struct DevicePolicy: Codable, Equatable, Sendable {
    /// Every device is allowed (`--privileged`); otherwise only those `allowed` names.
    public var allowsAll: Bool
    /// Exceptions to "deny everything"; empty when `allowsAll`.
    public var allowed: [DeviceRule]

    /// The nodes every container's /dev has, which the runtime puts there (the OCI spec's list, runc's
    /// `AllowedDevices` that have a path): character devices, mode 0666, owned by root.
    public static let defaultNodes: [(path: String, major: UInt32, minor: UInt32)] = [
        ("/dev/null", 1, 3), ("/dev/zero", 1, 5), ("/dev/full", 1, 7), ("/dev/random", 1, 8), ("/dev/urandom", 1, 9),
        ("/dev/tty", 5, 0),
    ]

    /// runc's `AllowedDevices`, which runc appends to every container's rules, so that an OCI config's list
    /// is read as runc reads it: mknod of any node (opening it is what is checked), the default nodes, the
    /// terminals (ptmx and those of /dev/pts, one of which is /dev/console) and tun, kept by runc for
    /// Docker's users.
    public static let runtimeDefaults = anyMknod + defaultNodeRules + terminalsAndTun

    /// Docker's: moby's default spec allows runc's defaults and /dev/console's own number. Moby's
    /// `c 10:229 rwm` (fuse) deny is left out: after denying everything, denying one device again changes
    /// nothing.
    public static let dockerDefaults = anyMknod + defaultNodeRules + [DeviceRule(.character, 5, 1)] + terminalsAndTun

    private static let anyMknod = [DeviceRule(.character, nil, nil, .mknod), DeviceRule(.block, nil, nil, .mknod)]
    private static let defaultNodeRules = defaultNodes.map { DeviceRule(.character, $0.major, $0.minor) }
    private static let terminalsAndTun = [DeviceRule(.character, 5, 2), DeviceRule(.character, 136, nil), DeviceRule(.character, 10, 200)]

    /// - Parameter devices: the rules `--device` adds, one per device.
    public init(privileged: Bool, devices: [DeviceRule]) {
        allowsAll = privileged
        allowed = privileged ? [] : Self.dockerDefaults + devices
    }

    /// The v1 devices cgroup's files, in order: everything denied, then each exception allowed; or, for
    /// `--privileged`, everything allowed, as runc writes it.
    public var v1Writes: [CgroupWrite] {
        if allowsAll { return [CgroupWrite(controller: "devices", file: "devices.allow", value: "a")] }
        return [CgroupWrite(controller: "devices", file: "devices.deny", value: "a")]
            + allowed.map { CgroupWrite(controller: "devices", file: "devices.allow", value: $0.description) }
    }
}
