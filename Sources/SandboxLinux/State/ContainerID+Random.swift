import CSandbox
import SandboxPolicy

extension ContainerID {
    /// 32 bytes from the kernel's random source.
    public static func random() -> ContainerID {
        var bytes = [UInt8](repeating: 0, count: 32)
        _ = bytes.withUnsafeMutableBytes { sbx_random($0.baseAddress, $0.count) }
        return ContainerID(randomFrom: bytes)
    }
}
