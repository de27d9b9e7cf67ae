import Foundation
import SandboxJSON
import SandboxOCI
@testable import SandboxLinux
@testable import SandboxPolicy

/// The configs real engines wrote (`/work/shared/compat/oci`, above the repository) and a made-up host to
/// map them on. The configs are not part of the repository: a test that needs one is skipped, saying so.
enum OCIFixtures {
    /// `shared/compat` in the nearest directory above the checkout that has one: `/work` for `/work/main` and
    /// for a worktree in `/work/wt` alike. A checkout elsewhere has none.
    static let compat: URL = {
        var directory = URL(fileURLWithPath: #filePath)
        repeat {
            directory.deleteLastPathComponent()
            let candidate = directory.appendingPathComponent("shared/compat")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        } while directory.path != "/"
        return directory.appendingPathComponent("shared/compat")
    }()
    static let directory = compat.appendingPathComponent("oci")

    static let podman = "podman-4.3.1-run.json"
    static let docker = "docker-20.10.24-run.json"
    static let containerd = "containerd-1.6.20-ctr-run.json"
    static let all = [podman, docker, containerd]

    static func has(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
    }

    static func config(_ name: String) throws -> OCI.Config {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        return try JSON.decode(OCI.Config.self, from: text, document: name)
    }

    static let host = HostFacts(nodename: "host-name", lastCapability: 40, bounding: .all(through: 40), timeNamespaces: true)
    static let root = ContainerSpec.OCIContext.Caller(uid: 0, gid: 0, isRoot: true)

    /// This machine's libseccomp, on x86_64 whatever the machine: the engines' filters are for it.
    static let seccomp = SeccompFilter.Host(architecture: "x86_64", kernel: (6, 1), knows: SeccompCompiler.host().knows)

    static func context(host: HostFacts = host, caller: ContainerSpec.OCIContext.Caller = root, passwd: String? = nil)
        -> ContainerSpec.OCIContext {
        ContainerSpec.OCIContext(bundle: "/bundles/one", host: host, seccomp: seccomp, caller: caller, passwd: passwd)
    }

    /// The container a config maps to, and the warnings it gave.
    static func map(_ config: OCI.Config, context: ContainerSpec.OCIContext = context()) throws -> (ContainerSpec, [String]) {
        var warnings: [String] = []
        let spec = try ContainerSpec(oci: config, context: context) { warnings.append($0) }
        return (spec, warnings)
    }

    /// runc's default spec, changed by `change`: what each refusal starts from.
    static func defaultSpec(_ change: (inout OCI.Config) -> Void = { _ in }) -> OCI.Config {
        var config = OCI.Config.defaultSpec()
        change(&config)
        return config
    }

    /// The message a mapping fails with, or nil when it does not.
    static func refusal(_ config: OCI.Config, context: ContainerSpec.OCIContext = context()) -> String? {
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
