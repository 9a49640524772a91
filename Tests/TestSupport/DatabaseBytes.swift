import Foundation

/// What a stolen disk shows of a SQLite database: the raw bytes of the file and of its -wal, searched for text.
public enum DatabaseBytes {
    /// Which of `texts` appear, byte for byte (UTF-8), anywhere in the database at `path` or in its -wal file
    /// (free pages and old WAL frames included: what `strings` on the disk would find).
    public static func found(_ texts: [String], in path: String) -> [String] {
        let files = [path, path + "-wal"].compactMap { FileManager.default.contents(atPath: $0) }
        return texts.filter { text in files.contains { $0.range(of: Data(text.utf8)) != nil } }
    }
}
