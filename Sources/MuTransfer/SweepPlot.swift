import Foundation
import MiniGPT
import Reporting

/// Tensor Programs V Figure 1 from a sweep: validation loss against log2 LR, one curve per width, SP and µP
/// side by side on the same axes. Diverged runs are drawn as × at the top of their panel.
public enum SweepPlot {
    public static func render(_ a: SweepAnalysis, title: String) -> String {
        let kinds = Array(Set(a.curves.map(\.kind))).sorted { $0.rawValue > $1.rawValue }   // sp, then mup
        let panelW = 560.0, panelH = 380.0, left = 60.0, top = 50.0, gap = 40.0
        let width = left + Double(kinds.count) * (panelW + gap), height = top + panelH + 90
        let xs = a.curves.flatMap { $0.points.map(\.log2LearningRate) }
        let ys = a.curves.flatMap { $0.points.compactMap(\.bpb) }
        guard let xMin = xs.min(), let xMax = xs.max(), let yMin = ys.min() else {
            return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"40\"><text x=\"10\" y=\"25\">no results yet</text></svg>\n"
        }
        // Show the basin: from the best loss to 0.6 bits above it (worse points are clipped to the top edge).
        let y0 = (yMin * 10).rounded(.down) / 10, y1 = y0 + 0.6
        let widths = Array(Set(a.curves.map(\.width))).sorted()
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
        s += "<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">\(SVGChart.escape(title))</text>\n"
        for (k, kind) in kinds.enumerated() {
            let ox = left + Double(k) * (panelW + gap)
            func X(_ v: Double) -> Double { ox + (v - xMin) / max(xMax - xMin, 1e-9) * panelW }
            func Y(_ v: Double) -> Double { top + panelH - (min(max(v, y0), y1) - y0) / (y1 - y0) * panelH }
            s += "<text x=\"\(f(ox + panelW / 2))\" y=\"\(f(top - 10))\" text-anchor=\"middle\" font-size=\"13\">\(kind == .mup ? "µP" : "SP")</text>\n"
            s += "<rect x=\"\(f(ox))\" y=\"\(f(top))\" width=\"\(f(panelW))\" height=\"\(f(panelH))\" fill=\"none\" stroke=\"#333\"/>\n"
            for v in stride(from: xMin, through: xMax, by: 1) {
                s += "<text x=\"\(f(X(v)))\" y=\"\(f(top + panelH + 16))\" text-anchor=\"middle\">\(Int(v))</text>\n"
            }
            for v in stride(from: y0, through: y1 + 1e-9, by: 0.1) {
                s += "<line x1=\"\(f(ox))\" x2=\"\(f(ox + panelW))\" y1=\"\(f(Y(v)))\" y2=\"\(f(Y(v)))\" stroke=\"#eee\"/>\n"
                if k == 0 { s += "<text x=\"\(f(ox - 6))\" y=\"\(f(Y(v) + 4))\" text-anchor=\"end\">\(f(v))</text>\n" }
            }
            s += "<text x=\"\(f(ox + panelW / 2))\" y=\"\(f(top + panelH + 36))\" text-anchor=\"middle\">log2 learning rate</text>\n"
            for (i, w) in widths.enumerated() {
                guard let c = a.curves.first(where: { $0.kind == kind && $0.width == w }) else { continue }
                let colour = SVGChart.palette[i % SVGChart.palette.count]
                var d = ""
                for p in c.points {
                    guard let b = p.bpb else { continue }
                    d += (d.isEmpty ? "M" : " L") + "\(f(X(p.log2LearningRate))),\(f(Y(b)))"
                }
                if !d.isEmpty { s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n" }
                for p in c.points {
                    if let b = p.bpb {
                        s += "<circle cx=\"\(f(X(p.log2LearningRate)))\" cy=\"\(f(Y(b)))\" r=\"3\" fill=\"\(colour)\"><title>width \(w), LR 2^\(Int(p.log2LearningRate)): \(String(format: "%.4f", b)) bits/byte</title></circle>\n"
                    } else if p.diverged {
                        s += "<text x=\"\(f(X(p.log2LearningRate)))\" y=\"\(f(top + 12 + Double(i) * 10))\" text-anchor=\"middle\" fill=\"\(colour)\">×</text>\n"
                    }
                }
                if let best = c.bestLearningRate, let b = c.bestBPB {
                    s += "<circle cx=\"\(f(X(log2(best))))\" cy=\"\(f(Y(b)))\" r=\"6\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
                }
            }
        }
        s += "<text transform=\"translate(16 \(f(top + panelH / 2))) rotate(-90)\" text-anchor=\"middle\">validation bits per byte (mixture)</text>\n"
        var lx = left
        for (i, w) in widths.enumerated() {
            s += "<rect x=\"\(f(lx))\" y=\"\(f(height - 24))\" width=\"12\" height=\"12\" fill=\"\(SVGChart.palette[i % SVGChart.palette.count])\"/><text x=\"\(f(lx + 16))\" y=\"\(f(height - 14))\">width \(w)</text>\n"
            lx += 90
        }
        s += "<text x=\"\(f(lx + 20))\" y=\"\(f(height - 14))\">open circle: best LR per width; ×: diverged</text>\n"
        return s + "</svg>\n"
    }
}

extension SweepAnalysis {
    public func renderText() -> String {
        var out = ["Sweep \(sweep)\(complete ? "" : " (incomplete: run the command again to continue)")", ""]
        let lrs = curves.first?.points.map(\.log2LearningRate) ?? []
        var t = TextTable(header: ["param", "width"] + lrs.map { "2^\(Int($0))" } + ["best LR", "best BPB"])
        for c in curves {
            t.add([c.kind == .mup ? "µP" : "SP", "\(c.width)"]
                  + c.points.map { p in p.bpb.map { String(format: "%.4f", $0) } ?? (p.diverged ? "diverged" : "—") }
                  + [c.bestLearningRate.map { "2^\(Int(log2($0)))" } ?? "—", c.bestBPB.map { String(format: "%.4f", $0) } ?? "—"])
        }
        out.append(t.render())
        out.append("")
        for v in verdicts {
            let name = v.kind == .mup ? "µP" : "SP"
            var line = "\(name): best LR moves by \(v.bestLRShiftSteps.map(String.init) ?? "?") grid step(s) across widths"
            if let m = v.monotoneInWidthAtBestLR { line += "; at the narrowest width's best LR, loss \(m ? "improves with every width step" : "does NOT improve monotonically with width")" }
            if !v.widthsDivergingWhereNarrowTrains.isEmpty { line += "; widths \(v.widthsDivergingWhereNarrowTrains) diverge at LRs the narrowest width trains at" }
            out.append(line)
        }
        return out.joined(separator: "\n")
    }
}
