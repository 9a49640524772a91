/// The screens of the resident flow, built from the state machine's data and `Teks`.
public enum KioskScreens {
    /// `queue`: a ticket can be taken without a card (`[queue] without_card`), so idle offers it too.
    public static func idle(health: Health, queue: Bool = false) -> Screen {
        if let blocking = health.blockingError {
            return Screen(
                id: .error(blocking), icon: .warning, title: Teks.errorTitle(blocking),
                lines: Teks.errorLines(blocking), prompt: Teks.errorTitle(blocking))
        }
        return Screen(
            id: .idle, icon: .card, title: Teks.idleTitle, lines: Teks.idleLines,
            choices: queue ? [Button(.openQueue, Teks.queueWithoutCardButton, role: .choice)] : [],
            prompt: Teks.idlePrompt)
    }

    /// "Ambil Nomor Antrean": one choice per service, numbered from 1 as a keypad selects them.
    public static func queueServices(_ services: [QueueService], withCard: Bool) -> Screen {
        Screen(
            id: .queueServices, icon: .clock, title: Teks.queueTitle, lines: Teks.queueLines,
            choices: services.enumerated().map {
                Button(.queueService($1.code), "\($0 + 1). \($1.title)", role: .choice)
            },
            actions: [withCard ? Button(.back, Teks.back) : Button(.cancel, Teks.cancel)], prompt: Teks.queuePrompt)
    }

    public static func queueTaking() -> Screen {
        Screen(
            id: .queueTaking, icon: .clock, title: Teks.queueTakingTitle, lines: Teks.queueTakingLines,
            prompt: Teks.queueTakingPrompt)
    }

    /// The number taken; `notPrinted` when the slip failed, and the screen is then what the resident has.
    public static func queueTicket(_ ticket: QueueTicket, notPrinted: PrinterProblem? = nil) -> Screen {
        let number = "\(ticket.number)"
        guard let problem = notPrinted else {
            return Screen(
                id: .queueTicket, icon: .check, title: Teks.queueTicketTitle(number),
                lines: Teks.queueTicketLines(service: ticket.service.title),
                actions: [Button(.finish, Teks.finish, role: .primary)], prompt: Teks.queueTicketPrompt(number))
        }
        return Screen(
            id: .queueTicket, icon: .warning, title: Teks.queueTicketTitle(number),
            lines: Teks.queueNotPrintedLines(service: ticket.service.title, problem: problem),
            actions: [Button(.finish, Teks.finish, role: .primary)], prompt: Teks.queueNotPrintedPrompt(number))
    }

    public static func readingCard() -> Screen {
        Screen(
            id: .readingCard, icon: .card, title: Teks.readingTitle, lines: Teks.readingLines,
            prompt: Teks.readingPrompt)
    }

    public static func pinEntry(entered: Int, length: Int, message: String? = nil) -> Screen {
        Screen(
            id: .pinEntry, icon: .lock, title: Teks.pinTitle,
            lines: message.map { [$0] } ?? Teks.pinLines(length: length),
            actions: [Button(.cancel, Teks.cancel)],
            pinPad: PINPad(entered: entered, length: length), prompt: message ?? Teks.pinPrompt)
    }

    /// Choices are numbered from 1 on every page, as a keypad's digits select them.
    /// `queue`: the kiosk hands queue numbers, so the menu offers "Ambil Nomor Antrean" beside its letters.
    public static func menu(letters: [LetterKind], page: Int, pages: Int, residentName: String, queue: Bool = false)
        -> Screen
    {
        Screen(
            id: .menu, icon: .letter, title: Teks.menuTitle,
            lines: Teks.menuLines(resident: residentName) + pageLine(page, pages),
            choices: letters.enumerated().map { Button(.letter($1.code), "\($0 + 1). \($1.title)", role: .choice) },
            actions: [Button(.cancel, Teks.cancel)] + pageButtons(page, pages)
                + (queue ? [Button(.openQueue, Teks.queueButton)] : []),
            prompt: Teks.menuPrompt)
    }

    /// "Surat Siap Diambil": `letters` is one page of the resident's prepared letters, paired with their index in the
    /// whole list; `notice` says what just happened (printed, or collected before).
    public static func pickups(
        letters: [(offset: Int, element: PickupLetter)], page: Int, pages: Int, residentName: String,
        notice: String? = nil
    ) -> Screen {
        Screen(
            id: .pickups, icon: .letter, title: Teks.pickupsTitle,
            lines: (notice.map(sentences) ?? Teks.pickupsLines(resident: residentName)) + pageLine(page, pages),
            choices: letters.enumerated().map {
                Button(
                    .pickup($1.offset),
                    "\($0 + 1). " + Teks.pickupChoice($1.element.title, collected: !$1.element.isWaiting),
                    role: .choice)
            },
            actions: [Button(.cancel, Teks.cancel)] + pageButtons(page, pages)
                + [Button(.continueToMenu, Teks.continueToMenu, role: .primary)],
            prompt: notice ?? Teks.pickupsPrompt)
    }

