import Foundation

/// Small, dependency-free SVG charts for the HTML reports: line charts, stacked bars and timelines.
public enum SVGChart {
    public static let palette = ["#3b7dd8", "#e07b39", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#7f7f7f", "#bcbd22"]

    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public var colour: String
        public var dashed: Bool
        public init(name: String, points: [(x: Double, y: Double)], colour: String, dashed: Bool = false) {
            self.name = name; self.points = points; self.colour = colour; self.dashed = dashed
        }
    }

    public static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func f(_ v: Double) -> String { String(format: "%.2f", v) }

    /// "Nice" tick values covering [0, max].
    static func ticks(max: Double, count: Int = 5) -> [Double] {
        guard max > 0 else { return [0] }
        let raw = max / Double(count)
        let mag = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * mag }.first { $0 >= raw } ?? raw
        return stride(from: 0, through: max * 1.0001, by: step).map { $0 }
    }

    static func label(_ v: Double) -> String {
        let a = abs(v)
        if a >= 1e21 { return String(format: "%gZ", v / 1e21) }
        if a >= 1e18 { return String(format: "%gE", v / 1e18) }
        if a >= 1e15 { return String(format: "%gP", v / 1e15) }
        if a >= 1e12 { return String(format: "%gT", v / 1e12) }
        if a >= 1e9 { return String(format: "%gB", v / 1e9) }
        if a >= 1e6 { return String(format: "%gM", v / 1e6) }
        if a >= 1e3 { return String(format: "%gK", v / 1e3) }
        return String(format: "%g", v)
    }

    /// A shaded x-range with a label (growth ramps) or, when start == end, a vertical marker line.
    public struct Band: Sendable {
        public var start: Double, end: Double, label: String, colour: String
        public init(start: Double, end: Double, label: String, colour: String = "#999") {
            self.start = start; self.end = end; self.label = label; self.colour = colour
        }
    }

    /// Lines over a common x axis from 0. `yFrom` starts the y axis above 0 (loss curves); `bands` shade
    /// x-ranges behind the lines.
    public static func line(title: String, xLabel: String, yLabel: String, series: [Series],
                            width: Double = 720, height: Double = 360, yFrom: Double = 0, yTo: Double? = nil,
                            bands: [Band] = []) -> String {
        let left = 70.0, right = 20.0, top = 40.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        // Values above `yTo` (the first steps of a loss curve) are drawn at the top edge.
        let series = series.map { s in
            var c = s
            if let yTo { c.points = s.points.map { ($0.x, min($0.y, yTo)) } }
            return c
        }
        let maxX = max(series.flatMap { $0.points.map(\.x) }.max() ?? 1, 1e-12)
        let maxY = max(series.flatMap { $0.points.map(\.y) }.max() ?? 1, yFrom + 1e-12)
        let xt = ticks(max: maxX), yt = ticks(max: maxY - yFrom).map { $0 + yFrom }
        let xMax = max(xt.last ?? maxX, maxX), yMax = max(yt.last ?? maxY, maxY)
        func X(_ x: Double) -> Double { left + x / xMax * plotW }
        func Y(_ y: Double) -> Double { top + plotH - (y - yFrom) / (yMax - yFrom) * plotH }
        var s = header(width, height, title)
        for b in bands {
            let x0 = X(b.start), x1 = max(X(b.end), x0 + 1)
            s += "<rect x=\"\(f(x0))\" y=\"\(f(top))\" width=\"\(f(x1 - x0))\" height=\"\(f(plotH))\" fill=\"\(b.colour)\" fill-opacity=\"0.18\"/>\n"
            if !b.label.isEmpty {
                s += "<text x=\"\(f(x0 + 2))\" y=\"\(f(top + 12))\" font-size=\"10\">\(escape(b.label))</text>\n"
            }
        }
        s += axes(left: left, top: top, plotW: plotW, plotH: plotH)
        for t in xt { s += "<text x=\"\(f(X(t)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(label(t))</text>\n" }
        for t in yt {
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(Y(t) + 4))\" text-anchor=\"end\">\(label(t))</text>\n"
            s += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(Y(t)))\" y2=\"\(f(Y(t)))\" stroke=\"#eee\"/>\n"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 22))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        s += "<text transform=\"translate(16 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        for se in series where !se.points.isEmpty {
            let d = se.points.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(f(X($0.element.x))),\(f(Y($0.element.y)))" }.joined(separator: " ")
            s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(se.colour)\" stroke-width=\"2\"\(se.dashed ? " stroke-dasharray=\"6 4\"" : "")/>\n"
        }
        s += legend(series.map { ($0.name, $0.colour) }, x: left, y: height - 8)
        return s + "</svg>\n"
    }

    /// One bar per category, split into named segments.
    public static func stackedBars(title: String, categories: [String], segments: [String], values: [[Double]],
                                   unit: String, width: Double = 720, height: Double = 360) -> String {
        let left = 70.0, right = 20.0, top = 40.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        let totals = values.map { $0.reduce(0, +) }
        let yt = ticks(max: max(totals.max() ?? 1, 1e-12))
        let yMax = max(yt.last ?? 1, totals.max() ?? 1)
        func Y(_ y: Double) -> Double { top + plotH - y / yMax * plotH }
        var s = header(width, height, title)
        s += axes(left: left, top: top, plotW: plotW, plotH: plotH)
        for t in yt { s += "<text x=\"\(f(left - 6))\" y=\"\(f(Y(t) + 4))\" text-anchor=\"end\">\(label(t))</text>\n" }
        s += "<text transform=\"translate(16 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(unit))</text>\n"
        let slot = plotW / Double(max(categories.count, 1))
        for (i, c) in categories.enumerated() {
            var base = 0.0
            let x = left + Double(i) * slot + slot * 0.2
            for (j, v) in values[i].enumerated() where v > 0 {
                s += "<rect x=\"\(f(x))\" y=\"\(f(Y(base + v)))\" width=\"\(f(slot * 0.6))\" height=\"\(f(Y(base) - Y(base + v)))\" fill=\"\(palette[j % palette.count])\"><title>\(escape(c)) · \(escape(segments[j])): \(String(format: "%.3g", v)) \(escape(unit))</title></rect>\n"
                base += v
            }
            s += "<text x=\"\(f(x + slot * 0.3))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(escape(c))</text>\n"
        }
        s += legend(segments.enumerated().map { ($1, palette[$0 % palette.count]) }, x: left, y: height - 8)
        return s + "</svg>\n"
    }

    public struct Span: Sendable {
        public var start: Double, end: Double, label: String, colour: String
        public init(start: Double, end: Double, label: String, colour: String) {
            self.start = start; self.end = end; self.label = label; self.colour = colour
        }
    }

    /// Horizontal spans on a shared time axis, one row per run.
    public static func timeline(title: String, rows: [(String, [Span])], unit: String, width: Double = 720) -> String {
        let left = 120.0, right = 20.0, top = 40.0, rowH = 34.0
        let height = top + Double(rows.count) * rowH + 50
        let plotW = width - left - right
        let maxT = max(rows.flatMap { $0.1.map(\.end) }.max() ?? 1, 1e-12)
        let xt = ticks(max: maxT)
        let xMax = max(xt.last ?? maxT, maxT)
        func X(_ t: Double) -> Double { left + t / xMax * plotW }
        var s = header(width, height, title)
        for (i, (name, spans)) in rows.enumerated() {
            let y = top + Double(i) * rowH
            s += "<text x=\"\(f(left - 8))\" y=\"\(f(y + 21))\" text-anchor=\"end\">\(escape(name))</text>\n"
            for sp in spans {
                let w = max(0.5, X(sp.end) - X(sp.start))
                s += "<rect x=\"\(f(X(sp.start)))\" y=\"\(f(y + 6))\" width=\"\(f(w))\" height=\"\(f(rowH - 12))\" fill=\"\(sp.colour)\"><title>\(escape(sp.label)): \(String(format: "%.2f", sp.start))–\(String(format: "%.2f", sp.end)) \(escape(unit))</title></rect>\n"
                if w > 40 { s += "<text x=\"\(f(X(sp.start) + w / 2))\" y=\"\(f(y + 21))\" text-anchor=\"middle\" fill=\"white\">\(escape(sp.label))</text>\n" }
            }
        }
        let axisY = top + Double(rows.count) * rowH + 16
        for t in xt { s += "<text x=\"\(f(X(t)))\" y=\"\(f(axisY))\" text-anchor=\"middle\">\(label(t))</text>\n" }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(axisY + 22))\" text-anchor=\"middle\">\(escape(unit))</text>\n"
        return s + "</svg>\n"
    }

    static func header(_ w: Double, _ h: Double, _ title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"10\" y=\"22\" font-size=\"14\" font-weight=\"bold\">\(escape(title))</text>\n"
    }

    static func axes(left: Double, top: Double, plotW: Double, plotH: Double) -> String {
        "<line x1=\"\(f(left))\" x2=\"\(f(left))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>\n<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(top + plotH))\" y2=\"\(f(top + plotH))\" stroke=\"#333\"/>\n"
    }

    static func legend(_ items: [(String, String)], x: Double, y: Double) -> String {
        var s = ""
        var cx = x
        for (name, colour) in items {
            s += "<rect x=\"\(f(cx))\" y=\"\(f(y - 10))\" width=\"12\" height=\"12\" fill=\"\(colour)\"/><text x=\"\(f(cx + 16))\" y=\"\(f(y))\">\(escape(name))</text>\n"
            cx += 24 + Double(name.count) * 6.5
        }
        return s
    }
}
