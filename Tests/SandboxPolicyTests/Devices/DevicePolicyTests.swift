import Testing
@testable import SandboxPolicy

/// The device rules as v1 lines and as a v2 device program: one table, two spellings, the same decisions.
struct DevicePolicyTests {
    static let defaults = DevicePolicy(privileged: false, devices: [])
    /// `--device /dev/loop3:/dev/disk:r`.
    static let withLoopReadOnly = DevicePolicy(privileged: false, devices: [DeviceRule(.block, 7, 3, .read)])

    @Test func dockerDefaultsAsV1Lines() {
        #expect(Self.defaults.v1Writes.map { "\($0.controller)/\($0.file)=\($0.value)" } == [
            "devices/devices.deny=a",
            "devices/devices.allow=c *:* m", "devices/devices.allow=b *:* m",
            "devices/devices.allow=c 1:3 rwm", "devices/devices.allow=c 1:5 rwm", "devices/devices.allow=c 1:7 rwm",
            "devices/devices.allow=c 1:8 rwm", "devices/devices.allow=c 1:9 rwm", "devices/devices.allow=c 5:0 rwm",
            "devices/devices.allow=c 5:1 rwm", "devices/devices.allow=c 5:2 rwm", "devices/devices.allow=c 136:* rwm",
            "devices/devices.allow=c 10:200 rwm",
        ])
    }

    @Test func deviceFlagsComeAfterTheDefaults() {
        #expect(Self.withLoopReadOnly.v1Writes.last?.value == "b 7:3 r")
        #expect(Self.withLoopReadOnly.v1Writes.count == Self.defaults.v1Writes.count + 1)
        #expect(DevicePolicy(privileged: false, devices: [DeviceRule(.character, 10, 229, [.write, .read])]).v1Writes.last?.value == "c 10:229 rw")
    }

    /// runc writes `a` to devices.allow for a privileged container; on v2 there is nothing to attach.
    @Test func privilegedAllowsEverything() {
        let privileged = DevicePolicy(privileged: true, devices: [DeviceRule(.block, 7, 3, .read)])
        #expect(privileged.v1Writes == [CgroupWrite(controller: "devices", file: "devices.allow", value: "a")])
        #expect(DeviceFilter(policy: privileged) == nil)
    }

    // MARK: The v2 program's shape

    @Test func programStructure() throws {
        let program = try #require(DeviceFilter(policy: Self.defaults)).instructions
        // The context's fields into r2-r5, first.
        #expect(Array(program.prefix(6)) == [
            .loadWord(2, from: 1, offset: 0), .and32(2, 0xffff), .loadWord(3, from: 1, offset: 0), .shiftRight32(3, 16),
            .loadWord(4, from: 1, offset: 4), .loadWord(5, from: 1, offset: 8),
        ])
        // One block per rule, each ending in "return 1", and "return 0" past the last.
        #expect(Array(program.suffix(2)) == [.move(0, 0), .exit])
        let returns = program.indices.filter { program[$0] == .exit }.map { program[$0 - 1] }
        #expect(returns == Array(repeating: .move(0, 1), count: Self.defaults.allowed.count) + [.move(0, 0)])

        // `c *:* m`: the type and the access are tested, not the numbers.
        #expect(DeviceFilter.block(allowing: DeviceRule(.character, nil, nil, .mknod)) == [
            .jumpIfNotEqual(2, 2).skipping(5), .move32(1, from: 3), .and32(1, 1), .jumpIfNotEqual(1, register: 3).skipping(2),
            .move(0, 1), .exit,
        ])
        // `c 1:3 rwm`: every access is allowed, so it is not tested.
        #expect(DeviceFilter.block(allowing: DeviceRule(.character, 1, 3)) == [
            .jumpIfNotEqual(2, 2).skipping(4), .jumpIfNotEqual(4, 1).skipping(3), .jumpIfNotEqual(5, 3).skipping(2), .move(0, 1), .exit,
        ])
        // `c 136:* rwm` and `b 7:3 r`.
        #expect(DeviceFilter.block(allowing: DeviceRule(.character, 136, nil)) == [
            .jumpIfNotEqual(2, 2).skipping(3), .jumpIfNotEqual(4, 136).skipping(2), .move(0, 1), .exit,
        ])
        #expect(DeviceFilter.block(allowing: DeviceRule(.block, 7, 3, .read)) == [
            .jumpIfNotEqual(2, 1).skipping(7), .move32(1, from: 3), .and32(1, 2), .jumpIfNotEqual(1, register: 3).skipping(4),
            .jumpIfNotEqual(4, 7).skipping(3), .jumpIfNotEqual(5, 3).skipping(2), .move(0, 1), .exit,
        ])
    }

    /// Every jump lands inside the program, forward, on the first instruction of the next block.
    @Test func jumpsLandOnTheNextBlock() throws {
        let program = try #require(DeviceFilter(policy: Self.withLoopReadOnly)).instructions
        for (index, instruction) in program.enumerated() where instruction.isConditionalJump {
            let target = index + 1 + Int(instruction.offset)
            #expect(instruction.offset > 0 && target < program.count)
            #expect(program[target - 1] == .exit, "the jump at \(index) lands mid-block, at \(target)")
        }
    }

    /// struct bpf_insn on a little-endian machine: the destination register in the low nibble.
    @Test func bytesAsTheKernelReadsThem() throws {
        let filter = try #require(DeviceFilter(policy: Self.defaults))
        let bytes = filter.bytes
        #expect(bytes.count == filter.instructions.count * 8)
        // `r2 = *(u32 *)(r1 + 0)` and `w2 &= 0xffff`.
        #expect(Array(bytes.prefix(16)) == [0x61, 0x12, 0, 0, 0, 0, 0, 0, 0x54, 0x02, 0, 0, 0xff, 0xff, 0, 0])
        // `if w4 != 136 goto +2` and `r0 = 1`.
        let jump = try #require(filter.instructions.firstIndex(of: DeviceFilter.Instruction.jumpIfNotEqual(4, 136).skipping(2)))
        #expect(Array(bytes[(jump * 8)..<(jump * 8 + 16)]) == [0x56, 0x04, 2, 0, 136, 0, 0, 0, 0xb7, 0x00, 0, 0, 1, 0, 0, 0])
    }

    // MARK: The v2 program's decisions

    struct Request: CustomTestStringConvertible, Sendable {
        var kind: DeviceRule.Kind
        var major: UInt32
        var minor: UInt32
        var access: DeviceAccess
        var testDescription: String { "\(kind.rawValue) \(major):\(minor) \(access)" }
    }

    static func request(_ kind: DeviceRule.Kind, _ major: UInt32, _ minor: UInt32, _ access: DeviceAccess) -> Request {
        Request(kind: kind, major: major, minor: minor, access: access)
    }

    /// What the kernel would decide with the v1 list: some rule of the right type covers the numbers and
    /// every access asked for.
    static func v1Allows(_ policy: DevicePolicy, _ request: Request) -> Bool {
        policy.allowsAll || policy.allowed.contains { rule in
            (rule.kind == .all || rule.kind == request.kind) && (rule.major ?? request.major) == request.major
                && (rule.minor ?? request.minor) == request.minor && rule.access.isSuperset(of: request.access)
        }
    }

    @Test(arguments: [
        (request(.block, 7, 0, .read), false), (request(.block, 7, 0, .mknod), true), (request(.block, 254, 0, [.read, .write]), false),
        (request(.character, 1, 3, [.read, .write]), true), (request(.character, 1, 9, .read), true),
        (request(.character, 1, 1, .read), false),  // /dev/mem
        (request(.character, 1, 11, .write), false),  // /dev/kmsg
        (request(.character, 5, 2, [.read, .write]), true), (request(.character, 136, 7, .write), true),
        (request(.character, 10, 200, [.read, .write]), true), (request(.character, 10, 229, .read), false),
        (request(.character, 4, 1, .read), false), (request(.character, 1, 3, .mknod), true),
        (request(.block, 7, 3, .read), true), (request(.block, 7, 3, .write), false), (request(.block, 7, 3, [.read, .write]), false),
        (request(.block, 7, 4, .read), false), (request(.character, 7, 3, .read), false),
    ])
    func programDecidesAsTheV1List(request: Request, allowed: Bool) throws {
        let policy = Self.withLoopReadOnly
        #expect(Self.v1Allows(policy, request) == allowed)
        let program = try #require(DeviceFilter(policy: policy))
        #expect(try BPFMachine.run(program, request) == allowed)
    }

    /// Every type, access and a spread of numbers: the program and the list never disagree.
    @Test func programAndListAgreeEverywhere() throws {
        let policy = Self.withLoopReadOnly
        let program = try #require(DeviceFilter(policy: policy))
        for kind in [DeviceRule.Kind.character, .block] {
            for major: UInt32 in [0, 1, 4, 5, 7, 10, 136, 254, 4095, UInt32.max] {
                for minor: UInt32 in [0, 1, 2, 3, 5, 7, 8, 9, 200, 229, 1 << 20, UInt32.max] {
                    for bits in 1...7 {
                        let request = Self.request(kind, major, minor, DeviceAccess(rawValue: UInt32(bits)))
                        #expect(try BPFMachine.run(program, request) == Self.v1Allows(policy, request), "\(request.testDescription)")
                    }
                }
            }
        }
    }
}

