import Foundation
import Testing

/// The notebooks in `Notebooks/` are committed clean: no outputs or execution counts (results belong to the
/// database and `out/notebooks/`, not to git), and each takes its database from a cell tagged `parameters`.
@Suite struct NotebookFileTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Notebooks")

    static var notebooks: [URL] {
        ((try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? [])
            .filter { $0.pathExtension == "ipynb" }.sorted { $0.path < $1.path }
    }

    @Test func notebooksAreCommittedWithoutOutputsAndWithAParametersCell() throws {
        #expect(!Self.notebooks.isEmpty)
        for url in Self.notebooks {
            let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            let cells = try #require(json["cells"] as? [[String: Any]], "\(url.lastPathComponent): no cells")
            for (i, cell) in cells.enumerated() where cell["cell_type"] as? String == "code" {
                #expect((cell["outputs"] as? [Any])?.isEmpty ?? true, "\(url.lastPathComponent) cell \(i) has outputs: strip them")
                #expect(cell["execution_count"] is NSNull || cell["execution_count"] == nil,
                        "\(url.lastPathComponent) cell \(i) has an execution count: strip it")
            }
            let tagged = cells.filter { (($0["metadata"] as? [String: Any])?["tags"] as? [String])?.contains("parameters") == true }
            #expect(tagged.count == 1, "\(url.lastPathComponent): expected one cell tagged 'parameters'")
            let source = (tagged.first?["source"] as? String) ?? ((tagged.first?["source"] as? [String])?.joined() ?? "")
            #expect(source.hasPrefix("DB = "), "\(url.lastPathComponent): the parameters cell sets DB")
        }
    }
}
