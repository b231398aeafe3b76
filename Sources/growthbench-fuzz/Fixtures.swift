import Foundation
import Fuzzing
import TestSupport

/// What every case shares: a small corpus with the shipped configs' domain names, a short copy of the tiny
/// config, and a real checkpoint of it (written by a run killed after step 4) for the forgeries.
struct Fixtures {
    var corpora: String
    var tinyConfig: String
    var checkpoint: [UInt8]

    static let domains = ["en-bible", "en-fortunes", "zh-fortunes", "code-python"]

    static func make(root: String, work: String, runner: ProcessRunner) throws -> Fixtures {
        let fm = FileManager.default
        // The synthetic corpus (prose and code), filed under the real domains' names so shipped configs load.
        let synthetic = try makeSyntheticCorpora(tag: "fuzz")
        let corpora = work + "/corpora"
        try fm.createDirectory(atPath: corpora, withIntermediateDirectories: true)
        for d in domains {
            try fm.copyItem(atPath: synthetic + (d.hasPrefix("code") ? "/code.txt" : "/prose.txt"), toPath: "\(corpora)/\(d).txt")
        }
        try? fm.removeItem(atPath: synthetic)

        var tiny = try String(contentsOfFile: root + "/Scenarios/mini/tiny.yaml", encoding: .utf8)
        tiny = tiny.replacingOccurrences(of: "name: mini-tiny", with: "name: fuzz-tiny")
        tiny = tiny.replacingOccurrences(of: #"training: \{.*\}"#, with: "training: {steps: 8, batch_sequences: 4, micro_batch: 2, eval_every: 4, checkpoint_every: 4, log_every: 4}",
                                         options: .regularExpression)
        let tinyConfig = work + "/fuzz-tiny.yaml"
        try tiny.write(toFile: tinyConfig, atomically: true, encoding: .utf8)

        let base = work + "/base"
        try fm.createDirectory(atPath: base, withIntermediateDirectories: true)
        let killed = runner.run(["train", tinyConfig, "--corpora", corpora, "--out", base + "/out", "--db", base + "/results.sqlite",
                                 "--debug-sigkill-after-step", "4"], in: base)
        guard let checkpoint = fm.contents(atPath: base + "/out/checkpoint.ckpt") else {
            throw FixtureError("no checkpoint after the base run (exit \(killed.status)): \(killed.stderr.suffix(2000))")
        }
        return Fixtures(corpora: corpora, tinyConfig: tinyConfig, checkpoint: Array(checkpoint))
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
