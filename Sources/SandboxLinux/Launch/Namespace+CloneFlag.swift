import CSandbox
import SandboxPolicy

extension Namespace {
    /// Its CLONE_NEW* flag, for clone3 and unshare.
    var cloneFlag: UInt64 {
        switch self {
        case .user: SBX_CLONE_NEWUSER
        case .pid: SBX_CLONE_NEWPID
        case .network: SBX_CLONE_NEWNET
        case .ipc: SBX_CLONE_NEWIPC
        case .uts: SBX_CLONE_NEWUTS
        case .mount: SBX_CLONE_NEWNS
        case .cgroup: SBX_CLONE_NEWCGROUP
        case .time: SBX_CLONE_NEWTIME
        }
    }
}
