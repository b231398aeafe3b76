import Foundation

extension SVGChart {
    /// Markers (one circle per point, per series) over optional lines, with a logarithmic x axis and a linear or
    /// logarithmic y axis: predicted-vs-measured plots and loss-vs-size fits.
    public static func scatter(title: String, xLabel: String, yLabel: String, markers: [Series], lines: [Series] = [],
                               logY: Bool = false, width: Double = 720, height: Double = 380) -> String {
        let left = 70.0, right = 20.0, top = 40.0, bottom = 60.0
        let plotW = width - left - right, plotH = height - top - bottom
        let all = (markers + lines).flatMap(\.points).filter { $0.x > 0 && $0.x.isFinite && $0.y.isFinite && (!logY || $0.y > 0) }
        guard !all.isEmpty else { return header(width, height, title) + "</svg>\n" }
        let lx0 = floor(log10(all.map(\.x).min()!) * 4) / 4, lx1 = ceil(log10(all.map(\.x).max()!) * 4) / 4
        let ys = all.map { logY ? log10($0.y) : $0.y }
        var y0 = ys.min()!, y1 = ys.max()!
        let pad = max(1e-9, (y1 - y0) * 0.08)
        y0 -= pad; y1 += pad
        let xSpan = max(1e-9, lx1 - lx0)
        func X(_ x: Double) -> Double { left + (log10(x) - lx0) / xSpan * plotW }
        func Y(_ y: Double) -> Double { top + plotH - ((logY ? log10(y) : y) - y0) / (y1 - y0) * plotH }
        var s = header(width, height, title)
        s += axes(left: left, top: top, plotW: plotW, plotH: plotH)
        var e = ceil(lx0)
        while e <= lx1 + 1e-9 {
            for m in [1.0, 2, 5] where log10(m) + e <= lx1 + 1e-9 && log10(m) + e >= lx0 - 1e-9 {
                let v = m * pow(10, e)
                s += "<text x=\"\(f(X(v)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(label(v))</text>\n"
                s += "<line x1=\"\(f(X(v)))\" x2=\"\(f(X(v)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\" stroke=\"#eee\"/>\n"
            }
            e += 1
        }
        for i in 0...4 {
            let t = y0 + (y1 - y0) * Double(i) / 4, v = logY ? pow(10, t) : t
            s += "<text x=\"\(f(left - 6))\" y=\"\(f(Y(v) + 4))\" text-anchor=\"end\">\(String(format: "%.3g", v))</text>\n"
            s += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotW))\" y1=\"\(f(Y(v)))\" y2=\"\(f(Y(v)))\" stroke=\"#eee\"/>\n"
        }
        s += "<text x=\"\(f(left + plotW / 2))\" y=\"\(f(height - 22))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        s += "<text transform=\"translate(16 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>\n"
        for se in lines {
            let pts = se.points.filter { $0.x > 0 && $0.y.isFinite && (!logY || $0.y > 0) }
            guard !pts.isEmpty else { continue }
            let d = pts.enumerated().map { "\($0.offset == 0 ? "M" : "L")\(f(X($0.element.x))),\(f(Y($0.element.y)))" }.joined(separator: " ")
            s += "<path d=\"\(d)\" fill=\"none\" stroke=\"\(se.colour)\" stroke-width=\"1.5\"\(se.dashed ? " stroke-dasharray=\"6 4\"" : "")/>\n"
        }
        for se in markers {
            for p in se.points where p.x > 0 && p.y.isFinite && (!logY || p.y > 0) {
                s += "<circle cx=\"\(f(X(p.x)))\" cy=\"\(f(Y(p.y)))\" r=\"4.5\" fill=\"\(se.colour)\"\(se.dashed ? " fill-opacity=\"0.25\" stroke=\"\(se.colour)\"" : "")/>\n"
            }
        }
        s += legend((markers + lines).filter { !$0.name.isEmpty }.map { ($0.name, $0.colour) }, x: left, y: height - 8)
        return s + "</svg>\n"
    }
}
