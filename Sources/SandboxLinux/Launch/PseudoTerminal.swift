import CSandbox
import Glibc
import SandboxPolicy

/// The pty pair for -t: the container gets the slave as its terminal, sandbox relays the master.
final class PseudoTerminal {
    let master: Int32
    private(set) var slave: Int32
    let slavePath: String

    init() throws {
        var master: Int32 = -1, slave: Int32 = -1
        var name = [CChar](repeating: 0, count: 64)
        let result = sbx_open_terminal(&master, &slave, &name, name.count)
        guard result == 0 else { throw SandboxError("open a pseudo-terminal", errno: -result) }
        self.master = master
        self.slave = slave
        slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Once the container has its copy, sandbox's must go: the relay ends when the last slave closes.
    func closeSlave() {
        close(slave)
        slave = -1
    }

    deinit {
        close(master)
        if slave >= 0 { close(slave) }
    }
}
