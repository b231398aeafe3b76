import Foundation
import TestSupport

/// Synthetic two-domain corpus in a fresh folder (shared generator in TestSupport).
func makeCorpora() throws -> String { try makeSyntheticCorpora(tag: "mup-corpora") }

/// A tiny µP proxy training config and a sweep over it, written to a fresh folder; returns the sweep path.
func writeTinySweep(corpora: String, widths: String = "[16, 32]", lrs: String = "[1.0e-3, 4.0e-3]") throws -> String {
    let dir = NSTemporaryDirectory() + "gb-sweep-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    try """
    name: tiny-proxy
    seed: 5
    threads: 2
    model: {layers: 1, hidden: 16, heads: 2, ffn_hidden: 64, vocab: 256, seq_length: 16, position: rope, tied_embeddings: false}
    parametrization: {kind: mup, base_hidden: 16, learning_rate: 2.0e-3, min_learning_rate: 2.0e-4}
    data:
      dir: \(corpora)
      validation_fraction: 0.2
      mixture: {prose: 0.6, code: 0.4}
      eval_bytes: 256
      weightings:
        mixture: {prose: 0.6, code: 0.4}
    optimizer: {warmup_steps: 2, weight_decay: 0.1, grad_clip: 1.0}
    training: {steps: 6, batch_sequences: 4, micro_batch: 4, eval_every: 6, checkpoint_every: 6, log_every: 100}
    """.write(toFile: dir + "/proxy.yaml", atomically: true, encoding: .utf8)
    try """
    name: tiny-sweep
    train: proxy.yaml
    widths: \(widths)
    parametrizations: [sp, mup]
    learning_rates: \(lrs)
    """.write(toFile: dir + "/sweep.yaml", atomically: true, encoding: .utf8)
    return dir + "/sweep.yaml"
}
