import Foundation
import Reporting

extension AccuracyReport {
    static let colours = ["dgxc": "#1f77b4", "fms-fsdp": "#2ca02c", "nemo": "#d62728", "torchtitan": "#9467bd"]

    /// Measured against predicted time on log axes, one colour per source, with y = x and the ±8 % band. Step-time
    /// rows in seconds per step; throughput rows as seconds per million tokens per GPU (1e6 / tokens/s/GPU), so every
    /// point is a time and above the line means the run was slower than predicted.
    public var scatterSVG: String {
        func time(_ r: AccuracyRow, _ v: Double) -> Double { r.metric == "step_time_s" ? v : 1e6 / v }
        let xs = rows.flatMap { [time($0, $0.predicted), time($0, $0.measured)] }.filter { $0 > 0 && $0.isFinite }
        let lo = (xs.min() ?? 1) / 1.3, hi = (xs.max() ?? 10) * 1.3
        func diagonal(_ k: Double) -> [(x: Double, y: Double)] { [(lo, lo * k), (hi, hi * k)] }
        let bySource = Dictionary(grouping: rows, by: \.source)
        let markers = bySource.keys.sorted().map { source in
            SVGChart.Series(name: "\(source) (\(bySource[source]!.count))",
                            points: bySource[source]!.map { (time($0, $0.predicted), time($0, $0.measured)) },
                            colour: Self.colours[source] ?? "#7f7f7f")
        }
        return SVGChart.scatter(
            title: "Published runs: measured vs simulated time (s/step, or s per 1M tokens per GPU)",
            xLabel: "simulated", yLabel: "measured", markers: markers,
            lines: [SVGChart.Series(name: "measured = simulated", points: diagonal(1), colour: "#444"),
                    SVGChart.Series(name: "±8%", points: diagonal(1.08), colour: "#aaa", dashed: true),
                    SVGChart.Series(name: "", points: diagonal(1 / 1.08), colour: "#aaa", dashed: true)],
            logY: true)
    }

    /// Every row's signed time error (%) against its GPU count, one colour per source, with the ±8 % band: where the
    /// model drifts with scale.
    public var errorSVG: String {
        let bySource = Dictionary(grouping: rows, by: \.source)
        let gpus = rows.map { Double($0.gpus) }
        let lo = (gpus.min() ?? 1) / 1.5, hi = (gpus.max() ?? 2) * 1.5
        return SVGChart.scatter(
            title: "Signed error of the simulated time per row (+ = simulated slower than the run)",
            xLabel: "GPUs", yLabel: "error (%)",
            markers: bySource.keys.sorted().map { source in
                SVGChart.Series(name: source, points: bySource[source]!.map { (Double($0.gpus), 100 * $0.signedError) },
                                colour: Self.colours[source] ?? "#7f7f7f")
            },
            lines: [SVGChart.Series(name: "0", points: [(lo, 0), (hi, 0)], colour: "#444"),
                    SVGChart.Series(name: "±8%", points: [(lo, 8), (hi, 8)], colour: "#aaa", dashed: true),
                    SVGChart.Series(name: "", points: [(lo, -8), (hi, -8)], colour: "#aaa", dashed: true)])
    }

    /// The bench as one page: the scatter, then the text report (every row, MAPE per source, exclusions, knobs).
    public var html: String {
        """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>GrowthBench simulator accuracy</title>
        <style>body{font-family:sans-serif;max-width:1200px;margin:2em auto} pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:12px}</style>
        </head><body>
        <h1>Simulator accuracy on published runs</h1>
        <p>\(rows.count) visible rows simulated (\(shardedRows) with FSDP), \(excluded.count) excluded with their reasons below;
        MAPE \(String(format: "%.1f", overall.mape)) % overall, \(String(format: "%.1f", validationOnly.mape)) % over the rows of other models than the one a knob was fitted on.</p>
        \(scatterSVG)
        \(errorSVG)
        <pre>\(SVGChart.escape(text))</pre>
        </body></html>
        """
    }
}

extension AccuracyReport {
    /// Flat metrics for the results database: per source (and overall, other models) MAPE, mean signed error and
    /// rows; per row its signed error. Stage = the source or the row id.
    public func metrics() -> [Metric] {
        var out: [Metric] = []
        for s in sources + [overall, validationOnly, recomputeStated] where s.rows > 0 {
            out += [Metric(stage: s.source, name: "mape", value: s.mape, unit: "%"),
                    Metric(stage: s.source, name: "mean_signed_error", value: s.meanSignedError, unit: "%"),
                    Metric(stage: s.source, name: "rows", value: Double(s.rows), unit: "rows")]
        }
        out += rows.map { Metric(stage: $0.id, name: "signed_error", value: 100 * $0.signedError, unit: "%") }
        return out
    }
}
