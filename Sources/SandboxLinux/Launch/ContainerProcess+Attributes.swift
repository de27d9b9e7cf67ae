import CSandbox
import SandboxPolicy

extension ContainerProcess {
    /// How the child has the kernel schedule and run it, as `sbx_process_attributes`.
    var attributes: sbx_process_attributes {
        var attributes = sbx_process_attributes()
        attributes.io_priority = scheduling?.ioPriority?.value ?? -1
        attributes.personality = personality.map { Int32(bitPattern: $0) } ?? -1
        if let scheduler = scheduling?.scheduler {
            attributes.scheduler.set = true
            attributes.scheduler.policy = scheduler.policy
            attributes.scheduler.flags = scheduler.flags
            attributes.scheduler.nice = scheduler.nice
            attributes.scheduler.priority = scheduler.priority
            attributes.scheduler.runtime = scheduler.runtime
            attributes.scheduler.deadline = scheduler.deadline
            attributes.scheduler.period = scheduler.period
        }
        return attributes
    }
}

extension CPUList {
    /// As cpu_set_t holds it: bit N of byte N/8 for CPU N, up to the CPUs a process can be given.
    var mask: [UInt8] {
        var mask = [UInt8](repeating: 0, count: ProcessScheduling.CPUAffinity.cpuLimit / 8)
        for range in ranges {
            for cpu in range where cpu < ProcessScheduling.CPUAffinity.cpuLimit { mask[cpu / 8] |= 1 << (cpu % 8) }
        }
        return mask
    }
}
