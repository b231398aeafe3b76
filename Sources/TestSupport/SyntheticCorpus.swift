import Foundation

/// Two small synthetic text domains (`prose`, `code`; NUL-separated documents) in a fresh temporary folder,
/// for tests that train without the real corpora. Deterministic: the same bytes every time.
public func makeSyntheticCorpora(tag: String = "corpora") throws -> String {
    let dir = NSTemporaryDirectory() + "gb-\(tag)-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    var prose = Data(), code = Data()
    for d in 0..<60 {
        var s = "Document \(d).\n"
        for i in 0..<40 { s += words[(d * 7 + i * 3) % words.count] + (i % 9 == 8 ? ".\n" : " ") }
        prose.append(Data(s.utf8)); prose.append(0)
        var c = "def f\(d)(x):\n"
        for i in 0..<12 { c += "    x = x * \(i + d % 5) + \(i)\n" }
        c += "    return x\n"
        code.append(Data(c.utf8)); code.append(0)
    }
    try prose.write(to: URL(fileURLWithPath: dir + "/prose.txt"))
    try code.write(to: URL(fileURLWithPath: dir + "/code.txt"))
    return dir
}
