import Testing
@testable import SandboxPolicy

/// The text of Docker's views, as its Go code prints it: go-units' durations and sizes, the COMMAND column,
/// the STATUS column, C's %g.
struct DockerFormatTests {
    static let second: Int64 = 1_000_000_000
    static let minute = 60 * second, hour = 60 * minute, day = 24 * hour
    static let week = 7 * day, month = 30 * day, year = 365 * day

    /// go-units' own table (duration_test.go), and the edges between its steps.
    @Test(arguments: [
        (450_000_000, "Less than a second"), (-5 * second, "Less than a second"), (1 * second, "1 second"),
        (45 * second, "45 seconds"), (59 * second, "59 seconds"), (60 * second, "About a minute"),
        (3 * minute, "3 minutes"), (35 * minute + 40 * second, "35 minutes"), (59 * minute, "59 minutes"),
        (1 * hour, "About an hour"), (1 * hour + 29 * minute, "About an hour"), (1 * hour + 31 * minute, "2 hours"),
        (3 * hour + 59 * minute, "4 hours"), (24 * hour, "24 hours"), (1 * day + 12 * hour, "36 hours"), (2 * day, "2 days"),
        (13 * day + 5 * hour, "13 days"), (2 * week, "2 weeks"), (4 * week + 3 * day, "4 weeks"), (1 * month, "4 weeks"),
        (1 * month + 2 * week, "6 weeks"), (2 * month, "2 months"), (5 * month + 2 * week, "5 months"), (24 * month, "24 months"),
        (24 * month + 2 * week, "2 years"), (3 * year + 2 * month, "3 years"),
    ] as [(Int64, String)])
    func humanDuration(nanoseconds: Int64, expected: String) {
        #expect(DockerFormat.humanDuration(nanoseconds: nanoseconds) == expected)
    }

