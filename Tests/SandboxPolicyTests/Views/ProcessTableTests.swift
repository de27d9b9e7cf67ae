import Testing
@testable import SandboxPolicy

/// `top`: `ps` output cut to a container's processes.
struct ProcessTableTests {
    @Test func processTable() throws {
        let output = """
            UID          PID    PPID  C STIME TTY          TIME CMD
            root           1       0  0 10:00 ?        00:00:01 /sbin/init
            100000      4242    4241  0 10:01 ?        00:00:00 sh -c sleep 100
            100000      4243    4242  0 10:01 ?        00:00:00 sleep 100

            """
        let table = try ProcessTable(psOutput: output, pids: [4242, 4243])
        #expect(table.titles == ["UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"])
        #expect(table.rows == [["100000", "4242", "4241", "0", "10:01", "?", "00:00:00", "sh -c sleep 100"],
                               ["100000", "4243", "4242", "0", "10:01", "?", "00:00:00", "sleep 100"]])
        #expect(table.lines.count == 3)
        // Threads (ps m) follow the process they belong to.
        let threads = "PID TTY TIME CMD\n4242 ? 00:00:00 sh\n- - 00:00:00 -\n7 ? 00:00:00 other\n- - 00:00:00 -\n"
        #expect(try ProcessTable(psOutput: threads, pids: [4242]).rows.count == 2)
        #expect(throws: SandboxError.self) { try ProcessTable(psOutput: "USER COMMAND\nroot init\n", pids: [1]) }
    }
}
