import CSandbox
import Glibc
import SandboxPolicy

/// A detached container's health check (`--health-cmd`), run by its monitor on a thread of its own for as long
/// as the container's process lives, as dockerd runs one: after each interval the check runs inside the
/// container as `exec` runs a command (every namespace, its cgroup, its seccomp filter, user and capabilities),
/// its output kept up to 4 KiB, killed past its timeout; and the record's health says what the checks found.
///
/// A thread, not a process: it needs nothing but the record and the container's pidfd, and it ends by itself
/// when the process does (the pidfd turns readable), so the monitor only waits for it before it records the
/// end or starts the container again, single-threaded once more. It blocks every signal: the monitor's main
/// thread is the one that passes them on to the container.
final class HealthChecker {
    private let check: HealthCheck
    private let directory: StateDirectory
    /// The container's first process: checks stop when it ends.
    private let pidfd: Int32
    /// CLOCK_MONOTONIC nanoseconds at the container's start, from which the start period runs.
    private let started: Int64
    private var thread = pthread_t()

    /// Marks the container's health starting, keeping the log of checks before a restart, as Docker does, and
    /// starts checking it. `pid` is the container's process, just started, the monitor's own child.
    init(_ check: HealthCheck, directory: StateDirectory, pid: pid_t) throws {
        self.check = check
        self.directory = directory
        started = Deadline.now()
        pidfd = sbx_pidfd_open(pid)
        guard pidfd >= 0 else { throw SandboxError("open the container's process for its health check", errno: -pidfd) }
        do {
            try update { $0 = ContainerRecord.Health(status: .starting, log: $0?.log ?? []) }
        } catch {
            close(pidfd)
            throw error
        }
        let created = pthread_create(&thread, nil, { context in
            Unmanaged<HealthChecker>.fromOpaque(context!).takeRetainedValue().run()
            return nil
        }, Unmanaged.passRetained(self).toOpaque())
        guard created == 0 else {
            Unmanaged.passUnretained(self).release()
            close(pidfd)
            throw SandboxError("start the health check", errno: created)
        }
    }

    /// Waits for the checks to end, once the container's process has ended.
    func join() {
        pthread_join(thread, nil)
        close(pidfd)
    }

    private func run() {
        var blocked = sigset_t()
        sigfillset(&blocked)
        pthread_sigmask(SIG_BLOCK, &blocked, nil)
        var status = ContainerRecord.Health.Status.starting
        while true {
            let inStartPeriod = Deadline.now() - started < check.startPeriod
            let interval = inStartPeriod && status == .starting ? check.startInterval : check.interval
            guard sbx_pidfd_wait(pidfd, Deadline.milliseconds(interval)) == 0 else { return }
            let start = Timestamp.now(), startedAt = Deadline.now()
            // None while the container is paused: a process joining its frozen cgroup would freeze too.
            guard let (exitCode, output) = probe() else { continue }
            // A check the container's end cut short says nothing of its health, as in Docker.
            guard sbx_pidfd_wait(pidfd, 0) == 0 else { return }
            let result = ContainerRecord.Health.Check(start: start, end: Timestamp.now(), exitCode: exitCode, output: output)
            try? update { health in
                var current = health ?? ContainerRecord.Health(status: .starting)
                current.record(result, retries: check.retries, inStartPeriod: startedAt - started < check.startPeriod)
                health = current
                status = current.status
            }
        }
    }

