import SandboxOCI

/// The limits an OCI config sets per block device, page size, interface or RDMA device.
extension ResourceLimits {
    /// A block device's I/O weight, 10-1000.
    public struct DeviceWeight: Codable, Equatable, Sendable {
        public var major: UInt32
        public var minor: UInt32
        public var weight: UInt16

        public init(major: UInt32, minor: UInt32, weight: UInt16) {
            self.major = major
            self.minor = minor
            self.weight = weight
        }
    }

    /// A block device's most bytes or operations a second, in one direction.
    public struct DeviceThrottle: Codable, Equatable, Sendable {
        public enum Kind: Codable, Equatable, Sendable, CaseIterable {
            case readBytes, writeBytes, readOperations, writeOperations
        }

        public var kind: Kind
        public var major: UInt32
        public var minor: UInt32
        public var rate: UInt64

        public init(_ kind: Kind, major: UInt32, minor: UInt32, rate: UInt64) {
            self.kind = kind
            self.major = major
            self.minor = minor
            self.rate = rate
        }
    }

    /// The most bytes of HugeTLB pages of one size (`2MB`, as the kernel names its files): the OCI config's, which
    /// says it as the kernel takes it.
    public typealias HugepageLimit = OCI.Resources.HugepageLimit

    /// An interface's net_prio priority: the OCI config's, likewise.
    public typealias InterfacePriority = OCI.Resources.Network.InterfacePriority

    /// The most HCA handles and objects on one RDMA device; nil: unlimited.
    public struct RDMALimit: Codable, Equatable, Sendable {
        public var device: String
        public var handles: UInt32?
        public var objects: UInt32?

        public init(device: String, handles: UInt32?, objects: UInt32?) {
            self.device = device
            self.handles = handles
            self.objects = objects
        }
    }
}
