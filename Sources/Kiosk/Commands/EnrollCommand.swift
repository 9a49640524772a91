import ArgumentParser
import Foundation
import KioskKit
import ProvincialAPI

/// `kiosk enroll --url URL --token-file FILE`: registers this kiosk's public key with the province, once. The
/// token is read from a file or standard input, never from the command line, which every user sees in /proc.
struct EnrollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll",
        abstract: "Register this kiosk with the provincial API using a one-time token from the province.")

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "The provincial API's base URL, e.g. https://api.example.id")
    var url: String

    @Option(
        name: .long,
        help: "A file holding the one-time enrollment token the province gave for this kiosk (- for standard input).")
    var tokenFile: String

    @Flag(name: .long, help: "Enroll again even though this kiosk is already enrolled (a new token is needed).")
    var force = false

    func run() async throws {
        let settings = try options.loadSettings()
        guard let base = URL(string: url), APIAddress.problem(base, trustAnchor: settings.api.trustAnchor) == nil
        else {
            let why = URL(string: url).flatMap { APIAddress.problem($0, trustAnchor: settings.api.trustAnchor) }
            printError("--url: found \"\(url)\": \(why ?? "expected https://host[:port]")")
            throw ExitCode.validationFailure
        }
        let token = try readToken()
        let database = try settings.openDatabase()
        let setup = try SyncSetup(settings: settings, database: database)
        if let enrolled = setup.enrollment, !force {
            printError(
                "this kiosk is already enrolled as \(enrolled.kioskID) with \(enrolled.url.absoluteString); "
                    + "use --force with a new token to enroll again")
            throw ExitCode(1)
        }
        let client = try ProvincialClient(baseURL: base, signer: nil, trustAnchor: settings.api.trustAnchor)
        let enrollment: Enrollment
        do {
            let request = EnrollmentRequest(
                token: token, publicKey: setup.deviceKey.publicKeyBase64, softwareVersion: BuildInfo.version)
            enrollment = try await client.closing { try await $0.enroll(request) }
        } catch {
            printError("enrollment failed: \(error)")
            throw ExitCode(1)
        }
        guard Data(base64Encoded: enrollment.serverKey)?.count == 32 else {
            printError("enrollment failed: the province's serverKey is not an Ed25519 key (32 bytes, base64)")
            throw ExitCode(1)
        }
        try DeviceState(database: database).set([
            .enrolledKioskID: enrollment.kioskId, .enrolledVillageCode: enrollment.villageCode,
            .enrolledServerKey: enrollment.serverKey,
            .enrolledVillageName: enrollment.villageName, .enrolledURL: base.absoluteString,
            .enrolledAt: ISO8601DateFormatter().string(from: Date()),
        ])
        print("enrolled as \(enrollment.kioskId), village \(enrollment.villageName) (\(enrollment.villageCode))")
        if enrollment.villageCode != settings.village.digits {
            printError(
                "warning: the province enrolled this kiosk for village \(enrollment.villageCode), but [kiosk] "
                    + "village_code is \(settings.village.digits): correct the configuration")
        }
    }

    /// The token: the first line of `--token-file`, or of standard input for `-`, without surrounding blanks.
    private func readToken() throws -> String {
        let data =
            tokenFile == "-"
            ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: tokenFile)
        guard let data else {
            printError("--token-file: cannot read \(tokenFile)")
            throw ExitCode.validationFailure
        }
        let token = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard !token.isEmpty, token.count <= 256, token.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else {
            printError("--token-file: expected the token on the first line (printable ASCII, no spaces)")
            throw ExitCode.validationFailure
        }
        return token
    }
}
