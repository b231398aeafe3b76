import Foundation

extension AccuracyReport {
    /// Every row's signed error, MAPE per source and overall, the excluded rows and the knobs.
    public var text: String {
        func pct(_ x: Double) -> String { String(format: "%+.1f%%", 100 * x) }
        func num(_ x: Double) -> String { x >= 100 ? String(format: "%.0f", x) : String(format: "%.3g", x) }
        var out = ["Simulator accuracy on the visible validation set (Data/validation; held-out tables never read)", ""]
        let idWidth = max(4, rows.map(\.id.count).max() ?? 0)
        let modelWidth = max(5, rows.map(\.model.count).max() ?? 0)
        let layoutWidth = max(6, rows.map(\.layout.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s.padding(toLength: max(n, s.count), withPad: " ", startingAt: 0) }
        func lpad(_ s: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - s.count)) + s }
        out.append("\(pad("row", idWidth))  \(pad("model", modelWidth))  \(lpad("GPUs", 5))  \(pad("tp·pp·cp·dp", layoutWidth))  \(pad("metric", 12))  \(lpad("measured", 9))  \(lpad("predicted", 9))  \(lpad("error", 7))  \(lpad("MFU", 5))  memory")
        for r in rows {
            let metric = r.metric == "step_time_s" ? "s/step" : "tok/s/GPU"
            out.append("\(pad(r.id, idWidth))  \(pad(r.model, modelWidth))  \(lpad("\(r.gpus)", 5))  \(pad(r.layout, layoutWidth))  \(pad(metric, 12))  \(lpad(num(r.measured), 9))  \(lpad(num(r.predicted), 9))  \(lpad(pct(r.signedError), 7))  \(lpad(String(format: "%.0f%%", 100 * r.mfu), 5))  \(String(format: "%.1f", r.peakMemoryGiB)) GiB\(r.overMemory ? " (over the GPU's)" : "")\(r.calibration ? "  [fit]" : r.sharesFitModel ? "  [twin]" : "")\(r.recomputeInferred ? "  [AC?]" : "")")
        }
        out += ["", "source        rows   MAPE   mean signed   worst"]
        for s in sources + [overall, validationOnly, recomputeStated] where s.rows > 0 {
            out.append("\(pad(s.source, 12))  \(lpad("\(s.rows)", 4))  \(lpad(String(format: "%.1f%%", s.mape), 6))  \(lpad(String(format: "%+.1f%%", s.meanSignedError), 11))  \(lpad(String(format: "%.1f%%", s.worst), 6))")
        }
        out.append("Errors are in time (a throughput row compares its predicted time per token): + = the simulator is slower than the run.")
        out.append("[fit] = one of the \(rows.filter(\.calibration).count) rows dgx-h100's gemm_scale is fitted on (growthbench accuracy --fit-gemm-scale); [twin] = the same model in another precision or layout; 'other models' = all but those.")
        out.append("'stated AC' = the rows whose recompute the source states (elsewhere the framework's default is assumed, marked [AC?]).")
        out.append("\(rows.count) rows simulated (\(shardedRows) with FSDP / ZeRO-3), \(excluded.count) excluded:")
        let reasons = Dictionary(grouping: excluded, by: \.reason)
        for reason in reasons.keys.sorted(by: { reasons[$0]!.count > reasons[$1]!.count || (reasons[$0]!.count == reasons[$1]!.count && $0 < $1) }) {
            let ids = reasons[reason]!.map(\.id)
            out.append("  \(ids.count) × \(reason): \(ids.prefix(6).joined(separator: ", "))\(ids.count > 6 ? ", …" : "")")
        }
        out += ["", "Knobs of the profiles used (origins in Data/hardware/systems.yaml; component fits by scripts/fit-components.py):"]
        out += knobs.map { "  " + $0 }
        return out.joined(separator: "\n")
    }
}
