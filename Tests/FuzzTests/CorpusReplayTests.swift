import Foundation
import FuzzTargets
import Testing

/// Every seed and every past finding in Fuzz/Corpus, run through its target in the plain build: a parser change
/// that crashes on a known input fails here, without the fuzz build. `make test` also runs each target under
/// libFuzzer for a few seconds (scripts/fuzz).
@Suite("fuzz corpus replay")
struct CorpusReplayTests {
    static let corpus = URL(filePath: #filePath).deletingLastPathComponent().appending(path: "../../Fuzz/Corpus")
        .standardizedFileURL

    @Test("every target has seeds", arguments: FuzzTarget.all.map(\.name))
    func seeds(target: String) throws {
        #expect(try inputs(of: target).count >= 2, "Fuzz/Corpus/\(target) needs seeds")
    }

    @Test("every input in the corpus is handled", arguments: FuzzTarget.all.map(\.name))
    func replay(target name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        for input in try inputs(of: name) {
            target.run(Array(try Data(contentsOf: input)))
        }
    }

    @Test("every corpus folder belongs to a target")
    func noStrayFolders() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path)
        #expect(Set(folders).subtracting(FuzzTarget.all.map(\.name)).isEmpty)
    }

    private func inputs(of target: String) throws -> [URL] {
        let folder = Self.corpus.appending(path: target)
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
            folder.appending(path: $0)
        }
    }
}
