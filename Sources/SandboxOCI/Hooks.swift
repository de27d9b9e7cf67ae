extension OCI {
    /// Programs the runtime runs around the container's lifecycle, each given the container's state on stdin.
    /// In the order a container meets them; within a list, in the listed order.
    public struct Hooks: Codable, Equatable, Sendable {
        /// Deprecated for the three below; in the runtime namespace, during create, before `createRuntime`.
        public var prestart: [Hook]?
        /// In the runtime namespace, during create, after the namespaces exist and before pivot_root.
        public var createRuntime: [Hook]?
        /// In the container namespace, during create, after the mounts and before pivot_root.
        public var createContainer: [Hook]?
        /// In the container, during start, before the user's program.
        public var startContainer: [Hook]?
        /// In the runtime namespace, after the user's program started and before start returns; a failure warns.
        public var poststart: [Hook]?
        /// In the runtime namespace, after the container is deleted; a failure warns.
        public var poststop: [Hook]?

        public init() {}
    }

    public struct Hook: Codable, Equatable, Sendable {
        /// An absolute path, resolved in the namespace the hook's kind says.
        public var path: String
        /// The whole argv, `args[0]` included, as execv takes it.
        public var args: [String]?
        public var env: [String]?
        /// Seconds before the hook is aborted; greater than zero.
        public var timeout: Int?

        public init(path: String, args: [String]? = nil, env: [String]? = nil, timeout: Int? = nil) {
            self.path = path
            self.args = args
            self.env = env
            self.timeout = timeout
        }
    }
}
