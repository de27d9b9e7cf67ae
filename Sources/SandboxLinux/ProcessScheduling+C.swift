import CSandbox
import SandboxPolicy

extension ProcessScheduling {
    /// What the child sets of them, as `sbx_process_attributes`.
    var attributes: sbx_process_attributes {
        var attributes = sbx_process_attributes()
        attributes.io_priority = ioPriority?.value ?? -1
        return attributes
    }
}
