import Testing
import Yams
@testable import ConfigFile

@Suite struct ParseTests {
    private func node(_ s: String) -> Node { Node(s) }

    @Test func quantitiesAcceptSuffixesAndSeparators() {
        #expect(Parse.quantity(node("245.37B")) == 245.37e9)
        #expect(Parse.quantity(node("2T")) == 2e12)
        #expect(Parse.quantity(node("4.6M")) == 4.6e6)
        #expect(Parse.quantity(node("5,505,024")) == 5_505_024)
        #expect(Parse.quantity(node("2.0e12")) == 2e12)
        #expect(Parse.quantity(node("lots")) == nil)
        #expect(Parse.quantity(node("nan")) == nil)
    }

    @Test func integersAcceptIntegralFloats() {
        #expect(Parse.int(node("4608000")) == 4_608_000)
        #expect(Parse.int(node("4.608e6")) == 4_608_000)
        #expect(Parse.int(node("4.5")) == nil)
        #expect(Parse.int(node("four")) == nil)
    }

    @Test func booleans() {
        #expect(Parse.bool(node("true")) == true)
        #expect(Parse.bool(node("off")) == false)
        #expect(Parse.bool(node("maybe")) == nil)
    }

    @Test func readerReportsLinesForMissingAndUnknownKeys() throws {
        let doc = try ConfigDocument(text: "a: 1\nb:\n  c: x\n  d: 2\n", file: "f.yaml")
        let root = try #require(doc.rootMapping())
        _ = root.int("a")
        let b = try #require(root.mapping("b"))
        _ = b.int("c")
        _ = b.int("e")
        b.rejectUnknownKeys()
        root.rejectUnknownKeys()
        let fields = doc.errors.map { "\($0.field)@\($0.line ?? -1)" }
        #expect(fields.contains("b.c@3"))   // wrong type, on its own line
        #expect(fields.contains("b.d@4"))   // unknown key
        #expect(fields.contains("b.e@3"))   // missing: reported at the mapping's first line
        #expect(throws: ConfigErrors.self) { try doc.throwIfErrors() }
    }

    @Test func emptyAndNonMappingDocuments() throws {
        #expect(throws: ConfigErrors.self) { try ConfigDocument(text: "", file: "e.yaml") }
        let doc = try ConfigDocument(text: "- 1\n- 2\n", file: "l.yaml")
        #expect(doc.rootMapping() == nil)
        #expect(doc.errors.first?.message.contains("expected a mapping") == true)
    }
}
