import Foundation

/// A Gantt chart of one iteration: one row per stream (each rank's GPU and DP-comm streams, each link),
/// forward and backward passes in different colours, the picture Megatron-LM papers draw.
public enum TimelineSVG {
    static func colour(_ t: TaskInfo) -> String {
        switch t.kind {
        case .compute: t.label.hasPrefix("B") ? "#e07b39" : "#3b7dd8"
        case .tensorComm: "#9b59b6"
        case .pipelineSend: "#2ca02c"
        case .dataComm: "#d62728"
        case .optimizer: "#7f7f7f"
        case .barrier: "#000000"
        }
    }

    /// Consecutive pieces of one pass (layers, their TP collectives) drawn as one bar per kind.
    static func merged(_ tasks: [TaskInfo]) -> [TaskInfo] {
        var out: [TaskInfo] = []
        for t in tasks.sorted(by: { ($0.stream, $0.start) < ($1.stream, $1.start) }) where t.kind != .barrier {
            let pass = t.label.split(separator: " ").first.map(String.init) ?? t.label
            if var last = out.last, last.stream == t.stream, last.kind == t.kind || (last.kind == .compute && t.kind == .tensorComm),
               (last.label.split(separator: " ").first.map(String.init) ?? "") == pass, abs(last.finish - t.start) < 1e-9 {
                last.finish = t.finish
                out[out.count - 1] = last
            } else {
                out.append(t)
            }
        }
        return out
    }

    public static func render(_ tasks: [TaskInfo], title: String, width: Double = 1400) -> String {
        let bars = merged(tasks)
        let streams = Array(Set(bars.map(\.stream))).sorted { a, b in
            let ra = bars.first { $0.stream == a }!.rank, rb = bars.first { $0.stream == b }!.rank
            return (ra, a.hasPrefix("link") ? 1 : 0, a) < (rb, b.hasPrefix("link") ? 1 : 0, b)
        }
        let end = max(tasks.map(\.finish).max() ?? 1, 1e-9)
        let left = 150.0, top = 40.0, rowH = 22.0, plotW = width - left - 20
        let height = top + Double(streams.count) * rowH + 60
        func x(_ t: Double) -> Double { left + t / end * plotW }
        var s = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(left)" y="20" font-size="14">\(escape(title))</text>

        """
        for (i, name) in streams.enumerated() {
            let y = top + Double(i) * rowH
            s += "<text x=\"\(left - 6)\" y=\"\(y + 15)\" text-anchor=\"end\">\(escape(name))</text>\n"
            s += "<line x1=\"\(left)\" x2=\"\(left + plotW)\" y1=\"\(y + rowH)\" y2=\"\(y + rowH)\" stroke=\"#eee\"/>\n"
        }
        let row = Dictionary(uniqueKeysWithValues: streams.enumerated().map { ($1, $0) })
        for b in bars {
            guard let r = row[b.stream] else { continue }
            let y = top + Double(r) * rowH + 3
            let w = max(0.5, x(b.finish) - x(b.start))
            s += "<rect x=\"\(fmt(x(b.start)))\" y=\"\(fmt(y))\" width=\"\(fmt(w))\" height=\"\(fmt(rowH - 6))\" fill=\"\(colour(b))\"><title>\(escape(b.label)) \(fmt(b.start * 1000))–\(fmt(b.finish * 1000)) ms</title></rect>\n"
        }
        let axisY = top + Double(streams.count) * rowH + 18
        for k in 0...10 {
            let t = end * Double(k) / 10
            s += "<text x=\"\(fmt(x(t)))\" y=\"\(fmt(axisY))\" text-anchor=\"middle\">\(fmt(t)) s</text>\n"
        }
        let legend: [(String, String)] = [("forward", "#3b7dd8"), ("backward", "#e07b39"), ("TP comm", "#9b59b6"),
                                          ("PP send", "#2ca02c"), ("DP comm", "#d62728"), ("optimizer", "#7f7f7f")]
        for (i, (name, c)) in legend.enumerated() {
            let lx = left + Double(i) * 110
            s += "<rect x=\"\(fmt(lx))\" y=\"\(fmt(axisY + 12))\" width=\"12\" height=\"12\" fill=\"\(c)\"/><text x=\"\(fmt(lx + 16))\" y=\"\(fmt(axisY + 22))\">\(name)</text>\n"
        }
        return s + "</svg>\n"
    }

    static func fmt(_ v: Double) -> String { String(format: "%.2f", v) }
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// The iteration in Chrome's trace-event format (open in chrome://tracing or ui.perfetto.dev):
/// one process per pipeline rank, one thread per stream, complete ("X") events in microseconds.
public enum ChromeTrace {
    public static func render(_ tasks: [TaskInfo]) -> String {
        struct Event: Encodable {
            var name: String, cat: String, ph: String, ts: Double, dur: Double, pid: Int, tid: String
        }
        let events = tasks.filter { $0.kind != .barrier }.map {
            Event(name: $0.label, cat: $0.kind.label, ph: "X", ts: $0.start * 1e6, dur: ($0.finish - $0.start) * 1e6,
                  pid: $0.rank, tid: $0.stream)
        }
        struct Trace: Encodable { var traceEvents: [Event]; var displayTimeUnit = "ms" }
        let data = (try? JSONEncoder().encode(Trace(traceEvents: events))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
