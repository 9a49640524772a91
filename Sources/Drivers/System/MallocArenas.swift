import CLinuxIO

/// glibc's malloc gives a thread that finds the arena it allocates from in use by another thread an arena of its
/// own, up to eight per core, and never gives one back. Each arena keeps the free memory of its own allocations
/// (an arena's free chunks serve only the threads that use that arena) and returns little of it to the kernel.
/// The kiosk's threads are few (the async pool's workers, NIO's event loop, the card monitor, the speaker), and
/// they touch the heap in turns: a resident's session, a letter, an upload. Still, an idle kiosk had ten arenas
/// after a few hundred sessions, and its anonymous memory grew by each arena's leftovers (`make soak-memory`,
/// README "Size and speed").
public enum MallocArenas {
    /// At most `count` arenas from now on; call before the process starts its threads, so that none has one of its
    /// own yet.
    public static func limit(to count: Int32) {
        // mallopt fails only for an unknown option or a value out of range: neither, for M_ARENA_MAX and a count > 0.
        _ = kiosk_limit_malloc_arenas(count)
    }

    /// Gives the kernel back the free pages the arenas keep (`malloc_trim(0)`). An arena returns by itself only the
    /// free memory at its top; what a session freed below memory still in use stays the process's. In a soak of
    /// 3,000 sessions anonymous memory rose by 330 to 370 kB every 1,000 sessions while malloc's memory in use stayed
    /// within 120 kB (SQLite's caches filling to their bound), and one `malloc_trim(0)` at 3,000 gave back 664 kB,
    /// the kiosk's anonymous memory then where it was at 1,000.
    public static func releaseFreeMemory() {
        _ = kiosk_malloc_trim()
    }
}
