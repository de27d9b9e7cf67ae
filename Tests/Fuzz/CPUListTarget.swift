import SandboxLinux
import SandboxPolicy

extension FuzzTarget {
    /// `--cpuset-cpus`, and what the kernel's online files say: a list prints as one that parses back to it.
    static let cpuList = FuzzTarget(name: "cpu-list") { bytes in
        let list = try CPUList(parsing: FuzzInput.text(bytes))
        _ = list.count
        _ = list.isSubset(of: CPUList(ranges: [0...1]))
        guard list.isEmpty || (try? CPUList(parsing: list.description)) == list else {
            fatalError("cpu-list: \(list.ranges) prints as \"\(list.description)\", which does not parse back to it")
        }
    }
}
