import SandboxPolicy
import Testing
@testable import sandbox

/// `sandbox run`'s fast path reads the command lines it knows as ArgumentParser reads them, and leaves every
/// other line to ArgumentParser. No container is started: these compare parsed specs.
@Suite struct RunFastPathTests {
    static let read: [[String]] = [
        ["true"],
        ["--", "true"],
        ["--rootfs", "/img", "sh", "-c", "echo --rm"],
        ["--rootfs", "relative/image", "true"],
        ["--rootfs=/img", "--read-only", "--", "--not-an-option"],
        ["-v", "/a:/b", "--volume", "/c:/d:ro", "--volume=/e:/f:idmap", "true"],
        ["--tmpfs", "/t", "--tmpfs=/u:size=1m,mode=700", "--tmpfs", "/v:exec", "true"],
        ["-e", "A=1", "--env", "PATH", "--env=B=", "-e", "NO_SUCH_VARIABLE_HERE", "env"],
        ["-w", "/tmp/../x/", "true"],
        ["--workdir=/y", "true"],
        ["-h", "box", "--name", "c1", "-i", "-t", "--init", "--rm", "-u", "1000:1000", "id"],
        ["--user=nobody", "--hostname=h", "--interactive", "--tty", "true"],
        ["--rootfs", "/img", "ls", "-l", "--rm", "--", "-v"],
        ["-u", "daemon:daemon", "--name=web.1", "httpd", "-f"],
        ["--security-opt", "seccomp=/p.json", "--security-opt=no-new-privileges", "--security-opt", "apparmor=unconfined", "true"],
        ["--security-opt", "seccomp:unconfined", "--security-opt", "systempaths=unconfined", "--security-opt", "no-new-privileges=false", "true"],
    ]

    /// What ArgumentParser makes of `run ARGUMENTS`.
    static func parsed(_ arguments: [String]) throws -> RunSpec {
        try RunCommand.parse(arguments).options.spec()
    }

    @Test(arguments: read)
    func readAsArgumentParserReadsIt(arguments: [String]) throws {
        let fast = try #require(RunFastPath.spec(arguments[...], hostEnvironment: RunOptions.hostEnvironment))
        #expect(fast == (try Self.parsed(arguments)))
    }

    /// Lines with an option it does not know, a form it does not read, an option given twice, or a value that
    /// its parser or the spec's validation refuses: ArgumentParser reads them, and prints what is wrong.
    static let leftToArgumentParser: [[String]] = [
        [], ["--"], ["--rm"], ["--help"], ["-h"], ["-it", "true"], ["-vX:/y", "true"], ["-e=A=1", "true"],
        ["--network", "host", "true"], ["-d", "true"], ["--print-spec", "true"], ["--privileged", "true"],
        ["--rootfs", "/a", "--rootfs", "/b", "true"], ["--rm", "--rm", "true"], ["--rm=true", "true"],
        ["-e", "-x", "true"], ["--rootfs"], ["--name", "--", "true"],
        ["-v", "nocolon", "true"], ["--name", "x", "true"], ["--hostname", "bad_name", "true"],
        ["--tmpfs", "/proc/x", "true"], ["-v", "/a:/t", "--tmpfs", "/t", "true"], ["--workdir", "relative", "true"],
        ["-u", "", "true"], ["--bogus", "true"], ["--security-opt", "seccomp=", "true"], ["--security-opt", "label=user:u", "true"],
        ["--security-opt", "nonsense", "true"],
    ]

    @Test(arguments: leftToArgumentParser)
    func leavesTheRestToArgumentParser(arguments: [String]) {
        #expect(RunFastPath.spec(arguments[...], hostEnvironment: RunOptions.hostEnvironment) == nil)
    }
}
