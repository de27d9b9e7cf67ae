import Foundation
import SandboxPolicy
import Testing

extension ContainerTests {
    /// What the kernel keeps per namespace or per process: sysctls, resource limits, the umask, the domain
    /// name and the OOM score, read from inside the container and, where the host could be touched, from it.
    @Suite struct KernelSettings {
        static func hostValue(_ path: String) throws -> String {
            try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        // MARK: sysctls

        @Test(arguments: [[], ["--userns", "host"]])
        func sysctlsAreWrittenInTheContainersOwnNamespacesOnly(options: [String]) throws {
            let forward = try Self.hostValue("/proc/sys/net/ipv4/ip_forward"), shmmax = try Self.hostValue("/proc/sys/kernel/shmmax")
            let wanted = forward == "1" ? "0" : "1"
            let inside = try SandboxProcess.shell("""
                cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmax /proc/sys/fs/mqueue/msg_max
                echo \(forward) 2>/dev/null > /proc/sys/net/ipv4/ip_forward || echo read-only
                """, options: options + ["--sysctl", "net.ipv4.ip_forward=\(wanted)", "--sysctl", "kernel.shmmax=123456789",
                                         "--sysctl", "fs.mqueue.msg_max=64"])
            #expect(inside == "\(wanted)\n123456789\n64\nread-only")
            #expect(try Self.hostValue("/proc/sys/net/ipv4/ip_forward") == forward)
            #expect(try Self.hostValue("/proc/sys/kernel/shmmax") == shmmax)
        }

        @Test(arguments: [
            (["--sysctl", "kernel.panic=1"], "invalid argument \"kernel.panic=1\" for \"--sysctl\" flag: sysctl 'kernel.panic=1' is not allowed"),
            (["--sysctl", "net.ipv4.ip_forward"], "invalid argument \"net.ipv4.ip_forward\" for \"--sysctl\" flag: sysctl 'net.ipv4.ip_forward' is not allowed"),
            (["--sysctl", "net.ipv4.ip_forward=1", "--network", "host"], "sysctl \"net.ipv4.ip_forward\" not allowed in host network namespace"),
            (["--sysctl", "kernel.shmmax=1", "--ipc", "host"], "sysctl \"kernel.shmmax\" is not allowed in the hosts ipc namespace"),
            (["--sysctl", "net.//.//.self.comm=x"], "invalid argument \"net.//.//.self.comm=x\" for \"--sysctl\" flag: 'net.//.//.self.comm' names no file under /proc/sys"),
            (["--sysctl", "net.ipv4.no_such_setting=1"], "write sysctl net.ipv4.no_such_setting: No such file or directory"),
        ] as [([String], String)])
        func sysctlsTheContainerMayNotSetAreRefused(options: [String], message: String) throws {
            let result = try SandboxProcess.run(["run"] + options + ["--rootfs", SandboxProcess.rootfs, "true"])
            #expect(result.status == 125)
            #expect(result.stderr == "sandbox: \(message)\n")
        }

        /// A key is resolved beneath /proc/sys whatever it says: one that climbs out (Docker's flag refuses it,
        /// an OCI config may carry it) names no file, rather than /proc/self/comm or /proc/sysrq-trigger, even
        /// for host root, who could write those.
        @Test func aSysctlKeyCannotClimbOutOfProcSys() throws {
            let message = try SpecContainer.failure(flags: { $0.namespaces.share(.user) }) {
                $0.sysctls = ["net.//.//.self.comm": "pwned"]
            }
            #expect(message == "write sysctl net.//.//.self.comm: Invalid cross-device link")
        }

        /// A volume may be mounted at /proc/sys/kernel/ns_last_pid (Docker allows it, for lxcfs): the setting's
        /// file is found without crossing a mount, so the host file bound there is never written as one.
        @Test func aSysctlIsNeverWrittenIntoAFileMountedOverIt() throws {
            let directory = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let file = directory + "/ns_last_pid"
            try "untouched".write(toFile: file, atomically: false, encoding: .utf8)
            chmod(file, 0o666)
            let message = try SpecContainer.failure(flags: {
                $0.volumes.append(try Volume(parsing: file + ":/proc/sys/kernel/ns_last_pid"))
            }, change: { $0.sysctls = ["kernel.ns_last_pid": "4242"] })
            #expect(message == "write sysctl kernel.ns_last_pid: Invalid cross-device link")
            #expect(try Self.hostValue(file) == "untouched")
        }

        // MARK: resource limits

        @Test func ulimitsAreTheWorkloadsLimitsTheLastOfATypeWinning() throws {
            let inside = try SandboxProcess.shell("ulimit -Sn; ulimit -Hn; ulimit -c; ulimit -u", options: [
                "--ulimit", "nofile=1000:2000", "--ulimit", "core=0", "--ulimit", "nproc=300", "--ulimit", "nproc=500",
            ])
            #expect(inside == "1000\n2000\n0\n500")
        }

        /// The child sets them once it has made its mounts: a file limit lower than its own setup needs works.
        @Test func aLowFileLimitDoesNotStarveTheSetup() throws {
            #expect(try SandboxProcess.shell("ulimit -n", options: ["--ulimit", "nofile=8"]) == "8")
        }

        /// In a user namespace no hard limit can be raised above sandbox's own: refused, with the reason.
        @Test func aHardLimitAboveSandboxsOwnIsRefused() throws {
            var limit = rlimit()
            #expect(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0)
            let raised = limit.rlim_max + 1
            let result = try SandboxProcess.run(["run", "--ulimit", "nofile=\(raised):\(raised)", "--rootfs", SandboxProcess.rootfs, "true"])
            #expect(result.status == 125)
            #expect(result.stderr == "sandbox: set resource limit RLIMIT_NOFILE: Operation not permitted (a hard limit above sandbox's own "
                + "needs CAP_SYS_RESOURCE in the host's user namespace: --userns host, as root)\n")
        }

