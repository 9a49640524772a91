import Glibc

/// Core dumps off for this process: a dump of the kiosk would hold the record key and the device key (and any
/// resident in a session) in the clear, readable by whoever takes the disk or the dump. The unit says the same
/// (`LimitCORE=0`); this holds for a `kiosk run` started any other way too. The watchdog's SIGABRT then leaves a
/// journal line, not a core.
public enum CoreDumps {
    /// Sets the soft and the hard core-size limit to 0, so no child can raise it again either.
    public static func forbid() throws(SystemCallError) {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        guard setrlimit(__rlimit_resource_t(RLIMIT_CORE.rawValue), &none) == 0 else {
            throw SystemCallError(call: "setrlimit(RLIMIT_CORE)", code: errno)
        }
    }
}
