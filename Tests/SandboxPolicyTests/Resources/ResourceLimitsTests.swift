import PolicyFixtures
import Testing
@testable import SandboxPolicy

/// Docker's resource flags: go-units' sizes, the CLI's decimal CPUs, and the daemon's rules and messages.
struct ResourceLimitsTests {
    @Test(arguments: [
        ("100", 100), ("100b", 100), ("100B", 100), ("1k", 1024), ("1kb", 1024), ("1KiB", 1024), ("1 K", 1024),
        ("1.5k", 1536), ("6m", 6_291_456), ("6M", 6_291_456), ("6mb", 6_291_456), ("6MiB", 6_291_456),
        ("1g", 1_073_741_824), ("1.5g", 1_610_612_736), ("0.5t", 549_755_813_888), ("1TB", 1_099_511_627_776),
        ("1p", 1_125_899_906_842_624),
        // go-units' pattern takes an `i` or a `b` without a unit, and one trailing space.
        ("7i", 7), ("7 ", 7), ("2.9", 2), ("0", 0),
    ] as [(String, Int64)])
    func sizesAreGoUnitsRAMInBytes(text: String, bytes: Int64) throws {
        #expect(try ResourceLimits.bytes(text, flag: "--memory") == bytes)
    }

    @Test(arguments: ["", "abc", "1x", "-1", "1.", ".5", "1..5", "1.2.3", "1kk", "1 k b", "1  k", " 1", "1bb", "1e3",
                      "１", "99999999999p"])
    func sizesGoUnitsRefuses(text: String) {
        let error = #expect(throws: SandboxError.self) { try ResourceLimits(memory: text, host: Fixtures.resources) }
        #expect(error?.message == "invalid argument \"\(text)\" for \"--memory\" flag: invalid size: '\(text)'")
    }

    /// (--memory, --memory-swap, --memory-reservation) → (memory, memory+swap, swap given, reservation).
    @Test(arguments: [
        ("32m", nil, nil, 33_554_432, 67_108_864, false, nil),
        ("32m", "32m", nil, 33_554_432, 33_554_432, true, nil),
        ("32m", "96m", nil, 33_554_432, 100_663_296, true, nil),
        ("32m", "-1", nil, 33_554_432, -1, true, nil),
        // 0 is unset, for each of the three.
        ("32m", "0", nil, 33_554_432, 67_108_864, false, nil),
        ("0", nil, nil, nil, nil, false, nil),
        (nil, "-1", nil, nil, nil, false, nil),
        ("6m", nil, "6m", 6_291_456, 12_582_912, false, 6_291_456),
        (nil, nil, "16m", nil, nil, false, 16_777_216),
        ("32m", nil, "0", 33_554_432, 67_108_864, false, nil),
    ] as [(String?, String?, String?, Int64?, Int64?, Bool, Int64?)])
    func memory(memory: String?, swap: String?, reservation: String?,
                bytes: Int64?, total: Int64?, given: Bool, reserved: Int64?) throws {
        let limits = try ResourceLimits(memory: memory, memorySwap: swap, memoryReservation: reservation, host: Fixtures.resources)
        #expect(limits.memory == bytes)
        #expect(limits.memorySwap == total)
        #expect(limits.memorySwapGiven == given)
        #expect(limits.memoryReservation == reserved)
    }

