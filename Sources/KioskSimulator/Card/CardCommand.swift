import ArgumentParser
import Core

/// `kiosk-sim card`: a virtual e-KTP, so the kiosk's PC/SC code runs against the real pcscd on machines (and CI
/// runners) without a reader or a card. The card sits in the vsmartcard virtual reader (vpcd, Debian package
/// vsmartcard-vpcd), or with `--vscard` in QEMU's emulated USB CCID reader, where a guest's pcscd reads it.
struct CardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card",
        abstract: "Put a virtual e-KTP in the vsmartcard virtual reader (vpcd) or in QEMU's USB CCID reader.",
        discussion: """
            Without a script the card is inserted once and stays until SIGINT or SIGTERM. A script is a list of \
            steps: `tap [DURATION] [uid=HEX] [kind=KIND]`, `remove`, `wait DURATION`, e.g. \
            "tap 2s; remove; wait 1s; tap 500ms uid=5A3C9E21 kind=type-b; remove". \
            The chip kind serves DF 7F0A / EF 6FF1 (biodata) in the clear: on a real e-KTP the kiosk's SAM does \
            the secure messaging, which this simulator skips. All data is synthetic.

            --vscard SOCKET serves the card to QEMU instead of vpcd: start QEMU with `-device qemu-xhci \
            -device usb-ccid -device ccid-card-passthru,chardev=ccid \
            -chardev socket,id=ccid,path=SOCKET,server=on,wait=off` and the guest sees a USB CCID reader (08e6:4433). \
            The reader stays for the whole run; a tap puts the card in it, a remove takes it out.

            --steps-from-stdin reads the same steps from standard input, one per line, and carries out each as \
            soon as it arrives, for a test harness that taps and removes at will. After each it prints one line on \
            stdout: `reader ready` once the reader is (QEMU acknowledged it; at once for vpcd), `inserted`, \
            `removed` and `waited` for the steps, `rejected: line N: REASON` for a line that is not a step, and \
            `left` when the card leaves by itself (fault remove-mid-apdu, or vpcd closing; a `remove` is still \
            expected before the next `tap`). The end of standard input removes a card still there (printing \
            `removed`) and ends the program.
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

    @Flag(help: "Read steps from standard input as they arrive and print an acknowledgement after each (see above).")
    var stepsFromStdin = false

    @Option(help: "Where vpcd listens.")
    var host = "127.0.0.1"

    @Option(help: "vpcd's port: 35963 for its first reader, 35964 for the next.")
    var port = 35963

    @Option(
        name: .customLong("vscard"),
        help: ArgumentHelp(
            "Serve the card to QEMU's usb-ccid + ccid-card-passthru through this unix socket instead of vpcd.",
            valueName: "socket"))
    var vscardSocket: String?

    @Option(help: "Seconds to keep trying while nothing listens on the port (or the --vscard socket).")
    var connectTimeout = 10.0

    @Flag(help: "Log each APDU's header, length and status word (never its data) to stderr.")
    var verbose = false

    func validate() throws {
        if [script != nil, scriptFile != nil, stepsFromStdin].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --script, --script-file and --steps-from-stdin")
        }
        if vscardSocket?.isEmpty == true { throw ValidationError("--vscard takes the path of QEMU's socket") }
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
        let log = CardLog(verbose: verbose)
        StopRequest.install()
        let timeout = Duration.milliseconds(Int64(connectTimeout * 1000))
        let link: any CardReaderLink =
            if let vscardSocket {
                VSCardConnection(path: vscardSocket, connectTimeout: timeout, log: log)
            } else {
                VPCDLink(host: host, port: UInt16(port), connectTimeout: timeout, log: log)
            }
        let player = CardPlayer(link: link, fault: fault, usesGetResponse: getResponse, log: log)
        do {
            let ending =
                if stepsFromStdin {
                    try player.playLive(
                        from: Syscalls.standardInput, defaults: try defaults(), acknowledge: Syscalls.writeOutputLine)
                } else {
                    try player.play(try steps(), holdLastCard: script == nil && scriptFile == nil)
                }
            if ending == .stopped { log.info("stopped") }
        } catch let error as CardRunError {
            log.info("\(error)")
            throw ExitCode.failure
        }
    }

    private func defaults() throws -> CardScript.Defaults {
        CardScript.Defaults(kind: kind, uid: try parsedUID())
    }

    /// The script's steps, or a single tap that stays when there is no script.
    private func steps() throws -> [CardStep] {
        let defaults = try defaults()
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
