/// The rules of a resident session, from configuration. Durations are Swift `Duration`s; the state machine
/// measures them on the clock it is given.
public struct KioskPolicy: Hashable, Sendable {
    public var identityMode: IdentityMode = .cardAndPIN
    /// Digits of a Layanan Mandiri PIN (OpenSID uses 6).
    public var pinLength = 6
    /// Wrong PINs allowed before the card is locked out.
    public var pinAttempts = 3
    /// How long a card stays locked out after too many wrong PINs; survives card removal.
    public var lockout: Duration = .seconds(300)
    /// A resident who does nothing this long is logged out; the warning comes `timeoutWarning` before.
    public var inactivityTimeout: Duration = .seconds(60)
    public var timeoutWarning: Duration = .seconds(15)
    public var cardReadTimeout: Duration = .seconds(5)
    public var printTimeout: Duration = .seconds(120)
    public var doneDisplay: Duration = .seconds(10)
    public var errorDisplay: Duration = .seconds(15)
    public var maintenanceTimeout: Duration = .seconds(300)
    /// Letters per menu page: what the display fits with targets of at least 20 mm (`ScreenLayout`).
    public var menuPageSize = 6
    /// Whether screens also emit `.speak` effects.
    public var spokenPrompts = false
    /// Whether a letter comes out of a printer at the kiosk; false where letters are kept as files (a kiosk whose
    /// printer is not set up yet): the done screen then does not send the resident to a printer.
    public var lettersOnPaper = true

    public init() {}
}

/// How the kiosk knows who is at the reader (see the e-KTP reference notes, identity modes).
public enum IdentityMode: String, Hashable, Sendable, CaseIterable {
    /// A registered card UID plus the resident's PIN: the default, as OpenSID's Layanan Mandiri.
    case cardAndPIN = "card-pin"
    /// A registered card UID alone: only on a supervised kiosk.
    case cardOnly = "card"
    /// Biodata read from the chip through a Dukcapil SAM.
    case chip = "chip"
}
