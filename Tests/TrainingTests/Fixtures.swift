import Foundation
import TestSupport
@testable import Training

/// Synthetic two-domain corpus in a fresh folder (shared generator in TestSupport).
func makeCorpora() throws -> String { try makeSyntheticCorpora(tag: "corpora") }

/// A tiny config over the synthetic domains.
func tinyConfigText(corpora: String, steps: Int = 12, lr: Double = 3e-3, checkpointEvery: Int = 4,
                    extra: String = "") -> String {
    """
    name: test-tiny
    seed: 11
    threads: 2
    model: {layers: 2, hidden: 16, heads: 2, ffn_hidden: 32, vocab: 256, seq_length: 16, activation: gelu,
            norm: layernorm, position: rope, tied_embeddings: true, linear_biases: true}
    data:
      dir: \(corpora)
      validation_fraction: 0.2
      mixture: {prose: 0.6, code: 0.4}
      eval_bytes: 256
    optimizer: {lr: \(lr), min_lr: 1.0e-4, warmup_steps: 3, weight_decay: 0.1, grad_clip: 1.0}
    training: {steps: \(steps), batch_sequences: 4, micro_batch: 2, eval_every: 6, checkpoint_every: \(checkpointEvery), log_every: 100}
    \(extra)
    """
}

func tinyConfig(corpora: String, steps: Int = 12, lr: Double = 3e-3, checkpointEvery: Int = 4) throws -> TrainConfig {
    try TrainConfigLoader.parse(text: tinyConfigText(corpora: corpora, steps: steps, lr: lr, checkpointEvery: checkpointEvery),
                                path: "tiny.yaml")
}

func temporaryDirectory(_ tag: String) -> String {
    let dir = NSTemporaryDirectory() + "gb-\(tag)-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}
