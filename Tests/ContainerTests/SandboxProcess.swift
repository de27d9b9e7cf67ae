import Foundation
import Testing

/// The built `sandbox` binary, run as a user would run it, and what it printed.
struct SandboxProcess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// stdout without its last newline, the usual thing to compare.
        var output: String { stdout.hasSuffix("\n") ? String(stdout.dropLast()) : stdout }
    }

    /// The binary under test: `SANDBOX_TEST_BINARY`, which `make test` sets to the static release build (the
    /// binary users run), else the debug build beside the test bundle (`swift test`).
    static let binary: String = {
        if let path = ProcessInfo.processInfo.environment["SANDBOX_TEST_BINARY"], !path.isEmpty {
            precondition(FileManager.default.isExecutableFile(atPath: path), "SANDBOX_TEST_BINARY=\(path) is not an executable: run make build")
            return URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        }
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("sandbox").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        fatalError("sandbox is not built beside \(bundle.path)")
    }()

    /// The options that show the binary's directory on /mnt, and the binary's path there, for a container that
    /// runs it: the default root mounts a fresh tmpfs over /tmp, which hides a checkout there.
    static let mountedBinary = (options: ["-v", "\((binary as NSString).deletingLastPathComponent):/mnt:ro"],
                                path: "/mnt/" + (binary as NSString).lastPathComponent)

    /// The busybox image `make rootfs` builds.
    static let rootfs: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let path = ProcessInfo.processInfo.environment["SANDBOX_TEST_ROOTFS"] ?? root.appendingPathComponent(".rootfs/busybox").path
        precondition(FileManager.default.fileExists(atPath: path + "/bin/busybox"), "no image at \(path): run make rootfs")
        return path
    }()

    /// Runs `sandbox ARGUMENTS` to the end, optionally as another user (through setpriv, with `environment`).
    static func run(_ arguments: [String], asUser user: (uid: UInt32, gid: UInt32)? = nil, input: String? = nil,
                    environment: [String: String]? = nil, timeout: Double = 120, binary: String = SandboxProcess.binary) throws -> Result {
        guard let user else { return try execute(binary, arguments, input: input, timeout: timeout) }
        return try execute("/usr/bin/setpriv", ["--reuid=\(user.uid)", "--regid=\(user.gid)", "--clear-groups", binary] + arguments,
                           environment: environment ?? ["PATH": "/usr/bin:/bin"], input: input, timeout: timeout)
    }

    /// Runs a program to the end, with the caller's environment unless given one. After `timeout` seconds it is
    /// killed: a hang fails the test instead of stopping the suite. Its output goes to files, not pipes: a
    /// container `create` leaves behind holds its streams, and a pipe would not end before it does.
    static func execute(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: String? = nil,
                        timeout: Double = 120) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdout = try OutputFile(), stderr = try OutputFile(), stdin = Pipe()
        process.standardOutput = stdout.handle
        process.standardError = stderr.handle
        process.standardInput = input == nil ? FileHandle.nullDevice : stdin
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        if let input {
            stdin.fileHandleForWriting.write(Data(input.utf8))
            try stdin.fileHandleForWriting.close()
        }
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: try stdout.text(), stderr: try stderr.text())
    }

    /// An unlinked temporary file a child writes to and the test reads back.
    struct OutputFile {
        let handle: FileHandle

        init() throws {
            var template = Array("/tmp/sandbox-test-output.XXXXXX".utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else { throw POSIXError(.EIO) }
            template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
            handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        }

        func text() throws -> String {
            try handle.seek(toOffset: 0)
            return String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        }
    }

    /// `sandbox run --rootfs IMAGE OPTIONS -- sh -c SCRIPT`, expected to succeed.
    static func shell(_ script: String, options: [String] = [], image: Bool = true) throws -> String {
        let result = try run(["run"] + (image ? ["--rootfs", rootfs] : []) + options + ["--", "sh", "-c", script])
        #expect(result.status == 0, "sandbox failed: \(result.stderr)")
        return result.output
    }
}

/// Facts of the host the tests compare against.
enum Host {
    static func namespace(_ name: String) throws -> String {
        try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/ns/\(name)")
    }

    /// The first id of user sandbox's range, read from the file as sandbox reads it (never assumed to be 100000).
    static func remapStart(_ file: String = "/etc/subuid") throws -> UInt32 {
        _ = try SandboxProcess.run(["run", "true"]) // creates the user and its range on a fresh machine
        let line = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").first { $0.hasPrefix("sandbox:") }
        return try #require(line.flatMap { UInt32($0.split(separator: ":")[1]) })
    }

    static func mountCount() throws -> Int {
        try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8).split(separator: "\n").count
    }

    /// Processes whose executable is the sandbox binary: the same file, whatever mount it is run from (sandbox
    /// runs from a read-only bind mount of itself, whose path reads as `/`).
    static func sandboxProcesses() -> Int {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        let binary = fileIdentity(SandboxProcess.binary)
        return entries.filter { Int($0) != nil }.filter { binary != nil && fileIdentity("/proc/\($0)/exe") == binary }.count
    }

    /// A file's device and inode, through symlinks (and /proc's links to executables).
    static func fileIdentity(_ path: String) -> [UInt64]? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return [UInt64(status.st_dev), UInt64(status.st_ino)]
    }

    /// Whether the file at path (through links) is on a read-only mount.
    static func isOnReadOnlyMount(_ path: String) -> Bool {
        var filesystem = statvfs()
        return statvfs(path, &filesystem) == 0 && filesystem.f_flag & UInt(ST_RDONLY) != 0
    }

    static func stateDirectories() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/run/sandbox")) ?? []).filter { !$0.hasPrefix(".") }
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(path, 0o777)
        return path
    }
}

/// All container tests run one at a time: some count the host's mounts and processes, which a container
/// starting beside them would change.
@Suite(.serialized) struct ContainerTests {}
