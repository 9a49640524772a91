import Foundation

/// A temporary folder, removed when the test ends.
public struct TemporaryDirectory: ~Copyable {
    public let path: String

    /// A new, empty folder under the system's temporary directory.
    public init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("kiosk-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// Writes `text` into the file `name` of the folder; returns its path.
    public func write(_ name: String, _ text: String) throws -> String {
        let file = (path as NSString).appendingPathComponent(name)
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
