import Testing
@testable import SandboxPolicy

/// The cross-flag rules `sandbox run` checks before it touches anything, with Docker's wording where it has one.
struct RunSpecTests {
    /// A change to a valid spec, named for the test's output.
    struct Change: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let apply: @Sendable (inout RunSpec) throws -> Void

        init(_ description: String, _ apply: @escaping @Sendable (inout RunSpec) throws -> Void) {
            testDescription = description
            self.apply = apply
        }
    }

    static func spec(_ change: Change) throws -> RunSpec {
        var spec = RunSpec(command: ["sh", "-c", "true"])
        try change.apply(&spec)
        return spec
    }

    @Test(arguments: [
        Change("defaults") { _ in },
        Change("an image") { $0.rootfs = "/images/busybox" },
        Change("workdir") { $0.workdir = "/home/alice" },
        Change("hostname of 64") { $0.hostname = String(repeating: "a", count: 64) },
        Change("hostname with dots and dashes") { $0.hostname = "web-1.example.com" },
        Change("two-letter name") { $0.name = "ab" },
        Change("name starting with a digit") { $0.name = "1web_a.b-c" },
        Change("user namespace and mount namespace both the host's") {
            $0.namespaces.share(.user)
            $0.namespaces.share(.mount)
        },
        Change("--userns host and a plain volume") {
            $0.namespaces.share(.user)
            $0.volumes = [try Volume(parsing: "/srv:/data")]
        },
        Change("explicit maps") { $0.userMapping = .explicit(uid: [IDMapping(containerID: 0, hostID: 1, size: 1)], gid: []) },
        Change("an idmap volume") { $0.volumes = [try Volume(parsing: "/srv:/data:idmap")] },
        Change("--device") { $0.devices = [try DeviceMapping(parsing: "/dev/loop0:/dev/disk:r")] },
        Change("--domainname and --oom-score-adj at its ends") {
            $0.domainname = "example.org"
            $0.oomScoreAdj = -1000
        },
        Change("a health check, detached") {
            $0.detach = true
            $0.health.test = ["CMD-SHELL", "true"]
        },
        // The host's /dev has it at that path already; outside /dev it is bound as usual.
        Change("--privileged and a --device at its host path") {
            $0.privileged = true
            $0.devices = try ["/dev/loop0", "/dev/loop1:/mnt/loop1"].map(DeviceMapping.init(parsing:))
        },
    ])
    func valid(change: Change) throws {
        try Self.spec(change).validate()
    }

    @Test(arguments: [
        (Change("no command") { $0.command = [] }, "no command given: usage is sandbox run [OPTIONS] [--] CMD [ARG...]"),
        (Change("empty command") { $0.command = [""] }, "no command given: usage is sandbox run [OPTIONS] [--] CMD [ARG...]"),
        (Change("relative workdir") { $0.workdir = "tmp" }, "the working directory \"tmp\" is invalid: it needs to be an absolute path"),
        (Change("empty workdir") { $0.workdir = "" }, "the working directory \"\" is invalid: it needs to be an absolute path"),
        (Change("relative image") { $0.rootfs = "images/busybox" }, "the root filesystem \"images/busybox\" must be an absolute path"),
        (Change("--hostname with --uts host") {
            $0.hostname = "web"
            $0.namespaces.share(.uts)
        }, "conflicting options: --hostname and --uts host"),
        (Change("empty hostname") { $0.hostname = "" }, "invalid hostname \"\": letters, digits, '.' and '-', at most 64"),
        (Change("hostname of 65") { $0.hostname = String(repeating: "a", count: 65) },
         "invalid hostname \"\(String(repeating: "a", count: 65))\": letters, digits, '.' and '-', at most 64"),
        (Change("hostname starting with -") { $0.hostname = "-web" }, "invalid hostname \"-web\": letters, digits, '.' and '-', at most 64"),
        (Change("hostname with _") { $0.hostname = "web_1" }, "invalid hostname \"web_1\": letters, digits, '.' and '-', at most 64"),
        (Change("hostname with a space") { $0.hostname = "web 1" }, "invalid hostname \"web 1\": letters, digits, '.' and '-', at most 64"),
        (Change("one-letter name") { $0.name = "a" }, "invalid container name \"a\": only [a-zA-Z0-9][a-zA-Z0-9_.-]+ are allowed"),
        // The name is a directory's name: no dot first (., ..), no slash.
        (Change("name starting with .") { $0.name = ".." }, "invalid container name \"..\": only [a-zA-Z0-9][a-zA-Z0-9_.-]+ are allowed"),
        (Change("name starting with _") { $0.name = "_web" }, "invalid container name \"_web\": only [a-zA-Z0-9][a-zA-Z0-9_.-]+ are allowed"),
        (Change("name with /") { $0.name = "a/b" }, "invalid container name \"a/b\": only [a-zA-Z0-9][a-zA-Z0-9_.-]+ are allowed"),
        (Change("non-ASCII name") { $0.name = "éa" }, "invalid container name \"éa\": only [a-zA-Z0-9][a-zA-Z0-9_.-]+ are allowed"),
        (Change("--uidmap with --userns host") {
            $0.namespaces.share(.user)
            $0.userMapping = .explicit(uid: [IDMapping(containerID: 0, hostID: 1, size: 1)], gid: [])
        }, "conflicting options: --uidmap/--gidmap and --userns host"),
        (Change("idmap volume with --userns host") {
            $0.namespaces.share(.user)
            $0.volumes = [try Volume(parsing: "/srv:/plain"), try Volume(parsing: "/srv:/data:idmap")]
        }, "volume /data: idmap needs a user namespace, not --userns host"),
        (Change("new user namespace, host mount namespace") { $0.namespaces.share(.mount) },
         "a new user namespace needs a new mount namespace"),
        (Change("--domainname with --uts host") {
            $0.domainname = "example.org"
            $0.namespaces.share(.uts)
        }, "conflicting options: --domainname and --uts host"),
        (Change("domain name with _") { $0.domainname = "a_b" }, "invalid domain name \"a_b\": letters, digits, '.' and '-', at most 64"),
        (Change("--oom-score-adj past 1000") { $0.oomScoreAdj = 1001 }, "Invalid value 1001, range for oom score adj is [-1000, 1000]"),
        (Change("--oom-score-adj below -1000") { $0.oomScoreAdj = -1001 }, "Invalid value -1001, range for oom score adj is [-1000, 1000]"),
        // Only a detached container has a monitor to run the checks.
        (Change("--health-cmd in the foreground") { $0.health.test = ["CMD-SHELL", "true"] },
         "--health-cmd needs -d: health checks are run by a detached container's monitor"),
        (Change("--health-retries in the foreground") { $0.health.retries = 2 },
         "--health-retries needs -d: health checks are run by a detached container's monitor"),
        (Change("--health-timeout with nothing to time") {
            $0.detach = true
            $0.health.timeout = 1_000_000_000
        }, "--health-timeout needs --health-cmd: there is no health check to change (no --health-cmd, and no HEALTHCHECK in an image)"),
        // Its mount point would be made in the host's /dev.
        (Change("--privileged and a --device elsewhere in /dev") {
            $0.privileged = true
            $0.devices = [try DeviceMapping(parsing: "/dev/loop0:/dev/disk")]
        }, "--device /dev/loop0:/dev/disk: with --privileged, /dev is the host's and a device keeps its host path"),
    ])
    func refused(change: Change, message: String) {
        let error = #expect(throws: SandboxError.self) { try Self.spec(change).validate() }
        #expect(error?.message == message)
    }

    /// Docker refuses two mounts on one container path ("Duplicate mount point"): the second would hide the
    /// first without a word.
    @Test(arguments: [
        Change("two volumes") { $0.volumes = try ["/a:/data", "/b:/data"].map(Volume.init(parsing:)) },
        Change("a volume and a tmpfs") {
            $0.volumes = [try Volume(parsing: "/a:/data")]
            $0.tmpfs = [try TmpfsMount(parsing: "/data")]
        },
        Change("a volume and a device") {
            $0.volumes = [try Volume(parsing: "/a:/data")]
            $0.devices = [try DeviceMapping(parsing: "/dev/loop0:/data")]
        },
    ])
    func duplicateMountPointIsRefused(change: Change) throws {
        let spec = try Self.spec(change)
        let error = #expect(throws: SandboxError.self) { try spec.validate() }
        #expect(error?.message == "duplicate mount point: /data")
    }

    /// The working directory is cleaned when set (the child creates it if missing); a relative one is
    /// kept as given, for validate() to name it.
    @Test(arguments: [("/home//alice/", "/home/alice"), ("/srv/./app/../data", "/srv/data"), ("/..", "/"), ("/", "/"),
                      ("tmp/../x", "tmp/../x")])
    func workdirIsCleaned(given: String, workdir: String) {
        var spec = RunSpec(command: ["sh"])
        spec.workdir = given
        #expect(spec.workdir == workdir)
    }

    /// Docker's defaults: every namespace new, remapped to the `sandbox` user, no terminal. The working
    /// directory, the user and the entrypoint are left unsaid, for an image or the mapping to say.
    @Test func defaults() {
        let spec = RunSpec(command: ["sh"])
        #expect(Namespace.allCases.allSatisfy(spec.namespaces.isNew))
        #expect(spec.userMapping == .remap(user: "sandbox", group: "sandbox"))
        #expect(spec.workdir == nil && spec.user == nil && spec.entrypoint == nil)
        #expect(spec.rootfs == nil && !spec.readOnly && !spec.tty && !spec.interactive && !spec.initProcess)
    }
}
