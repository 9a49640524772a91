import ArgumentParser
import Core

/// Which e-KTP the simulator plays. Real e-KTPs are ISO 14443 Type A (NXP, most cards) or Type B, so the kiosk must
/// cope with both; only `chip` has files behind the UID.
enum CardKind: String, CaseIterable, Sendable, ExpressibleByArgument {
    /// Type A, UID only: what the kiosk sees without a SAM.
    case typeA = "type-a"
    /// Type B: the UID is the 4-byte PUPI, which is also inside the ATR.
    case typeB = "type-b"
    /// Type A with the DF `7F0A` files readable as if the SAM had opened them.
    case chip

    /// The UID a card of this kind gets when none is given. Type B needs 4 bytes, so it cannot share the
    /// 7-byte Type A default.
    var defaultUID: CardUID {
        switch self {
        case .typeA, .chip: try! CardUID(hex: "04A21B6C9E4F80")
        case .typeB: try! CardUID(hex: "5A3C9E21")
        }
    }

    /// Why `uid` cannot be this kind's UID, or `nil` when it can.
    func problem(with uid: CardUID) -> String? {
        if self == .typeB, uid.bytes.count != 4 {
            return "a type-b card's UID is its 4-byte PUPI, this one has \(uid.bytes.count) bytes"
        }
        return nil
    }

    func answerToReset(uid: CardUID) -> AnswerToReset {
        switch self {
        case .typeA, .chip: .ektpTypeA
        case .typeB: .ektpTypeB(pupi: uid.bytes)
        }
    }
}
