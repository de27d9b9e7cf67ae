import CSandbox
import SandboxPolicy

extension ChildConfiguration {
    /// Docker's /sys/fs/cgroup as the child makes it: the container's own directory in each hierarchy, bound
    /// from the host (the child sees the host's mounts until pivot_root) where the host mounts the hierarchy,
    /// so that in its new cgroup namespace, where its cgroup is /, every path it reads in /proc/self/cgroup
    /// is there. runc binds the same directories.
    ///
    /// A v2-only host's tree is bound at the target itself. Any other's hierarchies each get a directory named
    /// as on the host (cpu, memory, ..., systemd, unified) in a tmpfs, sealed with the entry's attributes once
    /// they are in (read-only, in Docker's table), and a comounted hierarchy (`cpu,cpuacct`) a link for each
    /// controller, as the host has. Without a cgroup of its own, the container gets the empty tmpfs.
    ///
    /// - Parameter first: the index of the first entry returned in the whole table.
    func cgroupMounts(_ entry: MountEntry, directories: [ContainerCgroup.Directory], first: Int) -> [sbx_mount] {
        let attributes = entry.attributes.kernelFlags
        func mount(_ kind: sbx_mount_kind, at target: String, source: String? = nil, attributes: UInt64 = attributes) -> sbx_mount {
            var mount = sbx_mount()
            mount.kind = kind
            mount.target = string(target)
            mount.source = source.map(string)
            mount.attributes = attributes
            mount.optional = entry.optional
            return mount
        }

        var mounts: [sbx_mount]
        if directories.count == 1, let tree = directories.first, tree.mount.version == .v2 {
            mounts = [mount(SBX_MOUNT_BIND, at: entry.target, source: tree.path)]
        } else {
            var tmpfs = mount(SBX_MOUNT_FS, at: entry.target, source: "tmpfs", attributes: attributes & ~SBX_MOUNT_ATTR_RDONLY)
            tmpfs.fstype = string("tmpfs")
            tmpfs.data = string("mode=755")
            mounts = [tmpfs]
            for directory in directories {
                let name = String(directory.mount.path.split(separator: "/").last ?? "")
                mounts.append(mount(SBX_MOUNT_BIND, at: entry.target + "/" + name, source: directory.path))
                for controller in name.split(separator: ",") where name.contains(",") {
                    mounts.append(mount(SBX_MOUNT_SYMLINK, at: entry.target + "/" + controller, source: name))
                }
            }
            if attributes & SBX_MOUNT_ATTR_RDONLY != 0 {
                var seal = mount(SBX_MOUNT_SEAL, at: entry.target, attributes: SBX_MOUNT_ATTR_RDONLY)
                seal.within = first
                mounts.append(seal)
            }
        }
        mounts[0].propagation = entry.propagation?.kernelFlags ?? 0
        return mounts
    }
}
