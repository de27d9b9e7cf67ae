/// What the host contributes to a container's spec, read once by the Linux side, so that the mapping from
/// Docker's flags stays pure and is tested without the host.
public struct HostFacts: Equatable, Sendable {
    /// The host's hostname: the workload's HOSTNAME with `--uts host`, as Docker's.
    public var nodename: String
    /// The kernel's highest capability number (/proc/sys/kernel/cap_last_cap): every capability it knows can
    /// be named.
    public var lastCapability: Int
    /// The bounding set sandbox runs with: `--privileged` gives every capability in it, and no capability outside
    /// it can be given to anyone.
    public var bounding: CapabilityMask
    /// Whether the kernel has time namespaces (5.6 and later).
    public var timeNamespaces: Bool
    /// Whether AppArmor confines processes here (/sys/module/apparmor/parameters/enabled says Y): an OCI
    /// config's profile, which sandbox does not apply, is refused then and ignored otherwise.
    public var apparmor = false
    /// Whether SELinux is on (selinuxfs is mounted): likewise for an OCI config's labels.
    public var selinux = false

    public init(nodename: String, lastCapability: Int, bounding: CapabilityMask, timeNamespaces: Bool) {
        self.nodename = nodename
        self.lastCapability = lastCapability
        self.bounding = bounding
        self.timeNamespaces = timeNamespaces
    }
}
