import SandboxJSON
import SandboxOCI
import SandboxPolicy

extension FuzzTarget {
    /// An image's config: read strictly, then made a container as `run IMAGE` will make one, in the foreground
    /// with a command and detached with flags that change it (an env variable, a volume, a health timing), each
    /// mapped to a spec on a made-up host with a directory for each of its volumes.
    static let imageConfig = FuzzTarget(name: "image-config") { bytes in
        let image: OCI.Image.Configuration
        do {
            image = try OCI.Image.Configuration.read(FuzzInput.text(bytes), document: "config")
        } catch let error as JSON.DocumentError {
            throw SandboxError(error.description)
        }
        var foreground = RunSpec(command: ["true"])
        foreground.rootfs = "/image"
        var detached = RunSpec(command: [])
        detached.rootfs = "/image"
        detached.detach = true
        try detached.environment.add("PATH=/bin", host: [:])
        detached.volumes = [try Volume(parsing: "/srv:/data")]
        detached.health.interval = 2_000_000_000
        var failure: SandboxError?
        for flags in [foreground, detached] {
            do {
                let run = try flags.applying(image: image)
                let context = ContainerSpec.DockerContext(
                    id: ContainerID(randomFrom: Array(0..<32)),
                    host: HostFacts(nodename: "fuzz", lastCapability: 40, bounding: .all(through: 40), timeNamespaces: true),
                    passwd: "root:x:0:0::/root:/bin/sh\n", group: nil, userNamespace: nil, deviceRules: [], seccompProfile: nil)
                var withVolumes = context
                withVolumes.anonymousVolumes = run.anonymousVolumes.indices.map { "/volumes/\($0)" }
                _ = try ContainerSpec(docker: run, context: withVolumes)
                _ = try EngineSettings(docker: run)
            } catch let error as SandboxError {
                failure = error
            }
        }
        if let failure { throw failure }
    }
}
