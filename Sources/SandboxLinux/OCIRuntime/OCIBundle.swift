import Glibc
import SandboxJSON
import SandboxOCI
import SandboxPolicy

/// An OCI bundle's config.json read and mapped to a container, with what the host contributes.
public enum OCIBundle {
    /// The most sandbox reads of a config.json: Docker's with its seccomp profile is about 30 KiB.
    static let configLimit = 16 << 20

    /// - Parameters:
    ///   - bundle: the bundle directory, absolute.
    ///   - warn: told what the config asks that cannot be granted here and is left out.
    public static func spec(bundle: String, caller: Caller, warn: (String) -> Void) throws -> ContainerSpec {
        let path = bundle + "/config.json"
        guard let text = try HostFile.read("config.json", inRoot: bundle, limit: configLimit) else {
            throw SandboxError("open \(path): No such file or directory")
        }
        let config: OCI.Config
        do {
            config = try JSON.decode(OCI.Config.self, from: text, document: "config.json")
        } catch {
            throw SandboxError(error.description)
        }
        let root = config.root.map { $0.path.hasPrefix("/") ? $0.path : bundle + "/" + $0.path }
        let passwd = try root.flatMap { try HostFile.read("/etc/passwd", inRoot: $0) }
        var subordinate: (uids: [IDMapping], gids: [IDMapping]) = ([], [])
        if !caller.isRoot {
            subordinate = try UserNamespaceSetup.SubordinateFiles.read().ranges(of: caller)
        }
        var host = try HostFacts.current()
        host.readSecurityModules()
        let context = ContainerSpec.OCIContext(
            bundle: bundle, host: host, seccomp: SeccompCompiler.host(),
            caller: .init(uid: caller.uid, gid: caller.gid, isRoot: caller.isRoot, subordinateUIDs: subordinate.uids,
                          subordinateGIDs: subordinate.gids),
            passwd: passwd)
        return try ContainerSpec(oci: config, context: context, warn: warn)
    }
}
