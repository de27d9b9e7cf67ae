import Foundation
import Testing

extension ContainerTests {
    /// Bad input: one line naming what was wrong, exit 125, and nothing left behind.
    @Suite struct BadInput {
        static let cases: [([String], String)] = [
            (["run", "--rootfs", "/no/such/rootfs", "true"], "root filesystem /no/such/rootfs: No such file or directory"),
            (["run", "-v", "relative:/data", "true"], "invalid volume \"relative:/data\""),
            (["run", "-v", "/tmp", "true"], "invalid volume \"/tmp\": expected HOST:CONTAINER[:OPTIONS]"),
            (["run", "-v", "/tmp:/data:bogus", "true"], "unknown option \"bogus\""),
            (["run", "-v", "/no/such/dir:/data", "true"], "host path /no/such/dir: No such file or directory"),
            (["run", "--uidmap", "0:100000", "true"], "invalid --uidmap \"0:100000\": expected CONTAINER:HOST:SIZE"),
            (["run", "--uidmap", "0:100000:0", "true"], "the size must be at least 1"),
            (["run", "--uidmap", "0:100000:100", "--uidmap", "50:300000:10", "true"], "overlapping --uidmap: container ids 0-99 and 50-59 overlap"),
            (["run", "--uidmap", "0:100000:100", "--uidmap", "100:100050:10", "true"], "overlapping --uidmap: host ids 100000-100099 and 100050-100059 overlap"),
            (["run", "--uidmap", "1:100000:100", "true"], "container id 0 must be mapped"),
            (["run", "--bogus-flag", "true"], "unknown option --bogus-flag"),
            (["run", "--pid", "container:x", "true"], "invalid --pid \"container:x\": expected private or host"),
            (["run", "--tmpfs", "/x:bogus", "true"], "invalid tmpfs \"/x:bogus\": unknown option \"bogus\""),
            (["run", "-w", "relative", "true"], "needs to be an absolute path"),
            (["run", "--uts", "host", "--hostname", "x", "true"], "conflicting options: --hostname and --uts host"),
            (["run"], "no command given"),
            (["run", "--device", "/etc/passwd", "true"], "--device /etc/passwd: not a device node (a character or block device)"),
            (["run", "--device", "/no/such/device", "true"], "--device /no/such/device: No such file or directory"),
            (["run", "--device", "/dev/null:/dev/x:rwx", "true"], "invalid --device \"/dev/null:/dev/x:rwx\": bad permissions \"rwx\""),
            (["run", "--device", "/dev/null:dev/x", "true"], "invalid --device \"/dev/null:dev/x\": \"dev/x\" is not an absolute path"),
            (["run", "--privileged", "--device", "/dev/null:/dev/x", "true"], "with --privileged, /dev is the host's and a device keeps its host path"),
        ]

        @Test(arguments: cases)
        func refusedWithOneLineAndNothingLeft(arguments: [String], message: String) throws {
            let mounts = try Host.mountCount(), states = Host.stateDirectories(), processes = Host.sandboxProcesses()
            let cgroups = Resources.containerCgroups()
            let result = try SandboxProcess.run(arguments)
            #expect(result.status == 125)
            #expect(result.stderr.hasPrefix("sandbox: ") && result.stderr.contains(message), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1, "\(result.stderr)")
            #expect(try Host.mountCount() == mounts)
            #expect(Host.sandboxProcesses() <= processes)
            #expect(Set(Host.stateDirectories()).isSubset(of: states))
            #expect(Set(Resources.containerCgroups()).isSubset(of: cgroups))
        }

        @Test func failureInTheChildNamesTheStepAndLeavesNothing() throws {
            let mounts = try Host.mountCount(), states = Host.stateDirectories(), processes = Host.sandboxProcesses()
            let result = try SandboxProcess.run(["run", "--rootfs", SandboxProcess.rootfs, "--tmpfs", "/scratch:size=lots", "true"])
            #expect(result.status == 125)
            #expect(result.stderr == "sandbox: mount /scratch: Invalid argument (tmpfs: Bad value for 'size')\n")
            #expect(try Host.mountCount() == mounts)
            #expect(Host.sandboxProcesses() <= processes)
            #expect(Set(Host.stateDirectories()).isSubset(of: states))
        }

        @Test func nameInUseIsRefused() throws {
            let first = Process()
            first.executableURL = URL(fileURLWithPath: SandboxProcess.binary)
            first.arguments = ["run", "--name", "test-name", "--rootfs", SandboxProcess.rootfs, "sleep", "1"]
            try first.run()
            defer { first.waitUntilExit() }
            while !Host.stateDirectories().contains("test-name") { usleep(10_000) }
            let second = try SandboxProcess.run(["run", "--name", "test-name", "true"])
            #expect(second.status == 125)
            #expect(second.stderr == "sandbox: the container name \"test-name\" is already in use by another container\n")
        }
    }
}
