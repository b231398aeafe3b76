import Foundation
import ClusterSim
import Hardware
import ModelKit

/// One simulated published run: what was measured, what the simulator predicts, the signed error.
public struct AccuracyRow: Sendable, Equatable, Codable {
    public var id: String
    public var source: String
    public var model: String
    public var gpus: Int
    /// "tp·pp·cp·dp", plus vp, fsdp/HSDP and recompute when set.
    public var layout: String
    public var metric: String
    public var unit: String
    public var measured: Double
    public var predicted: Double
    /// Error of the predicted time: (predicted − measured) / measured for a step time, measured / predicted − 1 for a
    /// throughput (its predicted time per token against the measured one), so one sign convention holds for every row:
    /// positive = the simulator is slower than the run.
    public var signedError: Double
    public var mfu: Double
    /// A row the H100 gemm_scale was fitted on (`AccuracyBench.isCalibrationRow`).
    public var calibration: Bool
    /// The row's model has the fit rows' shape (Llama 3 / 3.1 70B, in any precision or layout): not independent of the fit.
    public var sharesFitModel: Bool = false
    /// The source did not state the recompute; the translation inferred it from the memory estimate.
    public var recomputeInferred: Bool
    /// Peak memory per GPU of the memory estimate, GiB; `overMemory` when above the GPU's.
    public var peakMemoryGiB: Double
    public var overMemory: Bool
    public var assumptions: [String]
}

public struct SourceAccuracy: Sendable, Equatable, Codable {
    public var source: String
    public var rows: Int
    /// Mean absolute percentage error and mean signed error, in percent.
    public var mape: Double
    public var meanSignedError: Double
    public var worst: Double
}

/// The accuracy bench: every visible row the simulator can express, its signed error, MAPE per source and overall.
public struct AccuracyReport: Sendable, Equatable, Codable {
    public var rows: [AccuracyRow]
    public var excluded: [Exclusion]
    public var sources: [SourceAccuracy]
    public var overall: SourceAccuracy
    /// The rows whose model shape no knob was fitted on (the fit rows and their same-model twins left out).
    public var validationOnly: SourceAccuracy
    /// The rows whose recompute the source states (no inference from the memory model).
    public var recomputeStated: SourceAccuracy
    /// Rows with FSDP / ZeRO-3 sharding among the simulated ones.
    public var shardedRows: Int
    /// Every knob of the profiles used, with what it was fitted on (from `Data/hardware/systems.yaml`).
    public var knobs: [String]
}

public enum AccuracyError: Error, CustomStringConvertible {
    case simulation(id: String, origin: String, String)
    case fit(String)
    public var description: String {
        switch self {
        case let .simulation(id, origin, why): "\(origin): \(id): the simulator failed: \(why)"
        case let .fit(why): "cannot fit gemm_scale: \(why)"
        }
    }
}

public enum AccuracyBench {
    public static func run(_ runs: [PublishedRun], systems: SystemCatalog) throws -> AccuracyReport {
        var rows: [AccuracyRow] = [], excluded: [Exclusion] = []
        var profiles: [String: SystemProfile] = [:]
        let fitShapes = Set(runs.filter(isCalibrationRow).map(shape))
        for r in runs {
            switch RunTranslation.translate(r, systems: systems) {
            case .failure(let why): excluded.append(why)
            case .success(let c):
                profiles[c.system.name] = c.system
                var row = try simulate(r, c)
                row.sharesFitModel = fitShapes.contains(shape(r))
                rows.append(row)
            }
        }
        let bySource = Dictionary(grouping: rows, by: \.source)
        let sources = bySource.keys.sorted().map { summary($0, bySource[$0]!) }
        let knobs = profiles.keys.sorted().map { name -> String in
            let e = profiles[name]!.efficiency
            func f(_ x: Double) -> String { String(format: "%g", x) }
            let curve = { (c: EfficiencyCurve) in c.points.map { "[\(f($0.gflop)), \(f($0.fraction))]" }.joined(separator: " ") }
            return "\(name): gemm_curve \(curve(e.gemm)) × gemm_scale \(f(e.gemmScale)); flash_attention_curve "
                + (e.flashAttentionCurve.map(curve) ?? "none (GEMM curve)") + "; cudnn_attention_curve "
                + (e.cudnnAttentionCurve.map(curve) ?? "none (the flash curve)") + "; fp8_gemm_ratio " + (e.fp8GemmRatio.map(f) ?? "none")
                + "; hbm \(f(e.hbmFraction)); nvlink bus \(f(e.nvlinkBusFraction)), α \(f(e.nvlinkLatency * 1e6)) µs; network bus \(f(e.networkBusFraction)), α \(f(e.networkLatency * 1e6)) µs; launch \(f(e.kernelLaunch * 1e6)) µs × \(f(e.kernelsPerLayerForward))"
        }
        return AccuracyReport(rows: rows, excluded: excluded, sources: sources, overall: summary("all", rows),
                              validationOnly: summary("other models", rows.filter { !$0.calibration && !$0.sharesFitModel }),
                              recomputeStated: summary("stated AC", rows.filter { !$0.recomputeInferred }),
                              shardedRows: rows.filter { $0.layout.contains("fsdp") }.count, knobs: knobs)
    }

