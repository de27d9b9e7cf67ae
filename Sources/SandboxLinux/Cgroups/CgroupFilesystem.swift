import CSandbox
import Glibc
import SandboxPolicy

/// Every effect the cgroup code has on the host, behind one seam: the host's cgroup filesystems, or a
/// directory tree a test builds, so that the v2 layout and the order of writes are tested on a host without v2.
public protocol CgroupFilesystem {
    func read(_ path: String) throws -> String
    func write(_ value: String, to path: String) throws
    /// Each value in a write(2) of its own, in order: the v1 devices controller takes one rule a write.
    func write(each values: [String], to path: String) throws
    /// 0, or the errno: callers act on EEXIST.
    func makeDirectory(_ path: String) -> Int32
    /// 0, or the errno: callers act on EBUSY and ENOENT.
    func removeDirectory(_ path: String) -> Int32
    func exists(_ path: String) -> Bool
    /// The names of the directories in `path` (child cgroups); none when it is missing.
    func directories(in path: String) -> [String]
    /// `signal` to every process listed in the directories' cgroup.procs but `sparing`, each through a pidfd:
    /// never to a pid read from the file and reused since. What forks meanwhile is not reached: a caller that
    /// must empty a cgroup writes cgroup.kill where there is one, and tries again.
    func signal(_ signal: Int32, processesIn directories: [String], sparing: Int32?)
    /// A short wait between attempts to remove a cgroup the kernel still holds.
    func pause()
    /// Loads `filter` and attaches it to the v2 cgroup at `directory`, which keeps it until it is removed.
    func attachDeviceFilter(_ filter: DeviceFilter, to directory: String) throws
}

extension CgroupFilesystem {
    public func write(each values: [String], to path: String) throws {
        for value in values { try write(value, to: path) }
    }

    /// A file holding one value; nil when the file is missing or unreadable.
    func value(_ path: String) -> String? {
        guard let text = try? read(path) else { return nil }
        return text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    /// The pids in a cgroup.procs file, which is empty once every task has left.
    func tasks(_ directory: String) -> [Int32] {
        ((try? read(directory + "/cgroup.procs")) ?? "").split(whereSeparator: \.isWhitespace).compactMap { Int32($0) }
    }
}

/// The host's cgroup filesystems, through plain system calls.
public struct HostCgroupFilesystem: CgroupFilesystem {
    public init() {}

    public func read(_ path: String) throws -> String { try HostFile.read(path) }

    /// One write(2): the kernel parses each write to a control file as one value.
    public func write(_ value: String, to path: String) throws { try HostFile.write(value, to: path) }

    /// Through one open: a start writes a dozen device rules, and each open of a cgroup file is a path walk
    /// that waits on the cgroup filesystem's lock while other containers' cgroups are made or removed.
    public func write(each values: [String], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SandboxError("open \(path)", errno: errno) }
        defer { close(fd) }
        for value in values {
            let bytes = Array(value.utf8)
            let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard written == bytes.count else {
                throw SandboxError("write \"\(value)\" to \(path)", errno: written < 0 ? errno : EIO)
            }
        }
    }

    public func makeDirectory(_ path: String) -> Int32 { mkdir(path, 0o755) == 0 ? 0 : errno }

    public func removeDirectory(_ path: String) -> Int32 { rmdir(path) == 0 ? 0 : errno }

    public func exists(_ path: String) -> Bool { HostFile.exists(path) }

    public func directories(in path: String) -> [String] { HostFile.entries(of: path, directoriesOnly: true) }

    /// A pid read from cgroup.procs may be freed and reused before it is signalled; a pidfd opened on it is
    /// signalled only if the pid is listed still once the pidfd is open. That makes it the listed process:
    /// alive when signalled, its process was alive at the second listing too, and a living process keeps its pid.
    public func signal(_ signal: Int32, processesIn directories: [String], sparing: Int32?) {
        func listed() -> Set<Int32> {
            directories.reduce(into: Set<Int32>()) { $0.formUnion(tasks($1)) }.subtracting(sparing.map { [$0] } ?? [])
        }
        let opened = listed().compactMap { pid -> (pid: Int32, pidfd: Int32)? in
            let pidfd = sbx_pidfd_open(pid)
            return pidfd >= 0 ? (pid, pidfd) : nil
        }
        let still = listed()
        for (pid, pidfd) in opened {
            if still.contains(pid) { _ = sbx_pidfd_signal(pidfd, signal) }
            close(pidfd)
        }
    }

    public func pause() { usleep(10_000) }

    public func attachDeviceFilter(_ filter: DeviceFilter, to directory: String) throws {
        var log = [UInt8](repeating: 0, count: 64 * 1024)
        let program = filter.bytes.withUnsafeBytes { instructions in
            log.withUnsafeMutableBufferPointer { sbx_load_device_filter(instructions.baseAddress, filter.instructions.count, $0.baseAddress, $0.count) }
        }
        guard program >= 0 else {
            // The verifier's log, on one line: the error is one line.
            let text = String(decoding: log.prefix { $0 != 0 }, as: UTF8.self)
            let verifier = text.split(whereSeparator: \.isNewline).joined(separator: "; ")
            throw SandboxError("load the cgroup device program", errno: -program,
                               hint: verifier.isEmpty ? bpfHint(-program) : "verifier: " + verifier)
        }
        defer { close(program) }
        let result = sbx_attach_device_filter(program, directory)
        guard result == 0 else {
            throw SandboxError("attach the device program to \(directory)", errno: -result, hint: bpfHint(-result))
        }
    }

    private func bpfHint(_ code: Int32) -> String? {
        code == EPERM ? "a cgroup device program needs root in the host's user namespace (CAP_SYS_ADMIN or CAP_BPF)" : nil
    }
}
