/// Which device nodes a container may open and make, enforced by its cgroup: the v1 devices controller
/// and a v2 device program, from this one policy.
///
/// Capabilities do not protect the host's devices: with `--userns host`, container root has CAP_MKNOD and
/// is host root, and `mknod /dev/x b 8 0` would give it the host's disk. Docker is safe only because its
/// device cgroup denies every device but a few harmless ones; this is that list.
public struct DevicePolicy: Equatable, Sendable {
    /// Every device is allowed (`--privileged`); otherwise only those `allowed` names.
    public var allowsAll: Bool
    /// Exceptions to "deny everything"; empty when `allowsAll`.
    public var allowed: [DeviceRule]

    /// Docker's: the allowances in moby's default spec followed by runc's `AllowedDevices`, which runc
    /// appends to every container's rules. Moby's `c 10:229 rwm` (fuse) deny is left out: after denying
    /// everything, denying one device again changes nothing.
    public static let dockerDefaults: [DeviceRule] = [
        DeviceRule(.character, nil, nil, .mknod),  // mknod of any node: opening it is what is checked
        DeviceRule(.block, nil, nil, .mknod),
        DeviceRule(.character, 1, 3),  // null
        DeviceRule(.character, 1, 5),  // zero
        DeviceRule(.character, 1, 7),  // full
        DeviceRule(.character, 1, 8),  // random
        DeviceRule(.character, 1, 9),  // urandom
        DeviceRule(.character, 5, 0),  // tty
        DeviceRule(.character, 5, 1),  // console
        DeviceRule(.character, 5, 2),  // ptmx
        DeviceRule(.character, 136, nil),  // the terminals of /dev/pts
        DeviceRule(.character, 10, 200),  // tun, kept by runc for Docker's users
    ]

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
