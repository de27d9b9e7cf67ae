extension Signal {
    /// Its name as Docker prints one (Config.StopSignal): "SIGTERM"; a real-time signal as "SIGRTMIN+N"; the
    /// number for one without a name. Of two names for one signal (IOT and ABRT, POLL and IO), the usual one.
    public var name: String {
        let aliases: Set = ["IOT", "POLL"]
        if let name = Self.names.first(where: { $0.value == number && !aliases.contains($0.key) })?.key { return "SIG" + name }
        if Self.realTime.contains(number) { return "SIGRTMIN+\(number - Self.realTime.lowerBound)" }
        return String(number)
    }
}
