import ArgumentParser
import Core
import Foundation
import KioskKit

/// `kiosk verify`: checks a letter's QR offline, from its payload or from the PDF/PNG of the letter.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a letter's QR offline: valid, forged, altered, or from an unknown kiosk.",
        discussion: """
            Give the QR's text (from any QR scanner app) or --file with the letter as PDF or PNG (read with zbarimg \
            from zbar-tools; a PDF's text is also compared with its QR, with pdftotext from poppler-utils). Keys come \
            from --keys (the province's GET /v1/kiosks/keys answer, or lines of "KIOSK-ID BASE64-KEY") and from this \
            kiosk's own key when --config is readable. Exit status 0 only for a valid letter.
            """)

    @Argument(help: "The QR's text: the verification link (https://...?s=VK1:...) or the bare VK1:... payload.")
    var payload: String?

    @Option(name: .long, help: "The letter as PDF or PNG, instead of the QR's text.")
    var file: String?

    @Option(name: .long, help: "A file of kiosk public keys.")
    var keys: String?

    @Flag(name: .long, help: "Print this kiosk's own key line (for the key list of an office that verifies).")
    var printKey = false

    @OptionGroup var options: ConfigOption

    func run() async throws {
        var known: [String: Data] = [:]
        if let keys {
            do {
                known = try LetterVerifier.parseKeys(try String(contentsOfFile: keys, encoding: .utf8))
            } catch {
                printError("cannot read the key list \(keys): \(error)")
                throw ExitCode(1)
            }
        }
        // The kiosk's own key, when this runs on a kiosk: as root, with kiosk.service's credentials.
        if keys == nil { CredentialRelaunch.ifNeeded() }
        if let settings = try? ConfigurationLoader.load(path: options.config),
            let database = try? KioskDatabase.open(stateDirectory: settings.stateDirectory),
            let sync = try? SyncSetup(settings: settings, database: database)
        {
            known[sync.kioskID] = sync.deviceKey.publicKey
            if printKey {
                print("\(sync.kioskID) \(sync.deviceKey.publicKeyBase64)")
                return
            }
        } else if printKey {
            printError("no kiosk configuration at \(options.config): pass --config")
            throw ExitCode(1)
        }
        guard !known.isEmpty else {
            printError("no kiosk keys: pass --keys FILE (the province's key list) or run this on a kiosk")
            throw ExitCode(1)
        }
        let verifier = LetterVerifier(keys: known)
        let verdict: LetterVerifier.Verdict
        switch (payload, file) {
        case (let payload?, nil):
            verdict = verifier.verify(payload: payload)
        case (nil, let file?):
            let document = try LetterDocument.read(file)
            verdict =
                document.text.map { verifier.verify(payload: document.payload, documentText: $0) }
                ?? verifier.verify(payload: document.payload)
        default:
            printError("give either the QR's text or --file LETTER.pdf|png")
            throw ExitCode.validationFailure
        }
        print(Self.describe(verdict))
        if case .valid = verdict { return }
        throw ExitCode(1)
    }

    static func describe(_ verdict: LetterVerifier.Verdict) -> String {
        switch verdict {
        case .valid(let seal):
            "VALID: letter \(seal.number.formatted) issued on \(IndonesianDate.long(seal.issuedOn)) by kiosk "
                + "\(seal.kioskID); its signature checks out."
        case .forged(let kiosk):
            "FORGED: kiosk \(kiosk) did not sign this QR (a forgery, or a genuine QR whose fields were changed)."
        case .altered(let seal, let reason):
            "ALTERED: the QR of letter \(seal.number.formatted) is genuine, but \(reason)."
        case .unknownKiosk(let kiosk):
            "UNKNOWN KIOSK: no key for \(kiosk); get the current key list from the province and try again."
        case .malformed(let error):
            "REFUSED: \(error)."
        }
    }
}

/// A letter file's QR payload and, for a PDF, its text.
enum LetterDocument {
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    static func read(_ path: String) throws -> (payload: String, text: String?) {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw Problem(description: "\(path) does not exist or cannot be read")
        }
        if path.lowercased().hasSuffix(".pdf") {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-verify-\(getpid())")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            _ = try DebianTool.run(
                "pdftoppm", ["-r", "200", "-png", path, folder.appendingPathComponent("page").path],
                package: "poppler-utils")
            let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
                .map { folder.appendingPathComponent($0).path }
            let payload = try scan(pages)
            return (payload, try DebianTool.run("pdftotext", [path, "-"], package: "poppler-utils"))
        }
        return (try scan([path]), nil)
    }

    /// The first kiosk letter QR zbarimg finds in the images.
    private static func scan(_ images: [String]) throws -> String {
        // zbarimg exits 4 when it finds no code: that is "no QR", but a missing zbarimg must say so (it was reported
        // as "no letter QR found" on a kiosk without zbar-tools).
        let found: String?
        do {
            found = try DebianTool.run(
                "zbarimg", ["--quiet", "--raw", "-Sqrcode.enable"] + images, package: "zbar-tools")
        } catch let problem as DebianTool.Problem where problem.isMissing {
            throw problem
        } catch {
            found = nil
        }
        guard let payload = found?.split(separator: "\n").first(where: { LetterSeal.payload(scanned: $0) != nil })
        else {
            throw Problem(description: "no letter QR found in the file (is it a kiosk letter, scanned sharp enough?)")
        }
        return String(payload)
    }
}
