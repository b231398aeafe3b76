import Foundation
import SeededRandom

/// Problems with corpus files, each naming the file and what was expected.
public struct CorpusError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// One text domain (e.g. English prose, Chinese, Python code) as bytes, split by document into a training and
/// a validation stream. Byte-level tokens: the vocabulary is the 256 byte values, so a loss in nats per token
/// divided by ln 2 is bits per byte. Documents inside a stream are separated by one 0x00 byte.
public struct TextDomain: Sendable {
    public static let documentSeparator: UInt8 = 0

    public var name: String
    public var train: [UInt8]
    public var validation: [UInt8]
    public var trainDocuments: Int
    public var validationDocuments: Int

    public init(name: String, train: [UInt8], validation: [UInt8], trainDocuments: Int, validationDocuments: Int) {
        self.name = name; self.train = train; self.validation = validation
        self.trainDocuments = trainDocuments; self.validationDocuments = validationDocuments
    }

    /// Reads `directory/name.txt` (documents separated by NUL, as scripts/build-corpora.sh writes them) and
    /// splits it by document.
    public static func load(name: String, directory: String, validationFraction: Double, seed: UInt64) throws -> TextDomain {
        let path = (directory as NSString).appendingPathComponent("\(name).txt")
        guard FileManager.default.fileExists(atPath: path) else {
            throw CorpusError("\(path): domain file not found (expected a NUL-separated text file; build the corpora with `make corpora` or scripts/build-corpora.sh)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CorpusError("\(path): cannot read the domain file")
        }
        return try split(name: name, bytes: [UInt8](data), validationFraction: validationFraction, seed: seed, source: path)
    }

    /// Document-level split: document i goes to validation when a seeded hash of (seed, name, i) falls below
    /// `validationFraction`, so the split is stable, independent of document order elsewhere, and no document
    /// straddles the two streams. At least one document lands on each side.
    public static func split(name: String, bytes: [UInt8], validationFraction: Double, seed: UInt64,
                             source: String = "<memory>") throws -> TextDomain {
        guard validationFraction > 0 && validationFraction < 1 else {
            throw CorpusError("\(source): validation fraction must be in (0, 1), found \(validationFraction)")
        }
        var documents: [ArraySlice<UInt8>] = []
        var start = 0
        for i in 0...bytes.count where i == bytes.count || bytes[i] == documentSeparator {
            if i > start {
                let doc = bytes[start..<i]
                if doc.contains(where: { $0 != 10 && $0 != 32 }) { documents.append(doc) }
            }
            start = i + 1
        }
        guard documents.count >= 2 else {
            throw CorpusError("\(source): expected at least 2 non-empty documents separated by NUL bytes, found \(documents.count)")
        }
        var isValidation = documents.indices.map { i -> Bool in
            var g = Xoshiro256(seed: seed ^ UInt64(truncatingIfNeeded: i) &* 0x9E37_79B9_7F4A_7C15, stream: name)
            return g.nextDouble() < validationFraction
        }
        if !isValidation.contains(true) { isValidation[documents.count - 1] = true }
        if !isValidation.contains(false) { isValidation[0] = false }
        var train: [UInt8] = [], validation: [UInt8] = []
        train.reserveCapacity(bytes.count)
        var nt = 0, nv = 0
        for (doc, v) in zip(documents, isValidation) {
            if v { validation.append(contentsOf: doc); validation.append(documentSeparator); nv += 1 }
            else { train.append(contentsOf: doc); train.append(documentSeparator); nt += 1 }
        }
        return TextDomain(name: name, train: train, validation: validation, trainDocuments: nt, validationDocuments: nv)
    }
}
