import Foundation
import SandboxJSON
import SandboxOCI
import SandboxPolicy

/// The configs real engines wrote (`/work/shared/compat/oci`, above the repository) and a made-up host to
/// map them on. The configs are not part of the repository: a test that needs one is skipped, saying so.
public enum OCIFixtures {
    /// `shared/compat` in the nearest directory above the checkout that has one: `/work` for `/work/main` and
    /// for a worktree in `/work/wt` alike. A checkout elsewhere has none.
    public static let compat: URL = {
        var directory = URL(fileURLWithPath: #filePath)
        repeat {
            directory.deleteLastPathComponent()
            let candidate = directory.appendingPathComponent("shared/compat")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        } while directory.path != "/"
        return directory.appendingPathComponent("shared/compat")
    }()
    public static let directory = compat.appendingPathComponent("oci")

    public static let podman = "podman-4.3.1-run.json"
    public static let docker = "docker-20.10.24-run.json"
    public static let containerd = "containerd-1.6.20-ctr-run.json"
    public static let all = [podman, docker, containerd]

    public static func has(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
    }

    public static func config(_ name: String) throws -> OCI.Config {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return try JSON.decode(OCI.Config.self, from: text, document: name)
    }

    public static let host = HostFacts(nodename: "host-name", lastCapability: 40, bounding: .all(through: 40), timeNamespaces: true)
    public static let root = ContainerSpec.OCIContext.Caller(uid: 0, gid: 0, isRoot: true)

    /// libseccomp, made up as the host is: on x86_64, for which the engines' filters are, it knows every syscall
    /// name but "nosuchsyscall". Which names this machine's libseccomp knows is SandboxLinuxTests' to check.
    public static let seccomp = SeccompFilter.Host(architecture: "x86_64", kernel: (6, 1), knows: { $0 != "nosuchsyscall" })

    public static func context(host: HostFacts = host, caller: ContainerSpec.OCIContext.Caller = root, passwd: String? = nil)
        -> ContainerSpec.OCIContext {
        ContainerSpec.OCIContext(bundle: "/bundles/one", host: host, seccomp: seccomp, caller: caller, passwd: passwd)
    }

    /// The container a config maps to, and the warnings it gave.
    public static func map(_ config: OCI.Config, context: ContainerSpec.OCIContext = context()) throws -> (ContainerSpec, [String]) {
        var warnings: [String] = []
        let spec = try ContainerSpec(oci: config, context: context) { warnings.append($0) }
        return (spec, warnings)
    }

    /// runc's default spec, changed by `change`: what each refusal starts from.
    public static func defaultSpec(_ change: (inout OCI.Config) -> Void = { _ in }) -> OCI.Config {
        var config = OCI.Config.defaultSpec()
        change(&config)
        return config
    }

    /// The message a mapping fails with, or nil when it does not.
    public static func refusal(_ config: OCI.Config, context: ContainerSpec.OCIContext = context()) -> String? {
        do {
            _ = try map(config, context: context)
            return nil
        } catch let error as SandboxError {
            return error.description
        } catch {
            return "\(error)"
        }
    }
}
