import Testing
import Foundation
import ConfigFile
import ModelKit
@testable import Training

/// Issue 18's reproductions on training configs: numbers out of any meaningful range are errors at load, and a
/// config whose buffers exceed the machine's memory is refused before anything is allocated, by the field.
@Suite struct HostileConfigTests {
    func message(_ text: String) -> String {
        do { _ = try TrainConfigLoader.parse(text: text, path: "hostile.yaml"); return "loaded" } catch { return "\(error)" }
    }

    @Test func hugeEvalBytesAndBatchesAreOutOfRange() {
        let base = tinyConfigText(corpora: "/x")
        #expect(message(base.replacingOccurrences(of: "eval_bytes: 256", with: "eval_bytes: 1e30"))
            .contains("hostile.yaml:10: data.eval_bytes: expected a number of evaluation bytes between 2 and 1000000000, found 1e+30"))
        #expect(message(base.replacingOccurrences(of: "batch_sequences: 4", with: "batch_sequences: 1e9"))
            .contains("training.batch_sequences: expected a batch in sequences between 1 and 1000000, found 1000000000"))
        #expect(message(base.replacingOccurrences(of: "steps: 12", with: "steps: 1e15"))
            .contains("training.steps: expected a number of optimizer steps between 1 and 10000000, found 1000000000000000"))
    }

    /// seq_length 1,000,000 passes the range check but its s² attention buffers cannot fit: refused by name.
    @Test func buffersBeyondMemoryAreRefusedBeforeAllocation() throws {
        let text = tinyConfigText(corpora: "/x").replacingOccurrences(of: "seq_length: 16", with: "seq_length: 1000000")
        #expect(text.contains("seq_length: 1000000"))
        let config = try TrainConfigLoader.parse(text: text, path: "long.yaml")
        #expect { try TrainingCheck.requireMemory(config, plan: config.plan, path: "long.yaml") } throws: { e in
            let s = "\(e)"
            return s.contains("long.yaml: model.seq_length: expected a model whose buffers fit in memory")
                && s.contains("attention probabilities")
        }
        let wide = try TrainConfigLoader.parse(text: tinyConfigText(corpora: "/x")
            .replacingOccurrences(of: "hidden: 16", with: "hidden: 100000").replacingOccurrences(of: "ffn_hidden: 32", with: "ffn_hidden: 400000"), path: "wide.yaml")
        #expect { try TrainingCheck.requireMemory(wide, plan: wide.plan, path: "wide.yaml") } throws: { "\($0)".contains("wide.yaml: model.hidden") }
    }

    /// The count of resident bytes follows the shape: doubling seq_length quadruples the attention buffer.
    @Test func residentBuffersScaleAsTheTrainerAllocates() throws {
        let m = ModelArchitecture(layers: 2, hidden: 64, heads: 4, ffnHidden: 256, vocab: 256, sequenceLength: 128)
        var longer = m; longer.sequenceLength = 256
        let a = MiniGPTMemory.buffers(m, microBatch: 2).first { $0.field == "model.seq_length" }!.bytes
        let b = MiniGPTMemory.buffers(longer, microBatch: 2).first { $0.field == "model.seq_length" }!.bytes
        #expect(b / a > 3 && b / a < 4)   // s·(s + 64): 256·320 / (128·192)
        #expect(MiniGPTMemory.buffers(m, microBatch: 2)[0].bytes == 2 * Double(ParameterCount(m).total) * 4)
    }
}
