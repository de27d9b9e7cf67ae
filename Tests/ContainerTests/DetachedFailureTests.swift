import Foundation
import Testing

extension ContainerTests {
    /// `run -d` whose container fails inside the child, after its monitor made the state directory and the
    /// cgroups: the caller hears one line naming the step, exit 125, and nothing of the container is left.
    @Suite struct DetachedFailure {
        @Test(arguments: [
            // Above the host's hard limit and nr_open: setrlimit in the child is refused.
            (["--ulimit", "nofile=100000000:100000000"], "sandbox: set resource limit RLIMIT_NOFILE: "),
            (["-w", "/bin/sh"], "sandbox: change to working directory /bin/sh: Not a directory\n"),
        ])
        func failureInTheChildLeavesNothing(options: [String], message: String) throws {
            let name = Control.name()
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let mounts = try Host.mountCount(), states = Host.stateDirectories(), processes = Host.sandboxProcesses()
            let cgroups = Resources.containerCgroups()
            let result = try SandboxProcess.run(["run", "-d", "--name", name, "--rootfs", SandboxProcess.rootfs] + options + ["sleep", "100"])
            #expect(result.status == 125)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.hasPrefix(message) && result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            // The monitor said so, then exits.
            #expect(Control.wait(2) { Control.processes(naming: name).isEmpty })
            Control.expectGone(name, nil)
            #expect(!Resources.containerCgroups().contains { $0.hasSuffix("/sandbox/" + name) })
            #expect(Set(Resources.containerCgroups()).isSubset(of: cgroups))
            #expect(Set(Host.stateDirectories()).isSubset(of: states))
            // Its monitor lets go of the directory, then exits.
            #expect(Control.wait(2) { Host.sandboxProcesses() <= processes })
            #expect(try Host.mountCount() == mounts)
            #expect(!(try SandboxProcess.run(["ps", "-a", "--format", "{{.Names}}"]).stdout.split(separator: "\n").contains(Substring(name))))
        }
    }
}
