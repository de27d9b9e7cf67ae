import Glibc

/// Times as the state store and `state` write them: RFC 3339 in UTC with nanoseconds, as runc's Go does.
public enum Timestamp {
    public static func now() -> String {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return format(seconds: time.tv_sec, nanoseconds: time.tv_nsec)
    }

    static func format(seconds: Int, nanoseconds: Int) -> String {
        var seconds = seconds
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var buffer = [CChar](repeating: 0, count: 32)
        let length = strftime(&buffer, buffer.count, "%Y-%m-%dT%H:%M:%S", &parts)
        let date = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let fraction = String(nanoseconds)
        return date + "." + String(repeating: "0", count: 9 - fraction.count) + fraction + "Z"
    }
}
