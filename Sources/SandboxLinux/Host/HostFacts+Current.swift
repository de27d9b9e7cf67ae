import Glibc
import SandboxPolicy

extension HostFacts {
    /// This host, as sandbox sees it now.
    public static func current() throws -> HostFacts {
        HostFacts(nodename: HostFile.kernel().nodename, lastCapability: try lastCapability(), bounding: try bounding(),
                  timeNamespaces: HostFile.exists("/proc/self/ns/time"))
    }

    /// Whether AppArmor and SELinux are on, which only an OCI config's profile and labels ask.
    mutating func readSecurityModules() {
        apparmor = (try? HostFile.read("/sys/module/apparmor/parameters/enabled"))?.hasPrefix("Y") == true
        selinux = HostFile.exists("/sys/fs/selinux/enforce")
    }

    /// The kernel's last capability: every capability it knows can be named.
    static func lastCapability() throws -> Int {
        let text = try HostFile.read("/proc/sys/kernel/cap_last_cap")
        guard let last = Int(HostFile.lines(text).first ?? "") else {
            throw SandboxError("/proc/sys/kernel/cap_last_cap holds \"\(text)\", not a number")
        }
        return last
    }

    /// sandbox's own bounding set, from /proc/self/status.
    static func bounding() throws -> CapabilityMask {
        let status = try HostFile.read("/proc/self/status")
        guard let line = HostFile.lines(status).first(where: { $0.hasPrefix("CapBnd:") }),
              let mask = UInt64(line.dropFirst(7).drop { $0 == "\t" || $0 == " " }, radix: 16) else {
            throw SandboxError("/proc/self/status has no CapBnd line")
        }
        return CapabilityMask(rawValue: mask)
    }
}
