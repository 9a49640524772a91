import CLinuxIO
import Glibc

/// Core dumps of the kiosk: never. A watchdog kill (SIGABRT) or a crash would otherwise write the device key, the
/// record key and whatever resident was on screen into a core file, which outlives the process on the disk.
public enum CoreDumps {
    /// Forbids them for this process (RLIMIT_CORE 0, not dumpable); call before any key is loaded.
    public static func forbid() throws(SystemCallError) {
        guard kiosk_forbid_core_dumps() == 0 else { throw SystemCallError(call: "prctl(PR_SET_DUMPABLE)", code: errno) }
    }
}
