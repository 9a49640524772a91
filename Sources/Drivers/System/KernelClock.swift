import CLinuxIO

/// Whether the system clock is synchronized to a time source, as the kernel knows it.
public enum KernelClock {
    /// `adjtimex(2)` read-only: `true` once an NTP client (timesyncd, chrony, ntpd) disciplines the clock, `false`
    /// before, `nil` when the call is refused (inside the hardened unit, `ProtectClock=yes` filters it).
    public static func isSynchronized() -> Bool? {
        switch kiosk_clock_synchronized() {
        case 1: true
        case 0: false
        default: nil
        }
    }
}
