import Glibc
import SandboxPolicy

extension Runtime {
    /// What a running container uses now, as `docker stats` reads it: its cgroup's counters, its network
    /// namespace's interfaces, and the host's CPU time beside it. nil once it is not running: its cgroup is
    /// gone with it.
    public func sample(_ view: ContainerView) -> StatsSample? {
        guard view.state.status == .running || view.state.status == .paused, let identity = view.record.identity else { return nil }
        var sample = StatsSample()
        let hostMemory = (try? HostFile.read("/proc/meminfo")).flatMap(StatsSample.hostMemory) ?? 0
        if let hierarchy = try? CgroupHierarchy.host(), !view.record.cgroups.isEmpty {
            let usage = ContainerCgroup.existing(directories: view.record.cgroups, hierarchy: hierarchy).usage()
            sample.cpuNanoseconds = usage.cpuNanoseconds ?? 0
            sample.memoryUsage = usage.memoryUsage ?? 0
            sample.memoryInactiveFile = usage.memoryInactiveFile
            // Docker shows the host's memory for a limit above it, or none.
            sample.memoryLimit = min(usage.memoryLimit ?? hostMemory, hostMemory > 0 ? hostMemory : .max)
            sample.blockRead = usage.blockRead ?? 0
            sample.blockWritten = usage.blockWritten ?? 0
            sample.pids = usage.pidsCurrent ?? 0
        }
        sample.systemNanoseconds = (try? HostFile.read("/proc/stat")).flatMap {
            StatsSample.systemCPU(procStat: $0, ticksPerSecond: Int64(sysconf(Int32(_SC_CLK_TCK))))
        } ?? 0
        sample.onlineCPUs = max(sysconf(Int32(_SC_NPROCESSORS_ONLN)), 1)
        // The host's own network namespace is not the container's to count, as Docker counts none for --network host.
        let proc = "/proc/\(identity.pid)"
        if Self.namespaceInode(proc + "/ns/net") != Self.namespaceInode("/proc/self/ns/net"),
           let netDev = try? HostFile.read(proc + "/net/dev"), identity.isAlive {
            (sample.networkReceived, sample.networkSent) = StatsSample.network(netDev: netDev)
        }
        return sample
    }

    private static func namespaceInode(_ path: String) -> ino_t? {
        var status = stat()
        return stat(path, &status) == 0 ? status.st_ino : nil
    }
}
