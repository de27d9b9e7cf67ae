/// A device policy as a cgroup v2 device program (BPF_PROG_TYPE_CGROUP_DEVICE). It is built here, in Swift,
/// so that its instructions are tested without root, as runc tests its devicefilter; only the bpf() calls
/// that load and attach it are C (`sbx_load_device_filter`, `sbx_attach_device_filter`).
///
/// The kernel runs it at each open and mknod of a device node by a task of the cgroup, with r1 pointing at
/// `struct bpf_cgroup_dev_ctx { u32 access_type; u32 major; u32 minor; }`, the device type in the low 16
/// bits of access_type and the access asked for in the high 16. It returns 1 to allow and 0 to deny, which
/// the caller sees as EPERM. As crun's and runc's programs: the fields are loaded into r2-r5, then each
/// allowed rule is a block that jumps to the next block at the first field that does not match, and
/// otherwise returns 1; past the last block, 0.
public struct DeviceFilter: Equatable, Sendable {
    /// One eBPF instruction: the fields of `struct bpf_insn`.
    public struct Instruction: Equatable, Sendable {
        public var code: UInt8
        public var destination: UInt8
        public var source: UInt8
        /// For a jump, the number of instructions skipped after this one.
        public var offset: Int16
        public var immediate: Int32
    }

    public private(set) var instructions: [Instruction]

    /// The registers used: r0 holds the result, r1 the context (then serves as scratch), r2-r5 its fields.
    static let (r0, r1, r2, r3, r4, r5): (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 1, 2, 3, 4, 5)

    /// nil when the policy allows every device: there is nothing to enforce.
    public init?(policy: DevicePolicy) {
        guard !policy.allowsAll else { return nil }
        instructions = [
            .loadWord(Self.r2, from: Self.r1, offset: 0), .and32(Self.r2, 0xffff),  // type
            .loadWord(Self.r3, from: Self.r1, offset: 0), .shiftRight32(Self.r3, 16),  // access
            .loadWord(Self.r4, from: Self.r1, offset: 4),  // major
            .loadWord(Self.r5, from: Self.r1, offset: 8),  // minor
        ]
        for rule in policy.allowed {
            instructions += Self.block(allowing: rule)
        }
        instructions += [.move(Self.r0, 0), .exit]
    }

    /// The kernel's `BPF_DEVCG_DEV_*` value of a rule's type; nil for `a`, which matches both.
    static func deviceType(_ kind: DeviceRule.Kind) -> Int32? {
        switch kind {
        case .all: nil
        case .block: 1
        case .character: 2
        }
    }

    /// Returns 1 when the request matches `rule`; otherwise goes on to the instruction after the block.
    /// A field the rule leaves open (any major, any minor, every access) is not tested.
    static func block(allowing rule: DeviceRule) -> [Instruction] {
        var block: [Instruction] = []
        if let type = deviceType(rule.kind) {
            block.append(.jumpIfNotEqual(r2, type))
        }
        if rule.access != .all {
            // The access asked for must be within the rule's: (access & allowed) == access.
            block += [.move32(r1, from: r3), .and32(r1, Int32(rule.access.rawValue)), .jumpIfNotEqual(r1, register: r3)]
        }
        if let major = rule.major {
            block.append(.jumpIfNotEqual(r4, Int32(bitPattern: major)))
        }
        if let minor = rule.minor {
            block.append(.jumpIfNotEqual(r5, Int32(bitPattern: minor)))
        }
        block += [.move(r0, 1), .exit]
        for index in block.indices where block[index].isConditionalJump {
            block[index].offset = Int16(block.count - index - 1)
        }
        return block
    }

    /// The instructions as the kernel reads an array of `struct bpf_insn`: a byte of opcode, a byte holding
    /// the destination register in its low four bits and the source in its high four, then the offset and
    /// the immediate in the machine's (little-endian) order.
    public var bytes: [UInt8] {
        #if !_endian(little)
        #error("struct bpf_insn is laid out here for little-endian machines only")
        #endif
        var bytes: [UInt8] = []
        bytes.reserveCapacity(instructions.count * 8)
        for instruction in instructions {
            bytes += [instruction.code, instruction.destination | instruction.source << 4]
            withUnsafeBytes(of: instruction.offset.littleEndian) { bytes += $0 }
            withUnsafeBytes(of: instruction.immediate.littleEndian) { bytes += $0 }
        }
        return bytes
    }
}

/// The few instructions the program needs, named as the kernel's BPF_* macros would build them.
extension DeviceFilter.Instruction {
    // Classes, sizes, modes, operations and sources of linux/bpf_common.h and linux/bpf.h.
    static let classLoad: UInt8 = 0x01, classALU32: UInt8 = 0x04, classJump: UInt8 = 0x05
    static let classJump32: UInt8 = 0x06, classALU64: UInt8 = 0x07
    static let sizeWord: UInt8 = 0x00, modeMemory: UInt8 = 0x60
    static let opAnd: UInt8 = 0x50, opShiftRight: UInt8 = 0x70, opMove: UInt8 = 0xb0
    static let opJumpIfNotEqual: UInt8 = 0x50, opExit: UInt8 = 0x90
    static let sourceImmediate: UInt8 = 0x00, sourceRegister: UInt8 = 0x08

    /// dst = *(u32 *)(src + offset)
    static func loadWord(_ destination: UInt8, from source: UInt8, offset: Int16) -> Self {
        Self(code: classLoad | sizeWord | modeMemory, destination: destination, source: source, offset: offset, immediate: 0)
    }

    /// (u32) dst &= immediate
    static func and32(_ destination: UInt8, _ immediate: Int32) -> Self {
        Self(code: classALU32 | opAnd | sourceImmediate, destination: destination, source: 0, offset: 0, immediate: immediate)
    }

    /// (u32) dst >>= immediate
    static func shiftRight32(_ destination: UInt8, _ immediate: Int32) -> Self {
        Self(code: classALU32 | opShiftRight | sourceImmediate, destination: destination, source: 0, offset: 0, immediate: immediate)
    }

    /// (u32) dst = src
    static func move32(_ destination: UInt8, from source: UInt8) -> Self {
        Self(code: classALU32 | opMove | sourceRegister, destination: destination, source: source, offset: 0, immediate: 0)
    }

    /// dst = immediate
    static func move(_ destination: UInt8, _ immediate: Int32) -> Self {
        Self(code: classALU64 | opMove | sourceImmediate, destination: destination, source: 0, offset: 0, immediate: immediate)
    }

    /// if (u32) dst != immediate, skip ahead; the offset is set once the block's length is known. The
    /// comparison is on 32 bits (BPF_JMP32, Linux 5.1), as the fields are: a device number of 2^31 or
    /// more stays itself instead of being sign-extended.
    static func jumpIfNotEqual(_ destination: UInt8, _ immediate: Int32) -> Self {
        Self(code: classJump32 | opJumpIfNotEqual | sourceImmediate, destination: destination, source: 0, offset: 0, immediate: immediate)
    }

    /// if (u32) dst != (u32) src, skip ahead.
    static func jumpIfNotEqual(_ destination: UInt8, register source: UInt8) -> Self {
        Self(code: classJump32 | opJumpIfNotEqual | sourceRegister, destination: destination, source: source, offset: 0, immediate: 0)
    }

    /// return r0
    static let exit = Self(code: classJump | opExit, destination: 0, source: 0, offset: 0, immediate: 0)

    var isConditionalJump: Bool { code & 0x07 == Self.classJump32 }
}
