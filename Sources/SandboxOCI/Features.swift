extension OCI {
    /// `features`: what a runtime implements, decided when it is built, whatever the host supports. Every
    /// property but the two versions may be absent (or null), which says nothing, unlike an empty list.
    public struct Features: Codable, Equatable, Sendable {
        /// The oldest and newest `ociVersion` the runtime accepts.
        public var ociVersionMin: String
        public var ociVersionMax: String
        /// The hook names it runs (`prestart`, `createRuntime`…).
        public var hooks: [String]?
        /// The mount options it recognizes, filesystem-specific ones aside.
        public var mountOptions: [String]?
        public var linux: Linux?
        /// About the runtime itself (`org.opencontainers.runc.version`), not a list of config annotations.
        public var annotations: [String: String]?
        /// config.json annotations that can change what the runtime does; one ending in `.` is a prefix.
        public var potentiallyUnsafeConfigAnnotations: [String]?

        public init(ociVersionMin: String, ociVersionMax: String) {
            self.ociVersionMin = ociVersionMin
            self.ociVersionMax = ociVersionMax
        }

        public struct Linux: Codable, Equatable, Sendable {
            public var namespaces: [Namespace.Kind]?
            /// Capability names (`CAP_CHOWN`), including those the host kernel may lack.
            public var capabilities: [String]?
            public var cgroup: Cgroup?
            public var seccomp: Seccomp?
            public var apparmor: Support?
            public var selinux: Support?
            public var intelRdt: Support?
            public var mountExtensions: MountExtensions?

            public init() {}
        }

        /// The cgroup managers implemented.
        public struct Cgroup: Codable, Equatable, Sendable {
            public var v1: Bool?
            public var v2: Bool?
            public var systemd: Bool?
            public var systemdUser: Bool?
            /// The RDMA controller.
            public var rdma: Bool?

            public init() {}
        }

        public struct Seccomp: Codable, Equatable, Sendable {
            public var enabled: Bool?
            public var actions: [OCI.Seccomp.Action]?
            public var operators: [OCI.Seccomp.Operator]?
            public var archs: [OCI.Seccomp.Architecture]?
            /// Flags recognized; `supportedFlags` are those this build (its kernel headers and libseccomp) can set.
            public var knownFlags: [OCI.Seccomp.Flag]?
            public var supportedFlags: [OCI.Seccomp.Flag]?

            public init() {}
        }

        /// Whether a feature is implemented at all.
        public struct Support: Codable, Equatable, Sendable {
            public var enabled: Bool?

            public init(enabled: Bool? = nil) { self.enabled = enabled }
        }

        public struct MountExtensions: Codable, Equatable, Sendable {
            /// Whether mounts' `uidMappings` and `gidMappings` are read and used, even partly.
            public var idmap: Support?

            public init(idmap: Support? = nil) { self.idmap = idmap }
        }
    }
}
