/// The rules of a resident session, from configuration. Durations are Swift `Duration`s; the state machine
/// measures them on the clock it is given.
public struct KioskPolicy: Hashable, Sendable {
    public var identityMode: IdentityMode = .cardAndPIN
    /// Whether an operator watches the kiosk while it serves. Only then may a resident be served without a PIN
    /// (identity mode `card`, or `chip`); an unattended kiosk asks for the PIN in every mode.
    public var supervised = false
    /// Digits of a Layanan Mandiri PIN (OpenSID uses 6).
    public var pinLength = 6
    /// Wrong PINs allowed before the card is locked out.
    public var pinAttempts = 3
    /// How long a card stays locked out after too many wrong PINs; survives card removal. Never below
    /// `minimumLockout`: configuration refuses less, since a lockout of 0 would switch the limit off.
    public var lockout: Duration = .seconds(300)
    /// Wrong PINs in all (since the last right one) after which a card stays locked until an operator lifts it
    /// (`kiosk pin reset`): without it a guesser gets `pinAttempts` tries every `lockout`, for ever.
    public var pinHardLimit = 10
    /// A resident who does nothing this long is logged out; the warning comes `timeoutWarning` before.
    public var inactivityTimeout: Duration = .seconds(60)
    public var timeoutWarning: Duration = .seconds(15)
    /// How long the card reader may take to read a card (UID, and the chip's biodata in mode `chip`): a mute card
    /// is given up after it (the reader enforces it; the session has not started yet).
    public var cardReadTimeout: Duration = .seconds(5)
    /// How long "Membaca e-KTP" waits for the registry's answer about the card read: only a stuck database takes
    /// that long, and the resident then hears the system has a problem, not that the card is unreadable.
    public var lookupTimeout: Duration = .seconds(30)
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
    /// Whether residents collect letters prepared elsewhere here ("Surat Siap Diambil" after the PIN): set where the
    /// kiosk has a store of them. Only after a PIN: a cloned card UID alone never collects a signed letter.
    public var collectsLetters = false
    /// Whether "Selesai" leads to the satisfaction survey (`[survey] enabled`).
    public var survey = false
    /// How long the survey waits for a face; then it goes back to idle and records nothing.
    public var surveyTimeout: Duration = .seconds(20)

    /// The services a queue number can be taken for (`[queue]`); empty: the kiosk hands no numbers.
    public var queueServices: [QueueService] = []
    /// Whether a queue number can be taken without a card, from the idle screen (`[queue] without_card`).
    public var queueWithoutCard = false

    public init() {}

    /// The shortest lockout a kiosk may be configured with.
    public static let minimumLockout: Duration = .seconds(60)

    /// Whether a resident (or an operator) types a PIN after the tap: always, but in modes `card` and `chip` on a
    /// supervised kiosk.
    public var asksPIN: Bool { identityMode == .cardAndPIN || !supervised }
}

/// How the kiosk knows who is at the reader (see the e-KTP reference notes, identity modes).
public enum IdentityMode: String, Hashable, Sendable, CaseIterable {
    /// A registered card UID plus the resident's PIN: the default, as OpenSID's Layanan Mandiri.
    case cardAndPIN = "card-pin"
    /// A registered card UID alone: only on a supervised kiosk.
    case cardOnly = "card"
    /// Biodata read from the chip through a Dukcapil SAM, matched against the card's registered holder; the PIN
    /// too unless the kiosk is supervised.
    case chip = "chip"
}
