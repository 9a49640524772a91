import Foundation

/// A tool from a Debian package (poppler's pdftotext, zbar's zbarimg, pcscd in /usr/sbin), run to its end for its
/// standard output.
/// A missing tool names the package to install.
enum DebianTool {
    struct Problem: Error, CustomStringConvertible {
        var description: String
        /// The tool is not installed (rather than failing on its input): no caller may take this for "nothing found".
        var isMissing = false
    }

    static func run(_ name: String, _ arguments: [String], package: String) throws -> String {
        guard
            let path = ["/usr/bin/", "/bin/", "/usr/sbin/"].map({ $0 + name })
                .first(where: FileManager.default.isExecutableFile)
        else { throw Problem(description: "\(name) is missing: apt-get install \(package)", isMissing: true) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Problem(description: "\(name) could not read its input (exit status \(process.terminationStatus))")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
