import Foundation
import ClusterSim
import Reporting

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
        let merged = merged(tasks)
        let streams = Array(Set(merged.map(\.stream))).sorted { a, b in
            let ra = merged.first { $0.stream == a }!.rank, rb = merged.first { $0.stream == b }!.rank
            return (ra, a.hasPrefix("link") ? 1 : 0, a) < (rb, b.hasPrefix("link") ? 1 : 0, b)
        }
        let bars = merged.map { SVGGantt.Bar(row: $0.stream, start: $0.start, finish: $0.finish, colour: colour($0), label: $0.label) }
        let legend: [(String, String)] = [("forward", "#3b7dd8"), ("backward", "#e07b39"), ("TP comm", "#9b59b6"),
                                          ("PP send", "#2ca02c"), ("DP comm", "#d62728"), ("optimizer", "#7f7f7f")]
        return SVGGantt.render(title: title, rows: streams, bars: bars, end: tasks.map(\.finish).max() ?? 1, legend: legend,
                               width: width)
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
