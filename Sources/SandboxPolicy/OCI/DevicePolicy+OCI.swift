import SandboxOCI

/// An OCI config's device rules (`linux.resources.devices`), read as runc reads them: applied in order to
/// a list that starts by denying everything, then runc's defaults appended.
extension DevicePolicy {
    public init(allowsAll: Bool, allowed: [DeviceRule]) {
        self.allowsAll = allowsAll
        self.allowed = allowsAll ? [] : allowed
    }

    /// - Throws: for a rule that is not well formed, and for a deny this policy cannot state exactly: one
    ///   after everything was allowed, or one that takes part of an allowance away (`c 1:* rwm` allowed, then
    ///   `c 1:3 w` denied). A deny that covers whole allowances removes them (or some of their access).
    init(oci rules: [OCI.Resources.DeviceRule]) throws {
        var policy = DevicePolicy(allowsAll: false, allowed: [])
        for (index, rule) in rules.enumerated() {
            let path = "linux.resources.devices[\(index)]"
            let parsed = try Self.rule(rule, path: path)
            if parsed.kind == .all {
                // As runc's emulator: `a` allows or denies everything, whatever its numbers and access.
                policy = DevicePolicy(allowsAll: rule.allow, allowed: [])
            } else if rule.allow {
                if !policy.allowsAll && !policy.allowed.contains(parsed) { policy.allowed.append(parsed) }
            } else {
                guard !policy.allowsAll else {
                    throw OCIMapping.error(path, "a deny after every device was allowed is not supported; deny everything, then allow")
                }
                policy.allowed = try policy.allowed.compactMap { allowance in
                    guard allowance.overlaps(parsed) else { return allowance }
                    guard parsed.covers(allowance) else {
                        throw OCIMapping.error(path, "denies part of the allowance \"\(allowance)\", which is not supported; allow less instead")
                    }
                    let left = allowance.access.subtracting(parsed.access)
                    return left.isEmpty ? nil : DeviceRule(allowance.kind, allowance.major, allowance.minor, left)
                }
            }
        }
        if !policy.allowsAll {
            policy.allowed += Self.runtimeDefaults.filter { !policy.allowed.contains($0) }
        }
        self = policy
    }

    private static func rule(_ rule: OCI.Resources.DeviceRule, path: String) throws -> DeviceRule {
        let kind: DeviceRule.Kind
        switch rule.type ?? "a" {
        case "a": kind = .all
        case "c": kind = .character
        case "b": kind = .block
        case let other: throw OCIMapping.error(path + ".type", "unknown device type \"\(other)\" (a, b or c)")
        }
        guard let text = rule.access, !text.isEmpty else { throw OCIMapping.error(path + ".access", "missing") }
        guard let access = DeviceAccess(parsing: text) else {
            throw OCIMapping.error(path + ".access", "\"\(text)\" is not some of r, w and m, each once")
        }
        return DeviceRule(kind, try number(rule.major, path: path + ".major"), try number(rule.minor, path: path + ".minor"), access)
    }

    /// Absent and -1 (runc's wildcard) are any number.
    private static func number(_ value: Int64?, path: String) throws -> UInt32? {
        guard let value, value != -1 else { return nil }
        guard let number = UInt32(exactly: value) else { throw OCIMapping.error(path, "\(value) is not a device number") }
        return number
    }
}

extension DeviceRule {
    /// Whether some device and access is in both rules.
    func overlaps(_ other: DeviceRule) -> Bool {
        kindsMeet(other) && Self.meet(major, other.major) && Self.meet(minor, other.minor) && !access.intersection(other.access).isEmpty
    }

    /// Whether every device of `other` is one of these (whatever the access).
    func covers(_ other: DeviceRule) -> Bool {
        (kind == .all || kind == other.kind) && (major == nil || major == other.major) && (minor == nil || minor == other.minor)
    }

    private func kindsMeet(_ other: DeviceRule) -> Bool {
        kind == .all || other.kind == .all || kind == other.kind
    }

    private static func meet(_ a: UInt32?, _ b: UInt32?) -> Bool {
        a == nil || b == nil || a == b
    }
}
