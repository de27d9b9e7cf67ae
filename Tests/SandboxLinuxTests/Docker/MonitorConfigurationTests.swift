import PolicyFixtures
import SandboxJSON
import SandboxOCI
import Testing
@testable import SandboxLinux
@testable import SandboxPolicy

/// A detached container's monitor gets the container as `run -d` resolved it, as JSON (`Monitor.Configuration`),
/// and `restart` starts the next monitor from the same text: every part of a spec, and of what the engine keeps,
/// comes back as it went.
struct MonitorConfigurationTests {
    static func roundTrip(_ spec: ContainerSpec, engine: EngineSettings = EngineSettings()) throws -> Monitor.Configuration {
        let configuration = Monitor.Configuration(id: ContainerSpec.id, name: "web", spec: spec, engine: engine, logOptions: LogOptions(),
                                                  base: "/run/sandbox", logDirectory: "/var/lib/sandbox/containers/" + ContainerSpec.id.value)
        let monitor = try Monitor(configuration: try JSON.encode(configuration))
        #expect(monitor.configuration.name == "web" && monitor.configuration.base == "/run/sandbox")
        #expect(monitor.configuration.id == ContainerSpec.id.value && monitor.configuration.logOptions == LogOptions())
        return monitor.configuration
    }

    /// Docker's flags: an image, binds (one idmapped), a tmpfs, a Docker profile by its text, limits, ulimits,
    /// sysctls; and beside the spec a restart policy, a health check, labels and the stop signal.
    @Test func aDockerSpecComesBackWhole() throws {
        var run = RunSpec(command: ["sh", "-c", "echo $PASSWORD"])
        run.rootfs = "/images/busybox"
        run.volumes = try ["/srv/a:/a:idmap", "/srv/b:/b:ro"].map(Volume.init(parsing:))
        run.tmpfs = [try TmpfsMount(parsing: "/scratch:size=64m")]
        try run.environment.add("PASSWORD=hunter2", host: [:])
        run.hostname = "web"
        run.resources = try ResourceLimits(memory: "64m", cpus: "1.5", cpusetCpus: "0-1", pidsLimit: "100", host: Fixtures.resources)
        run.ulimits = [try ResourceLimit(docker: "nofile=1024:2048")]
        run.sysctls = ["net.ipv4.ip_forward": "1"]
        run.health.test = ["CMD-SHELL", "true"]
        run.health.retries = 5
        run.labels = ["tier": "front"]
        run.stopSignal = try Signal(parsing: "USR1")
        run.detach = true
        run.restart = .onFailure(maximum: 3)
        let spec = try ContainerSpec(docker: run, context: .init(
            id: ContainerSpec.id, host: ContainerSpec.host, passwd: "root:x:0:0:root:/root:/bin/sh\n", group: nil,
            userNamespace: Fixtures.rootRemap, deviceRules: [DeviceRule(.character, 10, 200)],
            seccompProfile: (text: #"{"defaultAction": "SCMP_ACT_ALLOW"}"#, source: "profile.json"), ownCgroup: true))
        let engine = try EngineSettings(docker: run)
        let configuration = try Self.roundTrip(spec, engine: engine)
        #expect(configuration.spec == spec && configuration.engine == engine)
    }

    /// An engine's config: a namespace joined by path, a resolved filter, hooks, device rules and per-device limits.
    @Test func anOCISpecComesBackWhole() throws {
        let config = OCIFixtures.defaultSpec { config in
            config.linux?.namespaces?.removeAll { $0.type == .network }
            config.linux?.namespaces?.append(.init(.network, path: "/proc/1/ns/net"))
            config.linux?.sysctl = ["kernel.msgmax": "8192"]
            var seccomp = OCI.Seccomp(defaultAction: .errno)
            seccomp.architectures = [.x86_64]
            seccomp.syscalls = [.init(names: ["read", "write"], action: .allow), .init(names: ["mkdir"], action: .errno, errnoRet: 38)]
            config.linux?.seccomp = seccomp
            var hooks = OCI.Hooks()
            hooks.prestart = [.init(path: "/bin/true", args: ["true"], env: ["A=1"], timeout: 5)]
            config.hooks = hooks
        }
        let (spec, _) = try OCIFixtures.map(config)
        #expect(try Self.roundTrip(spec).spec == spec)
    }
}
