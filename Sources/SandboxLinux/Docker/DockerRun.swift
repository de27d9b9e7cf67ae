import Glibc
import SandboxPolicy

/// `sandbox run`'s flags made a container: the host and the image are read here, once, and the pure mapping
/// (`ContainerSpec(docker:context:)`) decides.
public enum DockerRun {
    /// - Returns: the spec and the container's new id.
    /// - Parameters:
    ///   - image: the image `run.image` names, when the caller found it already (to apply its config); else it is
    ///     looked up here.
    ///   - keepsLayer: an image's container gets its writable layer; false for a spec only printed.
    public static func spec(for run: RunSpec, image found: ImageRun? = nil, caller: Caller, keepsLayer: Bool = true) throws
        -> (spec: ContainerSpec, id: ContainerID) {
        try checkHost(run, caller: caller)
        let userNamespace = try run.namespaces.isNew(.user) ? UserNamespaceSetup.plan(for: run.userMapping, caller: caller) : nil
        let id = ContainerID.random()
        if let name = run.image {
            guard let image = try found ?? ImageRun.find(name, caller: caller, environment: ImageRun.environment) else {
                throw ImageStore.noSuchImage(name).with(exitCode: 125)
            }
            return (try image.spec(for: run, id: id, caller: caller, userNamespace: userNamespace, keepsLayer: keepsLayer), id)
        }
        let root = run.rootfs ?? "/"
        let context = try self.context(for: run, id: id, caller: caller, userNamespace: userNamespace,
                                       passwd: try HostFile.read("/etc/passwd", inRoot: root), group: try HostFile.read("/etc/group", inRoot: root))
        return (try ContainerSpec(docker: run, context: context), id)
    }

    /// What the mapping needs of this host beside the flags; `passwd` and `group` are the container's own.
    static func context(for run: RunSpec, id: ContainerID, caller: Caller, userNamespace: UserNamespacePlan?, passwd: String?, group: String?)
        throws -> ContainerSpec.DockerContext {
        let profile = try run.effectiveSeccompProfile.map {
            (text: try SeccompProfileFile.text($0), source: SeccompProfileFile.source($0))
        }
        return ContainerSpec.DockerContext(
            id: id, host: try HostFacts.current(), passwd: passwd, group: group,
            userNamespace: userNamespace, deviceRules: try run.devices.map { try $0.hostRule() }, seccompProfile: profile,
            ownCgroup: Container.getsCgroup(caller: caller, resources: run.resources))
    }

    /// The container the flags describe, its Docker profile resolved into the filter it means (against its
    /// bounding set, on this host), as an OCI config must hold it.
    public static func resolvedForPrinting(_ run: RunSpec, image: ImageRun? = nil) throws -> ContainerSpec {
        var (spec, _) = try self.spec(for: run, image: image, caller: .current(), keepsLayer: false)
        if case .dockerProfile(let text, let source) = spec.seccomp {
            // Its own errors name the profile already.
            let profile = try SeccompProfileFile.parse(text, source: source)
            do {
                spec.seccomp = .filter(try SeccompFilter(profile: profile, bounding: spec.process.capabilities.bounding,
                                                          host: SeccompCompiler.host()))
            } catch let error as SandboxError {
                throw error.within("seccomp profile \(source)")
            }
        }
        return spec
    }

    /// What the flags name on the host must be there before anything is made.
    private static func checkHost(_ run: RunSpec, caller: Caller) throws {
        if !caller.isRoot && !run.namespaces.isNew(.user) {
            throw SandboxError("--userns host needs root: without a user namespace, no other namespace can be made")
        }
        if let rootfs = run.rootfs {
            var status = stat()
            guard stat(rootfs, &status) == 0 else { throw SandboxError("root filesystem \(rootfs)", errno: errno) }
            guard status.st_mode & S_IFMT == S_IFDIR else { throw SandboxError("root filesystem \(rootfs) is not a directory") }
        }
        for volume in run.volumes where access(volume.source, F_OK) != 0 {
            throw SandboxError("volume \(volume.source):\(volume.target): host path \(volume.source)", errno: errno)
        }
    }
}
