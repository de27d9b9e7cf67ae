import CSandbox
import Glibc
import SandboxPolicy

/// The host's GNU tar, writing a directory's tree to a pipe: `import DIR`'s stream.
enum TarProcess {
    /// Runs `body` with the read end of a pipe that `tar` writes `directory`'s tree to, then waits for tar.
    /// - Throws: what `body` throws; tar's own failure is a warning (tar wrote its reasons), the image being made.
    static func withStream<T>(of directory: String, _ body: (Int32) throws -> T) throws -> T {
        var pipeFDs: [Int32] = [0, 0]
        let made = sbx_pipe(&pipeFDs)
        guard made == 0 else { throw SandboxError("pipe", errno: -made) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], STDOUT_FILENO)
        let arguments = ["tar", "--numeric-owner", "--xattrs", "--xattrs-include=*", "-C", directory, "-cf", "-", "."]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "tar", &actions, nil, &argv, environ)
        close(pipeFDs[1])
        guard spawned == 0 else {
            close(pipeFDs[0])
            throw SandboxError("run tar to read \(directory)", errno: spawned)
        }
        // Closed before the wait: a tar still writing to a reader that gave up ends on SIGPIPE.
        let result = Result { try body(pipeFDs[0]) }
        close(pipeFDs[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let value = try result.get()
        if status != 0 {
            printError("warning: tar reading \(directory) ended with status \(status >> 8 & 0xff): the image may lack what it could not read")
        }
        return value
    }
}
