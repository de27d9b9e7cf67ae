import ArgumentParser
import SandboxLinux
import SandboxPolicy

/// Docker's flags for sharing a namespace with the host. Every namespace is new unless one of these says host.
struct NamespaceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("host to share the host's pid namespace.", valueName: "private|host"))
    var pid: String?

    @Option(name: [.customLong("network"), .customLong("net")],
            help: ArgumentHelp("host to share the host's network; none (default): a new namespace with only lo, up.", valueName: "none|host"))
    var network: String?

    @Option(help: ArgumentHelp("host to share the host's ipc namespace.", valueName: "private|host"))
    var ipc: String?

    @Option(help: ArgumentHelp("host to share the host's hostname and domain name.", valueName: "private|host"))
    var uts: String?

    @Option(help: ArgumentHelp("host to run without a user namespace: container root is host root (root only).", valueName: "private|host"))
    var userns: String?

    @Option(help: ArgumentHelp("host to share the host's cgroup namespace.", valueName: "private|host"))
    var cgroupns: String?

    @Option(help: ArgumentHelp("default, the only isolation on Linux: namespaces.", valueName: "default"))
    var isolation: String?

    func apply(to spec: inout RunSpec) throws {
        let choices: [(String, String?, Namespace, String)] = [
            ("--pid", pid, .pid, "private"), ("--network", network, .network, "none"), ("--ipc", ipc, .ipc, "private"),
            ("--uts", uts, .uts, "private"), ("--userns", userns, .user, "private"), ("--cgroupns", cgroupns, .cgroup, "private"),
        ]
        for (flag, value, namespace, isolated) in choices {
            switch value {
            case nil, isolated?: continue
            // Docker's shareable is a private namespace another container may join, which none can here.
            case "shareable"? where namespace == .ipc: continue
            case "host": spec.namespaces.share(namespace)
            case let other? where other.hasPrefix("container:"): throw Unsupported.refuse("\(flag) \(other)", Unsupported.otherContainers)
            case let other? where namespace == .network: throw Unsupported.refuse("--network \(other)", Unsupported.networks)
            case let other?: throw SandboxError("invalid \(flag) \"\(other)\": expected \(isolated) or host")
            }
        }
        if let isolation, isolation != "default" {
            throw SandboxError("invalid isolation (\(isolation)): linux only supports 'default'")
        }
    }
}
