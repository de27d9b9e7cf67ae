import CSandbox
import Glibc
import SandboxPolicy

/// Runs a host program (useradd, newuidmap) to completion with posix_spawn: no threads, no shell.
enum HostCommand {
    /// - Throws: with the last line of the program's standard error when it fails.
    static func run(_ arguments: [String]) throws {
        var fds: [Int32] = [0, 0]
        let result = sbx_pipe(&fds)
        guard result == 0 else { throw SandboxError("pipe", errno: -result) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, fds[1], 2)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)

        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, &argv, environ)
        close(fds[1])
        defer { close(fds[0]) }
        guard spawned == 0 else { throw SandboxError("run \(arguments[0])", errno: spawned) }

        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            output += chunk[..<count]
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        guard status == 0 else {
            let message = String(decoding: output, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "exit status \(status)"
            throw SandboxError("\(arguments.joined(separator: " ")): \(message)")
        }
    }
}
