import ArgumentParser
import Foundation
import KioskKit

/// `kiosk doctor`: what is wrong with this kiosk and how to fix it.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration, devices and services; say what is wrong and how to fix it.",
        discussion: """
            Checks the configuration, the state directory, the registry, the disk, enrollment and the outbox, the \
            letter fonts, pcscd (socket, polkit) and its card readers, a wedge reader's device node, the CUPS queue, \
            the thermal printer (node or USB device, then its status), the clock's synchronization and whether the \
            provincial API answers. Exits 1 when a check fails; warnings do not fail.
            """)

    @OptionGroup var options: ConfigOption

    func run() async throws {
        // As root, the doctor looks as kiosk.service would: as the kiosk user, with its credentials.
        CredentialRelaunch.ifNeeded()
        let findings = await Doctor.examine(configPath: options.config, machine: .live)
        print(Doctor.report(findings))
        if findings.contains(where: { $0.verdict == .fail }) { throw ExitCode(1) }
    }
}
