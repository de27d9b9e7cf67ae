import Glibc
import SandboxOCI
import SandboxPolicy

extension Monitor {
    /// What a monitor runs: the container as `run -d` resolved it, once, and how the monitor keeps it.
    ///
    /// Never on a command line, which every user of the host may read (`/proc/PID/cmdline`, for the container's
    /// whole life), with its `-e` values: `run -d` hands it to the monitor on its stdin, and the monitor keeps it
    /// in the container's state directory (`monitor.json`, 0600 in a 0700 root), where `restart` reads it for the
    /// next monitor. The files the command line named (a seccomp profile, an env-file, a label-file) are read
    /// once, by `run -d`: changing or removing them afterwards changes nothing.
    public struct Configuration: Codable, Sendable {
        public var id: String
        public var name: String
        public var spec: ContainerSpec
        /// What the monitor does (restarts, removal, health checks), and the record keeps.
        public var engine: EngineSettings
        public var logOptions: LogOptions
        /// The state root the container's directory is in: `run -d`'s caller's.
        public var base: String
        /// The directory of its json-file log (`ContainerLog.directory`).
        public var logDirectory: String

        public init(id: ContainerID, name: String, spec: ContainerSpec, engine: EngineSettings, logOptions: LogOptions, base: String,
                    logDirectory: String) {
            self.id = id.value
            self.name = name
            self.spec = spec
            self.engine = engine
            self.logOptions = logOptions
            self.base = base
            self.logDirectory = logDirectory
        }
    }

    /// The name of the configuration in the container's state directory.
    static let configurationFile = "monitor.json"

    /// The configuration a detached container's monitor was started with, as its text, for the next monitor
    /// (`restart`).
    public static func configuration(in directory: StateDirectory) throws -> String {
        do {
            return try HostFile.read(directory.path + "/" + configurationFile)
        } catch let error as SandboxError where error.errno == ENOENT {
            throw SandboxError("container \(directory.name) has no monitor configuration: only a container started by sandbox run -d can be restarted")
        }
    }
}
