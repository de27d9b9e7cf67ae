import Foundation
import Testing
@testable import sandbox_fuzz

/// The fuzz targets' seed corpus (Tests/Fuzz/Corpus), each file run through its target as `make fuzz` runs
/// it: the inputs that once made a parser trap stay fixed.
struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/Corpus")

    @Test(arguments: FuzzTarget.all.map(\.name))
    func seedsReplay(target name: String) throws {
        let target = try #require(FuzzTarget.named(name))
        let directory = Self.corpus.appendingPathComponent(name)
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(!files.isEmpty, "every target has seeds in Tests/Fuzz/Corpus/\(name)")
        for file in files {
            target.run(Array(try Data(contentsOf: directory.appendingPathComponent(file))))
        }
    }
}
