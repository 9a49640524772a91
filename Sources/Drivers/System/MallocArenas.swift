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
}
