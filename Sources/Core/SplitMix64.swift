/// A small seeded random generator (SplitMix64, Steele, Lea and Flood 2014): the simulator's `garbage` card fault
/// and API faults, and the tests' fuzz runs, are reproducible from their seed, so a run that finds something finds
/// it again.
public struct SplitMix64: RandomNumberGenerator, Hashable, Sendable {
    private var state: UInt64

    /// The sequence of `seed`.
    public init(seed: UInt64) { state = seed }

    /// Seeded from the system generator, for runs that need no reproducibility.
    public init() {
        state = UInt64.random(in: .min ... .max)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
