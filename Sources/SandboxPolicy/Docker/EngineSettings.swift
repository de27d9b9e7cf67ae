/// What `sandbox run` keeps of a container beside what runs (`ContainerSpec`), for the commands that come later:
/// Docker's settings that no part of the launch reads. Its labels, how `stop` ends it, and, for a detached
/// container, what its monitor does: start it again, remove it, check its health.
public struct EngineSettings: Codable, Equatable, Sendable {
    /// `--label`s.
    public var labels: [String: String]
    /// What `stop` sends first; nil: SIGTERM.
    public var stopSignal: Int32?
    /// The seconds `stop` then waits before SIGKILL; nil: 10; negative: for ever.
    public var stopTimeout: Int?
    /// What the monitor does when the container ends.
    public var restart: RestartPolicy
    /// Removed once it ended and nothing holds its state: a foreground run's always (by the run, or, had it
    /// been killed, by the next create), a detached one's with --rm.
    public var autoRemove: Bool
    /// The check its monitor runs.
    public var healthCheck: HealthCheck?

    public init(labels: [String: String] = [:], stopSignal: Int32? = nil, stopTimeout: Int? = nil, restart: RestartPolicy = .no,
                autoRemove: Bool = false, healthCheck: HealthCheck? = nil) {
        self.labels = labels
        self.stopSignal = stopSignal
        self.stopTimeout = stopTimeout
        self.restart = restart
        self.autoRemove = autoRemove
        self.healthCheck = healthCheck
    }

    /// What `sandbox run`'s flags ask of the engine.
    public init(docker run: RunSpec) throws {
        self.init(labels: run.labels, stopSignal: run.stopSignal?.number, stopTimeout: run.stopTimeout, restart: run.restart,
                  autoRemove: run.autoRemove || !run.detach, healthCheck: try run.health.resolved())
    }
}
