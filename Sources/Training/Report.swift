import Foundation
import ModelKit

/// Text rendering of evaluations and the final summary.
public enum Report {
    public static func evaluationLine(step: Int, _ r: EvaluationResult) -> String {
        let domains = r.domains.map { String(format: "%@ %.3f", $0.domain, $0.bitsPerByte) }.joined(separator: ", ")
        let weighted = r.weighted.map { String(format: "%@ %.3f", $0.name, $0.bitsPerByte) }.joined(separator: ", ")
        return "eval @ step \(step): validation BPB \(domains); weighted \(weighted)"
    }

    /// One line when a growth is applied.
    public static func growthLine(_ e: GrowthEvent) -> String {
        let a = e.growth.from, b = e.growth.to
        return "growth @ step \(e.step): \(e.growth.op.rawValue) — \(shape(a)) → \(shape(b)); mask ramps 0 → 1 over \(e.growth.rampSteps) steps"
    }

    static func shape(_ m: ModelArchitecture) -> String {
        "\(m.layers)L d=\(m.hidden) \(m.heads)h ffn \(m.ffnHidden)"
    }

    /// The per-domain table: validation loss and BPB against the unigram baseline, then the weighted sums.
    public static func render(_ s: TrainSummary) -> String {
        var lines: [String] = []
        let m = s.model
        lines.append("\(s.name): \(s.status.rawValue) after \(s.steps) steps, \(format(s.tokens)) tokens")
        if let msg = s.message { lines.append("  \(msg)") }
        lines.append("model: \(m.layers) layers, d=\(m.hidden), \(m.heads) heads, ffn \(m.ffnHidden), seq \(m.sequenceLength), \(m.activation.rawValue), \(m.norm.rawValue), \(m.position.rawValue)\(m.tiedEmbeddings ? ", tied" : ""); \(format(Double(s.parameters))) parameters (\(format(Double(s.nonEmbeddingParameters))) non-embedding)")
        lines.append("")
        lines.append(pad("domain", 16) + pad("val loss", 10, right: true) + pad("val BPB", 10, right: true) + pad("unigram BPB", 13, right: true) + pad("Δ BPB", 9, right: true))
        let baseline = Dictionary(uniqueKeysWithValues: s.unigramBitsPerByte.map { ($0.domain, $0.bitsPerByte) })
        for d in s.evaluation?.domains ?? [] {
            let u = baseline[d.domain] ?? .nan
            lines.append(pad(d.domain, 16) + num(d.loss, 10) + num(d.bitsPerByte, 10) + num(u, 13) + num(d.bitsPerByte - u, 9))
        }
        for w in s.evaluation?.weighted ?? [] {
            let u = s.unigramWeighted.first { $0.name == w.name }?.bitsPerByte ?? .nan
            lines.append(pad("Σ \(w.name)", 16) + num(w.loss, 10) + num(w.bitsPerByte, 10) + num(u, 13) + num(w.bitsPerByte - u, 9))
        }
        lines.append("")
        lines.append(String(format: "throughput: %.0f tokens/s, %.1f GFLOP/s achieved on ModelKit's counted FLOPs (full s×s attention; block-causal attention executes %.0f%% of the attention core, %.1f%% of all counted FLOPs), %d threads",
                            s.tokensPerSecond, s.gflopsPerSecond, s.attentionExecutedFraction * 100, s.executedFlopFraction * 100, s.threads))
        lines.append(String(format: "time: %.1f s training, %.1f s wall in this process", s.trainSeconds, s.wallSeconds)
                     + (s.resumedFromStep.map { ", resumed from step \($0)" } ?? ""))
        if let stages = s.stages {
            lines.append("")
            lines.append(pad("stage", 10) + pad("shape", 26) + pad("params", 9, right: true) + pad("steps", 7, right: true)
                         + pad("tokens", 9, right: true) + pad("GFLOP", 9, right: true) + pad("seconds", 9, right: true)
                         + pad("tokens/s", 10, right: true) + "  growth")
            for st in stages {
                let rate = st.seconds > 0 ? st.tokens / st.seconds : .nan
                lines.append(pad(st.name, 10) + pad(shape(st.model), 26) + pad(format(Double(st.parameters)), 9, right: true)
                             + pad("\(st.steps)", 7, right: true) + pad(format(st.tokens), 9, right: true)
                             + pad(String(format: "%.0f", st.countedFlops / 1e9), 9, right: true)
                             + pad(String(format: "%.1f", st.seconds), 9, right: true)
                             + pad(rate.isFinite ? String(format: "%.0f", rate) : "–", 10, right: true)
                             + "  " + (st.growth.isEmpty ? "–" : st.growth.joined(separator: " → ") + " (ramp \(st.rampSteps ?? 0))"))
            }
        }
        if let c = s.checkpoint { lines.append("checkpoint: \(c)") }
        return lines.joined(separator: "\n")
    }

    static func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let p = String(repeating: " ", count: max(0, n - s.count))
        return right ? p + s : s + p
    }

    static func num(_ x: Double, _ n: Int) -> String { pad(x.isFinite ? String(format: "%.4f", x) : "–", n, right: true) }

    static func format(_ x: Double) -> String {
        switch x {
        case 1e9...: String(format: "%.2fB", x / 1e9)
        case 1e6...: String(format: "%.2fM", x / 1e6)
        case 1e3...: String(format: "%.1fK", x / 1e3)
        default: String(format: "%.0f", x)
        }
    }
}
