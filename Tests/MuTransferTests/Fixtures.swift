import Foundation

/// Synthetic two-domain corpus in a fresh folder (tests never need the real corpora).
func makeCorpora() throws -> String {
    let dir = NSTemporaryDirectory() + "gb-mup-corpora-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    let words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
    var prose = Data(), code = Data()
    for d in 0..<60 {
        var s = "Document \(d).\n"
        for i in 0..<40 { s += words[(d * 7 + i * 3) % words.count] + (i % 9 == 8 ? ".\n" : " ") }
        prose.append(Data(s.utf8)); prose.append(0)
        var c = "def f\(d)(x):\n"
        for i in 0..<12 { c += "    x = x * \(i + d % 5) + \(i)\n" }
        code.append(Data(c.utf8)); code.append(0)
    }
    try prose.write(to: URL(fileURLWithPath: dir + "/prose.txt"))
    try code.write(to: URL(fileURLWithPath: dir + "/code.txt"))
    return dir
}

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
