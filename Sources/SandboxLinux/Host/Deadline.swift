import Glibc

/// A moment on CLOCK_MONOTONIC by which a wait must end: every wait on a process the container can reach has
/// one, so that the container cannot make sandbox wait for ever.
struct Deadline {
    /// CLOCK_MONOTONIC, in nanoseconds.
    let nanoseconds: Int64

    init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    /// `milliseconds` from now.
    init(milliseconds: Int) {
        nanoseconds = Self.now() + Int64(milliseconds) * 1_000_000
    }

    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }

    var hasPassed: Bool { Self.now() >= nanoseconds }

    /// What is left, for poll: rounded up, so that a wait is never cut short; 0 once passed.
    var remainingMilliseconds: Int32 { Self.milliseconds(nanoseconds - Self.now()) }

    /// For poll: rounded up, and at most Int32's.
    static func milliseconds(_ nanoseconds: Int64) -> Int32 {
        Int32(min((max(nanoseconds, 0) + 999_999) / 1_000_000, Int64(Int32.max)))
    }
}