    /// One line per sentence, so that a notice keeps the body's size on a narrow (portrait) panel.
    private static func sentences(_ text: String) -> [String] {
        let parts = text.components(separatedBy: ". ")
        return parts.enumerated().map { $0 + 1 < parts.count ? $1 + "." : $1 }
    }

    /// A prepared letter printing: the printing screen with the village's number.
    public static func collecting(progress: Int, number: String) -> Screen {
        Screen(
            id: .printing, icon: .printer, title: Teks.printingTitle,
            lines: Teks.printingLines + [Teks.letterNumber(number)], progress: progress, prompt: Teks.printingPrompt)
    }

    /// `purposes` pairs each purpose with its index in the letter's whole list.
    public static func purpose(letter: String, purposes: [(offset: Int, element: String)], page: Int, pages: Int)
        -> Screen
    {
        Screen(
            id: .purpose, icon: .letter, title: Teks.purposeTitle, lines: [letter] + pageLine(page, pages),
            choices: purposes.enumerated().map {
                Button(.purpose($1.offset), "\($0 + 1). \($1.element)", role: .choice)
            },
            actions: [Button(.back, Teks.back), Button(.cancel, Teks.cancel)] + pageButtons(page, pages),
            prompt: Teks.purposePrompt)
    }

    private static func pageLine(_ page: Int, _ pages: Int) -> [String] {
        pages > 1 ? [Teks.pageOf(page + 1, pages)] : []
    }

    private static func pageButtons(_ page: Int, _ pages: Int) -> [Button] {
        (page > 0 ? [Button(.previousPage, Teks.previous)] : [])
            + (page + 1 < pages ? [Button(.nextPage, Teks.next)] : [])
    }

    public static func confirm(letter: LetterKind?, resident: Resident?, purpose: String) -> Screen {
        Screen(
            id: .confirm, icon: .letter, title: Teks.confirmTitle,
            lines: Teks.confirmLines(
                letter: letter?.title ?? "", name: resident?.name ?? "", maskedNIK: resident?.nik.masked ?? "",
                purpose: purpose),
            actions: [
                Button(.back, Teks.back), Button(.cancel, Teks.cancel), Button(.confirm, Teks.print, role: .primary),
            ],
            prompt: Teks.confirmPrompt)
    }

    public static func printing(progress: Int, number: LetterNumber?) -> Screen {
        Screen(
            id: .printing, icon: .printer, title: Teks.printingTitle,
            lines: Teks.printingLines + (number.map { [Teks.letterNumber($0.formatted)] } ?? []),
            progress: progress, prompt: Teks.printingPrompt)
    }

    /// `onPaper`: the letter came out of a printer here; otherwise it was kept as a file for the village office to
    /// print, and the resident is not sent to a printer that printed nothing.
    public static func done(draft: Bool, onPaper: Bool = true) -> Screen {
        guard onPaper else {
            return Screen(
                id: .done, icon: .check, title: Teks.doneTitle, lines: Teks.doneSavedLines,
                actions: [Button(.finish, Teks.finish, role: .primary)], prompt: Teks.doneSavedPrompt)
        }
        return Screen(
            id: .done, icon: .check, title: Teks.doneTitle, lines: Teks.doneLines + (draft ? [Teks.draftNote] : []),
            actions: [Button(.finish, Teks.finish, role: .primary)], prompt: Teks.donePrompt)
    }

    public static func error(_ error: KioskError) -> Screen {
        Screen(
            id: .error(error), icon: error == .locked ? .lock : .warning, title: Teks.errorTitle(error),
            lines: Teks.errorLines(error), actions: [Button(.finish, Teks.ok, role: .primary)],
            prompt: Teks.errorTitle(error) + ". " + Teks.errorLines(error).joined(separator: " "))
    }

    public static func timeoutWarning(secondsLeft: Int) -> Screen {
        Screen(
            id: .timeoutWarning, icon: .clock, title: Teks.timeoutTitle,
            lines: Teks.timeoutLines + [Teks.secondsLeft(secondsLeft)],
            actions: [Button(.endSession, Teks.finish), Button(.extendTime, Teks.extend, role: .primary)],
            prompt: Teks.timeoutPrompt)
    }

    /// `note`: what the operator's last action came to (a test print, the printer's answer to "paper refilled").
    /// Both are about the printer, so the note stands under the printer's line in place of the service and storage
    /// lines: at body size a 7-inch panel has room for two lines' worth of text above the choices, not four.
    public static func maintenance(health: Health, note: String? = nil) -> Screen {
        let status = Teks.maintenanceLines(health: health)
        return Screen(
            id: .maintenance, icon: .wrench, title: Teks.maintenanceTitle,
            lines: note.map { [status[0], $0] } ?? status,
            choices: [
                Button(.testPrint, Teks.testPrint, role: .choice),
                Button(.paperRefilled, Teks.paperRefilled, role: .choice),
                Button(.toggleService, health.outOfService ? Teks.resumeService : Teks.stopService, role: .choice),
            ],
            // In the action bar: three choices are all a 7-inch panel fits under the status lines.
            actions: [
                Button(.diagnostics, Teks.diagnostics), Button(.checkLetter, Teks.checkLetter),
                Button(.exitMaintenance, Teks.exit, role: .primary),
            ],
            prompt: Teks.maintenancePrompt)
    }

