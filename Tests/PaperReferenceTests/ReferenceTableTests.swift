import Testing
import Foundation
@testable import PaperReference

@Suite struct ReferenceTableTests {
    static let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Data/reference").path

    @Test func shippedTablesLoadAndEveryRowHasASource() throws {
        let t = try ReferenceTable.load(directory: Self.dir)
        #expect(t.figures.count > 40)
        #expect(t.figures.allSatisfy { $0.source.hasPrefix("https://") })
        #expect(t.figure(paper: "flm-101b", stage: "total", quantity: "days")?.value == 21.54)
        let gpt3 = try #require(t.figure(paper: "gpt-3", stage: "total", quantity: "cost_zettaflops"))
        #expect(gpt3.value == 376.41 && gpt3.plusMinus == 53.77)
        #expect(t.figure(paper: "tele-flm", stage: "mup-proxy", quantity: "params")?.value == 283e6)
    }

    @Test func quotedFieldsAndErrors() throws {
        let header = ReferenceTable.columns.joined(separator: ",")
        let ok = try ReferenceTable.parse("\(header)\np,s,q,1.5,,u,https://x,\"a, \"\"quoted\"\" note\"\n", file: "t.csv")
        #expect(ok.figures[0].note == "a, \"quoted\" note")
        #expect(throws: ReferenceTableError.self) { try ReferenceTable.parse("\(header)\np,s,q,abc,,u,https://x,\n", file: "t.csv") }
        #expect(throws: ReferenceTableError.self) { try ReferenceTable.parse("\(header)\np,s,q,1,,u,,\n", file: "t.csv") }
        #expect(throws: ReferenceTableError.self) { try ReferenceTable.parse("a,b\n", file: "t.csv") }
    }
}
