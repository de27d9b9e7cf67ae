import PolicyFixtures
import SandboxOCI
import Testing
@testable import SandboxPolicy

/// An image's config made a container as Docker's daemon merges it with the flags, the flags winning.
struct RunSpecImageTests {
    typealias Image = OCI.Image
    static let s: Int64 = 1_000_000_000

    /// What buildah wrote for an image whose Dockerfile sets everything (`buildah commit --format docker`).
    static let config = try! Image.Configuration.read(#"""
        {"created":"2026-12-08T00:42:47.752855562Z","config":{"Hostname":"","Domainname":"","User":"1000:1000","AttachStdin":false,
        "ExposedPorts":{"80/tcp":{}},"Tty":false,"Env":["A=1","PATH=/usr/bin:/bin"],"Cmd":["echo","hi"],
        "Healthcheck":{"Test":["CMD-SHELL","true"],"Interval":5000000000,"Timeout":3000000000,"StartPeriod":2000000000,"Retries":4},
        "Image":"","Volumes":{"/data":{}},"WorkingDir":"/app","Entrypoint":["/bin/sh","-c"],"OnBuild":[],
        "Labels":{"io.buildah.version":"1.28.2","org.example.a":"b"},"StopSignal":"SIGQUIT","Shell":["/bin/bash","-c"]},
        "architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:66b7fe01b5e24fb5448fd76c6dbdf7a22e701729d47143a99da4478b7fdde8f4"]}}
        """#, document: "config")

    static func image(_ change: (inout Image.Configuration.Container) -> Void) -> Image.Configuration {
        var image = Image.Configuration(os: "linux", architecture: "amd64", rootfs: .init(diffIDs: []))
        var config = Image.Configuration.Container()
        change(&config)
        image.config = config
        return image
    }

    static func flags(_ command: [String] = [], _ change: (inout RunSpec) throws -> Void = { _ in }) rethrows -> RunSpec {
        var run = RunSpec(command: command)
        run.rootfs = "/images/x"
        try change(&run)
        return run
    }

    /// With no flags, everything is the image's.
    @Test func theImageSaysWhatTheFlagsDoNot() throws {
        let run = try Self.flags { $0.detach = true }.applying(image: Self.config)
        #expect(run.environment.assignments == ["A=1", "PATH=/usr/bin:/bin"])
        #expect(run.arguments == ["/bin/sh", "-c", "echo", "hi"])
        #expect(run.user == UserSpec(user: "1000", group: "1000"))
        #expect(run.workdir == "/app")
        #expect(run.stopSignal == Signal(number: 3))
        #expect(run.labels == ["io.buildah.version": "1.28.2", "org.example.a": "b"])
        #expect(run.anonymousVolumes == ["/data"])
        #expect(try run.health.resolved() == HealthCheck(arguments: ["/bin/bash", "-c", "true"], interval: 5 * Self.s, timeout: 3 * Self.s,
                                                         startPeriod: 2 * Self.s, retries: 4))
        // As the container sees it: the image's PATH in the default's place, HOME the image user's (none: /).
        let spec = try ContainerSpec.docker(run, passwd: nil, anonymousVolumes: ["/var/lib/sandbox/volumes/1"])
        #expect(spec.process.environment == ["PATH=/usr/bin:/bin", "HOSTNAME=000102030405", "A=1", "HOME=/"])
        #expect(spec.process.cwd == "/app")
        #expect(spec.process.user.uid == 1000 && spec.process.user.gid == 1000)
        #expect(try EngineSettings(docker: run).stopSignal == 3)
    }

    /// `-e` wins by name; the image's other variables follow the flags'; `-e NAME` for a name the host lacks
    /// drops the image's.
    @Test func environment() throws {
        let run = try Self.flags {
            try $0.environment.add("B=2", host: [:])
            try $0.environment.add("PATH=/mine", host: [:])
            try $0.environment.add("A", host: [:])
        }.applying(image: Self.image { $0.env = ["A=1", "PATH=/usr/bin:/bin", "C=3", "NOVALUE", "C=4"] ; $0.cmd = ["true"] })
        #expect(run.environment.assignments == ["B=2", "PATH=/mine", "C=4"])
    }

    @Test(arguments: [
        // A command replaces the image's, after its entrypoint.
        (["/bin/sh", "-c"], nil, ["ls"], ["/bin/sh", "-c", "ls"]),
        ([], nil, ["ls"], ["ls"]),
        (["/entry"], nil, [], ["/entry", "default"]),
        ([], nil, [], ["default"]),
        // --entrypoint replaces the image's, and drops its command.
        (["/entry"], "/mine", [], ["/mine"]),
        (["/entry"], "/mine", ["x"], ["/mine", "x"]),
        ([], "/mine", [], ["/mine"]),
        // --entrypoint "" with a command: the command alone.
        (["/entry"], "", ["ls", "-l"], ["ls", "-l"]),
        // An image entrypoint of [""] is none, as Docker resets it.
        ([""], nil, [], ["default"]),
    ] as [([String], String?, [String], [String])])
    func entrypointAndCommand(imageEntrypoint: [String], entrypoint: String?, command: [String], arguments: [String]) throws {
        let image = Self.image {
            $0.entrypoint = imageEntrypoint.isEmpty ? nil : imageEntrypoint
            $0.cmd = ["default"]
        }
        let run = try Self.flags(command) { $0.entrypoint = entrypoint.map { [$0] } }.applying(image: image)
        #expect(run.arguments == arguments)
    }

    @Test(arguments: [
        (Image.Configuration.Container(), [String](), String?.none),
        (Image.Configuration.Container(), [], ""),
        ({ var config = Image.Configuration.Container(); config.cmd = ["default"]; return config }(), [], ""),
        ({ var config = Image.Configuration.Container(); config.entrypoint = []; config.cmd = []; return config }(), [], nil),
    ])
    func noCommand(config: Image.Configuration.Container, command: [String], entrypoint: String?) {
        var image = Self.image { _ in }
        image.config = config
        let error = #expect(throws: SandboxError.self) {
            try Self.flags(command) { $0.entrypoint = entrypoint.map { [$0] } }.applying(image: image)
        }
        #expect(error?.message == "no command specified")
    }

    /// An image made by `docker import` has no config: the flags alone, a command needed.
    @Test func noConfig() throws {
        var image = Self.image { _ in }
        image.config = nil
        #expect(try Self.flags(["sh"]).applying(image: image).arguments == ["sh"])
        #expect(throws: SandboxError.self) { try Self.flags().applying(image: image) }
    }

    @Test func theFlagsWin() throws {
        let run = try Self.flags(["id"]) {
            $0.user = UserSpec(user: "0")
            $0.workdir = "/"
            $0.stopSignal = Signal(number: 15)
            $0.labels = ["org.example.a": "mine"]
        }.applying(image: Self.config)
        #expect(run.user == UserSpec(user: "0"))
        #expect(run.workdir == "/")
        #expect(run.stopSignal == Signal(number: 15))
        #expect(run.labels == ["io.buildah.version": "1.28.2", "org.example.a": "mine"])
    }

    /// As runc reads a user: an empty part is the default.
    @Test(arguments: [("1000", UserSpec(user: "1000")), ("app:staff", UserSpec(user: "app", group: "staff")),
                      ("1000:", UserSpec(user: "1000")), (":50", UserSpec(user: "0", group: "50"))])
    func imageUsers(text: String, user: UserSpec) throws {
        #expect(try Self.flags(["id"]).applying(image: Self.image { $0.user = text }).user == user)
    }

    @Test func emptyValuesAreUnsaid() throws {
        let run = try Self.flags(["id"]).applying(image: Self.image {
            $0.user = ""
            $0.workingDir = ""
            $0.stopSignal = ""
        })
        #expect(run.user == nil && run.workdir == nil && run.stopSignal == nil)
        #expect(try Self.flags(["id"]).applying(image: Self.image { $0.workingDir = "/srv//app/" }).workdir == "/srv/app")
    }

    /// A foreground run has no monitor: it checks nothing, whatever the image says; -d takes the image's check,
    /// changed field by field by the flags.
    @Test func healthChecks() throws {
        #expect(try Self.flags().applying(image: Self.config).health == HealthCheck.Settings())
        let changed = try Self.flags {
            $0.detach = true
            $0.health = try HealthCheck.parse(command: "curl -f localhost", interval: nil, timeout: "10s", startPeriod: nil,
                                              startInterval: nil, retries: nil, disabled: false)
        }.applying(image: Self.config)
        #expect(try changed.health.resolved() == HealthCheck(arguments: ["/bin/bash", "-c", "curl -f localhost"], interval: 5 * Self.s,
                                                             timeout: 10 * Self.s, startPeriod: 2 * Self.s, retries: 4))
        let off = try Self.flags {
            $0.detach = true
            $0.health.test = ["NONE"]
        }.applying(image: Self.config)
        #expect(try off.health.resolved() == nil)
        // CMD runs as given; the image's shell runs a --health-cmd even when the image has no check.
        let exec = try Self.flags { $0.detach = true }.applying(image: Self.image {
            $0.cmd = ["serve"]
            $0.healthcheck = .init(test: ["CMD", "/bin/probe", "-q"])
        })
        #expect(try exec.health.resolved()?.arguments == ["/bin/probe", "-q"])
        let shell = try Self.flags {
            $0.detach = true
            $0.health.test = ["CMD-SHELL", "true"]
        }.applying(image: Self.image {
            $0.cmd = ["serve"]
            $0.shell = ["/bin/ash", "-c"]
        })
        #expect(try shell.health.resolved()?.arguments == ["/bin/ash", "-c", "true"])
    }

    @Test func volumes() throws {
        let image = Self.image {
            $0.cmd = ["serve"]
            $0.volumes = ["/data": .init(), "/data/": .init(), "relative": .init(), "/cache": .init(), "/logs": .init()]
        }
        let run = try Self.flags {
            $0.volumes = [try Volume(parsing: "/srv/cache:/cache")]
            $0.tmpfs = [try TmpfsMount(parsing: "/logs")]
        }.applying(image: image)
        #expect(run.anonymousVolumes == ["/data", "/relative"])
        // Bound from the directories made for them, writable with --read-only, sorted by depth with the flags'.
        var readOnly = run
        readOnly.readOnly = true
        readOnly.volumes.append(try Volume(parsing: "/srv/x:/data/x:ro"))
        let mounts = try ContainerSpec.docker(readOnly, anonymousVolumes: ["/store/1", "/store/2"]).mounts
        let binds = mounts.compactMap { entry -> String? in
            guard case .bind(let source, _, _) = entry.kind else { return nil }
            return source.hasPrefix("/s") ? "\(source) \(entry.target) \(entry.attributes.contains(.readOnly) ? "ro" : "rw")" : nil
        }
        #expect(binds == ["/srv/cache /cache rw", "/store/1 /data rw", "/store/2 /relative rw", "/srv/x /data/x ro"])
        // The mapping refuses a spec whose volumes have no directories rather than drop them.
        let error = #expect(throws: SandboxError.self) { try ContainerSpec.docker(run) }
        #expect(error?.message == "volumes /data, /relative: no directories were made for them")
    }

    static func container(_ change: (inout Image.Configuration.Container) -> Void) -> Image.Configuration.Container {
        var config = Image.Configuration.Container()
        config.cmd = ["serve"]
        change(&config)
        return config
    }

    static let refusals: [(Image.Configuration.Container, String)] = [
        (container { $0.workingDir = "app" }, "config.WorkingDir: \"app\" is not an absolute path"),
        (container { $0.stopSignal = "SIGNOPE" }, "config.StopSignal: \"SIGNOPE\" is not a signal"),
        (container { $0.volumes = ["/": .init()] }, "config.Volumes: a volume cannot be mounted at /"),
        (container { $0.volumes = ["/proc/x": .init()] }, "\"/proc/x\" cannot be mounted because it is inside /proc"),
        (container { $0.healthcheck = .init(test: ["CMD", "x"]); $0.healthcheck?.interval = -1 }, "config.Healthcheck.Interval: -1 is negative"),
        (container { $0.healthcheck = .init(test: ["CMD", "x"]); $0.healthcheck?.timeout = 999 }, "config.Healthcheck.Timeout: 999ns is less than 1ms"),
        (container { $0.healthcheck = .init(test: ["BOGUS"]) }, "unknown health check type \"BOGUS\" (expected CMD, CMD-SHELL or NONE)"),
    ]

    @Test(arguments: refusals)
    func refused(config: Image.Configuration.Container, message: String) {
        var image = Self.image { _ in }
        image.config = config
        let error = #expect(throws: SandboxError.self) { try Self.flags { $0.detach = true }.applying(image: image) }
        #expect(error?.message == message)
    }
}
