import SandboxJSON
import SandboxOCI
import SandboxPolicy

extension FuzzTarget {
    /// A bundle's config.json: decoded strictly, mapped to a container as `create` maps it (as root, on a
    /// made-up host with this machine's libseccomp), and written back as a config.
    static let ociConfig = FuzzTarget(name: "oci-config") { bytes in
        let config: OCI.Config
        do {
            config = try JSON.decode(OCI.Config.self, from: FuzzInput.text(bytes), document: "config.json")
        } catch let error as JSON.DocumentError {
            throw SandboxError(error.description)
        }
        let context = ContainerSpec.OCIContext(
            bundle: "/bundle", host: HostFacts(nodename: "fuzz", lastCapability: 40, bounding: .all(through: 40), timeNamespaces: true),
            seccomp: SeccompFuzzing.native, caller: .init(uid: 0, gid: 0, isRoot: true), passwd: "root:x:0:0::/root:/bin/sh\n")
        let spec = try ContainerSpec(oci: config, context: context)
        _ = try OCI.Config(spec: spec)
    }
}
