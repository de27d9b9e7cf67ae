import PolicyFixtures
import Testing
@testable import SandboxPolicy

/// The container's mount table: Docker's defaults, the user's mounts by depth, then masked and read-only paths.
struct MountTableTests {
    static func table(_ spec: RunSpec, userNamespace: UserNamespacePlan? = Fixtures.rootRemap) -> MountTable {
        MountTable(spec: spec, userNamespace: userNamespace)
    }

    static func image(volumes: [String] = [], tmpfs: [String] = []) throws -> RunSpec {
        var spec = RunSpec(command: ["sh"])
        spec.rootfs = "/images/busybox"
        spec.volumes = try volumes.map(Volume.init(parsing:))
        spec.tmpfs = try tmpfs.map(TmpfsMount.init(parsing:))
        return spec
    }

    static let pseudoFilesystems = ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys"]
    static let deviceLinks = ["/dev/fd", "/dev/stdin", "/dev/stdout", "/dev/stderr", "/dev/ptmx"]
    static let lastPaths = MountTable.maskedPaths + MountTable.readOnlyPaths

    @Test func dockerDefaultsInOrder() throws {
        let entries = Self.table(try Self.image()).entries
        #expect(entries.map(\.target) == Self.pseudoFilesystems + MountTable.devices + Self.deviceLinks + Self.lastPaths)
        #expect(entries[0] == MountEntry(.filesystem(type: "proc", data: nil), at: "/proc", attributes: .restricted, realDirectory: true))
        #expect(entries[1] == MountEntry(.filesystem(type: "tmpfs", data: "mode=755,size=65536k"), at: "/dev", attributes: .noSetuid))
        #expect(entries[3] == MountEntry(.filesystem(type: "tmpfs", data: "mode=1777,size=65536k"), at: "/dev/shm", attributes: .restricted))
        #expect(entries[4] == MountEntry(.filesystem(type: "mqueue", data: nil), at: "/dev/mqueue", attributes: .restricted))
        #expect(entries[5] == MountEntry(.filesystem(type: "sysfs", data: nil), at: "/sys", attributes: [.readOnly, .noSetuid, .noDevices, .noExec],
                                         realDirectory: true))
        for device in MountTable.devices {
            #expect(entries.contains(MountEntry(.bind(source: device), at: device)))
        }
        #expect(entries.contains(MountEntry(.symlink(destination: "pts/ptmx"), at: "/dev/ptmx")))
        #expect(entries.contains(MountEntry(.symlink(destination: "/proc/self/fd/2"), at: "/dev/stderr")))
    }

    /// `--shm-size` sizes /dev/shm; `--mount`'s bind options reach the bind; systempaths=unconfined leaves
    /// Docker's masked and read-only paths out, as --privileged does.
    @Test func shmSizeBindOptionsAndUnconfinedSystemPaths() throws {
        var spec = try Self.image()
        spec.shmSize = 1 << 20
        var volume = Volume(source: "/srv", target: "/data", readOnly: true)
        volume.recursive = false
        volume.propagation = .slave
        spec.volumes = [volume]
        spec.unconfinedSystemPaths = true
        let entries = Self.table(spec).entries
        #expect(entries.first { $0.target == "/dev/shm" }?.kind == .filesystem(type: "tmpfs", data: "mode=1777,size=1048576"))
        var bind = MountEntry(.bind(source: "/srv", recursive: false), at: "/data", attributes: .readOnly)
        bind.propagation = .slave
        #expect(entries.contains(bind))
        #expect(!entries.contains { Self.lastPaths.contains($0.target) })
    }

    /// Masked and read-only paths lie beneath the proc or sysfs mount, where the child finds them; nothing but
    /// those two must be a real directory in the image, and nothing is skipped silently when missing.
    @Test func maskedPathsLieBeneathProcOrSysWhichMustBeRealDirectories() throws {
        let entries = Self.table(try Self.image(volumes: ["/srv:/data"])).entries
        for entry in entries {
            switch entry.kind {
            case .mask(let within):
                #expect(MountTable.maskedPaths.contains(entry.target) && entry.target.hasPrefix(within + "/"))
            case .readOnly(let within):
                #expect(MountTable.readOnlyPaths.contains(entry.target) && entry.target.hasPrefix(within + "/"))
            default:
                #expect(!entry.optional, "\(entry.target)")
            }
            #expect(entry.realDirectory == ["/proc", "/sys"].contains(entry.target), "\(entry.target)")
        }
    }

    /// Masked and read-only paths come after everything else, or a later mount would uncover them.
    @Test(arguments: [[], ["/srv:/proc/sys/x"], ["/srv:/data", "/host/proc:/proc/acpi"]])
    func maskedAndReadOnlyPathsComeLast(volumes: [String]) throws {
        var spec = try Self.image(volumes: volumes, tmpfs: ["/sys/firmware/x", "/deep/a/b/c/d/e"])
        spec.tty = true
        let entries = Self.table(spec).entries
        let isLast: (MountEntry) -> Bool = {
            if case .mask = $0.kind { return true }
            if case .readOnly = $0.kind { return true }
            return false
        }
        let firstLast = try #require(entries.firstIndex(where: isLast))
        #expect(entries[firstLast...].allSatisfy(isLast))
        #expect(entries[firstLast...].map(\.target) == Self.lastPaths)
    }

    @Test func noDevptsGroupWithoutGroupFive() throws {
        func devpts(_ plan: UserNamespacePlan?) throws -> MountEntry? {
            Self.table(try Self.image(), userNamespace: plan).entries.first { $0.target == "/dev/pts" }
        }
        let withGroup = MountEntry(.filesystem(type: "devpts", data: "newinstance,ptmxmode=0666,mode=0620,gid=5"),
                                   at: "/dev/pts", attributes: [.noSetuid, .noExec])
        #expect(try devpts(nil) == withGroup)
        #expect(try devpts(Fixtures.rootRemap) == withGroup)
        #expect(try devpts(Fixtures.rootlessWithSubordinates) == withGroup)
        #expect(try devpts(Fixtures.rootlessCallerOnly)?.kind == .filesystem(type: "devpts", data: "newinstance,ptmxmode=0666,mode=0620"))
    }

    /// Inside a user namespace, proc, sysfs and mqueue can only be mounted for namespaces it owns: with
    /// the host's pid, network or ipc namespace, the host's /proc and /sys are bound and mqueue is left out.
    /// Without one (--userns host, as root), new instances are mounted as Docker does.
    @Test(arguments: [
        ([], true, MountEntry.Kind.filesystem(type: "proc", data: nil), MountEntry.Kind.filesystem(type: "sysfs", data: nil), true),
        ([.pid], true, .bind(source: "/proc"), .filesystem(type: "sysfs", data: nil), true),
        ([.network], true, .filesystem(type: "proc", data: nil), .bind(source: "/sys"), true),
        ([.ipc], true, .filesystem(type: "proc", data: nil), .filesystem(type: "sysfs", data: nil), false),
        ([.pid, .network, .ipc], true, .bind(source: "/proc"), .bind(source: "/sys"), false),
        // The other namespaces do not matter.
        ([.uts, .cgroup, .time], true, .filesystem(type: "proc", data: nil), .filesystem(type: "sysfs", data: nil), true),
        ([.user, .pid, .network, .ipc], false, .filesystem(type: "proc", data: nil), .filesystem(type: "sysfs", data: nil), true),
    ] as [([Namespace], Bool, MountEntry.Kind, MountEntry.Kind, Bool)])
    func hostNamespaceVariants(shared: [Namespace], userNamespace: Bool, proc: MountEntry.Kind, sys: MountEntry.Kind, mqueue: Bool) {
        var spec = RunSpec.sharing(shared)
        spec.rootfs = "/images/busybox"
        let entries = Self.table(spec, userNamespace: userNamespace ? Fixtures.rootRemap : nil).entries
        #expect(entries.first { $0.target == "/proc" }?.kind == proc)
        let sysEntry = entries.first { $0.target == "/sys" }
        #expect(sysEntry?.kind == sys)
        #expect(sysEntry?.attributes == [.readOnly, .noSetuid, .noDevices, .noExec])
        #expect(entries.contains { $0.target == "/dev/mqueue" } == mqueue)
        // The order of the defaults stays the same.
        #expect(entries.map(\.target).filter(Self.pseudoFilesystems.contains) == Self.pseudoFilesystems.filter { $0 != "/dev/mqueue" || mqueue })
    }

    @Test func consoleIsBoundAfterTheDevices() throws {
        var spec = try Self.image()
        spec.tty = true
        let entries = Self.table(spec).entries
        let console = try #require(entries.firstIndex { $0.target == "/dev/console" })
        #expect(entries[console] == MountEntry(.console, at: "/dev/console"))
        #expect(entries[console - 1].target == MountTable.devices.last)
        #expect(!Self.table(try Self.image()).entries.contains { $0.target == "/dev/console" })
    }

    /// On the host's / (read-only), /tmp and /run get a tmpfs; an image has its own.
    @Test func scratchSpaceOnlyOnTheHostRoot() throws {
        let onHost = Self.table(RunSpec(command: ["sh"])).entries
        for path in ["/tmp", "/run"] {
            #expect(onHost.contains(MountEntry(.filesystem(type: "tmpfs", data: "mode=1777"), at: path, attributes: [.noSetuid, .noDevices])))
        }
        let onImage = Self.table(try Self.image()).entries
        #expect(!onImage.contains { $0.target == "/tmp" || $0.target == "/run" })
    }

    /// A user's --tmpfs /tmp on the host's / lands on top of the default one.
    @Test func userTmpfsAfterTheDefaultScratchSpace() throws {
        var spec = RunSpec(command: ["sh"])
        spec.tmpfs = [try TmpfsMount(parsing: "/tmp:size=1m")]
        let tmp = Self.table(spec).entries.filter { $0.target == "/tmp" }
        #expect(tmp.map(\.kind) == [.filesystem(type: "tmpfs", data: "mode=1777"), .filesystem(type: "tmpfs", data: "size=1m")])
    }

    @Test func userMountsCarryTheirSourcesAndAttributes() throws {
        let spec = try Self.image(volumes: ["/srv/a:/a:ro", "/srv/b:/b:idmap"], tmpfs: ["/c:size=1m,exec"])
        let entries = Self.table(spec).entries
        let user = entries.filter { ["/a", "/b", "/c"].contains($0.target) }
        #expect(user == [
            MountEntry(.bind(source: "/srv/a"), at: "/a", attributes: .readOnly),
            MountEntry(.bind(source: "/srv/b", idmapped: true), at: "/b"),
            MountEntry(.filesystem(type: "tmpfs", data: "size=1m"), at: "/c", attributes: [.noSetuid, .noDevices]),
        ])
    }

    /// As Docker, the user's mounts are sorted by depth, so that one inside another lands on top of it,
    /// whatever order they were given in; at the same depth the order given is kept.
    @Test(arguments: [
        (["/x:/a/b", "/y:/a"], [], ["/a", "/a/b"]),
        (["/x:/a/b/c", "/y:/a/b", "/z:/a"], [], ["/a", "/a/b", "/a/b/c"]),
        (["/x:/b", "/y:/a"], [], ["/b", "/a"]),
        (["/x:/a/b/"], ["/a"], ["/a", "/a/b"]),
        (["/x:/data/cache"], ["/data:size=1m", "/z"], ["/data", "/z", "/data/cache"]),
        (["/x:/a//b", "/y:/c"], ["/a/b/c/d"], ["/c", "/a/b", "/a/b/c/d"]),
        // Depth is counted on the cleaned path, as Docker's: /a/./b is at depth 2, under /a/b/c.
        (["/x:/a/b/c", "/y:/a/./b"], [], ["/a/b", "/a/b/c"]),
        (["/x:/a/b/c"], ["/a/b/c/../../d"], ["/a/d", "/a/b/c"]),
    ] as [([String], [String], [String])])
    func userMountsSortedByDepth(volumes: [String], tmpfs: [String], expected: [String]) throws {
        let entries = Self.table(try Self.image(volumes: volumes, tmpfs: tmpfs)).entries
        let defaults = Self.table(try Self.image()).entries
        #expect(entries.count == defaults.count + expected.count)
        let start = defaults.count - Self.lastPaths.count
        #expect(entries[start..<start + expected.count].map(\.target) == expected)
    }

    /// --device: the host's node bound at its container path, after the user's mounts (a device inside a
    /// volume lands in it, as runc makes it), before the masked paths.
    @Test func devicesAfterTheUserMounts() throws {
        var spec = try Self.image(volumes: ["/srv:/data"])
        spec.devices = try ["/dev/loop0", "/dev/loop1:/data/disk:r"].map(DeviceMapping.init(parsing:))
        let entries = Self.table(spec).entries
        let start = entries.count - Self.lastPaths.count - 2
        #expect(Array(entries[start - 1..<start + 2]) == [
            MountEntry(.bind(source: "/srv"), at: "/data"),
            MountEntry(.bind(source: "/dev/loop0"), at: "/dev/loop0"),
            MountEntry(.bind(source: "/dev/loop1"), at: "/data/disk"),
        ])
    }

    /// With --privileged the host's /dev is bound: a device under /dev is there already; elsewhere it is bound.
    @Test func privilegedDevicesOutsideDevOnly() throws {
        var spec = try Self.image()
        spec.privileged = true
        spec.devices = try ["/dev/loop0", "/dev/loop1:/mnt/loop1"].map(DeviceMapping.init(parsing:))
        let binds = Self.table(spec).entries.filter { if case .bind = $0.kind { true } else { false } }
        #expect(binds == [MountEntry(.bind(source: "/dev"), at: "/dev"), MountEntry(.bind(source: "/dev/loop1"), at: "/mnt/loop1")])
    }

    /// --privileged: the host's /dev instead of Docker's few devices, a writable /sys, and nothing masked;
    /// the user namespace stays, so the host's devices are still not host root's to use.
    @Test func privileged() throws {
        var spec = try Self.image()
        spec.privileged = true
        let entries = Self.table(spec).entries
        #expect(entries.first { $0.target == "/dev" } == MountEntry(.bind(source: "/dev"), at: "/dev"))
        #expect(!entries.contains { $0.target == "/dev/null" })
        #expect(entries.first { $0.target == "/sys" }?.attributes == .restricted)
        #expect(!entries.contains { Self.lastPaths.contains($0.target) })
        #expect(entries.map(\.target) == ["/proc", "/dev", "/dev/pts", "/dev/shm", "/dev/mqueue", "/sys"] + Self.deviceLinks)
    }

    /// Docker's /sys/fs/cgroup, right after /sys, read-only even with --privileged; only when sandbox makes the
    /// container a cgroup of its own.
    @Test(arguments: [false, true])
    func cgroupMountAfterSysWhenTheContainerHasACgroup(privileged: Bool) throws {
        var spec = try Self.image()
        spec.privileged = privileged
        let entries = MountTable(spec: spec, userNamespace: Fixtures.rootRemap, ownCgroup: true).entries
        let sys = try #require(entries.firstIndex { $0.target == "/sys" })
        #expect(entries[sys + 1] == MountEntry(.cgroup, at: "/sys/fs/cgroup", attributes: [.readOnly, .noSetuid, .noDevices, .noExec]))
        #expect(!Self.table(spec).entries.contains { $0.kind == .cgroup })
    }
}
