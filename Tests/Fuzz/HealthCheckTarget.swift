import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// `--health-interval`, `--health-timeout`, `--health-start-period` (Go durations) and `--health-retries`,
    /// one a section.
    static let healthCheck = FuzzTarget(name: "health-check") { bytes in
        let sections = FuzzInput.sections(bytes) + ["", "", "", ""]
        _ = try HealthCheck.parse(command: "true", interval: sections[0], timeout: sections[1], startPeriod: sections[2],
                                  startInterval: nil, retries: sections[3].isEmpty ? nil : sections[3], disabled: false).resolved()
    }
}
