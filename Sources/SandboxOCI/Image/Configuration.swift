extension OCI.Image {
    /// An image's config (`application/vnd.oci.image.config.v1+json`, Docker's
    /// `application/vnd.docker.container.image.v1+json`): the platform its binaries are for, how a container of
    /// it runs, and the uncompressed digests of its layers. Its own digest is the image's ID.
    public struct Configuration: Codable, Equatable, Sendable {
        /// When the image was made, RFC 3339.
        public var created: String?
        public var author: String?
        public var architecture: String
        public var os: String
        public var osVersion: String?
        public var osFeatures: [String]?
        public var variant: String?
        /// How a container of the image runs; absent from an image `docker import` made without `--change`.
        public var config: Container?
        public var rootfs: RootFS
        /// How each layer was made, bottom first, with entries for steps that made no layer.
        public var history: [History]?

        public init(os: String, architecture: String, rootfs: RootFS) {
            self.os = os
            self.architecture = architecture
            self.rootfs = rootfs
        }

        private enum CodingKeys: String, CodingKey {
            case created, author, architecture, os
            case osVersion = "os.version", osFeatures = "os.features"
            case variant, config, rootfs, history
        }

        /// The platform the image's binaries are for.
        public var platform: Platform {
            var platform = Platform(os: os, architecture: architecture, variant: variant)
            platform.osVersion = osVersion
            platform.osFeatures = osFeatures
            return platform
        }

        /// How a container of the image runs, unless the user says otherwise: Docker's `container.Config` as
        /// an image carries it (OCI's `ImageConfig`), with the members Docker adds (`Healthcheck`, `OnBuild`,
        /// `Shell`). Absent and empty are alike, as Docker reads them.
        public struct Container: Codable, Equatable, Sendable {
            /// `uid`, `name`, `uid:gid`, `name:group`...; empty or absent: root.
            public var user: String?
            /// `80/tcp`; only a record of what the image listens on.
            public var exposedPorts: [String: Empty]?
            /// `NAME=VALUE`.
            public var env: [String]?
            public var entrypoint: [String]?
            /// The arguments to the entrypoint, or the command when there is none.
            public var cmd: [String]?
            /// Paths at which Docker mounts an anonymous volume.
            public var volumes: [String: Empty]?
            public var workingDir: String?
            public var labels: [String: String]?
            /// `SIGTERM`, `TERM`, `15`.
            public var stopSignal: String?
            /// Windows only: the command line is one string, escaped already.
            public var argsEscaped: Bool?
            public var healthcheck: HealthConfig?
            /// Dockerfile instructions run when another image is built from this one.
            public var onBuild: [String]?
            /// The shell of Dockerfile's shell form and of a `CMD-SHELL` health check; absent: `/bin/sh -c`.
            public var shell: [String]?

            public init() {}

            private enum CodingKeys: String, CodingKey {
                case user = "User", exposedPorts = "ExposedPorts", env = "Env", entrypoint = "Entrypoint", cmd = "Cmd"
                case volumes = "Volumes", workingDir = "WorkingDir", labels = "Labels", stopSignal = "StopSignal"
                case argsEscaped = "ArgsEscaped", healthcheck = "Healthcheck", onBuild = "OnBuild", shell = "Shell"
            }
        }

        /// Docker's `HEALTHCHECK`, an extension of the OCI config. Zero (or absent) means the default, as in
        /// Docker; durations are in nanoseconds.
        public struct HealthConfig: Codable, Equatable, Sendable {
            /// `[]`: the base image's; `["NONE"]`: none; `["CMD", program, args...]`; `["CMD-SHELL", command]`.
            public var test: [String]?
            public var interval: Int64?
            public var timeout: Int64?
            public var startPeriod: Int64?
            public var startInterval: Int64?
            public var retries: Int?

            public init(test: [String]? = nil) { self.test = test }

            private enum CodingKeys: String, CodingKey {
                case test = "Test", interval = "Interval", timeout = "Timeout", startPeriod = "StartPeriod"
                case startInterval = "StartInterval", retries = "Retries"
            }
        }

        /// The layers' uncompressed digests, bottom first: what each layer a manifest names must decompress to.
        public struct RootFS: Codable, Equatable, Sendable {
            public var type: Kind
            public var diffIDs: [Digest]

            public init(diffIDs: [Digest]) {
                type = .layers
                self.diffIDs = diffIDs
            }

            private enum CodingKeys: String, CodingKey {
                case type, diffIDs = "diff_ids"
            }

            public enum Kind: String, OCI.Token {
                case layers
                public static let kind = "rootfs type"
            }
        }

        public struct History: Codable, Equatable, Sendable {
            public var created: String?
            public var createdBy: String?
            public var author: String?
            public var comment: String?
            /// The step made no layer (`ENV`, `CMD`): it has no diff ID.
            public var emptyLayer: Bool?

            public init(createdBy: String? = nil, emptyLayer: Bool? = nil) {
                self.createdBy = createdBy
                self.emptyLayer = emptyLayer
            }

            private enum CodingKeys: String, CodingKey {
                case created, createdBy = "created_by", author, comment, emptyLayer = "empty_layer"
            }
        }
    }

    /// The `{}` a set is written with in Go's JSON (`map[string]struct{}`): `ExposedPorts`, `Volumes`. An
    /// object, whatever its members, or null, as Go reads one into `struct{}`.
    public struct Empty: Codable, Equatable, Sendable {
        public init() {}

        public init(from decoder: any Decoder) throws {
            if try decoder.singleValueContainer().decodeNil() { return }
            _ = try decoder.container(keyedBy: AnyKey.self)
        }

        public func encode(to encoder: any Encoder) throws {
            _ = encoder.container(keyedBy: AnyKey.self)
        }

        private struct AnyKey: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }
    }
}
