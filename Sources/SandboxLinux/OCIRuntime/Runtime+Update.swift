import Glibc
import SandboxJSON
import SandboxOCI
import SandboxPolicy

extension Runtime {
    /// Changes a living container's cgroup limits: those `limits` sets; the rest stay.
    /// - Returns: its name, as `docker update` prints it.
    @discardableResult
    public func update(reference: String, limits: ResourceLimits) throws -> String {
        let directory = try StateDirectory.open(base: root, reference: reference)
        return try directory.locked {
            var record = try directory.readRecord()
            guard Self.status(record) != .stopped, !record.cgroups.isEmpty else {
                throw SandboxError("cannot update container \(record.name): it is not running")
            }
            try ContainerCgroup.existing(directories: record.cgroups, hierarchy: try CgroupHierarchy.host()).update(limits)
            // What inspect shows follows the cgroup, as Docker's HostConfig follows docker update.
            if record.settings != nil {
                record.settings?.limits.merge(limits)
                try directory.write(record)
            }
            return record.name
        }
    }

    /// The limits of an `update --resources` file (or `-`, standard input): the runtime spec's LinuxResources.
    public func resources(from path: String) throws -> ResourceLimits {
        let text = path == "-" ? try HostFile.read("/dev/stdin") : try HostFile.read(path)
        let resources: OCI.Resources
        do {
            resources = try JSON.decode(OCI.Resources.self, from: text, document: path == "-" ? "standard input" : path)
        } catch {
            throw SandboxError(error.description)
        }
        let context = ContainerSpec.OCIContext(bundle: "/", host: try HostFacts.current(), seccomp: SeccompCompiler.host(),
                                               caller: .init(uid: caller.uid, gid: caller.gid, isRoot: caller.isRoot), passwd: nil)
        return try ResourceLimits(oci: resources, context: context)
    }
}
