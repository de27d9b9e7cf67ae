import Foundation
import Testing

extension ContainerTests {
    @Suite struct Seccomp {
        static let profiles = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Profiles").path

        static func profile(_ name: String) -> [String] { ["--security-opt", "seccomp=\(profiles)/\(name).json"] }

        @Test func deniedMkdirFailsWithTheProfilesErrnoWhileLsWorks() throws {
            #expect(try SandboxProcess.shell("mkdir /a 2>&1; ls / > /dev/null && echo ls-ok", options: Self.profile("deny-mkdir"))
                == "mkdir: can't create directory '/a': Operation not permitted\nls-ok")
            #expect(try SandboxProcess.shell("mkdir /a 2>&1; true", options: Self.profile("deny-mkdir-enosys"))
                == "mkdir: can't create directory '/a': Function not implemented")
        }

        @Test func defaultProfileDeniesWhatDockerDenies() throws {
            let inside = try SandboxProcess.shell("""
                unshare -U true 2>&1; mount -t tmpfs none /mnt 2>&1; reboot -f 2>&1
                grep -E '^Seccomp:' /proc/self/status
                """)
            #expect(inside == """
                unshare: unshare(0x10000000): Operation not permitted
                mount: permission denied (are you root?)
                reboot: (null): Operation not permitted
                Seccomp:\t2
                """)
        }

        @Test func ordinaryShellWorkSucceedsUnderTheDefaultProfile() throws {
            let inside = try SandboxProcess.shell("""
                set -e
                mkdir -p /work/a && cd /work && echo hello > a/f && cp a/f b && mv b c && ln -s c d && cat d
                seq 1 500 | sort -rn | head -1; tar cf /tmp/t.tar a && tar tf /tmp/t.tar | head -1
                (sleep 0.01 &) ; wait; date +%Y > /dev/null; sha256sum a/f | cut -c1-8; wc -c < /etc/passwd > /dev/null
                ps > /dev/null; kill -0 $$; echo done
                """)
            #expect(inside == "hello\n500\na/\n5891b5b5\ndone")
        }

        @Test func capabilityConditionedRulesFollowTheBoundingSet() throws {
            let script = "mkdir -p /mnt && mount -t tmpfs none /mnt 2>&1 && echo mounted; true"
            #expect(try SandboxProcess.shell(script, options: ["--cap-add", "SYS_ADMIN"]) == "mounted")
            #expect(try SandboxProcess.shell(script) == "mount: permission denied (are you root?)")
        }

        @Test func argumentRuleAllowsExactlyThatValue() throws {
            let inside = try SandboxProcess.shell("linux32 true && echo 8-allowed; linux64 true 2>&1; true", options: Self.profile("personality"))
            #expect(inside == "8-allowed\nlinux64: personality(0x0): Operation not permitted")
        }

        @Test(arguments: [["--security-opt", "seccomp=unconfined"], ["--privileged"]])
        func unconfinedAndPrivilegedHaveNoFilter(options: [String]) throws {
            #expect(try SandboxProcess.shell("grep -E '^Seccomp:' /proc/self/status", options: options) == "Seccomp:\t0")
        }

        static let malformed: [(String, String)] = [
            ("{ \"defaultAction\": ", "invalid JSON at line 1, column 20: expected a value"),
            ("{ \"defaultAction\": \"SCMP_ACT_NOPE\" }", "defaultAction: unknown action \"SCMP_ACT_NOPE\""),
            ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{ \"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{ \"index\": 0, \"value\": 1, \"op\": \"SCMP_CMP_NOPE\" }] }] }",
             "syscalls[0].args[0].op: unknown operator \"SCMP_CMP_NOPE\""),
            ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{ \"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"args\": [{ \"index\": 6, \"value\": 1, \"op\": \"SCMP_CMP_EQ\" }] }] }",
             "syscalls[0].args[0].index: argument index 6 is past 5, the last"),
            ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{ \"names\": \"mkdir\", \"action\": \"SCMP_ACT_ERRNO\" }] }",
             "syscalls[0].names: expected an array, found a string"),
            ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{ \"names\": [\"mkdir\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": \"1\" }] }",
             "syscalls[0].errnoRet: expected a non-negative integer, found a string"),
            ("{ \"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [{ \"names\": [\"no_such_syscall\"], \"action\": \"SCMP_ACT_KILL\" }] }",
             "syscalls[0]: SCMP_ACT_KILL names \"no_such_syscall\", which this libseccomp does not know"),
        ]

        @Test(arguments: malformed)
        func malformedProfileIsRefusedWithItsJSONPathAndStartsNothing(json: String, message: String) throws {
            let file = try Host.temporaryDirectory() + "/profile.json"
            defer { try? FileManager.default.removeItem(atPath: (file as NSString).deletingLastPathComponent) }
            try json.write(toFile: file, atomically: true, encoding: .utf8)
            let states = Host.stateDirectories(), mounts = try Host.mountCount()
            let result = try SandboxProcess.run(["run", "--security-opt", "seccomp=\(file)", "--rootfs", SandboxProcess.rootfs, "true"])
            #expect(result.status == 125)
            #expect(result.stderr.hasPrefix("sandbox: seccomp profile \(file): ") && result.stderr.contains(message), "\(result.stderr)")
            #expect(result.stderr.split(separator: "\n").count == 1)
            #expect(Set(Host.stateDirectories()).isSubset(of: states))
            #expect(try Host.mountCount() == mounts)
            // --print-spec resolves the profile too, and says the same.
            let printed = try SandboxProcess.run(["run", "--print-spec", "--security-opt", "seccomp=\(file)", "--rootfs", SandboxProcess.rootfs, "true"])
            #expect(printed.status == 125 && printed.stdout.isEmpty && printed.stderr == result.stderr, "\(printed.stderr)")
        }
    }
}

extension ContainerTests {
    @Suite struct SeccompTools {
        @Test func testReportsEachDenialWhileTheProgramSeesTheProfilesErrno() throws {
            let result = try SandboxProcess.run(["seccomp", "test", "--json", "\(ContainerTests.Seccomp.profiles)/deny-mkdir.json",
                                                 "--rootfs", SandboxProcess.rootfs, "--", "sh", "-c", "mkdir /a 2>/dev/null || echo refused; ls / > /dev/null"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "refused\n")
            let report = try JSONSerialization.jsonObject(with: Data(result.stderr.utf8))
            let denials = try #require(report as? [[String: Any]])
            #expect(denials.count == 1)
            #expect(denials.first?["syscall"] as? String == "mkdir" && denials.first?["count"] as? Int == 1)
            #expect(denials.first?["errno"] as? Int == 1 && denials.first?["action"] as? String == "SCMP_ACT_ERRNO")
        }

        @Test func traceWritesAProfileUnderWhichTheCommandRunsAgainAndTestShowsWhatAnotherLacks() throws {
            let directory = try Host.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let profile = directory + "/traced.json"
            let command = ["--rootfs", SandboxProcess.rootfs, "--", "sh", "-c", "ls / > /dev/null && echo traced"]
            let trace = try SandboxProcess.run(["seccomp", "trace", "-o", profile] + command)
            #expect(trace.status == 0 && trace.stdout == "traced\n", "\(trace.stderr)")
            let again = try SandboxProcess.run(["run", "--security-opt", "seccomp=\(profile)"] + command)
            #expect(again.status == 0 && again.stdout == "traced\n", "\(again.stderr)")
            let other = try SandboxProcess.run(["seccomp", "test", profile, "--rootfs", SandboxProcess.rootfs, "--", "sh", "-c", "mkdir /new"])
            #expect(other.status == 1)
            #expect(other.stderr.contains("mkdir") && other.stderr.contains("SCMP_ACT_ERRNO EPERM"), "\(other.stderr)")
        }

        @Test func checkSummarisesAndFailsOnABadProfile() throws {
            let check = try SandboxProcess.run(["seccomp", "check", "default"])
            #expect(check.status == 0)
            #expect(check.stdout.hasPrefix("default action: SCMP_ACT_ERRNO (errno 1)\n"))
            #expect(check.stdout.contains("rules: 33 (SCMP_ACT_ALLOW 32, SCMP_ACT_ERRNO 1)"))
            #expect(check.stdout.contains("never applies here: syscalls[10]"))
            let bad = try SandboxProcess.run(["seccomp", "check", "/no/such/profile.json"])
            #expect(bad.status == 1 && bad.stderr == "sandbox: read /no/such/profile.json: No such file or directory\n")
        }
    }
}

extension ContainerTests {
    @Suite struct SeccompCacheTests {
        /// A cache entry is trusted only if it holds the inputs it was compiled from: a corrupt one is recompiled.
        @Test func corruptEntryIsNeverLoaded() throws {
            _ = try SandboxProcess.shell("true")
            let directory = "/run/sandbox/.seccomp"
            let entries = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".bpf") }
            try #require(!entries.isEmpty)
            for entry in entries {
                try Data(repeating: 0, count: 4096).write(to: URL(fileURLWithPath: directory + "/" + entry))
            }
            #expect(try SandboxProcess.shell("unshare -U true 2>&1; grep -E '^Seccomp:' /proc/self/status")
                == "unshare: unshare(0x10000000): Operation not permitted\nSeccomp:\t2")
        }
    }
}

extension ContainerTests {
    /// A syscall is decided by its name on its own architecture: i386's clone is 120, x86_64's getresgid.
    @Suite(.enabled(if: ForeignSyscalls.runOnThisKernel, "needs x86_64 with IA32 emulation (int $0x80 from a 64-bit program)"))
    struct SeccompArchitectures {
        @Test(arguments: [[String](), ["--userns", "host"]])
        func testAppliesTheProfileToI386AndX32SyscallsAndNamesTheirArchitecture(options: [String]) throws {
            let probe = try ForeignSyscalls.build()
            defer { try? FileManager.default.removeItem(atPath: probe) }
            let command = ["--rootfs", SandboxProcess.rootfs] + options + ["-v", "\(probe):/probe:ro", "--", "/probe/foreign"]
            // The real filter: x32's getpid is allowed, and fails with ENOSYS on a kernel without x32.
            let run = try SandboxProcess.run(["run"] + command)
            #expect(run.status == 0 && run.stdout.hasPrefix("i386 getpid ok\ni386 clone EPERM\ni386 unshare EPERM\n"), "\(run.stdout)\(run.stderr)")
            #expect(run.stdout.hasSuffix("x32 unshare EPERM\n"), "\(run.stdout)")
            let test = try SandboxProcess.run(["seccomp", "test", "--json", "default"] + command)
            #expect(test.status == 0 && test.stdout == run.stdout, "\(test.stdout)\(test.stderr)")
            let denials = try #require(try JSONSerialization.jsonObject(with: Data(test.stderr.utf8)) as? [[String: Any]], "\(test.stderr)")
            #expect(denials.map { "\($0["syscall"] ?? "") \($0["architecture"] ?? "") \($0["errno"] ?? "")" }
                == ["clone x86 1", "unshare x86 1", "unshare x32 1"])
            let table = try SandboxProcess.run(["seccomp", "test", "default"] + command)
            #expect(table.stderr.split(separator: "\n").dropFirst().map { $0.split(separator: " ", maxSplits: 2).prefix(2).joined(separator: " ") }
                == ["clone (x86)", "unshare (x86)", "unshare (x32)"], "\(table.stderr)")
        }

        @Test func traceRecordsI386SyscallsAndItsProfileListsTheArchitecturesUsed() throws {
            let probe = try ForeignSyscalls.build()
            defer { try? FileManager.default.removeItem(atPath: probe) }
            let command = ["--rootfs", SandboxProcess.rootfs, "-v", "\(probe):/probe:ro", "--", "/probe/foreign"]
            let trace = try SandboxProcess.run(["seccomp", "trace", "-o", probe + "/traced.json"] + command)
            #expect(trace.status == 0 && trace.stdout.hasPrefix("i386 getpid ok\ni386 clone ok\ni386 unshare ok\n"), "\(trace.stdout)\(trace.stderr)")
            let profile = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: probe + "/traced.json"))) as? [String: Any])
            #expect(profile["architectures"] as? [String] == ["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"])
            let again = try SandboxProcess.run(["run", "--security-opt", "seccomp=\(probe)/traced.json"] + command)
            #expect(again.status == 0 && again.stdout == trace.stdout, "\(again.stdout)\(again.stderr)")
        }
    }
}

/// A static 64-bit program making i386 syscalls (int $0x80) and x32 ones (numbers with __X32_SYSCALL_BIT), each
/// reaching seccomp with its own architecture and numbers. One line a call: "ABI NAME ok" or the errno's name.
enum ForeignSyscalls {
    static let source = #"""
        #define _GNU_SOURCE
        #include <errno.h>
        #include <sched.h>
        #include <signal.h>
        #include <stdio.h>
        #include <string.h>
        #include <sys/wait.h>
        #include <unistd.h>

        static long i386_syscall(long nr, long flags)
        {
        	long result;
        	__asm__ volatile("int $0x80" : "=a"(result) : "a"(nr), "b"(flags), "c"(0L), "d"(0L), "S"(0L), "D"(0L)
        			 : "r8", "r9", "r10", "r11", "memory", "cc");
        	return result;
        }

        static long x32_syscall(long nr, long flags)
        {
        	return syscall(0x40000000 | nr, flags) < 0 ? -errno : 0;
        }

        static void report(const char *name, long result)
        {
        	printf("%s %s\n", name, result >= 0 || result < -4095 ? "ok" : strerrorname_np((int) -result));
        	fflush(stdout);
        }

        int main(void)
        {
        	report("i386 getpid", i386_syscall(20, 0));
        	long child = i386_syscall(120, CLONE_NEWUSER | SIGCHLD); /* before unshare: a new user namespace has no map */
        	if (child == 0)
        		_exit(0);
        	if (child > 0)
        		waitpid((pid_t) child, NULL, 0);
        	report("i386 clone", child);
        	report("i386 unshare", i386_syscall(310, CLONE_NEWUSER));
        	report("x32 getpid", x32_syscall(39, 0));
        	report("x32 unshare", x32_syscall(272, CLONE_NEWUSER));
        	return 0;
        }
        """#

    /// Compiles the probe into a new directory, as `foreign`, with the first of cc and clang there is.
    static func build() throws -> String {
        let directory = try Host.temporaryDirectory()
        try source.write(toFile: directory + "/foreign.c", atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "cc -static -O2 -o foreign foreign.c || clang -static -O2 -o foreign foreign.c"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ProbeError(message: "cannot compile the i386 probe: no cc or clang with a static libc") }
        return directory
    }

    /// Tried once, on the host; a probe that will not compile lets the tests run, and fail saying so.
    static let runOnThisKernel: Bool = {
        #if arch(x86_64)
        guard let directory = try? build() else { return true }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let process = Process(), output = Pipe()
        process.executableURL = URL(fileURLWithPath: directory + "/foreign")
        process.standardOutput = output
        guard (try? process.run()) != nil else { return false }
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return text.hasPrefix("i386 getpid ok\n")
        #else
        return false
        #endif
    }()

    struct ProbeError: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
