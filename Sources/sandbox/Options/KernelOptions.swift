import ArgumentParser
import SandboxPolicy

/// What the kernel holds for the container besides its namespaces: the process's resource limits and the
/// settings of its own namespaces, with Docker's syntax and rules.
struct KernelOptions: ParsableArguments {
    @Option(help: ArgumentHelp("""
        A resource limit of the process (repeatable): nofile, nproc, core, memlock, stack, ...; -1 is unlimited; \
        no HARD: the same as SOFT.
        """, valueName: "type=soft[:hard]"))
    var ulimit: [String] = []

    @Option(help: ArgumentHelp("""
        A setting of the container's own network (net.*) or IPC namespace (kernel.msg*, kernel.sem, kernel.shm*, \
        fs.mqueue.*), written before it starts (repeatable).
        """, valueName: "key=value"))
    var sysctl: [String] = []

    @Option(parsing: .unconditional, help: ArgumentHelp("""
        How readily the kernel's OOM killer picks the container's processes, -1000 (never) to 1000 (first), \
        written to their oom_score_adj by sandbox (below its own, that needs CAP_SYS_RESOURCE).
        """, valueName: "number"))
    var oomScoreAdj: String?

    func apply(to spec: inout RunSpec) throws {
        spec.oomScoreAdj = try oomScoreAdj.map { Int(try ResourceLimits.integer($0, flag: "--oom-score-adj")) }
        for text in ulimit {
            let limit = try ResourceLimit(docker: text)
            if let index = spec.ulimits.firstIndex(where: { $0.resource == limit.resource }) {
                spec.ulimits[index] = limit
            } else {
                spec.ulimits.append(limit)
            }
        }
        for text in sysctl {
            let (key, value) = try Sysctl.parse(docker: text)
            spec.sysctls[key] = value
        }
    }
}
