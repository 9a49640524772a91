import Core

extension ConfigurationLoader {
    /// `[queue]`: whether the kiosk hands queue numbers, for which services, and whether without a card.
    ///
    ///     [queue]
    ///     enabled = true
    ///     without_card = true        # idle offers a number to a visitor without an e-KTP
    ///     [[queue.service]]          # optional; without any, QueueService.defaults
    ///     code = "KK"
    ///     title = "Perubahan Kartu Keluarga"
    ///
    /// Returns no services when off.
    static func queue(_ section: TOMLSection, thermal: Bool) -> (services: [QueueService], withoutCard: Bool) {
        let enabled = section.bool("enabled", default: false)
        let withoutCard = section.bool("without_card", default: false)
        var services: [QueueService] = []
        for (index, entry) in (section.sections("service") ?? []).enumerated() {
            let code = entry.requiredString("code", example: "KK")
            let title = entry.requiredString("title", example: "Perubahan Kartu Keluarga")
            entry.rejectUnknownKeys()
            guard let code, let title else { continue }
            if code.count > 12 || !code.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "-") }) {
                section.problem(
                    "service[\(index)].code", "found \"\(code)\", expected up to 12 capital letters, digits and dashes")
            } else if services.contains(where: { $0.code == code }) {
                section.problem(
                    "service[\(index)].code", "\"\(code)\" is listed twice; each service needs its own code")
            }
            if title.count > 60 {
                section.problem("service[\(index)].title", "is \(title.count) characters; at most 60 fit a button")
            }
            services.append(QueueService(code: code, title: title))
        }
        if services.count > 6 {
            section.problem("service", "lists \(services.count) services; at most 6 fit one screen")
        }
        section.rejectUnknownKeys()
        guard enabled else {
            if withoutCard { section.problem("without_card", "needs enabled = true: the queue is off") }
            return ([], false)
        }
        if !thermal {
            section.problem(
                "enabled", "needs a thermal printer for the tickets: add thermal = \"HOST:PORT\" to [printing]")
        }
        return (services.isEmpty ? QueueService.defaults : services, withoutCard)
    }
}
