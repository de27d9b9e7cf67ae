import PolicyFixtures
import Testing
@testable import SandboxPolicy

/// Each flag as the files it writes, for v1 and v2: one table in the code, one table here.
struct CgroupFilesTests {
    static func render(_ writes: [CgroupWrite]) -> [String] {
        writes.map { "\($0.controller)/\($0.file)=\($0.value)" }
    }

    @Test(arguments: [
        (["memory": "32m"],
         ["memory/memory.limit_in_bytes=33554432", "memory/memory.memsw.limit_in_bytes=67108864"],
         ["memory/memory.max=33554432", "memory/memory.swap.max=33554432"]),
        (["memory": "32m", "memory-swap": "32m"],
         ["memory/memory.limit_in_bytes=33554432", "memory/memory.memsw.limit_in_bytes=33554432"],
         ["memory/memory.max=33554432", "memory/memory.swap.max=0"]),
        (["memory": "32m", "memory-swap": "96m"],
         ["memory/memory.limit_in_bytes=33554432", "memory/memory.memsw.limit_in_bytes=100663296"],
         ["memory/memory.max=33554432", "memory/memory.swap.max=67108864"]),
        (["memory": "32m", "memory-swap": "-1"],
         ["memory/memory.limit_in_bytes=33554432", "memory/memory.memsw.limit_in_bytes=-1"],
         ["memory/memory.max=33554432", "memory/memory.swap.max=max"]),
        (["memory-reservation": "16m"],
         ["memory/memory.soft_limit_in_bytes=16777216"],
         ["memory/memory.low=16777216"]),
        (["cpus": "0.5"],
         ["cpu/cpu.cfs_period_us=100000", "cpu/cpu.cfs_quota_us=50000"],
         ["cpu/cpu.max=50000 100000"]),
        (["cpus": "1.5"],
         ["cpu/cpu.cfs_period_us=100000", "cpu/cpu.cfs_quota_us=150000"],
         ["cpu/cpu.max=150000 100000"]),
        (["cpu-quota": "25000"],
         ["cpu/cpu.cfs_quota_us=25000"],
         ["cpu/cpu.max=25000 100000"]),
        (["cpu-period": "50000"],
         ["cpu/cpu.cfs_period_us=50000"],
         ["cpu/cpu.max=max 50000"]),
        (["cpu-period": "50000", "cpu-quota": "25000"],
         ["cpu/cpu.cfs_period_us=50000", "cpu/cpu.cfs_quota_us=25000"],
         ["cpu/cpu.max=25000 50000"]),
        (["cpu-quota": "-1"],
         ["cpu/cpu.cfs_quota_us=-1"],
         ["cpu/cpu.max=max 100000"]),
        (["cpu-shares": "1024"], ["cpu/cpu.shares=1024"], ["cpu/cpu.weight=39"]),
        (["cpu-shares": "512"], ["cpu/cpu.shares=512"], ["cpu/cpu.weight=20"]),
        (["cpu-shares": "1"], ["cpu/cpu.shares=2"], ["cpu/cpu.weight=1"]),
        (["cpuset-cpus": "0"], ["cpuset/cpuset.cpus=0"], ["cpuset/cpuset.cpus=0"]),
        (["cpuset-cpus": "1,0"], ["cpuset/cpuset.cpus=0-1"], ["cpuset/cpuset.cpus=0-1"]),
        (["cpuset-mems": "0"], ["cpuset/cpuset.mems=0"], ["cpuset/cpuset.mems=0"]),
        (["pids-limit": "20"], ["pids/pids.max=20"], ["pids/pids.max=20"]),
        (["pids-limit": "0"], [], []),
        ([:], [], []),
        // Several at once, in the table's order: memory, cpu, cpuset, pids.
        (["pids-limit": "5", "cpuset-cpus": "1", "cpus": "1", "memory": "1g", "memory-swap": "1g"],
         ["memory/memory.limit_in_bytes=1073741824", "memory/memory.memsw.limit_in_bytes=1073741824",
          "cpu/cpu.cfs_period_us=100000", "cpu/cpu.cfs_quota_us=100000", "cpuset/cpuset.cpus=1", "pids/pids.max=5"],
         ["memory/memory.max=1073741824", "memory/memory.swap.max=0", "cpu/cpu.max=100000 100000",
          "cpuset/cpuset.cpus=1", "pids/pids.max=5"]),
    ] as [([String: String], [String], [String])])
    func flagBecomesFiles(flags: [String: String], v1: [String], v2: [String]) throws {
        let limits = try Fixtures.limits(flags)
        #expect(Self.render(CgroupFiles.writes(for: limits, version: .v1)) == v1)
        #expect(Self.render(CgroupFiles.writes(for: limits, version: .v2)) == v2)
    }

    /// The swap Docker adds on its own is dropped where the kernel keeps no swap account; a swap limit the
    /// user asked for is not.
    @Test(arguments: [(nil, true), ("64m", false), ("-1", false)] as [(String?, Bool)])
    func onlyImpliedSwapMaySkip(swap: String?, skippable: Bool) throws {
        let limits = try Fixtures.limits(["memory": "32m"].merging(swap.map { ["memory-swap": $0] } ?? [:]) { $1 })
        for version in [CgroupVersion.v1, .v2] {
            let writes = CgroupFiles.writes(for: limits, version: version)
            #expect(writes.filter(\.skipIfMissing).map(\.file) == (skippable ? [version == .v1 ? "memory.memsw.limit_in_bytes" : "memory.swap.max"] : []))
        }
    }

    /// crun's linear map of 2-262144 onto 1-10000.
    @Test(arguments: [(2, 1), (3, 1), (100, 4), (512, 20), (1024, 39), (2048, 79), (262_143, 9999), (262_144, 10000)]
          as [(Int64, Int64)])
    func sharesToWeight(shares: Int64, weight: Int64) {
        #expect(CgroupFiles.weight(shares: shares) == weight)
    }
}
