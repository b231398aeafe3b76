import Foundation
import Reporting
import Training

/// Loss curves of a measured comparison against tokens and against training time, with the growth run's stage
/// boundaries (marker lines) and mask ramps (shaded) marked.
extension MeasuredComparison {
    enum Axis { case tokens, seconds }

    public var lossVsTokensSVG: String { chart(.tokens) }
    public var lossVsTimeSVG: String { chart(.seconds) }

    func chart(_ axis: Axis) -> String {
        func x(_ run: MeasuredRun) -> [Int: Double] {
            axis == .tokens ? Dictionary(uniqueKeysWithValues: run.summary.curve.map { ($0.step, $0.tokens) }) : run.secondsThroughStep
        }
        let xg = x(growth), xs = x(scratch)
        func trainSeries(_ run: MeasuredRun, _ xs: [Int: Double], _ name: String, _ colour: String) -> SVGChart.Series {
            // Training BPB averaged over 10 steps (the raw per-batch loss is noisy).
            let curve = run.summary.curve
            var points: [(x: Double, y: Double)] = []
            for i in curve.indices where (i + 1) % 5 == 0 || i == curve.count - 1 {
                let window = curve[max(0, i - 9)...i]
                points.append((xs[curve[i].step] ?? 0, window.map(\.loss).reduce(0, +) / Double(window.count) / log(2)))
            }
            return SVGChart.Series(name: name, points: points, colour: colour)
        }
        func validationSeries(_ run: MeasuredRun, _ name: String, _ colour: String) -> SVGChart.Series {
            SVGChart.Series(name: name, points: run.validationCurve(weighting: weighting).map {
                (axis == .tokens ? $0.tokens : $0.seconds, $0.bpb)
            }, colour: colour, dashed: true)
        }
        let series = [
            trainSeries(growth, xg, "growth: train BPB (10-step mean)", SVGChart.palette[0]),
            trainSeries(scratch, xs, "scratch: train BPB", SVGChart.palette[1]),
            validationSeries(growth, "growth: validation BPB (\(weighting))", SVGChart.palette[0]),
            validationSeries(scratch, "scratch: validation BPB", SVGChart.palette[1]),
        ]
        let bands = growthBands(xg)
        let ys = series.flatMap { $0.points.map(\.y) }
        let floor = max(0, ((ys.min() ?? 0) - 0.25).rounded(.down))
        // Clip the first steps' high loss: the scale is set by the first validation point plus half a bit.
        let ceiling = series[2...].compactMap { $0.points.first?.y }.max().map { ($0 + 0.5).rounded(.up) }
        return SVGChart.line(title: axis == .tokens ? "Loss against tokens: growth vs scratch" : "Loss against training time: growth vs scratch",
                             xLabel: axis == .tokens ? "tokens" : "training seconds (optimizer steps)",
                             yLabel: "bits per byte", series: series, width: 860, height: 420, yFrom: floor, yTo: ceiling,
                             bands: bands)
    }

    /// Stage starts (zero-width bands, drawn as lines) and ramps (shaded) of the growth run, on its x axis. Every
    /// ramp starts at mask 0 and runs while a mask is recorded.
    func growthBands(_ x: [Int: Double]) -> [SVGChart.Band] {
        var bands: [SVGChart.Band] = []
        let curve = growth.summary.curve
        let names = growth.summary.stages?.map(\.name) ?? []
        func at(_ i: Int) -> Double { i < 0 ? 0 : x[curve[i].step] ?? 0 }
        var rampStart: Int?
        func closeRamp(_ last: Int) {
            // Unlabelled: ramps follow each other within a few pixels; the caption explains the shading.
            if let s = rampStart { bands.append(SVGChart.Band(start: at(s - 1), end: at(last), label: "", colour: "#e8a33d")) }
            rampStart = nil
        }
        for (i, p) in curve.enumerated() {
            if i > 0, let stage = p.stage, stage != curve[i - 1].stage {
                bands.append(SVGChart.Band(start: at(i - 1), end: at(i - 1), label: stage < names.count ? names[stage] : "stage \(stage)",
                                           colour: "#444"))
            }
            if p.mask == 0 { closeRamp(i - 1); rampStart = i } else if p.mask == nil { closeRamp(i - 1) }
        }
        closeRamp(curve.count - 1)
        return bands
    }

    /// A self-contained page: the table and both charts.
    public func html(text: String) -> String {
        """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>\(SVGChart.escape(growth.name)) vs \(SVGChart.escape(scratch.name))</title>
        <style>body{font-family:sans-serif;max-width:920px;margin:2em auto} pre{background:#f6f6f6;padding:1em;overflow-x:auto}</style>
        </head><body>
        <h1>Growth vs scratch, measured</h1>
        <pre>\(SVGChart.escape(text))</pre>
        <h2>Loss against tokens</h2>
        \(lossVsTokensSVG)
        <h2>Loss against training time</h2>
        \(lossVsTimeSVG)
        <p>Shaded: MSG mask ramps of the growth run (one per operator, in the stage's order); lines: its stage
        starts; losses above the top of the scale (the first steps) are drawn at the edge. Training BPB is a 10-step mean of the
        per-batch loss; validation BPB is the weighted (\(SVGChart.escape(weighting))) sum over domains.</p>
        </body></html>
        """
    }
}
