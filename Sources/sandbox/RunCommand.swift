import ArgumentParser
import Glibc
import SandboxLinux
import SandboxOCI
import SandboxPolicy

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command in a new container.",
        discussion: """
            The command runs as pid 1 in new pid, network, mount, ipc, uts, user, cgroup and time namespaces, \
            with container root mapped to the subordinate ids of the user "sandbox" (created on first use), \
            on the host's / read-only unless --rootfs names an image. Its exit status is the command's; \
            125 when sandbox fails, 126 when the command cannot be run, 127 when it is not found.
            """
    )

    @OptionGroup var options: RunOptions

    @Flag(help: "Print the OCI config.json this command line means, and run nothing: a working command, for an engine.")
    var printSpec = false

    func run() throws {
        let spec = try options.spec()
        if printSpec {
            print(try OCI.encode(OCI.Config(spec: DockerRun.resolvedForPrinting(spec))), terminator: "")
            return
        }
        let outcome = try RunOptions.container(for: spec).run()
        if outcome.killedForMemory {
            let limit = spec.resources.memory.map { " of \(ByteCount.describe($0))" } ?? ""
            printError("the container was killed by the OOM killer: it reached its memory limit\(limit)")
        }
        if spec.statsOnExit, let usage = outcome.usage {
            printError(UsageReport.line(usage), prefix: "")
        }
        throw ExitCode(outcome.status)
    }
}
