import SandboxPolicy

extension ContainerRecord {
    /// Keeps what the commands that come later read of the spec: its labels, and how `stop` ends it.
    mutating func keep(_ spec: ContainerSpec) {
        labels = spec.labels
        stopSignal = spec.stopSignal
        stopTimeout = spec.stopTimeout
    }
}
