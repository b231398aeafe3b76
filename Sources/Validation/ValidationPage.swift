import Foundation
import Reporting
import ResultStore

extension ValidationReport {
    /// Predicted (x) against measured (y) step seconds on log axes, with y = x and the tolerance band.
    public var stepTimeSVG: String {
        let xs = time.flatMap { [$0.predictedStepSeconds, $0.measuredStepSeconds] }.filter { $0 > 0 && $0.isFinite }
        let lo = (xs.min() ?? 0.01) / 1.3, hi = (xs.max() ?? 1) * 1.3
        func diagonal(_ k: Double) -> [(x: Double, y: Double)] { [(lo, lo * k), (hi, hi * k)] }
        let shapes = time.filter { $0.run == $0.stage }, stages = time.filter { $0.run != $0.stage }
        return SVGChart.scatter(
            title: "Step time: predicted by the simulator vs measured by the trainer", xLabel: "predicted seconds per step",
            yLabel: "measured seconds per step",
            markers: [SVGChart.Series(name: "step-time shapes", points: shapes.map { ($0.predictedStepSeconds, $0.measuredStepSeconds) }, colour: "#1f77b4"),
                      SVGChart.Series(name: "growth / scratch stages", points: stages.map { ($0.predictedStepSeconds, $0.measuredStepSeconds) }, colour: "#d62728")],
            lines: [SVGChart.Series(name: "measured = predicted", points: diagonal(1), colour: "#444"),
                    SVGChart.Series(name: String(format: "±%.0f%%", 100 * Self.stepTolerance),
                                    points: diagonal(1 / (1 + Self.stepTolerance)), colour: "#aaa", dashed: true),
                    SVGChart.Series(name: "", points: diagonal(1 / (1 - Self.stepTolerance)), colour: "#aaa", dashed: true)],
            logY: true)
    }

    /// The proxies, the fitted law with its prediction interval, and the targets predicted vs measured.
    public var lossFitSVG: String? {
        guard let l = loss, let fit = l.fit else { return nil }
        let ns = (l.proxies + l.targets.map(\.point)).map { Double($0.parameters) }
        let lo = (ns.min() ?? 1) / 1.5, hi = (ns.max() ?? 2) * 1.5
        let grid = (0...60).map { lo * pow(hi / lo, Double($0) / 60) }
        let bands = grid.map { ($0, fit.predict($0)) }
        return SVGChart.scatter(
            title: "Validation loss against size: µP proxies, fit L(N) = a·N^b + c, 95% prediction interval",
            xLabel: "non-embedding parameters N", yLabel: "validation bits per byte",
            markers: [SVGChart.Series(name: "proxies", points: l.proxies.map { (Double($0.parameters), $0.bitsPerByte) }, colour: "#1f77b4"),
                      SVGChart.Series(name: "targets measured", points: l.targets.map { (Double($0.point.parameters), $0.point.bitsPerByte) }, colour: "#d62728"),
                      SVGChart.Series(name: "targets predicted", points: l.targets.map { (Double($0.point.parameters), $0.predicted.value) }, colour: "#d62728", dashed: true)],
            lines: [SVGChart.Series(name: "fit", points: bands.map { ($0.0, $0.1.value) }, colour: "#444"),
                    SVGChart.Series(name: "95% interval", points: bands.map { ($0.0, $0.1.lower) }, colour: "#aaa", dashed: true),
                    SVGChart.Series(name: "", points: bands.map { ($0.0, $0.1.upper) }, colour: "#aaa", dashed: true)])
    }

    public func html() -> String {
        """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>Validation \(SVGChart.escape(suite))</title>
        <style>body{font-family:sans-serif;max-width:1100px;margin:2em auto} pre{background:#f6f6f6;padding:1em;overflow-x:auto;font-size:12px}</style>
        </head><body>
        <h1>Validation: the simulator's predictions against mini runs measured on this machine</h1>
        <pre>\(SVGChart.escape(renderText()))</pre>
        <h2>Step time</h2>
        \(stepTimeSVG)
        <p>Each point is one run's stage: its step time predicted by the cluster simulator and cost model on the
        profile <code>growthbench calibrate</code> measured (x) and the trainer's fastest step (y, first step of the stage excluded; the text above also gives the median).</p>
        \(lossFitSVG.map { "<h2>Loss from µP proxies</h2>\n\($0)\n<p>Final validation bits per byte (mixture weighting) against non-embedding parameters; the law is fitted to the proxies only (GSL nonlinear least squares) and extrapolated to the targets.</p>" } ?? "")
        </body></html>
        """
    }

    /// Stored with the run: worst step-time error, saving errors, loss errors.
    public func metrics() -> [MetricRecord] {
        var m: [MetricRecord] = time.map {
            MetricRecord(stage: "\($0.run)/\($0.stage)", name: "step_time_error", value: $0.stepError, unit: "fraction")
        }
        m.append(MetricRecord(stage: nil, name: "worst_step_time_error", value: time.map { abs($0.stepError) }.max() ?? 0, unit: "fraction"))
        if let s = saving {
            m += [MetricRecord(stage: nil, name: "predicted_time_saving", value: s.predictedSaving, unit: "fraction"),
                  MetricRecord(stage: nil, name: "measured_time_saving", value: s.measuredSaving, unit: "fraction")]
            if let e = s.savingError { m.append(MetricRecord(stage: nil, name: "time_saving_error", value: e, unit: "fraction")) }
        }
        for t in loss?.targets ?? [] {
            m += [MetricRecord(stage: "width\(t.point.width)", name: "predicted_bpb", value: t.predicted.value, unit: "bits/byte"),
                  MetricRecord(stage: "width\(t.point.width)", name: "measured_bpb", value: t.point.bitsPerByte, unit: "bits/byte"),
                  MetricRecord(stage: "width\(t.point.width)", name: "loss_error", value: t.error, unit: "fraction")]
        }
        return m
    }
}

public enum ValidationPage {
    /// index.html with the text and the charts, and the charts as SVG files, in `dir`.
    public static func write(_ r: ValidationReport, to dir: String) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try r.stepTimeSVG.write(toFile: dir + "/step-time.svg", atomically: true, encoding: .utf8)
        if let fit = r.lossFitSVG { try fit.write(toFile: dir + "/loss-fit.svg", atomically: true, encoding: .utf8) }
        try r.html().write(toFile: dir + "/index.html", atomically: true, encoding: .utf8)
    }
}