    /// One page of the village board in detail, full width: the presenter draws the board under the title (the
    /// machine holds no board data); a card tapped now is read at once, as on idle.
    public static func boardDetail(_ page: BoardPanel.Page) -> Screen {
        Screen(
            id: .board(page), title: Teks.Board.detailTitle, actions: [Button(.back, Teks.back, role: .primary)],
            prompt: Teks.Board.detailPrompt)
    }

    /// The letters and signs a letter number can hold beyond digits, `/` and `-`: the kind codes' letters, `K` of
    /// a station, and the Roman months' I, V and X.
    public static func letterKeys(kindCodes: [String]) -> [Character] {
        let letters = Set(kindCodes.joined().uppercased().filter { $0.isLetter && $0.isASCII } + "KIVX")
        return Array(letters.sorted().prefix(12))
    }

    /// "Periksa Surat": the number typed so far, broken after each `/` (a letter number is too long for one line
    /// beside the keypad of a 7-inch panel), and one page of the keypad: digits and signs, or letters.
    public static func letterCheck(typed: String, letterPage: Bool, letters: [Character], checking: Bool = false)
        -> Screen
    {
        var parts: [String] = []
        for character in typed {
            if parts.isEmpty || parts[parts.count - 1].hasSuffix("/") { parts.append("") }
            parts[parts.count - 1].append(character)
        }
        let keys: [Button] =
            letterPage
            ? letters.map { Button(.character($0), String($0), role: .key) }
                + [Button(.otherKeys, Teks.CheckLetter.digits, role: .key)]
            : "1234567890/-".map { Button(.character($0), String($0), role: .key) }
                + [Button(.otherKeys, Teks.CheckLetter.letters, role: .key)]
        return Screen(
            id: .letterCheck, icon: .letter, title: Teks.CheckLetter.title,
            lines: [checking ? Teks.CheckLetter.checking : Teks.CheckLetter.typeNumber]
                + (parts.isEmpty ? ["_"] : parts),
            actions: [Button(.back, Teks.back)],
            characterKeys: keys + [
                Button(.deleteCharacter, Teks.delete, role: .key),
                Button(.submitLetterNumber, Teks.ok, role: .key),
            ],
            prompt: Teks.CheckLetter.prompt)
    }

    /// Whether this kiosk issued the number typed: its kind (the catalogue's title, else its code) and day, never
    /// who holds it.
    public static func letterCheckResult(_ check: LetterCheck, typed: String, kindTitle: (String) -> String)
        -> Screen
    {
        let (title, lines): (String, [String]) =
            switch check {
            case .issued(let code, let day):
                (
                    Teks.CheckLetter.issuedTitle,
                    [
                        Teks.CheckLetter.number(typed), Teks.CheckLetter.kind(kindTitle(code)),
                        Teks.CheckLetter.date(IndonesianDate.long(day)), Teks.CheckLetter.issued,
                    ]
                )
            case .purged: (Teks.CheckLetter.issuedTitle, [Teks.CheckLetter.number(typed)] + Teks.CheckLetter.purged)
            case .notIssued:
                (Teks.CheckLetter.notIssuedTitle, [Teks.CheckLetter.number(typed)] + Teks.CheckLetter.notIssued)
            case .malformed:
                (Teks.CheckLetter.malformedTitle, [Teks.CheckLetter.typed(typed)] + Teks.CheckLetter.malformed)
            case .failed: (Teks.CheckLetter.failedTitle, Teks.CheckLetter.failed)
            }
        let byThisKiosk: Bool =
            switch check {
            case .issued, .purged: true
            case .notIssued, .malformed, .failed: false
            }
        return Screen(
            id: .letterCheckResult, icon: byThisKiosk ? .check : .warning, title: title, lines: lines,
            actions: [Button(.back, Teks.back), Button(.checkLetter, Teks.CheckLetter.again, role: .primary)],
            prompt: title)
    }

    /// The satisfaction survey: four faces, best first (a keypad's 1 is "Sangat Puas"), and "Lewati".
    public static func survey() -> Screen {
        let faces: [(SurveyAnswer.Rating, Icon)] = [
            (.verySatisfied, .faceVerySatisfied), (.satisfied, .faceSatisfied), (.dissatisfied, .faceDissatisfied),
            (.veryDissatisfied, .faceVeryDissatisfied),
        ]
        return Screen(
            id: .survey, icon: .check, title: Teks.surveyTitle, lines: Teks.surveyLines,
            choices: faces.map { Button(.rating($0), Teks.rating($0), role: .choice, icon: $1) },
            actions: [Button(.cancel, Teks.skip)], prompt: Teks.surveyPrompt)
    }

    /// The panel check; the display adds its own facts, the colour bars and the touch crosshair.
    public static func diagnostics() -> Screen {
        Screen(
            id: .diagnostics, icon: .wrench, title: Teks.diagnostics, lines: Teks.diagnosticsLines,
            actions: [Button(.back, Teks.back, role: .primary)], prompt: Teks.diagnostics)
    }
}
