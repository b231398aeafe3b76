import Foundation

extension ValidationReport {
    /// Targets of issue 14: step times within ±10 %, the growth saving within ±10 % (relative), target loss within 1 %.
    public static let stepTolerance = 0.10, savingTolerance = 0.10, lossTolerance = 0.01

    private func pad(_ s: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(0, width - s.count))
        return right ? fill + s : s + fill
    }

    public func renderText() -> String {
        func pct(_ x: Double) -> String { String(format: "%+.1f%%", 100 * x) }
        func verdict(_ ok: Bool) -> String { ok ? "ok" : "MISSED" }
        var out = "Validation \(suite) (\(path)) on \(system), \(threads) threads: predicted by the simulator, measured by the trainer\n\n"
        if !time.isEmpty {
            out += "Step and stage time\n"
            out += "run / stage                    shape         steps  run   pred s/step  fastest  error    median  error   pred total  meas total   error\n"
            for r in time {
                let label = r.run == r.stage ? r.run : "\(r.run) / \(r.stage)"
                out += pad(label, 30) + " " + pad(r.shape, 13)
                out += String(format: " %5d %5lld %12.3f %8.3f ", r.steps, r.runId, r.predictedStepSeconds, r.measuredStepSeconds)
                out += pad(pct(r.stepError), 7, right: true) + String(format: " %8.3f ", r.medianStepSeconds)
                out += pad(pct(r.medianStepError), 7, right: true) + String(format: " %11.1f %11.1f ", r.predictedSeconds, r.measuredSeconds)
                out += pad(pct(r.totalError), 7, right: true) + "  " + verdict(abs(r.stepError) <= Self.stepTolerance) + "\n"
            }
            let worst = time.map { abs($0.stepError) }.max() ?? 0
            let worstMedian = time.map { abs($0.medianStepError) }.max() ?? 0
            out += String(format: "worst step-time error %.1f%% on the fastest step (target ±%.0f%%), %.1f%% on the median step\n",
                          100 * worst, 100 * Self.stepTolerance, 100 * worstMedian)
            out += "(fastest: the step the VM's neighbours did not slow, the statistic calibrate takes of its kernels)\n"
        }
        if let s = saving {
            out += "\nGrowth vs scratch (equal tokens; runs #\(s.growthRunId) and #\(s.scratchRunId))\n"
            out += String(format: "  time          predicted %8.1f s vs %8.1f s   measured %8.1f s vs %8.1f s\n",
                          s.predictedGrowthSeconds, s.predictedScratchSeconds, s.measuredGrowthSeconds, s.measuredScratchSeconds)
            let error = s.savingError.map { pct($0) + String(format: " (relative; target ±%.0f%%)  ", 100 * Self.savingTolerance)
                + verdict(abs($0) <= Self.savingTolerance) } ?? "n/a: the runs measured no saving  MISSED"
            out += String(format: "  saving        predicted %5.1f%%   measured %5.1f%%   error ", 100 * s.predictedSaving, 100 * s.measuredSaving)
                + error + "\n"
            out += String(format: "  speedup       predicted %.2f×   measured %.2f×\n", s.predictedSpeedup, s.measuredSpeedup)
        }
        if let l = loss {
            out += "\nLoss from µP proxies (µScaling: L(N) = a·N^b + c over non-embedding parameters; validation bits per byte)\n"
            for p in l.proxies {
                out += String(format: "  proxy  width %5d  N %10d  run %4lld  %.4f bpb\n", p.width, p.parameters, p.runId, p.bitsPerByte)
            }
            if let f = l.fit {
                out += String(format: "  fit    a = %.4g ± %.2g   b = %.4f ± %.4f   c = %.4f ± %.4f   (%d proxies, residual s = %.4f)\n",
                              f.law.a, f.standardErrors[0], f.law.b, f.standardErrors[1], f.law.c, f.standardErrors[2],
                              f.points, f.residualVariance.squareRoot())
                for t in l.targets {
                    out += String(format: "  target width %5d  N %10d (%.1f× the widest proxy)  predicted %.4f [%.4f, %.4f] (%.0f%%)  measured %.4f  error %@  %@\n",
                                  t.point.width, t.point.parameters, t.ratio, t.predicted.value, t.predicted.lower,
                                  t.predicted.upper, 100 * t.predicted.level, t.point.bitsPerByte, pct(t.error) as NSString,
                                  verdict(abs(t.error) <= Self.lossTolerance) as NSString)
                }
            } else {
                out += "  the fit failed: \(l.fitFailure ?? "unknown reason"); no loss is predicted\n"
                for p in l.unpredicted {
                    out += String(format: "  target width %5d  N %10d  measured %.4f bpb (not predicted)\n", p.width, p.parameters, p.bitsPerByte)
                }
            }
        }
        out += String(format: "\nValidation took %.1f min (training included; reused runs cost nothing).", seconds / 60)
        return out
    }
}
