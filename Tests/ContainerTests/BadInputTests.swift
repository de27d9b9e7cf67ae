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
            (["run", "--pid", "container:x", "true"], "--pid container:x is not supported: a container cannot join another container's namespaces"),
            (["run", "--pid", "bogus", "true"], "invalid --pid \"bogus\": expected private or host"),
            // Docker's flags that sandbox refuses: one line each, by name, never ignored.
            (["run", "-p", "8080:80", "true"], "-p is not supported: sandbox makes no networks"),
            (["run", "--rm", "--publish=8080:80", "true"], "--publish is not supported: sandbox makes no networks"),
            (["run", "--network", "bridge", "true"], "--network bridge is not supported: sandbox makes no networks"),
            (["run", "--dns", "1.1.1.1", "true"], "--dns is not supported: sandbox writes no /etc/resolv.conf or /etc/hosts"),
            (["run", "--add-host", "db:10.0.0.2", "true"], "--add-host is not supported"),
            (["run", "--link", "db", "true"], "--link is not supported"),
            (["run", "--volumes-from", "db", "true"], "--volumes-from is not supported"),
            (["run", "--ipc", "container:db", "true"], "--ipc container:db is not supported"),
            (["run", "--cgroup-parent", "/x", "true"], "--cgroup-parent is not supported"),
            (["run", "--gpus", "all", "true"], "--gpus is not supported"),
            (["run", "--platform", "linux/arm64", "true"], "--platform is not supported: sandbox has no images"),
            (["run", "--pull", "always", "true"], "--pull always is not supported: sandbox has no images"),
            (["run", "--pull", "sometimes", "true"], "invalid pull option: 'sometimes': must be one of \"always\", \"missing\" or \"never\""),
            (["run", "--log-driver", "syslog", "true"], "--log-driver syslog is not supported"),
            (["run", "--detach-keys", "ctrl-x", "true"], "--detach-keys is not supported"),
            (["run", "--sig-proxy=false", "true"], "--sig-proxy=false is not supported"),
            (["run", "--security-opt", "label=type:svirt_t", "true"], "--security-opt label=type:svirt_t is not supported"),
            (["run", "--security-opt", "apparmor=docker-default", "true"], "--security-opt apparmor=docker-default is not supported"),
            (["run", "--mount", "type=volume,src=data,dst=/data", "true"], "--mount type=volume is not supported: sandbox has no named volumes"),
            (["run", "--mount", "type=bind,dst=/data", "true"], "invalid mount config for type \"bind\": field Source must not be empty"),
            (["run", "--mount", "type=bind,src=/no/such/dir,dst=/data", "true"], "host path /no/such/dir: No such file or directory"),
            (["run", "--health-cmd", "true", "true"], "--health-cmd needs -d: health checks are run by a detached container's monitor"),
            (["run", "-d", "--health-cmd", "true", "--health-interval", "1", "true"], "time: missing unit in duration \"1\""),
            (["run", "--oom-score-adj", "1001", "true"], "Invalid value 1001, range for oom score adj is [-1000, 1000]"),
            (["run", "--stop-signal", "SIGNOPE", "true"], "--stop-signal: invalid signal \"SIGNOPE\""),
            (["run", "--label", "=x", "true"], "invalid label '=x': empty name"),
            (["run", "--tmpfs", "/x:bogus", "true"], "invalid tmpfs \"/x:bogus\": unknown option \"bogus\""),
            (["run", "-w", "relative", "true"], "needs to be an absolute path"),
            (["run", "--uts", "host", "--hostname", "x", "true"], "conflicting options: --hostname and --uts host"),
            (["run"], "no command given"),
            (["run", "--device", "/etc/passwd", "true"], "--device /etc/passwd: not a device node (a character or block device)"),
            (["run", "--device", "/no/such/device", "true"], "--device /no/such/device: No such file or directory"),
            (["run", "--device", "/dev/null:/dev/x:rwx", "true"], "invalid --device \"/dev/null:/dev/x:rwx\": bad permissions \"rwx\""),
            (["run", "--device", "/dev/null:dev/x", "true"], "invalid --device \"/dev/null:dev/x\": \"dev/x\" is not an absolute path"),
            (["run", "--privileged", "--device", "/dev/null:/dev/x", "true"], "with --privileged, /dev is the host's and a device keeps its host path"),
            (["--root", "/tmp/sandbox-test-root", "run", "-d", "true"], "--root is not supported by run: its containers are kept in the default state root"),
            (["--root", "/tmp/sandbox-test-root", "container", "run", "true"], "--root is not supported by run"),
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
            first.arguments = ["run", "--name", "test-name", "--rootfs", SandboxProcess.rootfs, "sleep", "60"]
            try first.run()
            defer {
                _ = try? SandboxProcess.run(["kill", "test-name", "KILL"])
                first.waitUntilExit()
            }
            // Running, not merely named: a loaded machine must not let the second in before the first holds it.
            while (try? SandboxProcess.run(["state", "test-name"]))?.stdout.contains("\"running\"") != true && first.isRunning {
                usleep(20_000)
            }
            let second = try SandboxProcess.run(["run", "--name", "test-name", "true"])
            #expect(second.status == 125)
            #expect(second.stderr == "sandbox: the container name \"test-name\" is already in use by another container\n")
        }
    }
}
