import Testing

@testable import Core

/// Always 0: the random part of an id is all zeros.
struct ZeroGenerator: RandomNumberGenerator {
    mutating func next() -> UInt64 { 0 }
}

@Suite("RecordID")
struct RecordIDTests {
    static let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    @Test(
        "26 Crockford base32 characters, the first 0-7",
        arguments: [0, 1, 1_764_000_000_000, 0xFFFF_FFFF_FFFF] as [Int64])
    func shape(ms: Int64) {
        var rng = SplitMix64(seed: 7)
        let id = RecordID(at: Timestamp(millisecondsSince1970: ms), using: &rng)
        #expect(id.text.count == 26)
        #expect(id.text.allSatisfy { Self.crockford.contains($0) })
        #expect("01234567".contains(id.text.first!))
        #expect(id.description == id.text)
    }

    @Test(
        "the timestamp round-trips",
        arguments: [0, 1, 1_469_918_176_385, 1_764_000_000_000, 0xFFFF_FFFF_FFFF] as [Int64])
    func timestampRoundTrip(ms: Int64) {
        var rng = SplitMix64(seed: UInt64(ms))
        let id = RecordID(at: Timestamp(millisecondsSince1970: ms), using: &rng)
        #expect(id.timestamp == Timestamp(millisecondsSince1970: ms))
        #expect(RecordID(id.text)?.timestamp == Timestamp(millisecondsSince1970: ms))
    }

    @Test("the time part matches the ULID specification's example")
    func ulidExample() {
        var rng = SplitMix64(seed: 1)
        let id = RecordID(at: Timestamp(millisecondsSince1970: 1_469_918_176_385), using: &rng)
        #expect(id.text.hasPrefix("01ARYZ6S41"))
    }

    @Test("zero time and zero randomness give all zeros; the maximum time starts with 7ZZZZZZZZZ")
    func extremes() {
        var zero = ZeroGenerator()
        #expect(
            RecordID(at: Timestamp(millisecondsSince1970: 0), using: &zero).text == String(repeating: "0", count: 26))
        var rng = SplitMix64(seed: 3)
        #expect(
            RecordID(at: Timestamp(millisecondsSince1970: 0xFFFF_FFFF_FFFF), using: &rng).text.hasPrefix("7ZZZZZZZZZ"))
        // Times before 1970 are clamped to zero rather than wrapping.
        #expect(RecordID(at: Timestamp(millisecondsSince1970: -5), using: &rng).timestamp.millisecondsSince1970 == 0)
    }

    @Test("ids sort by capture time, whatever their random part")
    func sortableByTime() {
        var rng = SplitMix64(seed: 42)
        let times: [Int64] = [
            1_700_000_000_000, 1_700_000_000_001, 1_700_000_001_000, 1_764_000_000_000, 1_800_000_000_000,
        ]
        for _ in 0..<50 {
            let ids = times.map { RecordID(at: Timestamp(millisecondsSince1970: $0), using: &rng) }
            #expect(ids == ids.sorted())
            #expect(zip(ids, ids.dropFirst()).allSatisfy { $0 < $1 })
        }
    }

    @Test("ids made in the same millisecond differ")
    func uniqueness() {
        var rng = SplitMix64(seed: 2026)
        let time = Timestamp(millisecondsSince1970: 1_764_000_000_000)
        let ids = (0..<10_000).map { _ in RecordID(at: time, using: &rng) }
        #expect(Set(ids).count == ids.count)
        #expect(Set(ids.map { $0.text.prefix(10) }).count == 1)
    }

    @Test("the same seed gives the same id; another seed another")
    func reproducible() {
        let time = Timestamp(millisecondsSince1970: 1_764_000_000_000)
        var a = SplitMix64(seed: 99)
        var b = SplitMix64(seed: 99)
        var c = SplitMix64(seed: 100)
        let first = RecordID(at: time, using: &a)
        #expect(first == RecordID(at: time, using: &b))
        #expect(first != RecordID(at: time, using: &c))
    }

    @Test("parse accepts an id's own text")
    func parseAccepts() throws {
        var rng = SplitMix64(seed: 5)
        let id = RecordID(at: Timestamp(millisecondsSince1970: 1_764_000_000_000), using: &rng)
        #expect(try #require(RecordID(id.text)) == id)
        #expect(RecordID("01ARYZ6S41TSV4RRFFQ69G5FAV") != nil)
    }

    @Test(
        "parse rejects garbage",
        arguments: [
            "", "01ARYZ6S41TSV4RRFFQ69G5FA", "01ARYZ6S41TSV4RRFFQ69G5FAVX", "01aryz6s41tsv4rrffq69g5fav",
            "01ARYZ6S41TSV4RRFFQ69G5FAI", "01ARYZ6S41TSV4RRFFQ69G5FAL", "01ARYZ6S41TSV4RRFFQ69G5FAO",
            "01ARYZ6S41TSV4RRFFQ69G5FAU", "81ARYZ6S41TSV4RRFFQ69G5FAV", "ZZZZZZZZZZZZZZZZZZZZZZZZZZ",
            "01ARYZ6S41-SV4RRFFQ69G5FAV", "01ARYZ6S41TSV4RRFFQ69G5FA ",
        ])
    func parseRejects(text: String) {
        #expect(RecordID(text) == nil)
    }
}
