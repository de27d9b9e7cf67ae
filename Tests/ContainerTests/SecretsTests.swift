import Foundation
import Testing

extension ContainerTests {
    /// Nothing of a container is readable by the host's other users: not its record (which holds its
    /// environment), not its monitor's configuration or command line, not its log.
    @Suite struct Secrets {
        /// Whatever `user` can read among `paths` (directories searched whole) that holds one of `secrets`, by
        /// grep run as that user: the secrets go on grep's stdin, never on a command line or in an environment
        /// it could find them in.
        static func readable(_ secrets: [String], in paths: [String], as user: (uid: UInt32, gid: UInt32)?) throws -> [String] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            let ids = user.map { ["--reuid=\($0.uid)", "--regid=\($0.gid)", "--clear-groups"] } ?? []
            // The shell expands /proc's globs as that user; -s: what it may not read is not an error; -D skip: no
            // socket or FIFO is opened.
            process.arguments = ids + ["/bin/sh", "-c", "exec grep -rlsF -D skip -f /dev/stdin " + paths.joined(separator: " ")]
            process.environment = ["PATH": "/usr/bin:/bin"]
            let input = Pipe(), output = Pipe()
            process.standardInput = input
            process.standardOutput = output
            try process.run()
            input.fileHandleForWriting.write(Data(secrets.map { $0 + "\n" }.joined().utf8))
            try input.fileHandleForWriting.close()
            let found = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return found.split(separator: "\n").map(String.init)
        }

        /// A detached container with a secret in its environment, which it also prints (so its log holds it), and
        /// an engine's container made from a bundle with another: as `nobody`, neither value is in any file
        /// under the state roots or the log directory, nor in any process's command line or environment it can
        /// read. As root the same search finds both, in the records, the monitor's configuration and the log.
        @Test func aContainersEnvironmentIsReadableByRootAlone() throws {
            let secret = "run-" + UUID().uuidString, engineSecret = "engine-" + UUID().uuidString
            let name = Control.name()
            let id = try Control.start(name, ["-e", "PASSWORD=" + secret], ["sh", "-c", "echo $PASSWORD; exec sleep 1000"])
            defer { _ = try? SandboxProcess.run(["rm", "-f", name]) }
            var bundle = try OCIRuntime.Bundle(args: ["sleep", "1000"])
            defer { bundle.remove() }
            var process = try #require(bundle.config["process"] as? [String: Any])
            process["env"] = ["PATH=/bin", "PASSWORD=" + engineSecret]
            bundle.config["process"] = process
            try bundle.write()
            let created = try bundle.sandbox(["create", "--bundle", bundle.directory, "c1"])
            try #require(created.status == 0, "\(created.stderr)")
            #expect(try bundle.sandbox(["start", "c1"]).status == 0)
            let log = Control.logPath(id: id)
            #expect(Control.wait { (try? String(contentsOfFile: log, encoding: .utf8))?.contains(secret) == true })

            // The files by name too: a directory another user may not list may still let them open a file in it.
            let files = ["/run/sandbox/\(name)/state.json", "/run/sandbox/\(name)/monitor.json", log, bundle.root + "/c1/state.json"]
            let places = ["/run/sandbox", bundle.root, "/var/lib/sandbox", "/proc/[0-9]*/cmdline", "/proc/[0-9]*/environ"] + files
            #expect(try Self.readable([secret, engineSecret], in: places, as: (65534, 65534)) == [])
            let root = try Self.readable([secret, engineSecret], in: places, as: nil)
            #expect(Set(root).isSuperset(of: files), "\(root)")
            for (path, mode) in [("/run/sandbox", 0o700), (bundle.root, 0o700), ("/run/sandbox/\(name)/state.json", 0o600),
                                 ("/run/sandbox/\(name)/monitor.json", 0o600), ((log as NSString).deletingLastPathComponent, 0o700),
                                 (log, 0o600), (bundle.root + "/c1/state.json", 0o600)] {
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                #expect((attributes[.posixPermissions] as? Int).map { $0 & 0o777 } == mode, "\(path)")
            }

            // The views, as another user: refused, as Docker's socket refuses them, with one line.
            let inspect = try SandboxProcess.run(["--root", "/run/sandbox", "inspect", name], asUser: (65534, 65534))
            #expect(inspect.status == 1 && inspect.stdout.isEmpty && !inspect.stderr.contains(secret))
            #expect(inspect.stderr == "sandbox: state root /run/sandbox: Permission denied\n", "\(inspect.stderr)")
        }
    }
}
