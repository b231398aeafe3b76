import Foundation
import MiniGPT
import Reporting

/// Text and SVG renderings of a coordinate check.
public enum CoordCheckReport {
    static func g(_ v: Double?) -> String {
        guard let v else { return "—" }
        return v.isFinite ? String(format: "%.4g", v) : "\(v)"
    }

    static func signed(_ v: Double?) -> String { v.map { String(format: "%+.2f", $0) } ?? "n/a" }

    public static func kindName(_ k: ParametrizationKind) -> String { k == .mup ? "µP" : "SP" }

    public static func headline(_ r: CoordCheckResult) -> String {
        String(format: "Coordinate check: %@, %@ (base width %d), widths %@, %d steps, constant lr %.3g (matrix %.3g), batch %d × %d tokens, seed %llu%@%@",
               r.name, kindName(r.parametrization), r.baseHidden, r.widths.map(String.init).joined(separator: ","),
               r.steps, r.learningRate, r.matrixLearningRate, r.batchSequences, r.sequenceLength, r.seed,
               r.seeds > 1 ? " (mean of \(r.seeds) init seeds)" : "",
               r.zeroQuery || r.zeroReadout ? ", zero-init \([r.zeroQuery ? "query" : nil, r.zeroReadout ? "readout" : nil].compactMap { $0 }.joined(separator: " + "))" : "")
    }

    /// mean |x| per activation, step and width (mean over layers), the log-log slope and its status.
    public static func render(_ r: CoordCheckResult) -> String {
        var t = TextTable(header: ["activation", "step"] + r.widths.map { "w=\($0)" } + ["slope", "± seeds", "status"])
        for step in 1...r.steps {
            for a in ActivationKind.allCases {
                let values = r.curve(a, step: step).map { g($0.value) }
                let s = r.slopes.first { $0.activation == a && $0.step == step }
                let error = s?.standardError.map { String(format: "±%.2f", $0) } ?? ""
                t.add([a.rawValue, "\(step)"] + values + [signed(s?.slope), error, s?.status.rawValue ?? ""])
            }
            if step < r.steps { t.separator() }
        }
        var loss = TextTable(header: ["loss (nats)"] + r.widths.map { "w=\($0)" })
        for step in 1...r.steps {
            loss.add(["step \(step)"] + r.runs.map { w in g(w.steps.first { $0.step == step }?.loss) })
        }
        var lines = [headline(r), "", t.render(), "", loss.render()]
        let diverged = r.runs.filter(\.diverged).map { "\($0.width)" }
        if !diverged.isEmpty { lines.append("diverged (non-finite loss or activations) at width \(diverged.joined(separator: ", "))") }
        lines.append("")
        lines.append("\(r.verdict.status): \(r.verdict.reason)")
        return lines.joined(separator: "\n")
    }

    // MARK: SVG

    static let colours: [ActivationKind: String] = [
        .embeddings: "#3b7dd8", .attentionLogits: "#e07b39", .attentionOutput: "#2ca02c",
        .mlpOutput: "#d62728", .blockOutput: "#9467bd", .logits: "#8c564b",
    ]

    static func f(_ v: Double) -> String { String(format: "%.1f", v) }

