/// What `docker run` takes that `sandbox run` does not, and why: each is refused with one line that names it,
/// never ignored. A flag refused whatever its value is found here by name (`refusal(of:)`); a flag sandbox
/// takes only in part (`--network bridge`, `--mount type=volume`) is refused where its value is read, with a
/// reason from here.
public enum Unsupported {
    // Reasons shared by several flags, or by a flag and the values of another.
    public static let networks = "sandbox makes no networks: a container has its own network namespace with only lo (--network none, the default) or the host's (--network host)"
    public static let otherContainers = "a container cannot join another container's namespaces"
    public static let images = "sandbox has no images to pull or choose: --rootfs names a directory, which runs as it is"
    public static let namedVolumes = "sandbox has no named volumes: bind a host path (-v, --mount type=bind) or mount a tmpfs (--tmpfs, --mount type=tmpfs)"
    public static let logDrivers = "a detached container's output goes to a json-file log, the only driver"
    public static let signalProxy = "sandbox always passes the signals it receives on to the container's process"
    public static let apparmor = "sandbox confines no container with AppArmor; apparmor=unconfined is what it does"
    public static let selinux = "sandbox sets no SELinux labels; label=disable is what it does"
    public static let writableCgroups = "the container's cgroup is read-only at /sys/fs/cgroup, as Docker's default"
    static let blockIO = "sandbox run sets no block I/O limits (an OCI config's linux.resources.blockIO does)"
    static let windows = "Docker takes it on Windows only"

    /// The flags refused whatever their value, by every name Docker gives them.
    static let flags: [(names: [String], reason: String)] = [
        (["-p", "--publish", "-P", "--publish-all", "--expose", "--ip", "--ip6", "--mac-address", "--network-alias",
          "--link", "--link-local-ip"], networks),
        (["--dns", "--dns-option", "--dns-search", "--add-host"],
         "sandbox writes no /etc/resolv.conf or /etc/hosts: the container has its image's (the host's without --rootfs)"),
        (["--volumes-from"], "sandbox takes no mounts from another container: name them with -v or --mount"),
        (["--volume-driver"], namedVolumes),
        (["--platform"], images),
        (["--runtime"], "sandbox is itself the runtime"),
        (["--storage-opt"], "a container's writable layer is a tmpfs, with no storage driver to take options"),
        (["--cgroup-parent"], "every container's cgroup is sandbox/NAME in each hierarchy"),
        (["--gpus"], "sandbox gives no GPUs: pass their device nodes with --device"),
        (["--device-cgroup-rule"], "sandbox run allows the devices named with --device and Docker's defaults only (an OCI config's linux.resources.devices takes rules)"),
        (["--blkio-weight", "--blkio-weight-device", "--device-read-bps", "--device-read-iops", "--device-write-bps",
          "--device-write-iops"], blockIO),
        (["--cpu-rt-period", "--cpu-rt-runtime"], "sandbox sets no real-time CPU limits"),
        (["--kernel-memory"], "kernel memory limits are deprecated by Docker and gone from cgroup v2"),
        (["--cpu-count", "--cpu-percent", "--io-maxbandwidth", "--io-maxiops"], windows),
        (["-a", "--attach"], "sandbox run attaches stdout and stderr, and stdin with -i; with -d, none"),
        (["--detach-keys"], "a container's terminal cannot be detached from: run it with -d instead"),
        (["--use-api-socket"], "there is no Docker API socket to bind"),
    ]

    /// The refusal of an option as given on the command line (`--dns`, `--dns=1.1.1.1`, `-p`), if sandbox
    /// refuses that flag whatever its value.
    public static func refusal(of argument: String) -> SandboxError? {
        let name = argument.split(separator: "=", maxSplits: 1).first.map(String.init) ?? argument
        guard let entry = flags.first(where: { $0.names.contains(name) }) else { return nil }
        return refuse(name, entry.reason)
    }

    /// `--network bridge is not supported: sandbox makes no networks: ...`.
    public static func refuse(_ what: String, _ reason: String) -> SandboxError {
        SandboxError("\(what) is not supported: \(reason)")
    }
}
