/// One example of every screen a resident, an operator or a technician can see, with a synthetic resident: what
/// the snapshot tests draw, what `kiosk screens` renders for a technician checking a new panel, and the demo's
/// contact sheet. Names are stable file names (`07-confirm`), never personal data.
public enum ScreenGallery {
    public static func screens(catalogue: LetterCatalogue = .openSIDSelfService, pageSize: Int = 6)
        -> [(name: String, screen: Screen)]
    {
        let letters = catalogue.selfService
        let pages = max(1, (letters.count + pageSize - 1) / pageSize)
        let first = letters.first
        let purposes = Array((first?.purposes ?? ["Persyaratan administrasi"]).enumerated().prefix(pageSize))
        let number = first.map {
            LetterNumber(kindCode: $0.code, serial: 7, village: try! VillageCode("1809072001"), month: 11, year: 2026)
        }
        var gallery: [(String, Screen)] = [
            ("idle", KioskScreens.idle(health: Health())),
            ("reading", KioskScreens.readingCard()),
            ("pin", KioskScreens.pinEntry(entered: 3, length: 6)),
            ("pin-wrong", KioskScreens.pinEntry(entered: 0, length: 6, message: Teks.pinWrong(remaining: 2))),
            (
                "menu",
                KioskScreens.menu(
                    letters: Array(letters.prefix(pageSize)), page: 0, pages: pages, residentName: sample.name)
            ),
            (
                "purpose",
                KioskScreens.purpose(letter: first?.title ?? "", purposes: purposes, page: 0, pages: 1)
            ),
            (
                "confirm",
                KioskScreens.confirm(letter: first, resident: sample, purpose: purposes.first?.element ?? "")
            ),
            ("printing", KioskScreens.printing(progress: 40, number: number)),
            ("done", KioskScreens.done(draft: true)),
            ("timeout", KioskScreens.timeoutWarning(secondsLeft: 12)),
            ("maintenance", KioskScreens.maintenance(health: Health(printerProblem: .paperOut))),
        ]
        let errors: [KioskError] =
            [
                .unknownCard, .cardUnreadable, .locked, .printer(.paperOut), .printer(.offline), .printer(.coverOpen),
                .diskFull, .outOfService, .storageFailed,
            ]
        gallery += errors.map { ("error-" + $0.name, KioskScreens.error($0)) }
        gallery.append(("diagnostics", KioskScreens.diagnostics()))
        // Maintenance's "Periksa Surat": a number half typed, and the answer for one this kiosk issued.
        gallery.append(
            (
                "letter-check",
                KioskScreens.letterCheck(
                    typed: "S-41/007-K2/18090", letterPage: false,
                    letters: KioskScreens.letterKeys(kindCodes: letters.map(\.code)))
            ))
        gallery.append(
            (
                "letter-check-result",
                KioskScreens.letterCheckResult(
                    .issued(kindCode: first?.code ?? "", on: CalendarDate(year: 2026, month: 11, day: 30)!),
                    typed: "S-41/007-K2/1809072001/XI/2026", kindTitle: { _ in first?.title ?? "" })
            ))
        // Letters prepared elsewhere: one waiting, one collected before; then the answer to a touch on the collected one.
        let prepared = [
            PickupLetter(
                id: "PM-1", kindCode: first?.code ?? "S-41", title: first?.title ?? "Surat Keterangan Domisili",
                number: "\(first?.code ?? "S-41")/042/1809072001/XII/2026"),
            PickupLetter(
                id: "PM-0", kindCode: "S-30", title: "Surat Pengantar Nikah", number: "S-30/007/1809072001/XI/2026",
                collectedOn: CalendarDate(year: 2026, month: 11, day: 30)),
        ]
        gallery.append(
            (
                "pickups",
                KioskScreens.pickups(
                    letters: Array(prepared.enumerated()), page: 0, pages: 1, residentName: sample.name)
            ))
        gallery.append(
            (
                "pickups-collected",
                KioskScreens.pickups(
                    letters: Array(prepared.enumerated()), page: 0, pages: 1, residentName: sample.name,
                    notice: Teks.pickupAlreadyCollected("30 November 2026"))
            ))
        gallery.append(
            (
                "maintenance-test-print",
                KioskScreens.maintenance(
                    health: Health(printerProblem: .paperOut),
                    note: Teks.testPrinted(letter: .printed, slip: .failed(.paperOut)))
            ))
        gallery.append(("survey", KioskScreens.survey()))
        // Queue tickets: idle offering one without a card, the services, the number printed and not printed, and the
        // moment between (the number being taken and printed).
        let ticket = QueueTicket(
            number: QueueNumber(day: CalendarDate(year: 2026, month: 12, day: 6)!, counter: 7, station: 2),
            service: QueueService.defaults[0], takenAt: Timestamp(millisecondsSince1970: 1_796_540_700_000))
        gallery.append(("idle-queue", KioskScreens.idle(health: Health(), queue: true)))
        gallery.append(("queue-services", KioskScreens.queueServices(QueueService.defaults, withCard: false)))
        gallery.append(("queue-ticket", KioskScreens.queueTicket(ticket)))
        gallery.append(("queue-ticket-not-printed", KioskScreens.queueTicket(ticket, notPrinted: .paperOut)))
        gallery.append(("queue-taking", KioskScreens.queueTaking()))
        return gallery.enumerated().map { index, entry in
            ((index + 1 < 10 ? "0" : "") + "\(index + 1)-" + entry.0, entry.1)
        }
    }

    /// The synthetic resident the gallery shows (a NIK from no one: region 1809, serial 9999).
    public static let sample = Resident(
        nik: try! NIK("1809075403689999"), name: "SITI AMINAH", birthPlace: "PESAWARAN",
        birthDate: CalendarDate(year: 1968, month: 3, day: 14)!, sex: .female, address: "Jl. Raya Way Layap",
        rt: "001", rw: "002", religion: "ISLAM", maritalStatus: "KAWIN", occupation: "PETANI/PEKEBUN")
}
