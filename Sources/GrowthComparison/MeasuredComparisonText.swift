import Foundation
import Training

extension MeasuredComparison {
    /// Side-by-side table: time, tokens, FLOPs, final validation BPB per domain and weighted, savings.
    public func renderText(paperSaving: Double? = nil, paperSpeedup: Double? = nil) -> String {
        var lines: [String] = []
        let g = growth.summary, s = scratch.summary
        func row(_ label: String, _ a: String, _ b: String) {
            lines.append(label.padding(toLength: 34, withPad: " ", startingAt: 0) + pad(a, 16) + pad(b, 16))
        }
        lines.append("Measured on this machine: \(growth.name) (growth) vs \(scratch.name) (scratch), \(g.threads) threads")
        lines.append("")
        row("", "growth", "scratch")
        row("run", "#\(growth.runId)\(growth.reused ? " (reused)" : "")", "#\(scratch.runId)\(scratch.reused ? " (reused)" : "")")
        row("final shape", shape(g), shape(s))
        row("parameters (final)", count(Double(g.parameters)), count(Double(s.parameters)))
        row("tokens", count(g.tokens), count(s.tokens))
        row("optimizer steps", "\(g.steps)", "\(s.steps)")
        row("training time (steps only)", duration(growthSeconds), duration(scratchSeconds))
        row("counted FLOPs (per-op model)", count(g.countedFlops ?? .nan), count(s.countedFlops ?? .nan))
        row("executed FLOPs (block-causal)", count(g.executedFlops ?? .nan), count(s.executedFlops ?? .nan))
        row("achieved GFLOP/s (counted)", String(format: "%.1f", (g.countedFlops ?? 0) / growthSeconds / 1e9),
            String(format: "%.1f", (s.countedFlops ?? 0) / scratchSeconds / 1e9))
        for d in g.evaluation?.domains ?? [] {
            let other = s.evaluation?.domains.first { $0.domain == d.domain }
            row("val BPB \(d.domain)", String(format: "%.4f", d.bitsPerByte), other.map { String(format: "%.4f", $0.bitsPerByte) } ?? "–")
        }
        for w in g.evaluation?.weighted ?? [] {
            let other = s.evaluation?.weighted.first { $0.name == w.name }
            row("val BPB Σ \(w.name)", String(format: "%.4f", w.bitsPerByte), other.map { String(format: "%.4f", $0.bitsPerByte) } ?? "–")
        }
        lines.append("")
        lines.append(String(format: "At equal tokens (FLM-101B's framing): growth takes %@ against %@ — a %.1f%% time saving, %.2f× speedup.",
                            duration(growthSeconds), duration(scratchSeconds), timeSaving * 100, speedupAtEqualTokens))
        if let gap = bpbGap {
            lines.append(String(format: "Final validation BPB (%@): growth %.4f, scratch %.4f, gap %+.4f bits/byte (%@).",
                                weighting, growthFinalBPB!, scratchFinalBPB!, gap,
                                gap > 0 ? "the grown model is worse at equal tokens" : "the grown model is as good or better"))
        }
        if let t = scratchSecondsToGrowthLoss, let k = speedupAtEqualLoss {
            lines.append(String(format: "At equal loss: scratch reaches the grown model's final %.4f BPB after %@ (%@ tokens); speedup %.2f×.",
                                growthFinalBPB!, duration(t), count(scratchTokensToGrowthLoss!), k))
        } else if growthFinalBPB != nil {
            lines.append(String(format: "At equal loss: not reached — the scratch run never gets down to the grown model's %.4f BPB in its %@; the speedup at equal loss is above %.2f×.",
                                growthFinalBPB!, duration(scratchSeconds), speedupAtEqualTokens))
        }
        if let p = paperSaving, let k = paperSpeedup {
            lines.append(String(format: "FLM-101B (paper §2.3, 101B from scratch estimated at the last stage's throughput): %.0f%% saving, %.2f×.", p * 100, k))
        }
        lines.append("Time is the sum of measured optimizer-step seconds; FLOPs are ModelKit's per-op counts at each step's shape.")
        return lines.joined(separator: "\n")
    }

    private func shape(_ s: TrainSummary) -> String { "\(s.model.layers)L d=\(s.model.hidden)" }
    private func pad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }

    func count(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        switch abs(x) {
        case 1e15...: return String(format: "%.2fP", x / 1e15)
        case 1e12...: return String(format: "%.2fT", x / 1e12)
        case 1e9...: return String(format: "%.2fG", x / 1e9)
        case 1e6...: return String(format: "%.2fM", x / 1e6)
        case 1e3...: return String(format: "%.1fK", x / 1e3)
        default: return String(format: "%.0f", x)
        }
    }

    func duration(_ s: Double) -> String {
        s >= 3600 ? String(format: "%.2f h", s / 3600) : s >= 60 ? String(format: "%.1f min", s / 60) : String(format: "%.1f s", s)
    }
}
