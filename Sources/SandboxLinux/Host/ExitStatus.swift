/// How a waited-for child ended, as `docker run` and `docker exec` exit for it.
enum ExitStatus {
    /// The code of a wait status (`sbx_wait`'s): the process's own, or 128+N when signal N ended it.
    static func code(_ status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