extension DeviceFilter.Instruction {
    func skipping(_ count: Int16) -> Self {
        var jump = self
        jump.offset = count
        return jump
    }
}

/// Just enough of an eBPF machine to run a device program: the instructions DeviceFilter emits, with r1
/// pointing at `struct bpf_cgroup_dev_ctx`. Anything else is an error, as it would be a surprise.
enum BPFMachine {
    struct Unknown: Error { var instruction: DeviceFilter.Instruction }

    static func run(_ program: DeviceFilter, _ request: DevicePolicyTests.Request) throws -> Bool {
        let type: UInt32 = request.kind == .block ? 1 : 2
        let context = [request.access.rawValue << 16 | type, request.major, request.minor]
        var registers = [UInt64](repeating: 0, count: 11)
        var contextInR1 = true
        var pc = 0
        while pc < program.instructions.count {
            let instruction = program.instructions[pc]
            let (dst, src) = (Int(instruction.destination), Int(instruction.source))
            let immediate = UInt32(bitPattern: instruction.immediate)
            pc += 1
            switch instruction.code {
            case 0x61:  // dst = *(u32 *)(src + off)
                guard src == 1, contextInR1, instruction.offset % 4 == 0 else { throw Unknown(instruction: instruction) }
                registers[dst] = UInt64(context[Int(instruction.offset) / 4])
            case 0x54: registers[dst] = UInt64(UInt32(truncatingIfNeeded: registers[dst]) & immediate)
            case 0x74: registers[dst] = UInt64(UInt32(truncatingIfNeeded: registers[dst]) >> immediate)
            case 0xbc: registers[dst] = UInt64(UInt32(truncatingIfNeeded: registers[src]))
            case 0xb7: registers[dst] = UInt64(bitPattern: Int64(instruction.immediate))
            case 0x56:
                if UInt32(truncatingIfNeeded: registers[dst]) != immediate { pc += Int(instruction.offset) }
            case 0x5e:
                if UInt32(truncatingIfNeeded: registers[dst]) != UInt32(truncatingIfNeeded: registers[src]) { pc += Int(instruction.offset) }
            case 0x95:
                return registers[0] == 1
            default:
                throw Unknown(instruction: instruction)
            }
            if dst == 1 && instruction.code != 0x56 && instruction.code != 0x5e { contextInR1 = false }
        }
        throw Unknown(instruction: program.instructions.last!)
    }
}
