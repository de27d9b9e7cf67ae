/// The CPUs and memory nodes the host has online: what `--cpuset-cpus`, `--cpuset-mems` and `--cpus` are
/// checked against. A value here, read by the Linux side, so that the checks are pure.
public struct HostResources: Equatable, Sendable {
    public var onlineCPUs: CPUList
    public var onlineNodes: CPUList

    public init(onlineCPUs: CPUList, onlineNodes: CPUList) {
        self.onlineCPUs = onlineCPUs
        self.onlineNodes = onlineNodes
    }
}
