import CSandbox
import SandboxPolicy

extension ProcessScheduling {
    /// What the child sets of them, as `sbx_process_attributes`.
    var attributes: sbx_process_attributes {
        var attributes = sbx_process_attributes()
        attributes.io_priority = ioPriority?.value ?? -1
        if let scheduler {
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
