import CSandbox
import Glibc
import SandboxPolicy

/// A child's stdin, stdout and stderr (a container's first process, or a process exec'd into it), and
/// sandbox's ends of them.
///
/// With a terminal, a new pty: the child gets the slave as all three, its controlling terminal (and a
/// container's `/dev/console`); sandbox relays the master, logs it, or hands it to an engine's console socket.
/// Without one, each stream is the caller's own fd passed on, /dev/null, or a pipe whose other end sandbox
/// holds, to relay or to log.
final class ChildStreams {
    /// Where one of the child's streams goes, without a terminal.
    enum Source {
        /// The caller's own fd, passed on as it is.
        case inherited
        case null
        /// A pipe: the child's end, and sandbox's (`input`, `output`, `errors`).
        case pipe
        /// For stderr: wherever stdout goes. One pipe for both keeps their order exactly.
        case sameAsStdout
    }

    private(set) var terminal: PseudoTerminal?
    /// The child's 0, 1 and 2.
    private(set) var child: ChildConfiguration.Streams
    /// sandbox's ends of the pipes: the child's stdin, its stdout, its stderr; -1 where none.
    private(set) var input: Int32 = -1, output: Int32 = -1, errors: Int32 = -1
    /// The child's ends made here, closed once it holds its own.
    private var given: [Int32] = []
    /// /dev/null, once a stream needs it (one of `given`).
    private var null: Int32 = -1

    /// A new pty, of `size` (nil: the kernel's 0x0).
    /// - Parameter preserved: fds from 3 on that the child gets too (OCI --preserve-fds).
    init(terminalSized size: ConsoleSize?, preserved: Int32 = 0) throws {
        let pty = try PseudoTerminal()
        terminal = pty
        child = .init(stdin: pty.slave, stdout: pty.slave, stderr: pty.slave, controllingTerminal: true, preserved: preserved)
        if let size {
            let set = sbx_set_window_size(pty.master, size.height, size.width)
            guard set == 0 else { throw SandboxError("set the terminal's size", errno: -set) }
        }
    }

    /// - Parameter preserved: as with a terminal.
    init(stdin: Source, stdout: Source, stderr: Source, preserved: Int32 = 0) throws {
        child = .init(stdin: STDIN_FILENO, stdout: STDOUT_FILENO, stderr: STDERR_FILENO, controllingTerminal: false,
                      preserved: preserved)
        // Made from here on: what a throw leaves open, deinit closes.
        (child.stdin, input) = try open(stdin, childReads: true) ?? (STDIN_FILENO, -1)
        (child.stdout, output) = try open(stdout, childReads: false) ?? (STDOUT_FILENO, -1)
        if stderr == .sameAsStdout {
            child.stderr = child.stdout
        } else {
            (child.stderr, errors) = try open(stderr, childReads: false) ?? (STDERR_FILENO, -1)
        }
    }

    /// The child's fd for a stream, and sandbox's end of its pipe (-1 without one); nil: the caller's own.
    private func open(_ source: Source, childReads: Bool) throws -> (child: Int32, own: Int32)? {
        switch source {
        case .inherited:
            return nil
        case .null:
            if null < 0 {
                null = Glibc.open("/dev/null", O_RDWR | O_CLOEXEC)
                guard null >= 0 else { throw SandboxError("open /dev/null", errno: errno) }
                given.append(null)
            }
            return (null, -1)
        case .pipe:
            var ends: [Int32] = [-1, -1]
            let made = sbx_pipe(&ends)
            guard made == 0 else { throw SandboxError("pipe", errno: -made) }
            let (child, own) = childReads ? (ends[0], ends[1]) : (ends[1], ends[0])
            given.append(child)
            return (child, own)
        case .sameAsStdout:
            preconditionFailure("only stderr goes where stdout goes")
        }
    }

    deinit {
        ([input, output, errors] + given).filter { $0 >= 0 }.forEach { close($0) }
    }

    /// The child has its own copies (it was cloned): sandbox's go, so that its ends see EOF once the child's
    /// are closed.
    func closeChildEnds() {
        given.forEach { close($0) }
        given = []
        terminal?.closeSlave()
    }

    /// Sends the pty master to an engine's console socket (OCI `--console-socket`); nothing without a terminal.
    func handOverTerminal(to socket: String) throws {
        guard let terminal else { return }
        let sent = sbx_send_fd_to(socket, terminal.master, terminal.slavePath)
        guard sent == 0 else { throw SandboxError("send the terminal to \(socket)", errno: -sent) }
    }

    /// Forgets a terminal handed over, which is then the engine's alone: closes sandbox's ends.
    func dropTerminal() {
        terminal = nil
    }

    /// Relays the terminal or the pipes until the process of `pidfd` ends; nothing to do when the child's
    /// streams are the caller's own.
    /// - Parameter interactive: the caller's stdin reaches the terminal.
    func relay(until pidfd: Int32, interactive: Bool) {
        if let terminal {
            _ = sbx_relay_terminal(terminal.master, interactive, pidfd)
        } else if input >= 0 || output >= 0 {
            _ = sbx_relay(pidfd, input, output, errors, false)
            (input, output, errors) = (-1, -1, -1) // the relay's to close
        }
    }
}
