/// The ports Core needs from the outside world. Drivers implement them; Kiosk wires them to the state machine.
/// Each answer comes back to the state machine as a `KioskEvent`.

/// Shows screens: the framebuffer, a terminal, a PNG in tests.
public protocol Display: Sendable {
    func show(_ screen: Screen) async
    /// The resident's session ended: the next screen is drawn over every pixel, so no trace of their data stays.
    func sessionCleared() async
}

extension Display {
    public func sessionCleared() async {}
}

/// Who a card belongs to, and whether a PIN is theirs.
public protocol ResidentRegistry: Sendable {
    func lookUp(_ card: CardUID) async throws -> KioskEvent.Lookup
    func verifyPIN(_ pin: PIN, for card: CardUID) async throws -> KioskEvent.PINCheck
}

/// Numbers a letter and stores its service record, in one transaction.
public protocol LetterIssuer: Sendable {
    func issue(_ request: LetterRequest) async throws(IssueProblem) -> IssuedLetter
    /// Marks the record printed or unprinted, so a letter that never came out is visible to the operator.
    func recordPrintOutcome(_ outcome: PrintOutcome, for id: RecordID) async
}

/// Prints an issued letter and says how it went; `progress` takes 0-100.
public protocol LetterPrinter: Sendable {
    func print(_ request: LetterRequest, _ issued: IssuedLetter, progress: @escaping @Sendable (Int) -> Void) async
        -> PrintOutcome
}

/// How wide text is in a font: the renderer's metrics, so that layout in Core wraps lines exactly where the
/// drawing will need it (Drivers/Graphics implements it over cairo).
public protocol TextMeasurer: Sendable {
    /// The advance width of `text` set in `font`, in the font's units (points on paper, pixels on screens).
    func width(of text: String, in font: Font) -> Double
    /// The height of a lowercase "x" set in `font`, in the same units: the x-height a reader judges a text's size
    /// by, from the font's own outline (screens size body text by it).
    func xHeight(of font: Font) -> Double
    /// How many modules a side the QR of `payload` has, quiet zone excluded, as the renderer will encode it; `nil`
    /// when the measurer does not encode QRs (layout then assumes the densest code a letter's QR can be).
    func qrModules(for payload: String) -> Int?
}

extension TextMeasurer {
    public func qrModules(for payload: String) -> Int? { nil }
}

/// Reads screen prompts aloud (espeak-ng's Indonesian voice in Drivers/Speech). Both calls return at once, whatever
/// the speech is doing: the kiosk's loop never waits for a voice.
public protocol PromptSpeaker: Sendable {
    /// Starts speaking `prompt`, the prompt of `screen`, the `sequence`-th screen shown since the kiosk started (as
    /// the virtual display numbers its snapshots); a prompt still being spoken stops.
    func speak(_ prompt: String, screen: ScreenID, sequence: Int)
    /// Stops whatever is being spoken and drops what waits: the session ended, nothing more of it is said.
    func silence()
}

/// Letters prepared elsewhere, waiting for their holders (`PickupLetter`).
public protocol LetterPickups: Sendable {
    /// The letters of the resident who tapped `card` and typed their PIN: waiting ones, and recently collected ones
    /// (so the screen can say so).
    func letters(for resident: Resident, card: CardUID) async throws -> [PickupLetter]
    /// Claims the letter and records its collection in one transaction, then prints its PDF unchanged; a letter
    /// collected meanwhile is not printed. `progress` takes 0-100.
    func collect(
        _ letter: PickupLetter, by resident: Resident, card: CardUID, progress: @escaping @Sendable (Int) -> Void
    ) async -> PickupOutcome
}
