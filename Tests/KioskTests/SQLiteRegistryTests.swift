import Core
import Foundation
import GRDB
import TestSupport
import Testing

@testable import KioskKit

@Suite("SQLite registry: cards")
struct SQLiteRegistryTests {
    static func name(_ lookup: KioskEvent.Lookup) -> String? {
        if case .resident(let resident) = lookup { resident.name } else { nil }
    }

    @Test(arguments: RegistryFixture.cards.indices)
    func everyRegisteredCardFindsItsResidentInBothByteOrders(index: Int) async throws {
        let (hex, name) = RegistryFixture.cards[index]
        let directory = try TemporaryDirectory()
        let registry = RegistryFixture.registry(try await RegistryFixture.imported(in: directory))
        let card = try CardUID(hex: hex)
        #expect(Self.name(try await registry.lookUp(card)) == name, "reader order")
        #expect(Self.name(try await registry.lookUp(card.reversed)) == name, "a reader that reverses the bytes")
    }

    @Test(arguments: RegistryFixture.cards.indices)
    func withoutReversedMatchingOnlyTheRegisteredOrderFinds(index: Int) async throws {
        let (hex, name) = RegistryFixture.cards[index]
        let directory = try TemporaryDirectory()
        let strict = RegistryFixture.registry(
            try await RegistryFixture.imported(in: directory), matchReversed: false)
        let card = try CardUID(hex: hex)
        #expect(Self.name(try await strict.lookUp(card)) == name)
        #expect(try await strict.lookUp(card.reversed) == .unknownCard)
    }

    @Test func theResidentComesBackWithEveryField() async throws {
        let directory = try TemporaryDirectory()
        let registry = RegistryFixture.registry(try await RegistryFixture.imported(in: directory))
        let fromFile = try OpenSIDExport.read(path: TestPaths.residents).residents
        for (hex, _) in RegistryFixture.cards {
            guard case .resident(let resident) = try await registry.lookUp(try CardUID(hex: hex)) else {
                Issue.record("card \(hex) not found")
                continue
            }
            #expect(fromFile.contains(resident), "\(resident)")
        }
    }

    @Test func unknownCardsAndTheResidentWithoutACard() async throws {
        let directory = try TemporaryDirectory()
        let registry = RegistryFixture.registry(try await RegistryFixture.imported(in: directory))
        #expect(try await registry.lookUp(try CardUID(hex: "01020304")) == .unknownCard)
        // 7 cards for 8 residents: a 7-byte UID whose first four bytes match a 4-byte card is another card.
        #expect(try await registry.lookUp(try CardUID(hex: "520A8BB9000000")) == .unknownCard)
    }

    @Test func operatorCardsFromTheConfigurationAnswerOperatorCard() async throws {
        let directory = try TemporaryDirectory()
        let registry = RegistryFixture.registry(try await RegistryFixture.imported(in: directory))
        let settings = try SampleConfig.parse(SampleConfig.valid)
        try await registry.syncOperatorCards(settings.operatorCards)
        #expect(try await registry.lookUp(try CardUID(hex: "DEADBEEF")) == .operatorCard)
        // A resident's card made an operator's wins as an operator's; taken off the list, it is the resident's.
        try await registry.syncOperatorCards([try CardUID(hex: "520A8BB9")])
        #expect(try await registry.lookUp(try CardUID(hex: "520A8BB9")) == .operatorCard)
        #expect(try await registry.lookUp(try CardUID(hex: "DEADBEEF")) == .unknownCard)
        try await registry.syncOperatorCards([])
        #expect(Self.name(try await registry.lookUp(try CardUID(hex: "520A8BB9"))) == "SITI AMINAH")
    }

    @Test func aLookupIsAnIndexedQuery() async throws {
        let directory = try TemporaryDirectory()
        let database = try await RegistryFixture.imported(in: directory)
        let forms = RegisteredTag.searchForms(for: try CardUID(hex: "520A8BB9"), reversed: true)
        let keys = database.registryKeys
        let indexes = forms.numbers.map { keys.index(cardNumber: $0) } + forms.hexes.map { keys.index(cardHex: $0) }
        let plan = try await database.pool.read { db in
            try Row.fetchAll(
                db,
                sql: "EXPLAIN QUERY PLAN SELECT id FROM card WHERE number_index IN (?, ?) OR hex_index IN (?, ?)",
                arguments: StatementArguments(indexes)
            ).map { $0["detail"] as String }.joined(separator: "\n")
        }
        #expect(!plan.contains("SCAN card"), "\(plan)")
        #expect(plan.contains("sqlite_autoindex_card"), "\(plan)")
    }

    @Test func registeredTagsKeepTheirTextAndIndexTheCardsNumber() throws {
        let decimal = try #require(RegisteredTag(" 0001376422841 "))
        #expect(decimal.text == "0001376422841")
        #expect(decimal.number == "1376422841")
        #expect(decimal.hex == nil)
        let hex = try #require(RegisteredTag("0489ab12cd34ef"))
        #expect(hex.hex == "0489AB12CD34EF")
        #expect(hex.number == (try CardUID(hex: "0489AB12CD34EF")).decimal)
        // All digits but only 8 of them: Core reads it as a 4-byte UID in hex, and so does the registry.
        #expect(try #require(RegisteredTag("12345678")).hex == "12345678")
        #expect(RegisteredTag("12AB") == nil)
    }
}
