import SandboxOCI

extension RunSpec {
    /// The container the flags describe, made from an image: what the image's config says where the flags say
    /// nothing, merged as Docker's daemon merges them (moby's daemon/commit.go `merge` and create.go's
    /// `mergeAndVerifyConfig`). The image's config is one more way to describe a container; the defaults that
    /// neither gives stay where they were, in the mapping (`ContainerSpec(docker:context:)`).
    ///
    /// - `Env`: the flags' variables, then the image's that the flags neither set nor unset (`-e NAME` for a
    ///   name the host lacks); an image's `PATH` replaces the default one.
    /// - `Entrypoint` and `Cmd`: without `--entrypoint`, the image's entrypoint, and its command unless one is
    ///   given. `--entrypoint` drops the image's command as well, so `--entrypoint ""` with no command runs
    ///   nothing: "no command specified", as Docker says.
    /// - `User`, `WorkingDir`, `StopSignal`: the image's when the flags give none.
    /// - `Labels`: the image's, the flags' winning.
    /// - `Healthcheck`: a detached container's is the image's, changed field by field by `--health-*` and
    ///   turned off by `--no-healthcheck`. A foreground run has no monitor to check it, and takes none.
    /// - `Volumes`: a directory of the container's own at each path (`anonymousVolumes`) the flags mount
    ///   nothing at.
    ///
    /// `ExposedPorts` (sandbox publishes no ports), `OnBuild` (a build's) and `ArgsEscaped` (Windows') make no
    /// difference to a container.
    ///
    /// - Returns: the merged spec, validated.
    /// - Throws: for a value of the image no container could run with, named by its path in the config
    ///   (`config.WorkingDir: "app" is not an absolute path`), and for what `validate` refuses.
    public func applying(image: OCI.Image.Configuration) throws -> RunSpec {
        let config = image.config ?? .init()
        var run = self
        for assignment in config.env ?? [] {
            // A name without a value is Docker's "unset": of a variable only the defaults could have.
            guard let equals = assignment.firstIndex(of: "=") else { continue }
            let name = String(assignment[..<equals])
            if environment[name] == nil && !environment.unset.contains(name) {
                run.environment.set(name, String(assignment[assignment.index(after: equals)...]))
            }
        }
        if (run.entrypoint ?? []).isEmpty {
            if run.command.isEmpty { run.command = config.cmd ?? [] }
            if run.entrypoint == nil { run.entrypoint = config.entrypoint }
        }
        if run.entrypoint == [""] { run.entrypoint = nil }
        guard !run.arguments.isEmpty else { throw SandboxError("no command specified") }
        if run.user == nil, let user = config.user, !user.isEmpty {
            // As runc's user lookup reads it: an empty part is the default (root, the user's own group).
            let parts = user.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            run.user = UserSpec(user: parts[0].isEmpty ? "0" : String(parts[0]),
                                group: parts.count == 2 && !parts[1].isEmpty ? String(parts[1]) : nil)
        }
        if run.workdir == nil, let directory = config.workingDir, !directory.isEmpty {
            guard directory.hasPrefix("/") else { throw SandboxError("config.WorkingDir: \"\(directory)\" is not an absolute path") }
            run.workdir = directory
        }
        if run.stopSignal == nil, let signal = config.stopSignal, !signal.isEmpty {
            do {
                run.stopSignal = try Signal(parsing: signal)
            } catch {
                throw SandboxError("config.StopSignal: \"\(signal)\" is not a signal")
            }
        }
        for (key, value) in config.labels ?? [:] where run.labels[key] == nil {
            run.labels[key] = value
        }
        if run.detach {
            var health = try config.healthcheck.map(HealthCheck.Settings.init(image:)) ?? HealthCheck.Settings()
            health.shell = config.shell
            run.health = run.health.merged(over: health)
        }
        let mounted = volumes.map(\.target) + tmpfs.map(\.target)
        for path in (config.volumes ?? [:]).keys.sorted() {
            // Docker's anonymous volume at a relative path is beneath /, as its mount point is made there.
            let target = ContainerPath.clean("/" + path)
            guard target != "/" else { throw SandboxError("config.Volumes: a volume cannot be mounted at /") }
            if !mounted.contains(target) && !run.anonymousVolumes.contains(target) {
                run.anonymousVolumes.append(target)
            }
        }
        try run.validate()
        return run
    }
}

extension HealthCheck.Settings {
    /// An image's `HEALTHCHECK`, its durations held to what the daemon holds the flags' to: an image is trusted
    /// no more than a user, and a check every nanosecond would keep the monitor busy for ever. Negative retries
    /// are the default, as Docker reads them.
    init(image: OCI.Image.Configuration.HealthConfig) throws {
        self.init()
        test = image.test ?? []
        let durations: [(String, Int64?)] = [("Interval", image.interval), ("Timeout", image.timeout),
                                             ("StartPeriod", image.startPeriod), ("StartInterval", image.startInterval)]
        for (field, value) in durations {
            guard let value, value != 0 else { continue }
            guard value >= 0 else { throw SandboxError("config.Healthcheck.\(field): \(value) is negative") }
            guard value >= HealthCheck.minimumDuration else {
                throw SandboxError("config.Healthcheck.\(field): \(value)ns is less than 1ms")
            }
        }
        (interval, timeout, startPeriod, startInterval) = (image.interval ?? 0, image.timeout ?? 0, image.startPeriod ?? 0, image.startInterval ?? 0)
        retries = image.retries ?? 0
    }
}
