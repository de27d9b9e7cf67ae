extension OCI {
    /// A container's state, as `state` prints it and as hooks read it on stdin.
    public struct State: Codable, Equatable, Sendable {
        public var ociVersion: String
        /// Unique on the host.
        public var id: String
        public var status: Status
        /// The container's process as the runtime sees it; required on Linux while `created` or `running`.
        public var pid: Int?
        /// The bundle directory, absolute.
        public var bundle: String
        /// config.json's annotations.
        public var annotations: [String: String]?

        public init(ociVersion: String = OCI.version, id: String, status: Status, pid: Int? = nil, bundle: String,
                    annotations: [String: String]? = nil) {
            self.ociVersion = ociVersion
            self.id = id
            self.status = status
            self.pid = pid
            self.bundle = bundle
            self.annotations = annotations
        }

        public enum Status: String, OCI.Token {
            /// During create.
            case creating
            /// Created; the user's program has not run yet (it waits for start).
            case created
            /// The user's program runs.
            case running
            /// The container's process exited.
            case stopped
            /// Frozen by `pause`: not one of the spec's four, but a status the spec allows a runtime to add, and
            /// the one runc and crun report, and podman expects, for a frozen cgroup.
            case paused

            public static let kind = "container status"
        }
    }

    /// What the runtime sends over `linux.seccomp.listenerPath`, with the notify fd in SCM_RIGHTS.
    public struct ContainerProcessState: Codable, Equatable, Sendable {
        public var ociVersion: String
        /// The names of the fds sent, in their SCM_RIGHTS order: `seccompFd`.
        public var fds: [String]?
        public var pid: Int
        /// `linux.seccomp.listenerMetadata`.
        public var metadata: String?
        public var state: State

        /// The name of the seccomp notify fd in `fds`.
        public static let seccompFd = "seccompFd"

        public init(ociVersion: String = OCI.version, fds: [String]? = nil, pid: Int, metadata: String? = nil,
                    state: State) {
            self.ociVersion = ociVersion
            self.fds = fds
            self.pid = pid
            self.metadata = metadata
            self.state = state
        }
    }
}
