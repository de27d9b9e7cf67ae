import SandboxOCI
import SandboxPolicy

extension OCI.Features {
    /// What this build of sandbox implements, whatever the host supports.
    public static var sandbox: OCI.Features {
        var features = OCI.Features(ociVersionMin: "1.0.0", ociVersionMax: OCI.version)
        features.hooks = ["prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"]
        features.mountOptions = MountOptions.known
        var linux = Linux()
        linux.namespaces = [.cgroup, .ipc, .mount, .network, .pid, .time, .user, .uts]
        linux.capabilities = Capability.names.map { "CAP_" + $0 }
        var cgroup = Cgroup()
        cgroup.v1 = true
        cgroup.v2 = true
        cgroup.systemd = false
        cgroup.systemdUser = false
        cgroup.rdma = false
        linux.cgroup = cgroup
        var seccomp = Seccomp()
        seccomp.enabled = true
        seccomp.actions = OCI.Seccomp.Action.allCases
        seccomp.operators = OCI.Seccomp.Operator.allCases
        linux.seccomp = seccomp
        linux.apparmor = Support(enabled: false)
        linux.selinux = Support(enabled: false)
        linux.intelRdt = Support(enabled: false)
        linux.mountExtensions = MountExtensions(idmap: Support(enabled: true))
        features.linux = linux
        features.annotations = ["org.opencontainers.runtime.name": "sandbox", "io.github.seccomp.libseccomp.version": SeccompCompiler.libseccompVersion]
        return features
    }
}