        @Test(arguments: [
            ("nofile", "invalid ulimit argument: nofile"),
            ("as=1", "invalid ulimit type: as"),
            ("nofile=x", "strconv.ParseInt: parsing \"x\": invalid syntax"),
            ("nofile=2:1", "ulimit soft limit must be less than or equal to hard limit: 2 > 1"),
            ("nofile=-1:100", "ulimit soft limit must be less than or equal to hard limit: -1 > 100"),
            ("nofile=-2", "invalid ulimit argument: nofile=-2"),
        ])
        func ulimitsDockerRefusesAreRefused(value: String, reason: String) throws {
            let result = try SandboxProcess.run(["run", "--ulimit", value, "--rootfs", SandboxProcess.rootfs, "true"])
            #expect(result.status == 125)
            #expect(result.stderr == "sandbox: invalid argument \"\(value)\" for \"--ulimit\" flag: \(reason)\n")
        }

        // MARK: umask, domain name, OOM score

        /// As Docker's: 0022, whatever the mask sandbox itself was started with.
        @Test func theWorkloadsUmaskIsDockersWhateverTheCallers() throws {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "umask 077; exec \"$0\" run --rootfs \"$1\" -- sh -c 'umask; touch /tmp/f; stat -c %a /tmp/f'",
                                 SandboxProcess.binary, SandboxProcess.rootfs]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
            #expect(printed == "0022\n644\n")
        }

        @Test func theSpecsUmaskIsTheWorkloads() throws {
            let result = try SpecContainer.run("umask; mkdir /tmp/d; stat -c %a /tmp/d") { $0.process.umask = 0o027 }
            #expect(result.status == 0)
            #expect(result.output == "0027\n750")
        }

        @Test func theDomainNameIsTheContainersOwn() throws {
            let host = try Self.hostValue("/proc/sys/kernel/domainname")
            let result = try SpecContainer.run("cat /proc/sys/kernel/domainname; hostname") {
                $0.domainname = "example.test"
                $0.hostname = "box"
            }
            #expect(result.output == "example.test\nbox")
            #expect(try Self.hostValue("/proc/sys/kernel/domainname") == host)
        }

        /// Written by sandbox before the child goes on: the workload, and what it forks, start with it.
        @Test func theOOMScoreIsSetBeforeTheWorkloadStarts() throws {
            let own = try Self.hostValue("/proc/self/oom_score_adj")
            let result = try SpecContainer.run("cat /proc/self/oom_score_adj; sh -c 'cat /proc/self/oom_score_adj'") {
                $0.process.oomScoreAdj = 500
                $0.process.initProcess = true
            }
            #expect(result.output == "500\n500")
            #expect(try Self.hostValue("/proc/self/oom_score_adj") == own)
        }
    }
}