    @Test func commandIsQuotedAndCutAtTwentyCharacters() {
        #expect(DockerFormat.command(["sleep", "1000"], truncate: true) == "\"sleep 1000\"")
        // An argument holding a space is in single quotes, as Docker's daemon joins them; 19 characters and "…".
        #expect(DockerFormat.command(["sh", "-c", "while true; do sleep 1; done"], truncate: true) == "\"sh -c 'while true; …\"")
        #expect(DockerFormat.command(["sh", "-c", "while true; do sleep 1; done"], truncate: false)
            == "\"sh -c 'while true; do sleep 1; done'\"")
        // Exactly 20 characters stay whole.
        #expect(DockerFormat.command(["12345678901234567890"], truncate: true) == "\"12345678901234567890\"")
        // Go's strconv.Quote escapes.
        #expect(DockerFormat.command(["echo", "a\"b\\c", "\u{1}\t"], truncate: false) == "\"echo a\\\"b\\\\c \\x01\\t\"")
        #expect(DockerFormat.shortID(String(repeating: "ab", count: 32)) == "abababababab")
    }

    @Test func statusText() {
        let now = 1000 * Self.day
        #expect(DockerState(status: .running, started: now - 3 * Self.minute).text(now: now) == "Up 3 minutes")
        #expect(DockerState(status: .running, started: now - 2 * Self.second, health: "healthy").text(now: now) == "Up 2 seconds (healthy)")
        #expect(DockerState(status: .running, started: now, health: "starting").text(now: now) == "Up Less than a second (health: starting)")
        #expect(DockerState(status: .paused, started: now - 3 * Self.minute).text(now: now) == "Up 3 minutes (Paused)")
        #expect(DockerState(status: .exited, exitCode: 137, finished: now - 5 * Self.second).text(now: now) == "Exited (137) 5 seconds ago")
        #expect(DockerState(status: .restarting, exitCode: 1, finished: now - 2 * Self.second).text(now: now) == "Restarting (1) 2 seconds ago")
        #expect(DockerState(status: .created).text(now: now) == "Created")
        // An engine's container: sandbox does not know how it ended, and says so rather than make a code up.
        #expect(DockerState(status: .exited).text(now: now) == "Stopped")
    }

    @Test(arguments: [
        (0.0, 4, "0"), (1.5, 4, "1.5"), (1023.0, 4, "1023"), (1023.99, 4, "1024"), (7.66796875, 4, "7.668"), (0.5, 3, "0.5"),
        (999.0, 3, "999"), (999.7, 3, "1e+03"), (123456.0, 3, "1.23e+05"), (0.0001234, 3, "0.000123"), (0.00001234, 3, "1.23e-05"),
        (100.0, 3, "100"), (12.0, 4, "12"),
    ] as [(Double, Int, String)])
    func generalFormat(value: Double, precision: Int, expected: String) {
        #expect(DockerFormat.general(value, precision: precision) == expected)
    }

    @Test func sizesAndPercents() {
        #expect(DockerFormat.bytesSize(0) == "0B")
        #expect(DockerFormat.bytesSize(467_000) == "456.1KiB")
        #expect(DockerFormat.bytesSize(64 * 1024 * 1024) == "64MiB")
        #expect(DockerFormat.bytesSize(8_233_000_000) == "7.668GiB")
        #expect(DockerFormat.humanSize(0) == "0B")
        #expect(DockerFormat.humanSize(1234) == "1.23kB")
        #expect(DockerFormat.humanSize(999_700) == "1e+03kB")
        #expect(DockerFormat.humanSize(2_500_000) == "2.5MB")
        #expect(DockerFormat.percent(0) == "0.00%")
        #expect(DockerFormat.percent(0.704) == "0.70%")
        #expect(DockerFormat.percent(199.999) == "200.00%")
        #expect(DockerFormat.fixed(3.14159, decimals: 3) == "3.142")
    }

    /// Docker's CPU %: the container's share of the host's CPU time, times the CPUs, so one busy CPU is 100%.
    @Test func cpuPercent() {
        #expect(DockerFormat.cpuPercent(containerDelta: 1e9, systemDelta: 2e9, onlineCPUs: 2) == 100)
        #expect(DockerFormat.cpuPercent(containerDelta: 5e8, systemDelta: 4e9, onlineCPUs: 4) == 50)
        #expect(DockerFormat.cpuPercent(containerDelta: 0, systemDelta: 2e9, onlineCPUs: 2) == 0)
        #expect(DockerFormat.cpuPercent(containerDelta: 1e9, systemDelta: 0, onlineCPUs: 2) == 0)
    }

    @Test func statsRowFromTwoSamples() {
        var before = StatsSample(), after = StatsSample()
        before.cpuNanoseconds = 1_000_000_000
        before.systemNanoseconds = 10_000_000_000
        after.cpuNanoseconds = 1_500_000_000
        after.systemNanoseconds = 12_000_000_000
        after.onlineCPUs = 2
        after.memoryUsage = 10 << 20
        after.memoryInactiveFile = 2 << 20
        after.memoryLimit = 64 << 20
        after.networkReceived = 1234
        after.blockWritten = 4096
        after.pids = 3
        let row = StatsRow(id: String(repeating: "f", count: 64), name: "web", container: "web", previous: before, current: after)
        #expect(row.cells == ["ffffffffffff", "web", "50.00%", "8MiB / 64MiB", "12.50%", "1.23kB / 0B", "0B / 4.1kB", "3"])
        #expect(row.fields.map(\.key) == ["BlockIO", "CPUPerc", "Container", "ID", "MemPerc", "MemUsage", "Name", "NetIO", "PIDs"])
        // Inactive file pages larger than the usage are not taken out, as Docker's CLI.
        after.memoryInactiveFile = 20 << 20
        #expect(StatsRow(id: "x", name: "x", container: "x", previous: before, current: after).memoryUsage == Double(10 << 20))
    }

    @Test func procFiles() {
        let stat = "cpu  100 5 50 1000 10 1 2 7 0 0\ncpu0 50 2 25 500 5 0 1 0 0 0\n"
        #expect(StatsSample.systemCPU(procStat: stat, ticksPerSecond: 100) == Int64(11_680_000_000))
        let netDev = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo:    5000      50    0    0    0     0          0         0     5000      50    0    0    0     0       0          0
              eth0:    1200      10    0    0    0     0          0         0      300       3    0    0    0     0       0          0
              eth1:      34       1    0    0    0     0          0         0        7       1    0    0    0     0       0          0
            """
        #expect(StatsSample.network(netDev: netDev) == (1234, 307))
        #expect(StatsSample.hostMemory(meminfo: "MemTotal:       24576000 kB\nMemFree: 1 kB\n") == Int64(25_165_824_000))
    }
}
