import SandboxOCI

/// `linux.resources` but its device rules: read as runc 1.1 reads them (0 is unset; -1 unlimited for
/// memory and pids), checked where the kernel would refuse a value after the cgroup is made.
extension OCIMapping {
    mutating func resources() throws -> ResourceLimits {
        var limits = ResourceLimits()
        guard let resources = linux.resources else { return limits }
        if let memory = resources.memory { try self.memory(memory, into: &limits) }
        if let cpu = resources.cpu { try self.cpu(cpu, into: &limits) }
        if let pids = resources.pids, pids.limit > 0 { limits.pidsLimit = pids.limit }
        if let blockIO = resources.blockIO { try self.blockIO(blockIO, into: &limits) }
        for (index, hugepage) in (resources.hugepageLimits ?? []).enumerated() {
            guard Self.isPageSize(hugepage.pageSize) else {
                throw error("linux.resources.hugepageLimits[\(index)].pageSize", "\"\(hugepage.pageSize)\" is not a page size such as 2MB")
            }
            limits.hugepageLimits.append(hugepage)
        }
        if let network = resources.network {
            limits.networkClassID = network.classID
            limits.networkPriorities = network.priorities ?? []
        }
        for (device, rdma) in (resources.rdma ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard rdma.hcaHandles != nil || rdma.hcaObjects != nil else {
                throw error("linux.resources.rdma" + Self.key(device), "needs hcaHandles or hcaObjects")
            }
            limits.rdma.append(ResourceLimits.RDMALimit(device: device, handles: rdma.hcaHandles, objects: rdma.hcaObjects))
        }
        for file in (resources.unified ?? [:]).keys.sorted() {
            guard !file.isEmpty, !file.contains("/"), file != ".", file != ".." else {
                throw error("linux.resources.unified" + Self.key(file), "not the name of a cgroup file")
            }
        }
        limits.unified = resources.unified ?? [:]
        return limits
    }

    private mutating func memory(_ memory: OCI.Resources.Memory, into limits: inout ResourceLimits) throws {
        let field = "linux.resources.memory"
        func bytes(_ value: Int64?, _ name: String) throws -> Int64? {
            guard let value, value != 0 else { return nil }
            guard value >= -1 else { throw error("\(field).\(name)", "\(value) is neither a size nor -1 (unlimited)") }
            return value
        }
        limits.memory = try bytes(memory.limit, "limit")
        limits.memoryReservation = try bytes(memory.reservation, "reservation")
        if let swap = try bytes(memory.swap, "swap") {
            // runc's rules (ConvertMemorySwapToCgroupV2Value), which v1's kernel enforces too.
            guard swap == -1 || (limits.memory ?? -1) != -1 else { throw error("\(field).swap", "needs memory.limit") }
            if let memory = limits.memory, swap != -1, swap < memory {
                throw error("\(field).swap", "\(swap) is less than memory.limit, \(memory): it counts memory and swap together")
            }
            limits.memorySwap = swap
            limits.memorySwapGiven = true
        } else if limits.memory == -1 {
            // As runc: unlimited memory is unlimited swap too, where the kernel accounts for swap.
            limits.memorySwap = -1
        }
        if memory.kernel != nil || memory.kernelTCP != nil {
            // The kernel dropped these limits in 5.16; runc 1.1 ignores them the same way.
            warn("\(field).\(memory.kernel != nil ? "kernel" : "kernelTCP")", "kernel memory limits are not supported by Linux 5.16 and later; ignored")
        }
        // Docker's -1 (as an unsigned number) is "unset".
        if let swappiness = memory.swappiness, swappiness != UInt64.max {
            guard swappiness <= 100 else { throw error("\(field).swappiness", "\(swappiness) is outside 0 to 100") }
            limits.memorySwappiness = swappiness
        }
        limits.disableOOMKiller = memory.disableOOMKiller ?? false
    }

