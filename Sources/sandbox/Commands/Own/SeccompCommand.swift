import ArgumentParser
import Glibc
import SandboxJSON
import SandboxLinux
import SandboxPolicy

struct SeccompCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seccomp",
        abstract: "Check, test and write Docker-format seccomp profiles.",
        subcommands: [Check.self, Test.self, Trace.self]
    )

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate a profile and summarise it; exit 1 if it is not valid.")

        @Argument(help: ArgumentHelp("The profile, or default.", valueName: "profile"))
        var profile: String

        func run() throws {
            let parsed: SeccompProfile
            do {
                parsed = try SeccompProfileFile.load(profile)
            } catch let error as SandboxError {
                printError(error.description)
                throw ExitCode(1)
            }
            let host = SeccompCompiler.host()
            let summary = SeccompSummary(profile: parsed, host: host)
            print(summary.lines.joined(separator: "\n"))
            // Fails closed as `run` does: a denying rule for a name libseccomp does not know is an error.
            do {
                _ = try SeccompFilter(profile: parsed, bounding: .all(through: 63), host: host)
            } catch let error as SandboxError {
                printError(error.description)
                throw ExitCode(1)
            }
        }
    }

    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a command under a profile and report every syscall the profile denied.",
            discussion: """
                The denying rules become seccomp user notifications that sandbox answers with the profile's own \
                result, so the command behaves as under the real profile while each denial is seen. The report \
                goes to standard error when the command ends; the exit status is the command's.
                """)

        @Argument(help: ArgumentHelp("The profile, or default.", valueName: "profile"))
        var profile: String

        @Flag(help: "Report as JSON.")
        var json = false

        @Argument(parsing: .captureForPassthrough, help: ArgumentHelp(
            "Options of sandbox run (see sandbox run --help), then the command.", valueName: "run-options-and-cmd"))
        var runArguments: [String] = []

        func run() throws {
            var spec = try RunOptions.parse(runArguments).spec()
            try Self.checkSupervisable(spec)
            spec.seccompProfile = profile
            let supervisor = SeccompTestSupervisor()
            let outcome = try RunOptions.container(for: spec).run(supervisor: supervisor)
            printError(try report(supervisor.denials), prefix: "")
            throw ExitCode(outcome.status)
        }

        private func report(_ denials: [SeccompTestSupervisor.Denial]) throws -> String {
            // Without its final newline: printError ends the report's last line.
            if json { return String(try JSON.encode(denials).dropLast()) }
            guard !denials.isEmpty else { return "seccomp test: the profile denied nothing" }
            let native = SeccompCompiler.host().architecture
            let rows = [("SYSCALL", "COUNT", "RESULT")] + denials.map { denial in
                (denial.architecture == native ? denial.syscall : "\(denial.syscall) (\(denial.architecture ?? "unknown architecture"))",
                 String(denial.count), denial.errno.map { "\(denial.action) \(Errno.name($0))" } ?? denial.action)
            }
            let widths = (rows.map(\.0.count).max()!, rows.map(\.1.count).max()!)
            return rows.map { row in
                row.0 + String(repeating: " ", count: widths.0 - row.0.count + 2)
                    + String(repeating: " ", count: widths.1 - row.1.count) + row.1 + "  " + row.2
            }.joined(separator: "\n")
        }

        static func checkSupervisable(_ spec: RunSpec) throws {
            if spec.tty { throw SandboxError("seccomp test and trace do not take -t") }
            if spec.privileged { throw SandboxError("seccomp test and trace do not take --privileged, which has no seccomp") }
            if spec.detach || spec.cidfile != nil {
                throw SandboxError("seccomp test and trace do not take \(spec.detach ? "-d" : "--cidfile"): they watch the container in the foreground")
            }
        }
    }

    struct Trace: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a command with every syscall allowed and recorded, and write the allow-list profile it needs.",
            discussion: """
                Every syscall is sent to sandbox, which lets it run (seccomp user notification with continue), on \
                the native architecture and those Docker's default profile pairs with it (x86 and x32 on x86_64). \
                The profile allows what was seen, with the same run options, and denies anything else with EPERM; \
                it lists the native architecture and those the command used: a syscall of another is killed.
                """)

        @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the profile.", valueName: "out.json"))
        var output: String

        @Argument(parsing: .captureForPassthrough, help: ArgumentHelp(
            "Options of sandbox run (see sandbox run --help), then the command.", valueName: "run-options-and-cmd"))
        var runArguments: [String] = []

        func run() throws {
            var spec = try RunOptions.parse(runArguments).spec()
            try Test.checkSupervisable(spec)
            // Only its architectures count: trace watches those the default profile covers on this machine.
            spec.seccompProfile = SeccompProfileFile.defaultName
            let supervisor = SeccompTraceSupervisor()
            let outcome = try RunOptions.container(for: spec).run(supervisor: supervisor)
            try HostFile.create(supervisor.profileJSON, at: output)
            printError("seccomp trace: \(supervisor.syscalls.count) syscalls, written to \(output)", prefix: "")
            throw ExitCode(outcome.status)
        }
    }
}

/// One line on standard error.
func printError(_ message: String, prefix: String = "sandbox: ") {
    var line = prefix + message + "\n"
    line.withUTF8 { _ = write(STDERR_FILENO, $0.baseAddress, $0.count) }
}

/// Symbolic names of the errnos profiles use.
enum Errno {
    static func name(_ code: Int32) -> String {
        let names: [Int32: String] = [EPERM: "EPERM", ENOENT: "ENOENT", EACCES: "EACCES", EINVAL: "EINVAL", ENOSYS: "ENOSYS"]
        return names[code] ?? "errno \(code)"
    }
}
