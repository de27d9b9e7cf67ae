import PolicyFixtures
import Testing
@testable import SandboxPolicy

/// `sandbox run`'s flags as a container: Docker's defaults, decided once, without the host.
struct DockerSpecTests {
    /// Every namespace is new unless shared; time only where the kernel has it.
    @Test(arguments: [
        ([], true, Set(Namespace.allCases)),
        ([], false, Set(Namespace.allCases).subtracting([.time])),
        ([.network], true, Set(Namespace.allCases).subtracting([.network])),
        ([.pid, .ipc, .uts], true, Set(Namespace.allCases).subtracting([.pid, .ipc, .uts])),
        ([.time], true, Set(Namespace.allCases).subtracting([.time])),
    ] as [([Namespace], Bool, Set<Namespace>)])
    func namespaces(shared: [Namespace], timeNamespaces: Bool, new: Set<Namespace>) throws {
        var host = ContainerSpec.host
        host.timeNamespaces = timeNamespaces
        let spec = try ContainerSpec.docker(.sharing(shared), host: host)
        #expect(Set(Namespace.allCases.filter(spec.isNew)) == new)
        #expect(Namespace.allCases.allSatisfy { spec.namespaces[$0] == (new.contains($0) ? .new : .host) })
    }

    @Test(arguments: [
        ([], String?.none, String?("000102030405"), "000102030405"),
        ([], "web", "web", "web"),
        // With the host's uts namespace the container keeps the host's name: sandbox sets none.
        ([.uts], nil, nil, "host-name"),
    ] as [([Namespace], String?, String?, String)])
    func hostname(shared: [Namespace], requested: String?, hostname: String?, variable: String) throws {
        var run = RunSpec.sharing(shared)
        run.hostname = requested
        let spec = try ContainerSpec.docker(run)
        #expect(spec.hostname == hostname)
        #expect(spec.process.environment.contains("HOSTNAME=\(variable)"))
    }

    @Test func environmentHasDockerDefaults() throws {
        var run = RunSpec(command: ["sh"])
        run.tty = true
        try run.environment.add("A=1", host: [:])
        #expect(try ContainerSpec.docker(run).process.environment
            == ["PATH=\(Environment.defaultPath)", "HOSTNAME=000102030405", "TERM=xterm", "A=1", "HOME=/root"])
    }

    /// HOME is the workload user's, from the container's passwd; "/" when it lists none, as Docker.
    @Test(arguments: [(String?("root:x:0:0:root:/root:/bin/sh\n"), "/root"), ("root:x:0:0:root::/bin/sh\n", "/"), (nil, "/")])
    func homeFromTheContainersPasswd(passwd: String?, home: String) throws {
        #expect(try ContainerSpec.docker(RunSpec(command: ["sh"]), passwd: passwd).process.environment.last == "HOME=\(home)")
    }

    /// What the flags leave unsaid: `/` as the working directory, root, the command alone; `--entrypoint` comes
    /// before the command, and `--entrypoint ""` is none.
    @Test func processDefaults() throws {
        var run = RunSpec(command: ["-c", "true"])
        #expect(try ContainerSpec.docker(run).process.cwd == "/")
        #expect(try ContainerSpec.docker(run).process.user == UserSpec.Resolved(uid: 0, gid: 0, supplementaryGroups: [], home: "/root"))
        run.entrypoint = ["sh"]
        run.groupAdd = ["7"]
        #expect(try ContainerSpec.docker(run).process.args == ["sh", "-c", "true"])
        #expect(try ContainerSpec.docker(run).process.user.supplementaryGroups == [7])
        run.entrypoint = [""]
        run.command = ["sh"]
        #expect(try ContainerSpec.docker(run).process.args == ["sh"])
    }

    /// Without an image the container runs on the host's / read-only; with one, on an overlay of it.
    @Test func root() throws {
        #expect(try ContainerSpec.docker(RunSpec(command: ["sh"])).root == .init(path: "/", layout: .bind, readOnly: true))
        var run = RunSpec(command: ["sh"])
        run.rootfs = "/images/busybox"
        run.readOnly = true
        #expect(try ContainerSpec.docker(run).root == .init(path: "/images/busybox", layout: .overlay, readOnly: true))
    }

    /// --privileged gives every capability, and no seccomp filter. A new user namespace has them all; without
    /// one, the container has at most what sandbox holds.
    @Test func privilegedGivesWhatSandboxHolds() throws {
        var run = RunSpec(command: ["sh"])
        run.privileged = true
        var host = ContainerSpec.host
        host.bounding = CapabilityMask.all(through: 40).subtracting(CapabilityMask([Capability(24)]))
        #expect(try ContainerSpec.docker(run, host: host).process.capabilities.bounding == .all(through: 40))
        let spec = try ContainerSpec.docker(run, userNamespace: nil, host: host)
        #expect(spec.process.capabilities.bounding == host.bounding)
        #expect(spec.seccomp == .unconfined)
        run.privileged = false
        run.capabilities.added = ["SYS_RESOURCE"]
        #expect(throws: SandboxError("--cap-add SYS_RESOURCE: sandbox itself does not hold CAP_SYS_RESOURCE, so it cannot give it")) {
            try ContainerSpec.docker(run, userNamespace: nil, host: host)
        }
        run.capabilities.added = ["ALL"]
        #expect(try ContainerSpec.docker(run, userNamespace: nil, host: host).process.capabilities.bounding == host.bounding)
    }

    @Test func userNotMappedIsRefused() throws {
        var run = RunSpec(command: ["sh"])
        run.user = UserSpec(user: "70000")
        #expect(throws: SandboxError("uid 70000 is not mapped in the container's user namespace (mapped: 0-65535)")) {
            try ContainerSpec.docker(run)
        }
    }

    /// What the engine keeps beside the spec, as given: labels, how `stop` ends it, its restart policy and health
    /// check; a foreground run's container is always removed, a detached one's only with --rm.
    @Test func engineSettingsKeepWhatNoLaunchReads() throws {
        var run = RunSpec(command: ["sh"])
        run.labels = ["tier": "front"]
        run.stopSignal = try Signal(parsing: "USR1")
        run.stopTimeout = 3
        #expect(try EngineSettings(docker: run) == EngineSettings(labels: ["tier": "front"], stopSignal: 10, stopTimeout: 3, autoRemove: true))
        run.detach = true
        run.restart = .always
        run.health.test = ["CMD-SHELL", "true"]
        #expect(try EngineSettings(docker: run) == EngineSettings(labels: ["tier": "front"], stopSignal: 10, stopTimeout: 3, restart: .always,
                                                                  healthCheck: HealthCheck(arguments: ["/bin/sh", "-c", "true"])))
        run.restart = .no
        run.autoRemove = true
        #expect(try EngineSettings(docker: run).autoRemove)
    }
}
