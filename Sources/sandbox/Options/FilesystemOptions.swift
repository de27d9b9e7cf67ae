import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// The container's root and what is mounted in it.
struct FilesystemOptions: ParsableArguments {
    @Option(help: ArgumentHelp(
        """
        An image directory to run on; it is never changed: writes go to a layer removed with the container. \
        Default: the host's / read-only, with new tmpfs on /tmp and /run.
        """,
        valueName: "dir"))
    var rootfs: String?

    /// `--rootfs`'s directory, absolute: a relative one is taken from where sandbox was called, as podman's.
    static func rootfs(_ path: String) throws -> String {
        path.hasPrefix("/") ? path : try HostFile.currentDirectory() + "/" + path
    }

    @Flag(help: "Mount the container's root filesystem read-only.")
    var readOnly = false

    @Option(name: [.customShort("v"), .long], help: ArgumentHelp(
        "Bind a host path, which must exist (repeatable). Options: ro, rw, idmap (shift its ids onto the container's, as podman).",
        valueName: "host:container[:options]"))
    var volume: [String] = []

    @Option(help: ArgumentHelp("Mount a tmpfs (repeatable); nosuid,nodev,noexec unless the options say suid, dev or exec.",
                               valueName: "path[:size=N,mode=M,...]"))
    var tmpfs: [String] = []

    @Option(help: ArgumentHelp("""
        Docker's long form of -v and --tmpfs (repeatable): type=bind,source=HOST (src) or type=tmpfs; \
        target=PATH (dst, destination); readonly (ro); bind-propagation, bind-recursive=enabled|disabled|readonly; \
        tmpfs-size, tmpfs-mode; errors in the docker CLI's words. Named volumes (type=volume, the default type) \
        are not supported.
        """, valueName: "type=...,target=..."))
    var mount: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("The size of /dev/shm (default 64m; units as --memory).", valueName: "bytes"))
    var shmSize: String?

    func apply(to spec: inout RunSpec) throws {
        spec.rootfs = try rootfs.map(Self.rootfs)
        spec.readOnly = readOnly
        spec.volumes = try volume.map(Volume.init(parsing:))
        spec.tmpfs = try tmpfs.map(TmpfsMount.init(parsing:))
        for text in mount {
            switch try DockerMount(parsing: text, currentDirectory: HostFile.currentDirectory()) {
            case .bind(let volume): spec.volumes.append(volume)
            case .tmpfs(let tmpfs): spec.tmpfs.append(tmpfs)
            }
        }
        if let shmSize {
            let bytes = try ResourceLimits.bytes(shmSize, flag: "--shm-size")
            spec.shmSize = bytes == 0 ? nil : bytes
        }
    }
}