    private func cpu(_ cpu: OCI.Resources.CPU, into limits: inout ResourceLimits) throws {
        let field = "linux.resources.cpu"
        if let shares = cpu.shares, shares != 0 {
            // As the v1 kernel does, and Docker: a value outside its range goes to the nearest end.
            let range = ResourceLimits.cpuSharesRange
            limits.cpuShares = Int64(min(max(shares, UInt64(range.lowerBound)), UInt64(range.upperBound)))
        }
        if let quota = cpu.quota, quota != 0 {
            guard quota == -1 || quota >= 1000 else { throw error("\(field).quota", "\(quota) is less than 1000 (1 ms) and not -1 (unlimited)") }
            limits.cpuQuota = quota
        }
        if let period = cpu.period, period != 0 {
            guard (1000...1_000_000).contains(period) else { throw error("\(field).period", "\(period) is outside 1000 to 1000000 (1 ms to 1 s)") }
            limits.cpuPeriod = Int64(period)
        }
        if let burst = cpu.burst, burst != 0 { limits.cpuBurst = burst }
        if let runtime = cpu.realtimeRuntime, runtime != 0 { throw error("\(field).realtimeRuntime", "not supported") }
        if let period = cpu.realtimePeriod, period != 0 { throw error("\(field).realtimePeriod", "not supported") }
        limits.cpusetCpus = try cpuList(cpu.cpus, field: "\(field).cpus")
        limits.cpusetMems = try cpuList(cpu.mems, field: "\(field).mems")
        if let idle = cpu.idle {
            guard idle == 0 || idle == 1 else { throw error("\(field).idle", "\(idle) is neither 0 nor 1") }
            limits.cpuIdle = idle
        }
    }

    private func cpuList(_ text: String?, field: String) throws -> CPUList? {
        guard let text, !text.isEmpty else { return nil }
        do { return try CPUList(parsing: text) } catch let failure as SandboxError { throw error(field, failure.message) }
    }

    private func blockIO(_ blockIO: OCI.Resources.BlockIO, into limits: inout ResourceLimits) throws {
        let field = "linux.resources.blockIO"
        func weight(_ value: UInt16?, _ name: String) throws -> UInt16? {
            guard let value, value != 0 else { return nil }
            guard (10...1000).contains(value) else { throw error("\(field).\(name)", "\(value) is outside 10 to 1000") }
            return value
        }
        func device(_ major: Int64, _ minor: Int64, _ name: String) throws -> (UInt32, UInt32) {
            guard let major = UInt32(exactly: major) else { throw error("\(name).major", "\(major) is not a device number") }
            guard let minor = UInt32(exactly: minor) else { throw error("\(name).minor", "\(minor) is not a device number") }
            return (major, minor)
        }
        limits.blockIOWeight = try weight(blockIO.weight, "weight")
        // Leaf weights went with the CFQ scheduler in Linux 5.0.
        if let leaf = blockIO.leafWeight, leaf != 0 { throw error("\(field).leafWeight", "not supported by Linux 5.0 and later") }
        for (index, entry) in (blockIO.weightDevice ?? []).enumerated() {
            let name = "\(field).weightDevice[\(index)]"
            if let leaf = entry.leafWeight, leaf != 0 { throw error(name + ".leafWeight", "not supported by Linux 5.0 and later") }
            guard let value = try weight(entry.weight, "weightDevice[\(index)].weight") else { continue }
            let (major, minor) = try device(entry.major, entry.minor, name)
            limits.blockIODeviceWeights.append(.init(major: major, minor: minor, weight: value))
        }
        let throttles: [(String, [OCI.Resources.BlockIO.ThrottleDevice]?, ResourceLimits.DeviceThrottle.Kind)] = [
            ("throttleReadBpsDevice", blockIO.throttleReadBpsDevice, .readBytes),
            ("throttleWriteBpsDevice", blockIO.throttleWriteBpsDevice, .writeBytes),
            ("throttleReadIOPSDevice", blockIO.throttleReadIOPSDevice, .readOperations),
            ("throttleWriteIOPSDevice", blockIO.throttleWriteIOPSDevice, .writeOperations),
        ]
        for (name, list, kind) in throttles {
            for (index, entry) in (list ?? []).enumerated() {
                let entryField = "\(field).\(name)[\(index)]"
                guard let rate = entry.rate else { throw error(entryField + ".rate", "missing") }
                let (major, minor) = try device(entry.major, entry.minor, entryField)
                limits.blockIOThrottles.append(.init(kind, major: major, minor: minor, rate: rate))
            }
        }
    }

    /// `<size><unit>B` as the kernel names its hugetlb files: `64KB`, `2MB`, `1GB`.
    static func isPageSize(_ text: String) -> Bool {
        guard text.hasSuffix("B"), let unit = text.dropLast().last, "KMGT".contains(unit) else { return false }
        let number = text.dropLast(2)
        return !number.isEmpty && number.allSatisfy { $0.isASCII && $0.isNumber }
    }
}
