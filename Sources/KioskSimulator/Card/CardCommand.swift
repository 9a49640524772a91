import ArgumentParser
import Core

/// `kiosk-sim card`: a virtual e-KTP in the vsmartcard virtual reader, so the kiosk's PC/SC code runs against the
/// real pcscd on machines (and CI runners) without a reader or a card. Needs pcscd with the vpcd driver
/// (Debian package vsmartcard-vpcd).
struct CardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "Put a virtual e-KTP in the vsmartcard virtual reader (vpcd) that pcscd serves.",
        discussion: """
            Without a script the card is inserted once and stays until SIGINT or SIGTERM. A script is a list of \
            steps: `tap [DURATION] [uid=HEX] [kind=KIND]`, `remove`, `wait DURATION`, e.g. \
            "tap 2s; remove; wait 1s; tap 500ms uid=5A3C9E21 kind=type-b; remove". \
            The chip kind serves DF 7F0A / EF 6FF1 (biodata) in the clear: on a real e-KTP the kiosk's SAM does \
            the secure messaging, which this simulator skips. All data is synthetic.
            """
    )

    @Option(help: "The kind of card: type-a (UID only), type-b (PUPI in the ATR) or chip (type-a with biodata).")
    var kind: CardKind = .typeA

    @Option(help: "The UID in hex: 4, 7 or 10 bytes (4 for type-b). Default 04A21B6C9E4F80, type-b 5A3C9E21.")
    var uid: String?

    @Option(help: "Misbehave: mute, garbage, wrong-length, 6f00 or remove-mid-apdu.")
    var fault: CardFault?

    @Flag(help: "Answer READ BINARY with 61 xx and hand the data out through GET RESPONSE (00 C0), as T=0 cards do.")
    var getResponse = false

    @Option(help: "Steps separated by ';', e.g. \"tap 2s; remove; wait 1s; tap 500ms; remove\".")
    var script: String?

    @Option(help: "A file with one step per line ('#' starts a comment).")
    var scriptFile: String?

    @Option(help: "Where vpcd listens.")
    var host = "127.0.0.1"

    @Option(help: "vpcd's port: 35963 for its first reader, 35964 for the next.")
    var port = 35963

    @Option(help: "Seconds to keep trying while nothing listens on the port.")
    var connectTimeout = 10.0

    @Flag(help: "Log each APDU's header, length and status word (never its data) to stderr.")
    var verbose = false

    func validate() throws {
        if script != nil, scriptFile != nil { throw ValidationError("give --script or --script-file, not both") }
        guard (1...65535).contains(port) else { throw ValidationError("--port takes 1-65535, found \(port)") }
        guard connectTimeout >= 0, connectTimeout <= 3600 else {
            throw ValidationError("--connect-timeout takes 0-3600 seconds")
        }
        if let uid = try parsedUID(), let problem = kind.problem(with: uid) {
            throw ValidationError("--uid: \(problem)")
        }
        _ = try steps()
    }

    func run() throws {
        let steps = try steps()
        let log = CardLog(verbose: verbose)
        StopRequest.install()
        let player = CardPlayer(
            host: host,
            port: UInt16(port),
            connectTimeout: .milliseconds(Int64(connectTimeout * 1000)),
            fault: fault,
            usesGetResponse: getResponse,
            log: log
        )
        do {
            if try player.play(steps, holdLastCard: script == nil && scriptFile == nil) == .stopped {
                log.info("stopped")
            }
        } catch {
            log.info("\(error)")
            throw ExitCode.failure
        }
    }

    /// The script's steps, or a single tap that stays when there is no script.
    private func steps() throws -> [CardStep] {
        let defaults = CardScript.Defaults(kind: kind, uid: try parsedUID())
        do {
            if let script { return try CardScript.parse(inline: script, defaults: defaults).steps }
            if let scriptFile {
                return try CardScript.parse(file: try Syscalls.readFile(scriptFile), defaults: defaults).steps
            }
        } catch {
            throw ValidationError("\(error)")
        }
        return [.tap(CardSetup(kind: kind, uid: defaults.uid ?? kind.defaultUID), for: nil)]
    }

    private func parsedUID() throws -> CardUID? {
        guard let uid else { return nil }
        do {
            return try CardUID(hex: uid)
        } catch {
            throw ValidationError("--uid: \(error)")
        }
    }
}
