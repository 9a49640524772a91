import ArgumentParser
import Foundation

/// `kiosk doctor`: what is wrong with this kiosk and how to fix it.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the configuration, devices and services; say what is wrong and how to fix it.")

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let findings = Doctor.examine(configPath: options.config)
        print(Doctor.report(findings))
        if findings.contains(where: { $0.verdict == .fail }) { throw ExitCode(1) }
    }
}
