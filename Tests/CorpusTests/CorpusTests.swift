import Testing
import Foundation
@testable import Corpus

private func documents(_ n: Int) -> [UInt8] {
    var out: [UInt8] = []
    for i in 0..<n { out += Array("document \(i): some text about topic \(i % 7)\n".utf8); out.append(0) }
    return out
}

@Suite struct CorpusTests {
    @Test func splitKeepsWholeDocumentsAndIsSeeded() throws {
        let bytes = documents(400)
        let a = try TextDomain.split(name: "x", bytes: bytes, validationFraction: 0.1, seed: 1)
        let b = try TextDomain.split(name: "x", bytes: bytes, validationFraction: 0.1, seed: 1)
        let c = try TextDomain.split(name: "x", bytes: bytes, validationFraction: 0.1, seed: 2)
        #expect(a.train == b.train && a.validation == b.validation)
        #expect(a.validation != c.validation)
        #expect(a.trainDocuments + a.validationDocuments == 400)
        #expect(a.validationDocuments > 20 && a.validationDocuments < 70)
        // Every validation document is a whole source document, absent from training.
        let trainDocs = Set(a.train.split(separator: 0).map { Array($0) })
        for doc in a.validation.split(separator: 0) {
            #expect(!trainDocs.contains(Array(doc)))
            #expect(String(decoding: doc, as: UTF8.self).hasPrefix("document "))
        }
    }

    @Test func badInputsAreRejectedWithTheFile() throws {
        #expect(throws: CorpusError.self) { try TextDomain.split(name: "x", bytes: Array("one doc".utf8), validationFraction: 0.1, seed: 1) }
        do {
            _ = try TextDomain.load(name: "missing", directory: "/nonexistent", validationFraction: 0.1, seed: 1)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("/nonexistent/missing.txt"))
            #expect("\(error)".contains("build-corpora"))
        }
    }

    @Test func samplerFollowsProportionsAndResumesExactly() throws {
        let a = try TextDomain.split(name: "a", bytes: documents(50), validationFraction: 0.1, seed: 1)
        let b = try TextDomain.split(name: "b", bytes: documents(60), validationFraction: 0.1, seed: 1)
        var s = MixtureSampler(names: ["a", "b"], weights: [3, 1], seed: 5)
        var counts = [0, 0]
        var buf = [Int32](repeating: 0, count: 17)
        for _ in 0..<4000 { counts[buf.withUnsafeMutableBufferPointer { s.nextWindow(from: [a, b], length: 17, into: $0.baseAddress!) }] += 1 }
        #expect(abs(Double(counts[0]) / 4000 - 0.75) < 0.03)
        let saved = s.state
        var next: [[Int32]] = []
        for _ in 0..<10 { buf.withUnsafeMutableBufferPointer { _ = s.nextWindow(from: [a, b], length: 17, into: $0.baseAddress!) }; next.append(buf) }
        var r = MixtureSampler(names: ["a", "b"], weights: [3, 1], seed: 999)
        try r.restore(saved)
        for i in 0..<10 {
            buf.withUnsafeMutableBufferPointer { _ = r.nextWindow(from: [a, b], length: 17, into: $0.baseAddress!) }
            #expect(buf == next[i])
        }
        #expect(r.drawn == 4010)
    }

    @Test func unigramBaselineIsTheByteEntropy() {
        // Two equiprobable symbols: 1 bit per byte (up to the add-one smoothing of the 254 unseen bytes).
        let train = [UInt8](repeating: 65, count: 50_000) + [UInt8](repeating: 66, count: 50_000)
        let u = UnigramBaseline(training: train)
        #expect(abs(u.bitsPerByte(on: [65, 66, 65, 66]) - 1) < 0.01)
        #expect(u.bitsPerByte(on: [67]) > 15)  // an unseen byte costs about log₂(100256) bits
    }
}
