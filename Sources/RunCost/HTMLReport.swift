import Foundation
import Reporting

/// The `report` page: stage timeline over days, cost breakdown, cumulative FLOPs and token progress for growth
/// against scratch, and each stage's simulated pipeline Gantt chart. Self-contained HTML with inline SVG.
public enum HTMLReport {
    static let shareNames = ["compute", "communication", "pipeline bubble", "failures", "checkpoints", "growth transitions"]

    static func shares(_ s: TimeShares) -> [Double] {
        [s.compute, s.communication, s.bubble, s.failures, s.checkpoints, s.transition].map { $0 / 86400 }
    }

    static func spans(_ e: RunEstimate) -> [SVGChart.Span] {
        var t = 0.0
        var out: [SVGChart.Span] = []
        for (i, s) in e.stages.enumerated() {
            if s.transitionSeconds > 0 {
                out.append(.init(start: t, end: t + s.transitionSeconds / 86400, label: "grow", colour: "#999999"))
                t += s.transitionSeconds / 86400
            }
            let d = (s.wallSeconds - s.transitionSeconds) / 86400
            out.append(.init(start: t, end: t + d, label: s.stage, colour: SVGChart.palette[i % SVGChart.palette.count]))
            t += d
        }
        return out
    }

    /// (days, cumulative value) along the run, linear within each stage.
    static func cumulative(_ e: RunEstimate, _ value: (StageEstimate) -> Double) -> [(x: Double, y: Double)] {
        var pts: [(x: Double, y: Double)] = [(0, 0)]
        var t = 0.0, v = 0.0
        for s in e.stages {
            t += s.transitionSeconds / 86400
            pts.append((t, v))
            t += (s.wallSeconds - s.transitionSeconds) / 86400
            v += value(s)
            pts.append((t, v))
        }
        return pts
    }

    /// - Parameter measured: the same comparison measured by the trainer on this machine (mini schedules with
    ///   finished runs in the results database): its text and charts, shown next to the simulator's.
    public static func render(_ a: RunEstimate, versus b: RunEstimate? = nil, comparison: RunComparison? = nil,
                              gantts: [(stage: String, svg: String)], measured: (text: String, charts: [String])? = nil) -> String {
        var runs = [("A: " + a.scenario, a)]
        if let b { runs.append(("B: " + b.scenario, b)) }
        let timeline = SVGChart.timeline(title: "Stages over time", rows: runs.map { ($0.0, spans($0.1)) }, unit: "days")
        var categories: [String] = [], values: [[Double]] = []
        for (name, e) in runs {
            for s in e.stages {
                categories.append(b == nil ? s.stage : "\(name.prefix(1)) \(s.stage)")
                values.append(shares(s.shares))
            }
        }
        let breakdown = SVGChart.stackedBars(title: "Where the time goes", categories: categories, segments: shareNames,
                                             values: values, unit: "days")
        let flops = SVGChart.line(title: "Cumulative hardware FLOPs", xLabel: "days", yLabel: "FLOPs",
                                  series: runs.enumerated().map { i, r in
                                      .init(name: r.0, points: cumulative(r.1) { $0.flops.hardware }, colour: SVGChart.palette[i], dashed: i == 1)
                                  })
        let progress = SVGChart.line(title: "Progress: tokens trained", xLabel: "days", yLabel: "tokens",
                                     series: runs.enumerated().map { i, r in
                                         .init(name: r.0, points: cumulative(r.1) { $0.tokens }, colour: SVGChart.palette[i], dashed: i == 1)
                                     })
        var html = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>GrowthBench report: \(SVGChart.escape(a.scenario))</title>
        <style>
        body { font-family: sans-serif; max-width: 1500px; margin: 2em auto; padding: 0 1em; color: #222; }
        pre { background: #f6f6f6; padding: 1em; overflow-x: auto; font-size: 12px; }
        figure { margin: 1em 0; } .row { display: flex; flex-wrap: wrap; gap: 1em; }
        </style></head><body>
        <h1>GrowthBench report: \(SVGChart.escape(a.scenario))</h1>
        <p>\(a.gpus) GPUs (\(SVGChart.escape(a.system))), failures \(a.failures ? "on" : "off"). Every figure comes from the simulator and the cost model; the paper's figures, where printed, are references from <code>Data/reference</code>.</p>

        """
        if let c = comparison {
            html += "<h2>Growth versus scratch</h2>\n<pre>\(SVGChart.escape(c.renderText()))</pre>\n"
        }
        if let m = measured {
            html += "<h2>Growth versus scratch, measured by the trainer on this machine</h2>\n<pre>\(SVGChart.escape(m.text))</pre>\n"
            html += "<div class=\"row\">" + m.charts.map { "<figure>\($0)</figure>" }.joined() + "</div>\n"
        }
        html += "<h2>Timeline and cost</h2>\n<div class=\"row\"><figure>\(timeline)</figure><figure>\(breakdown)</figure></div>\n"
        html += "<div class=\"row\"><figure>\(flops)</figure><figure>\(progress)</figure></div>\n"
        html += "<h2>Estimate</h2>\n<pre>\(SVGChart.escape(a.renderText()))</pre>\n"
        if let b { html += "<pre>\(SVGChart.escape(b.renderText()))</pre>\n" }
        html += "<h2>One iteration of each stage (simulated pipeline)</h2>\n"
        for g in gantts { html += "<h3>Stage \(SVGChart.escape(g.stage))</h3>\n<figure>\(g.svg)</figure>\n" }
        // A self-check a headless browser can read: every chart laid out with a non-empty box.
        html += """
        <script>
        window.addEventListener('load', function () {
          var svgs = document.querySelectorAll('svg');
          var ok = svgs.length > 0;
          svgs.forEach(function (s) { var b = s.getBBox(); if (!(b.width > 0 && b.height > 0)) ok = false; });
          document.body.setAttribute('data-rendered', ok ? 'ok' : 'broken');
          document.body.setAttribute('data-charts', String(svgs.length));
        });
        </script>
        </body></html>

        """
        return html
    }
}
