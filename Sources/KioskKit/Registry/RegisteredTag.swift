import Core
import Foundation

/// An OpenSID `tag_id_card` as the registry stores it: the text as registered, and the forms it is found by.
///
/// Core's `CardTag` decides what a tag means and whether it matches a card; this adds what a database index
/// needs: the card's number in decimal (a decimal tag's own digits, a hex tag's UID as a number) and, for hex
/// tags, the UID in hex. A lookup searches those columns for the tapped UID's forms, then confirms each
/// candidate with `CardTag.matches`, so the index and Core can never disagree about which card a tag names.
package struct RegisteredTag: Hashable, Sendable {
    /// The tag as OpenSID holds it, without surrounding spaces.
    let text: String
    /// The number in decimal, without leading zeros.
    let number: String
    /// The UID in upper-case hex, reader order, for tags registered in hex.
    let hex: String?
    let cardTag: CardTag

    /// `nil` for text `CardTag` does not accept.
    init?(_ raw: some StringProtocol) {
        let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let cardTag = CardTag(text) else { return nil }
        self.text = text
        self.cardTag = cardTag
        // The same rule as `CardTag`: 10-17 digits are a decimal number, anything else it accepted is hex.
        if text.allSatisfy({ $0.isASCII && $0.isNumber }), (10...17).contains(text.count) {
            let stripped = text.drop { $0 == "0" }
            number = stripped.isEmpty ? "0" : String(stripped)
            hex = nil
        } else {
            guard let uid = try? CardUID(hex: text) else { return nil }
            number = uid.decimal
            hex = uid.hex
        }
    }

    /// The `number` and `hex` values under which a tag naming `card` is stored: the UID's own forms, and with
    /// `reversed` those of the UID with its bytes in the other order.
    static func searchForms(for card: CardUID, reversed: Bool) -> (numbers: [String], hexes: [String]) {
        let cards = reversed && card.reversed != card ? [card, card.reversed] : [card]
        return (cards.map(\.decimal), cards.map(\.hex))
    }
}