    static func simulate(_ r: PublishedRun, _ c: SimulationCase) throws -> AccuracyRow {
        let usable = c.system.gpu.memoryBytes
        var options = SimulationOptions()
        options.granularity = .chunk
        let result: SimulationResult
        do {
            // Memory is reported, not enforced: the run did fit, so an estimate above the GPU's is a finding about
            // the memory model, and the time is still predicted.
            (result, _) = try Simulator.simulate(model: c.model, layout: c.layout, globalBatch: c.globalBatch, system: c.system,
                                                 usableMemoryBytes: .infinity, options: options)
        } catch {
            throw AccuracyError.simulation(id: r.id, origin: r.origin, "\(error)")
        }
        let stepTime = r.metric == "step_time_s"
        let predicted = stepTime ? result.iterationTime : result.tokensPerSecond / Double(result.gpus)
        let timeError = stepTime ? (predicted - r.value) / r.value : r.value / predicted - 1
        let peak = result.memory.peak.total
        return AccuracyRow(id: r.id, source: r.source, model: r.model, gpus: r.gpus, layout: describe(c.layout),
                           metric: r.metric, unit: r.unit, measured: r.value, predicted: predicted,
                           signedError: timeError, mfu: result.mfu, calibration: isCalibrationRow(r),
                           recomputeInferred: c.assumptions.contains { $0.hasPrefix(RunTranslation.inferredRecompute) },
                           peakMemoryGiB: peak / 1_073_741_824, overMemory: peak > usable, assumptions: c.assumptions)
    }

    /// The rows the dgx-h100 `gemm_scale` is fitted on: dgxc's bf16 Llama 3.1 70B runs on the Megatron stack (both
    /// releases, 64 to 2,048 GPUs). Split by configuration, not by release: no other row shares their model, so every
    /// other row — other models, FP8, MaxText, NeMo, torchtitan, fms-fsdp — is validation only.
    public static func isCalibrationRow(_ r: PublishedRun) -> Bool {
        r.source == "dgxc" && r.model == "Llama-3.1-70B" && r.precision == "bf16" && !r.notes.contains("MaxText")
    }

    /// A model's shape, to tell which rows share the fit rows' model.
    static func shape(_ r: PublishedRun) -> [Int] { [r.layers, r.hidden, r.heads, r.kvHeads, r.ffnHidden] }

    /// Fits `gemm_scale` of `systemName` so that the median signed error over the calibration rows is zero
    /// (bisection; the error falls monotonically as the scale grows). Returns the scale and the rows used.
    public static func fitGemmScale(_ runs: [PublishedRun], systems: SystemCatalog, systemName: String = "dgx-h100")
        throws -> (scale: Double, rows: Int) {
        let calibration = runs.filter(isCalibrationRow)
        func medianError(_ scale: Double) throws -> (Double, Int) {
            var catalog = systems
            guard let i = catalog.systems.firstIndex(where: { $0.name == systemName }) else { return (0, 0) }
            catalog.systems[i].efficiency.gemmScale = scale
            let errors = try calibration.compactMap { r -> Double? in
                guard case let .success(c) = RunTranslation.translate(r, systems: catalog), c.system.name == systemName else { return nil }
                return try simulate(r, c).signedError
            }.sorted()
            guard !errors.isEmpty else { return (0, 0) }
            let n = errors.count
            return (n % 2 == 1 ? errors[n / 2] : (errors[n / 2 - 1] + errors[n / 2]) / 2, n)
        }
        var lo = 0.3, hi = 1.0
        let (low, rows) = try medianError(lo), (high, _) = try medianError(hi)
        guard rows > 0 else { throw AccuracyError.fit("no calibration row translates onto \(systemName)") }
        guard low > 0 && high < 0 else {
            throw AccuracyError.fit(String(format: "the median error does not change sign over gemm_scale 0.3…1 (%+.1f%% … %+.1f%%)", 100 * low, 100 * high))
        }
        for _ in 0..<20 {
            let mid = (lo + hi) / 2
            if try medianError(mid).0 > 0 { lo = mid } else { hi = mid }
        }
        return ((lo + hi) / 2, rows)
    }

    static func describe(_ l: ParallelLayout) -> String {
        var s = "\(l.tensor)·\(l.pipeline)·\(l.contextParallel)·\(l.data)"
        if l.virtualStages > 1 { s += " vp\(l.virtualStages)" }
        if l.zeroStage == 3 { s += " fsdp\(l.shardRanks)" + (l.shardReplicas > 1 ? "×\(l.shardReplicas)" : "") }
        if l.recompute != .none { s += " \(l.recompute.rawValue)" + (l.recomputeLayers.map { "(\($0))" } ?? "") }
        if l.precision == .fp8 { s += " fp8" }
        return s
    }

    static func summary(_ source: String, _ rows: [AccuracyRow]) -> SourceAccuracy {
        guard !rows.isEmpty else { return SourceAccuracy(source: source, rows: 0, mape: .nan, meanSignedError: .nan, worst: .nan) }
        let n = Double(rows.count)
        return SourceAccuracy(source: source, rows: rows.count,
                              mape: 100 * rows.map { abs($0.signedError) }.reduce(0, +) / n,
                              meanSignedError: 100 * rows.map(\.signedError).reduce(0, +) / n,
                              worst: 100 * (rows.map { abs($0.signedError) }.max() ?? 0))
    }
}
