import Testing
import Foundation
import Corpus
@testable import Training

@Suite struct CheckpointTests {
    func header(_ n: Int) -> CheckpointHeader {
        CheckpointHeader(formatVersion: 1, configFingerprint: "abc", configName: "t", step: 3, tokens: 12,
                         sampler: SamplerState(rng: [1, 2, 3, 4], drawn: 9), parameterCount: n, tensorNames: ["w"],
                         history: TrainingHistory(), runId: 5)
    }

    func write(_ path: String, n: Int = 100) throws -> [[Float]] {
        let arrays = (0..<3).map { k in (0..<n).map { Float($0 * (k + 1)) * 0.5 } }
        try arrays[0].withUnsafeBufferPointer { a in try arrays[1].withUnsafeBufferPointer { b in
            try arrays[2].withUnsafeBufferPointer { c in try Checkpoint.write(path: path, header: header(n), arrays: [a, b, c]) } } }
        return arrays
    }

    func read(_ path: String, n: Int = 100) throws -> (CheckpointHeader, [[Float]]) {
        var a0 = [Float](repeating: 0, count: n), a1 = a0, a2 = a0
        let h = try a0.withUnsafeMutableBufferPointer { a in try a1.withUnsafeMutableBufferPointer { b in
            try a2.withUnsafeMutableBufferPointer { c in try Checkpoint.read(path: path, into: [a, b, c]) } } }
        let out = [a0, a1, a2]
        return (h, out)
    }

    @Test func roundTripAndNoTemporaryLeftBehind() throws {
        let dir = temporaryDirectory("ckpt"), path = dir + "/c.ckpt"
        let arrays = try write(path)
        let (h, back) = try read(path)
        #expect(h == header(100))
        #expect(back == arrays)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["c.ckpt"])
    }

    @Test func truncatedCheckpointIsRefused() throws {
        let path = temporaryDirectory("trunc") + "/c.ckpt"
        _ = try write(path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        for cut in [data.count - 1, data.count - 401, 300, 10] {
            try data.prefix(cut).write(to: URL(fileURLWithPath: path))
            #expect { _ = try read(path) } throws: { e in
                let s = "\(e)"
                return e is CheckpointError && s.contains(path) && (s.contains("truncated") || s.contains("checksum"))
            }
        }
    }

    @Test func corruptedCheckpointIsRefused() throws {
        let path = temporaryDirectory("corrupt") + "/c.ckpt"
        _ = try write(path)
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data[data.count - 300] ^= 0x10          // one bit in the second moment
        try data.write(to: URL(fileURLWithPath: path))
        #expect { _ = try read(path) } throws: { "\($0)".contains("corrupted or truncated: checksum mismatch") }
        var foreign = data; foreign[0] = UInt8(ascii: "X")
        try foreign.write(to: URL(fileURLWithPath: path))
        #expect { _ = try read(path) } throws: { "\($0)".contains("not a GrowthBench checkpoint") }
        var future = try { () -> Data in _ = try write(path); return try Data(contentsOf: URL(fileURLWithPath: path)) }()
        future[8] = 9
        try future.write(to: URL(fileURLWithPath: path))
        #expect { _ = try read(path) } throws: { "\($0)".contains("format version 9 is not supported") }
    }

    /// A checkpoint from another experiment is refused instead of silently mixing runs.
    @Test func differentConfigIsRefused() throws {
        let corpora = try makeCorpora()
        let out = temporaryDirectory("fp")
        var o = TrainOptions(outputDirectory: out); o.quiet = true
        _ = try Trainer(config: try tinyConfig(corpora: corpora, steps: 4), options: o).run()
        o.resume = true
        #expect { _ = try Trainer(config: try tinyConfig(corpora: corpora, steps: 4, lr: 1e-3), options: o) } throws: {
            "\($0)".contains("different configuration")
        }
    }
}
