import CSandbox
import Glibc
import SandboxPolicy

/// The flat C configuration exec's children run from (`sbx_exec_config`), with the memory it points into.
final class ExecConfiguration {
    private(set) var raw = sbx_exec_config()
    private let arena = CArena()

    /// - Parameters:
    ///   - seccomp: the container's program; nil: unconfined.
    ///   - detach: the process outlives sandbox.
    init(process: ContainerProcess, container: RunningContainer, seccomp: SeccompProgram?,
         streams: ChildConfiguration.Streams, detach: Bool) {
        raw.pidfd = container.pidfd
        raw.namespaces = container.namespaces.reduce(0) { $0 | $1.cloneFlag }
        raw.setgroups_allowed = container.userNamespace?.writer != .caller
        raw.attributes = process.attributes
        if let affinity = process.scheduling?.execCPUAffinity {
            raw.initial_cpus = affinity.initial.map { UnsafePointer(arena.array($0.mask)) }
            raw.final_cpus = affinity.final.map { UnsafePointer(arena.array($0.mask)) }
            raw.cpu_mask_size = ProcessScheduling.CPUAffinity.cpuLimit / 8
        }
        let sets = process.capabilities
        raw.capabilities = sbx_capabilities(
            last: Int32(process.lastCapability), bounding: sets.bounding.rawValue, permitted: sets.permitted.rawValue,
            effective: sets.effective.rawValue, inheritable: sets.inheritable.rawValue, ambient: sets.ambient.rawValue)
        raw.user = sbx_user(uid: process.user.uid, gid: process.user.gid,
                            groups: UnsafePointer(arena.array(process.user.supplementaryGroups)),
                            group_count: process.user.supplementaryGroups.count)
        raw.no_new_privs = process.noNewPrivileges
        raw.new_keyring = process.newKeyring
        if let seccomp {
            raw.seccomp = sbx_seccomp_program(filter: UnsafeRawPointer(arena.array(seccomp.instructions)),
                                              length: UInt16(seccomp.instructions.count), flags: seccomp.flags, listener: false)
        }
        raw.umask = process.umask.map { Int32($0) } ?? -1
        raw.workdir = arena.string(process.cwd)
        raw.search_path = arena.string(process.searchPath)
        raw.argv = UnsafePointer(arena.array(process.args.map { Optional(arena.mutableString($0)) } + [nil]))
        raw.envp = UnsafePointer(arena.array(process.environment.map { Optional(arena.mutableString($0)) } + [nil]))
        raw.preserve_fds = streams.preserved
        raw.stdin_fd = streams.stdin
        raw.stdout_fd = streams.stdout
        raw.stderr_fd = streams.stderr
        raw.controlling_tty = streams.controllingTerminal
        raw.detach = detach
    }
}
