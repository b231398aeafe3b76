import Foundation

/// A Gantt chart: one row per resource, a bar per busy interval, a time axis and a legend.
public enum SVGGantt {
    public struct Bar: Sendable {
        public var row: String
        public var start: Double, finish: Double
        public var colour: String
        /// Hover text.
        public var label: String
        public init(row: String, start: Double, finish: Double, colour: String, label: String) {
            self.row = row; self.start = start; self.finish = finish; self.colour = colour; self.label = label
        }
    }

    /// - Parameters:
    ///   - rows: row names, top to bottom (bars on other rows are not drawn).
    ///   - end: the time at the right edge, seconds.
    public static func render(title: String, rows: [String], bars: [Bar], end: Double, legend: [(String, String)],
                              width: Double = 1400) -> String {
        let left = 150.0, top = 40.0, rowH = 22.0, plotW = width - left - 20
        let height = top + Double(rows.count) * rowH + 60
        let span = max(end, 1e-9)
        func x(_ t: Double) -> Double { left + t / span * plotW }
        func f(_ v: Double) -> String { String(format: "%.2f", v) }
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="20" font-size="14">\(SVGChart.escape(title))</text>

        """
        for (i, name) in rows.enumerated() {
            let y = top + Double(i) * rowH
            s += "<text x=\"\(left - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(SVGChart.escape(name))</text>\n"
            s += "<line x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\"\(y + rowH)\" y2=\"\(y + rowH)\" stroke=\"#eee\"/>\n"
        }
        let index = Dictionary(rows.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        for b in bars {
            guard let r = index[b.row] else { continue }
            let y = top + Double(r) * rowH + 3
            let w = max(0.5, x(b.finish) - x(b.start))
            s += "<rect x=\"\(f(x(b.start)))\" y=\"\(f(y))\" width=\"\(f(w))\" height=\"\(f(rowH - 6))\" fill=\"\(b.colour)\"><title>\(SVGChart.escape(b.label)) \(f(b.start * 1000))–\(f(b.finish * 1000)) ms</title></rect>\n"
        }
        let axisY = top + Double(rows.count) * rowH + 18
        for k in 0...10 {
            let t = span * Double(k) / 10
            s += "<text x=\"\(f(x(t)))\" y=\"\(f(axisY))\" text-anchor=\"middle\">\(f(t)) s</text>\n"
        }
        for (i, (name, c)) in legend.enumerated() {
            let lx = left + Double(i) * 110
            s += "<rect x=\"\(f(lx))\" y=\"\(f(axisY + 12))\" width=\"12\" height=\"12\" fill=\"\(c)\"/><text x=\"\(f(lx + 16))\" y=\"\(f(axisY + 22))\">\(SVGChart.escape(name))</text>\n"
        }
        return s + "</svg>\n"
    }
}