    @Test(arguments: [
        ("5m", nil, nil, "Minimum memory limit allowed is 6MB"),
        ("6291455", nil, nil, "Minimum memory limit allowed is 6MB"),
        ("32m", "16m", nil, "Minimum memoryswap limit should be larger than memory limit, see usage"),
        (nil, "64m", nil, "You should always set the Memory limit when using Memoryswap limit, see usage"),
        (nil, nil, "1m", "Minimum memory reservation allowed is 6MB"),
        ("32m", nil, "64m", "Minimum memory limit can not be less than memory reservation limit, see usage"),
        ("32m", "-2", nil, "invalid argument \"-2\" for \"--memory-swap\" flag: invalid size: '-2'"),
        (nil, nil, "x", "invalid argument \"x\" for \"--memory-reservation\" flag: invalid size: 'x'"),
    ] as [(String?, String?, String?, String)])
    func memoryRules(memory: String?, swap: String?, reservation: String?, message: String) {
        let error = #expect(throws: SandboxError.self) {
            try ResourceLimits(memory: memory, memorySwap: swap, memoryReservation: reservation, host: Fixtures.resources)
        }
        #expect(error?.message == message)
        #expect(error?.exitCode == 125)
    }

    /// (--cpus, --cpu-period, --cpu-quota) → (period, quota) in microseconds.
    @Test(arguments: [
        ("0.5", nil, nil, 100_000, 50000), ("1.5", nil, nil, 100_000, 150_000), ("2", nil, nil, 100_000, 200_000),
        ("0.01", nil, nil, 100_000, 1000), (".25", nil, nil, 100_000, 25000), ("+1", nil, nil, 100_000, 100_000),
        ("0.500000000", nil, nil, 100_000, 50000), ("0", nil, nil, nil, nil),
        (nil, "50000", nil, 50000, nil), (nil, nil, "25000", nil, 25000), (nil, "50000", "25000", 50000, 25000),
        (nil, "1000", "-1", 1000, -1), (nil, "1000000", "1000", 1_000_000, 1000), (nil, "0", "0", nil, nil),
    ] as [(String?, String?, String?, Int64?, Int64?)])
    func cpuTime(cpus: String?, period: String?, quota: String?, expectedPeriod: Int64?, expectedQuota: Int64?) throws {
        let limits = try ResourceLimits(cpus: cpus, cpuPeriod: period, cpuQuota: quota, host: Fixtures.resources)
        #expect(limits.cpuPeriod == expectedPeriod)
        #expect(limits.cpuQuota == expectedQuota)
    }

    @Test(arguments: [
        ("0.5", "50000", nil, "Conflicting options: Nano CPUs and CPU Period cannot both be set"),
        ("0.5", nil, "50000", "Conflicting options: Nano CPUs and CPU Quota cannot both be set"),
        ("3", nil, nil, "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"),
        ("-1", nil, nil, "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"),
        ("0.001", nil, nil, "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"),
        ("12345678901234567890", nil, nil, "Range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available"),
        ("0.0000000001", nil, nil, "invalid argument \"0.0000000001\" for \"--cpus\" flag: value is too precise"),
        ("abc", nil, nil, "invalid argument \"abc\" for \"--cpus\" flag: failed to parse abc as a rational number"),
        ("1.2.3", nil, nil, "invalid argument \"1.2.3\" for \"--cpus\" flag: failed to parse 1.2.3 as a rational number"),
        (".", nil, nil, "invalid argument \".\" for \"--cpus\" flag: failed to parse . as a rational number"),
        (nil, "999", nil, "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)"),
        (nil, "1000001", nil, "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)"),
        (nil, "-1", nil, "CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)"),
        (nil, nil, "999", "CPU cfs quota can not be less than 1ms (i.e. 1000)"),
        (nil, nil, "-2", "CPU cfs quota can not be less than 1ms (i.e. 1000)"),
        (nil, "1ms", nil, "invalid argument \"1ms\" for \"--cpu-period\" flag: expected an integer"),
    ] as [(String?, String?, String?, String)])
    func cpuTimeRules(cpus: String?, period: String?, quota: String?, message: String) {
        let error = #expect(throws: SandboxError.self) {
            try ResourceLimits(cpus: cpus, cpuPeriod: period, cpuQuota: quota, host: Fixtures.resources)
        }
        #expect(error?.message == message)
    }

    /// Docker moves shares outside the kernel's 2-262144 to the nearest end; 0 is unset.
    @Test(arguments: [("1024", 1024), ("512", 512), ("2", 2), ("1", 2), ("300000", 262_144), ("0", nil)] as [(String, Int64?)])
    func cpuShares(text: String, shares: Int64?) throws {
        #expect(try ResourceLimits(cpuShares: text, host: Fixtures.resources).cpuShares == shares)
    }

    @Test(arguments: [
        ("-1", "invalid argument \"-1\" for \"--cpu-shares\" flag: shares cannot be negative"),
        ("lots", "invalid argument \"lots\" for \"--cpu-shares\" flag: expected an integer"),
    ])
    func cpuSharesRefused(text: String, message: String) {
        let error = #expect(throws: SandboxError.self) { try ResourceLimits(cpuShares: text, host: Fixtures.resources) }
        #expect(error?.message == message)
    }

    @Test(arguments: [("0", "0"), ("0-1", "0-1"), ("1,0", "0-1"), ("0,0", "0"), ("", nil)] as [(String, String?)])
    func cpusetCPUs(text: String, list: String?) throws {
        #expect(try ResourceLimits(cpusetCpus: text, host: Fixtures.resources).cpusetCpus?.description == list)
    }

    @Test(arguments: [
        ("99", nil, "Requested CPUs are not available - requested 99, available: 0-1"),
        ("1,3", nil, "Requested CPUs are not available - requested 1,3, available: 0-1"),
        ("0-2", nil, "Requested CPUs are not available - requested 0-2, available: 0-1"),
        ("0-x", nil, "Invalid value 0-x for cpuset cpus: invalid format: 0-x"),
        ("1-0", nil, "Invalid value 1-0 for cpuset cpus: invalid format: 1-0"),
        (nil, "1", "Requested memory nodes are not available - requested 1, available: 0"),
        (nil, "0,", "Invalid value 0, for cpuset mems: invalid format: 0,"),
    ] as [(String?, String?, String)])
    func cpusetRules(cpus: String?, mems: String?, message: String) {
        let error = #expect(throws: SandboxError.self) {
            try ResourceLimits(cpusetCpus: cpus, cpusetMems: mems, host: Fixtures.resources)
        }
        #expect(error?.message == message)
    }

    /// Docker's 0 and -1 are unlimited, as no flag.
    @Test(arguments: [("20", 20), ("1", 1), ("0", nil), ("-1", nil)] as [(String, Int64?)])
    func pidsLimit(text: String, limit: Int64?) throws {
        #expect(try ResourceLimits(pidsLimit: text, host: Fixtures.resources).pidsLimit == limit)
    }

    @Test func pidsLimitMustBeAnInteger() {
        let error = #expect(throws: SandboxError.self) { try ResourceLimits(pidsLimit: "20k", host: Fixtures.resources) }
        #expect(error?.message == "invalid argument \"20k\" for \"--pids-limit\" flag: expected an integer")
    }

    /// No flag, or only values that mean "unset", asks for no cgroup.
    @Test func unsetValuesAskForNothing() throws {
        #expect(try ResourceLimits(host: Fixtures.resources).isEmpty)
        #expect(try ResourceLimits(memory: "0", memorySwap: "-1", cpus: "0", cpuShares: "0", cpusetCpus: "",
                                   pidsLimit: "-1", host: Fixtures.resources).isEmpty)
        #expect(try !ResourceLimits(pidsLimit: "20", host: Fixtures.resources).isEmpty)
    }

    /// The kernel's list format, as Docker's ParseUintList reads it: duplicates and overlaps allowed.
    @Test(arguments: [("7", "7"), ("1-6", "1-6"), ("0,3-4,7,8-10", "0,3-4,7-10"), ("0-0,0,1-7", "0-7"), ("03,1-3", "1-3"),
                      ("3,2,1", "1-3"), ("0-2,3,1", "0-3"), ("1,3", "1,3"), ("0-2,5", "0-2,5")])
    func cpuListFormat(text: String, canonical: String) throws {
        #expect(try CPUList(parsing: text).description == canonical)
    }

    @Test(arguments: ["", ",", "1,,2", "1-", "-1", "2-1", "1-2-3", " 1", "1 ", "a", "0x1", "１"])
    func cpuListRefuses(text: String) {
        let error = #expect(throws: SandboxError.self) { try CPUList(parsing: text) }
        #expect(error?.message == "invalid format: \(text)")
    }

    @Test func cpuListSubsetsAndCount() throws {
        let online = try CPUList(parsing: "0-3,8-11")
        #expect(online.count == 8)
        #expect(try CPUList(parsing: "1-2,9").isSubset(of: online))
        #expect(try !CPUList(parsing: "3-8").isSubset(of: online))
        #expect(try !CPUList(parsing: "12").isSubset(of: online))
    }

    /// Found by `make fuzz`: the largest number Int holds overflowed merging, counting and printing.
    @Test func cpuListUpToTheLargestInt() throws {
        let twice = try CPUList(parsing: "9223372036854775807,9223372036854775807")
        #expect(twice.ranges == [Int.max...Int.max])
        #expect(twice.description == "9223372036854775807")
        #expect(try CPUList(parsing: "5-9223372036854775807,9").ranges == [5...Int.max])
        let everything = try CPUList(parsing: "0-9223372036854775807")
        #expect(everything.count == Int.max)
        #expect(everything.description == "0-9223372036854775807")
        let error = #expect(throws: SandboxError.self) {
            try ResourceLimits(cpusetCpus: "9223372036854775807,9223372036854775807", host: Fixtures.resources)
        }
        #expect(error?.message == "Requested CPUs are not available - requested 9223372036854775807,9223372036854775807, available: 0-1")
    }
}
