import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// The container's root and what is mounted in it.
struct FilesystemOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        "An image directory to run on; it is never changed: writes go to a layer removed with the container. Default: the host's / read-only.",
        valueName: "dir"))
    var rootfs: String?

    @Flag(help: "Mount the container's root filesystem read-only.")
    var readOnly = false

    @Option(name: [.customShort("v"), .long], help: ArgumentHelp(
        "Bind a host path (repeatable). Options: ro, rw, idmap (shift its ids onto the container's, as podman).",
        valueName: "host:container[:options]"))
    var volume: [String] = []

    @Option(help: ArgumentHelp("Mount a tmpfs (repeatable); nosuid,nodev,noexec unless the options say otherwise.",
                               valueName: "path[:size=N,mode=M,...]"))
    var tmpfs: [String] = []

    func apply(to spec: inout RunSpec) throws {
        spec.rootfs = rootfs
        spec.readOnly = readOnly
        spec.volumes = try volume.map(Volume.init(parsing:))
        spec.tmpfs = try tmpfs.map(TmpfsMount.init(parsing:))
    }
}
