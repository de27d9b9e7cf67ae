import Foundation
import Testing

extension ContainerTests {
    /// A detached container's json-file log is bounded on disk, by default as Docker's `local` driver bounds
    /// its own (5 files of 20 MiB), and by `--log-opt`; it goes with the container.
    @Suite struct Logs {
        /// The log's files, the current one first, and their sizes.
        static func files(_ log: String) -> [(path: String, size: Int)] {
            ([log] + (1...9).map { log + ".\($0)" }).compactMap { path in
                ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int).map { (path, $0) }
            }
        }

        /// Runs `sh -c SCRIPT` detached to its end; its log's path.
        static func flood(_ script: String, options: [String] = []) throws -> (name: String, log: String) {
            let name = Control.name()
            let id = try Control.start(name, options, ["sh", "-c", script])
            let waited = try SandboxProcess.run(["wait", name], timeout: 120)
            #expect(waited.output == "0", "\(waited.stderr)")
            return (name, Control.logPath(id: id))
        }

        /// 4 MiB of `y` lines are 2 Mi entries, some 130 MB of JSON: the log keeps the last 100 MiB of them.
        @Test func aFloodStaysUnderTheDefaultCap() throws {
            let (name, log) = try Self.flood("yes | head -c 4194304")
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let files = Self.files(log)
            #expect(files.map(\.path) == [log] + (1...4).map { log + ".\($0)" })
            #expect(files.dropFirst().allSatisfy { $0.size <= 20 << 20 && $0.size > 19 << 20 }, "\(files)")
            #expect(files.map(\.size).reduce(0, +) <= 100 << 20)
            let last = try SandboxProcess.run(["logs", "--tail", "1", name])
            #expect(last.stdout == "y\n")
            let inspect = try SandboxProcess.run(["inspect", "-f", "{{.LogPath}}", name])
            #expect(inspect.output == log)
        }

        /// The review's case: 256 KiB of newlines from a container limited to 16 MiB and a tenth of a CPU, with a
        /// 1 MiB max-size: an entry a byte, 18 MB of JSON, of which 5 files of at most 1 MiB are kept, the oldest
        /// going first. `rm` removes them with the container.
        @Test func newlinesWithALimitStayUnderMaxSize() throws {
            let (name, log) = try Self.flood("head -c 262144 /dev/zero | tr '\\0' '\\n'; echo last",
                                             options: ["--memory", "16m", "--cpus", "0.1", "--log-opt", "max-size=1m"])
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            let files = Self.files(log)
            #expect(files.count == 5 && files.allSatisfy { $0.size <= 1 << 20 }, "\(files)")
            let lines = try SandboxProcess.run(["logs", name]).stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count > 5 * (1 << 20) / 80 && lines.count < 262_144, "\(lines.count)")
            #expect(lines.suffix(2) == ["last", ""])
            let record = Control.record(name)
            #expect(try SandboxProcess.run(["rm", name]).status == 0)
            Control.expectGone(name, record)
        }
    }
}
