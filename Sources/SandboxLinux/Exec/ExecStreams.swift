import CSandbox
import Glibc
import SandboxPolicy

/// An exec'd process's stdin, stdout and stderr, and sandbox's ends of them.
///
/// With a terminal, a new pty: the process gets the slave; sandbox relays the master, or hands it to an
/// engine's console socket. Without one, `docker exec`'s streams are pipes that sandbox relays, as dockerd's
/// and containerd's are: given the caller's own fds, a process the command leaves behind in the container
/// would keep the caller's terminal open, and read what the administrator types next. An engine's call (runc's
/// form) passes its fds on as they are, as runc does: they are the pipes the engine made for the process
/// (conmon's, containerd's shim's), not a terminal. Whatever the process is not attached to is /dev/null.
final class ExecStreams {
    private(set) var terminal: PseudoTerminal?
    /// The process's 0, 1 and 2.
    let process: ChildConfiguration.Streams
    /// sandbox's ends of the relayed pipes: the process's stdin, its stdout, its stderr; -1 where none.
    private var input: Int32 = -1, output: Int32 = -1, errors: Int32 = -1
    /// The process's ends made here, closed once it holds its own.
    private var given: [Int32] = []

    /// - Parameters:
    ///   - terminal: the process has one.
    ///   - relayed: the caller's streams are relayed, never passed on (`docker exec`'s form).
    ///   - interactive, attached: as `Runtime.ExecOptions`.
    init(terminal: Bool, relayed: Bool, interactive: Bool, attached: Bool, preserved: Int32) throws {
        if terminal {
            let pty = try PseudoTerminal()
            self.terminal = pty
            process = .init(stdin: pty.slave, stdout: pty.slave, stderr: pty.slave, controllingTerminal: true, preserved: preserved)
            return
        }
        var given: [Int32] = []
        var kept: [Int32] = []
        do {
            var null: Int32 = -1
            func nullDevice() throws -> Int32 {
                if null < 0 {
                    null = open("/dev/null", O_RDWR | O_CLOEXEC)
                    guard null >= 0 else { throw SandboxError("open /dev/null", errno: errno) }
                    given.append(null)
                }
                return null
            }
            /// A pipe: the process's end (read or write) and sandbox's.
            func pipe(processReads: Bool) throws -> (process: Int32, kept: Int32) {
                var ends: [Int32] = [-1, -1]
                let made = sbx_pipe(&ends)
                guard made == 0 else { throw SandboxError("pipe", errno: -made) }
                let (process, own) = processReads ? (ends[0], ends[1]) : (ends[1], ends[0])
                given.append(process)
                kept.append(own)
                return (process, own)
            }
            var stdin = STDIN_FILENO, stdout = STDOUT_FILENO, stderr = STDERR_FILENO
            if !interactive {
                stdin = try nullDevice()
            } else if relayed {
                (stdin, input) = try pipe(processReads: true)
            }
            if !attached {
                stdout = try nullDevice()
                stderr = stdout
            } else if relayed {
                (stdout, output) = try pipe(processReads: false)
                // Where both go to one file (a terminal, `2>&1`), one pipe keeps their order exactly.
                if Self.sameFile(STDOUT_FILENO, STDERR_FILENO) {
                    stderr = stdout
                } else {
                    (stderr, errors) = try pipe(processReads: false)
                }
            }
            process = .init(stdin: stdin, stdout: stdout, stderr: stderr, controllingTerminal: false, preserved: preserved)
        } catch {
            (given + kept).forEach { close($0) }
            throw error
        }
        self.given = given
    }

    deinit {
        ([input, output, errors] + given).filter { $0 >= 0 }.forEach { close($0) }
    }

    /// The process has its own copies (the joining child has cloned): sandbox's go, so that its ends see EOF
    /// once the process's are closed.
    func closeProcessEnds() {
        given.forEach { close($0) }
        given = []
        terminal?.closeSlave()
    }

    /// Sends the pty master to an engine's console socket (OCI `--console-socket`): the terminal is then the
    /// engine's alone, and sandbox keeps no end of it.
    func handOverTerminal(to socket: String) throws {
        guard let terminal else { return }
        let sent = sbx_send_fd_to(socket, terminal.master, terminal.slavePath)
        guard sent == 0 else { throw SandboxError("send the terminal to \(socket)", errno: -sent) }
    }

    /// Forgets the terminal handed over: closes sandbox's ends.
    func dropTerminal() {
        terminal = nil
    }

    /// Relays until the process of `pidfd` ends; nothing to do when its streams are the caller's own.
    func relay(until pidfd: Int32, interactive: Bool) {
        if let terminal {
            _ = sbx_relay_terminal(terminal.master, interactive, pidfd)
        } else if input >= 0 || output >= 0 {
            _ = sbx_relay(pidfd, input, output, errors, false)
            (input, output, errors) = (-1, -1, -1) // the relay's to close
        }
    }

    /// Whether two fds are one file (the same terminal, or one `2>&1` made).
    private static func sameFile(_ first: Int32, _ second: Int32) -> Bool {
        var a = stat(), b = stat()
        return fstat(first, &a) == 0 && fstat(second, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}