    /// Log-log plot, one panel per step, one curve per activation (mean |x| against width), each panel with
    /// the slopes of its curves; the y axis is shared so panels compare across steps.
    public static func svg(_ r: CoordCheckResult) -> String {
        let columns = min(3, r.steps), rowsCount = (r.steps + columns - 1) / columns
        let plotW = 300.0, plotH = 230.0, left = 62.0, legendW = 200.0, top = 34.0, bottom = 44.0
        let cellW = left + plotW + legendW, cellH = top + plotH + bottom
        let headerH = 78.0
        let width = Double(columns) * cellW + 20, height = headerH + Double(rowsCount) * cellH + 10
        // Shared axes: log2 width, log10 mean |x| over every positive finite value.
        let xs = r.widths.map { log2(Double($0)) }
        let xMin = (xs.min() ?? 0) - 0.15, xMax = (xs.max() ?? 1) + 0.15
        let ys = r.runs.flatMap { $0.steps.flatMap { $0.activations.map(\.mean) } }.filter { $0 > 0 && $0.isFinite }
        let yMin = floor(log10(ys.min() ?? 1e-3)), yMax = max(ceil(log10(ys.max() ?? 1)), yMin + 1)

        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" viewBox="0 0 \(f(width)) \(f(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
        <rect width="100%" height="100%" fill="white"/>

        """
        s += "<text x=\"14\" y=\"24\" font-size=\"16\" font-weight=\"bold\">\(SVGChart.escape("Coordinate check — \(r.name), \(kindName(r.parametrization)), lr \(String(format: "%.3g", r.learningRate)): mean |x| against width (log-log), one panel per step"))</text>\n"
        s += "<text x=\"14\" y=\"44\">\(SVGChart.escape(headline(r)))</text>\n"
        let verdictColour = r.verdict.expectationMet ? "#1a7f37" : "#cf222e"
        let reason = r.verdict.reason.count > 230 ? String(r.verdict.reason.prefix(229)) + "…" : r.verdict.reason
        s += "<text x=\"14\" y=\"64\" fill=\"\(verdictColour)\" font-weight=\"bold\">\(SVGChart.escape("\(r.verdict.status): \(reason)"))</text>\n"

        for step in 1...r.steps {
            let col = (step - 1) % columns, row = (step - 1) / columns
            let ox = 10 + Double(col) * cellW + left, oy = headerH + Double(row) * cellH + top
            func X(_ w: Double) -> Double { ox + (log2(w) - xMin) / (xMax - xMin) * plotW }
            func Y(_ v: Double) -> Double { oy + plotH - (log10(v) - yMin) / (yMax - yMin) * plotH }
            let title = step == 1 ? "step 1 (at init)" : "step \(step) (after \(step - 1) update\(step == 2 ? "" : "s"))"
            s += "<text x=\"\(f(ox + plotW / 2))\" y=\"\(f(oy - 10))\" text-anchor=\"middle\" font-weight=\"bold\">\(title)</text>\n"
            s += "<rect x=\"\(f(ox))\" y=\"\(f(oy))\" width=\"\(f(plotW))\" height=\"\(f(plotH))\" fill=\"none\" stroke=\"#444\"/>\n"
            var e = yMin
            while e <= yMax {
                let y = Y(pow(10, e))
                s += "<line x1=\"\(f(ox))\" x2=\"\(f(ox + plotW))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#e6e6e6\"/>\n"
                s += "<text x=\"\(f(ox - 5))\" y=\"\(f(y + 4))\" text-anchor=\"end\">1e\(Int(e))</text>\n"
                e += 1
            }
            for w in r.widths {
                let x = X(Double(w))
                s += "<line x1=\"\(f(x))\" x2=\"\(f(x))\" y1=\"\(f(oy))\" y2=\"\(f(oy + plotH))\" stroke=\"#f0f0f0\"/>\n"
                s += "<text x=\"\(f(x))\" y=\"\(f(oy + plotH + 15))\" text-anchor=\"middle\">\(w)</text>\n"
            }
            s += "<text x=\"\(f(ox + plotW / 2))\" y=\"\(f(oy + plotH + 32))\" text-anchor=\"middle\">width (log scale)</text>\n"
            s += "<text transform=\"translate(\(f(ox - 46)) \(f(oy + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">mean |x|</text>\n"
            var ly = oy + 8
            s += "<text x=\"\(f(ox + plotW + 14))\" y=\"\(f(ly))\" font-weight=\"bold\">slope vs width</text>\n"
            for a in ActivationKind.allCases {
                let colour = colours[a] ?? "#000"
                let pts = r.curve(a, step: step).compactMap { p -> (Double, Double)? in
                    guard let v = p.value, v > 0, v.isFinite else { return nil }
                    return (X(Double(p.width)), Y(v))
                }
                if pts.count > 1 {
                    let d = pts.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(f($0.element.0)),\(f($0.element.1))" }.joined(separator: " ")
                    s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
                }
                for p in pts { s += "<circle cx=\"\(f(p.0))\" cy=\"\(f(p.1))\" r=\"3\" fill=\"\(colour)\"/>\n" }
                let entry = r.slopes.first { $0.activation == a && $0.step == step }
                let mark: String
                switch entry?.status {
                case .outside: mark = " ✗"
                case .withinNoise: mark = " (noise)"
                case .unresolved: mark = " ?"
                case .invalid: mark = " ✗ n/a"
                case .initException: mark = " (init exc.)"
                case .zero: mark = " (all 0)"
                default: mark = ""
                }
                ly += 17
                s += "<rect x=\"\(f(ox + plotW + 14))\" y=\"\(f(ly - 9))\" width=\"12\" height=\"3\" fill=\"\(colour)\"/>\n"
                let weight = entry?.status == .outside || entry?.status == .invalid ? " font-weight=\"bold\" fill=\"#cf222e\"" : ""
                s += "<text x=\"\(f(ox + plotW + 31))\" y=\"\(f(ly - 4))\"\(weight)>\(a.rawValue) \(signed(entry?.slope))\(mark)</text>\n"
            }
        }
        return s + "</svg>\n"
    }
}