    /// Runs the check once: its exit code, or -1 when it could not run or timed out, and what it printed;
    /// nil when the container is not running. Its timeout bounds the whole check, from the launch on: the
    /// container can stop the check's process, and the monitor must not wait for it. The container's end
    /// ends it too: such a check says nothing.
    private func probe() -> (Int32, String)? {
        let deadline = Deadline(nanoseconds: Deadline.now() + check.timeout)
        let timedOut = "Health check exceeded timeout (\(GoDuration.describe(check.timeout)))"
        let process: ExecLaunch.Started
        let streams: ChildStreams
        do {
            // Its output and errors in one pipe, in the order it wrote them.
            streams = try ChildStreams(stdin: .null, stdout: .pipe, stderr: .sameAsStdout)
            guard let joining = try start(streams) else { return nil }
            streams.closeChildEnds()
            process = try joining.finish(by: deadline, unlessEnded: pidfd)
        } catch {
            if deadline.hasPassed { return (-1, timedOut) }
            return (-1, (error as? SandboxError)?.description ?? "\(error)")
        }
        defer { close(process.pidfd) }
        var output = Output()
        var reading = true, ended = false
        while !ended {
            var fds = [pollfd(fd: reading ? streams.output : -1, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: process.pidfd, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 3, deadline.remainingMilliseconds)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 || fds[2].revents != 0 {
                _ = sbx_pidfd_signal(process.pidfd, SIGKILL)
                _ = sbx_wait(process.pid)
                return (-1, ready > 0 ? "the container ended" : timedOut + (output.text.isEmpty ? "" : ": " + output.text))
            }
            if fds[0].revents != 0 { reading = output.read(streams.output) }
            ended = fds[1].revents != 0
        }
        // What it wrote before it ended; a child it left behind may hold the pipe open, so only what is there,
        // and no more than is kept.
        var rest = [pollfd(fd: streams.output, events: Int16(POLLIN), revents: 0)]
        while reading && !output.truncated && poll(&rest, 1, 0) > 0 && output.read(streams.output) {}
        let waited = sbx_wait(process.pid)
        return (waited >= 0 ? ExitStatus.code(waited) : -1, output.text)
    }

    /// Starts the check in the container if it runs, holding its lock as `exec` does until the check's
    /// process is in the container's cgroup: a delete waits, rather than remove the cgroup it joins. A pause
    /// that comes after may freeze the check on its way in; its timeout ends it.
    private func start(_ streams: ChildStreams) throws -> ExecLaunch.Joining? {
        try directory.locked {
            let record = try directory.readRecord()
            guard Runtime.status(record) == .running else { return nil }
            guard let recorded = record.process else { throw SandboxError("container \(record.id) has no recorded process") }
            let container = try RunningContainer(record)
            var spec = ExecSpec()
            spec.command = check.arguments
            let context = ExecSpec.Context(host: try HostFacts.current(), passwd: nil, group: nil, userNamespace: container.userNamespace)
            let process = try spec.process(joining: recorded, context: context)
            let configuration = ExecConfiguration(process: process, container: container,
                                                  seccomp: try Runtime.seccompProgram(of: container, in: directory),
                                                  streams: streams.child, detach: false)
            return try ExecLaunch(configuration: configuration, process: process, cgroups: record.cgroups).begin()
        }
    }

    /// Changes the record's health, holding the container's lock.
    private func update(_ change: (inout ContainerRecord.Health?) -> Void) throws {
        try directory.locked {
            var record = try directory.readRecord()
            guard var engine = record.engine else { return }
            change(&engine.health)
            record.engine = engine
            try directory.write(record)
        }
    }

    /// A check's output, as Docker keeps it: the first 4 KiB, then "..." if there was more.
    private struct Output {
        private var bytes: [UInt8] = []
        /// More came than is kept.
        private(set) var truncated = false

        var text: String { String(decoding: bytes, as: UTF8.self) + (truncated ? "..." : "") }

        /// Reads what is there: false at the end of the stream.
        mutating func read(_ fd: Int32) -> Bool {
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { return count < 0 && errno == EINTR }
            let room = HealthCheck.outputLimit - bytes.count
            bytes += chunk[..<min(count, max(room, 0))]
            truncated = truncated || count > room
            return true
        }
    }
}

extension ContainerRecord.Health {
    /// A check's result, as dockerd takes it (handleProbeResult): a success makes it healthy; a failure
    /// counts, unless it comes in the start period before any success, and `retries` in a row make it
    /// unhealthy. The last five checks are kept.
    mutating func record(_ check: Check, retries: Int, inStartPeriod: Bool) {
        log = Array((log + [check]).suffix(HealthCheck.logLength))
        if check.exitCode == 0 {
            failingStreak = 0
            status = .healthy
        } else if !(status == .starting && inStartPeriod) {
            failingStreak += 1
            if failingStreak >= retries { status = .unhealthy }
        }
    }
}
