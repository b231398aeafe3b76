import Foundation
@testable import Training

/// Small synthetic text domains (NUL-separated documents) in a fresh temporary folder, so tests never need
/// the real corpora.
func makeCorpora() throws -> String {
    let dir = NSTemporaryDirectory() + "gb-corpora-\(UUID().uuidString)"
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
