/// The filters `seccomp test` and `seccomp trace` load: every decision they watch becomes a notification
/// sandbox answers.
extension SeccompFilter {
    /// The same filter, but what it would deny (errno, kill, trap) is sent to sandbox instead, which answers
    /// with the profile's own result: the program runs as under the profile, and each denial is seen.
    public func notifyingDenials() -> SeccompFilter {
        var filter = self
        if filter.defaultDecision.denies { filter.defaultDecision = .notify }
        filter.rules = rules.map { rule in
            var rule = rule
            if rule.decision.denies { rule.decision = .notify }
            return rule
        }.filter { $0.decision != filter.defaultDecision }
        return filter
    }

    /// Every syscall sent to sandbox, which lets it run and records it.
    public static func notifyingEverything(architectures: [String]) -> SeccompFilter {
        SeccompFilter(defaultDecision: .notify, architectures: architectures, rules: [], flags: [])
    }

    /// The child sends the listener to sandbox with sendmsg on its report channel, after the filter is
    /// loaded: that one call must pass, or the child would wait for an answer only the listener can give.
    public func lettingThroughSendmsg(on fd: Int32) -> SeccompFilter {
        var filter = self
        // libseccomp refuses a rule with the default's action; an allowing default lets it through anyway.
        guard defaultDecision != .allow else { return filter }
        filter.rules.insert(Rule(syscall: "sendmsg", decision: .allow,
                                 conditions: [Condition(index: 0, op: .equal, value: UInt64(fd), valueTwo: 0)]), at: 0)
        return filter
    }

    init(defaultDecision: Decision, architectures: [String], rules: [Rule], flags: [String]) {
        self.defaultDecision = defaultDecision
        self.architectures = architectures
        self.rules = rules
        self.flags = flags
    }
}
