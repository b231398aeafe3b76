import Foundation
import ResultStore

/// Writes a training run into the results database: the config (as the run's scenario), the curves as they
/// are checkpointed, and the summary and flat metrics at the end. A resumed run is a new run that carries the
/// full curve from its checkpoint; the interrupted run it continues is closed as failed with a pointer to it.
public final class RunRecorder: TrainingRecorder {
    public let store: ResultStore
    public let runId: Int64
    private var writtenSteps = 0
    private var writtenEvaluations = 0

    /// `kind` and `stage` label runs made by other commands (a sweep point is kind `.sweep`, stage its key).
    public init(store: ResultStore, config: TrainConfig, configPath: String, source: String, command: String,
                toolVersion: String, resumes previousRun: Int64?, resumedStep: Int?, kind: RunKind = .train,
                stage: String? = nil) throws {
        self.store = store
        let scenarioId = try store.recordScenario(name: config.name, path: configPath, source: source)
        runId = try store.beginRun(kind: kind, scenarioId: scenarioId, stage: stage, command: command, toolVersion: toolVersion)
        // The run that wrote the checkpoint died (the store marks it interrupted when it opens, or it is still
        // `running` on another machine's row): link it to this one.
        if let previousRun, let old = try store.run(id: previousRun), old.status == .running || old.status == .interrupted {
            let note = "{\"interrupted\": true, \"resumed_as_run\": \(runId), \"resumed_from_step\": \(resumedStep ?? 0)}"
            try store.finishRun(previousRun, status: .interrupted, resultJSON: note)
        }
    }

    public func record(history: TrainingHistory) throws {
        var points: [CurvePointRecord] = []
        for p in history.steps.dropFirst(writtenSteps) {
            points.append(CurvePointRecord(series: "train_loss", step: p.step, tokens: p.tokens, value: p.loss))
            points.append(CurvePointRecord(series: "train_bpb", step: p.step, tokens: p.tokens, value: p.loss / log(2)))
            points.append(CurvePointRecord(series: "lr", step: p.step, tokens: p.tokens, value: p.learningRate))
            points.append(CurvePointRecord(series: "grad_norm", step: p.step, tokens: p.tokens, value: p.gradientNorm))
            points.append(CurvePointRecord(series: "step_seconds", step: p.step, tokens: p.tokens, value: p.seconds))
            // Growth schedules: the stage of every step and the mask during ramps (stage boundaries on the curves).
            if let stage = p.stage { points.append(CurvePointRecord(series: "stage", step: p.step, tokens: p.tokens, value: Double(stage))) }
            if let mask = p.mask { points.append(CurvePointRecord(series: "growth_mask", step: p.step, tokens: p.tokens, value: mask)) }
        }
        for e in history.evaluations.dropFirst(writtenEvaluations) {
            for d in e.result.domains {
                points.append(CurvePointRecord(series: "val_bpb:\(d.domain)", step: e.step, tokens: e.tokens, value: d.bitsPerByte))
                points.append(CurvePointRecord(series: "val_loss:\(d.domain)", step: e.step, tokens: e.tokens, value: d.loss))
            }
            for w in e.result.weighted {
                points.append(CurvePointRecord(series: "val_bpb:weighted:\(w.name)", step: e.step, tokens: e.tokens, value: w.bitsPerByte))
            }
        }
        if !points.isEmpty { try store.addCurvePoints(points, runId: runId) }
        writtenSteps = history.steps.count
        writtenEvaluations = history.evaluations.count
    }

    public func finish(_ s: TrainSummary, json: String) throws {
        var metrics: [MetricRecord] = [
            MetricRecord(stage: nil, name: "steps", value: Double(s.steps), unit: "steps"),
            MetricRecord(stage: nil, name: "tokens", value: s.tokens, unit: "tokens"),
            MetricRecord(stage: nil, name: "parameters", value: Double(s.parameters), unit: "parameters"),
            MetricRecord(stage: nil, name: "tokens_per_second", value: s.tokensPerSecond, unit: "tokens/s"),
            MetricRecord(stage: nil, name: "achieved_gflops", value: s.gflopsPerSecond, unit: "GFLOP/s"),
            MetricRecord(stage: nil, name: "train_seconds", value: s.trainSeconds, unit: "s"),
        ]
        if let f = s.countedFlops { metrics.append(MetricRecord(stage: nil, name: "counted_flops", value: f, unit: "FLOP")) }
        for st in s.stages ?? [] {
            metrics.append(MetricRecord(stage: "stage:\(st.name)", name: "steps", value: Double(st.steps), unit: "steps"))
            metrics.append(MetricRecord(stage: "stage:\(st.name)", name: "first_step", value: Double(st.firstStep), unit: "step"))
            metrics.append(MetricRecord(stage: "stage:\(st.name)", name: "tokens", value: st.tokens, unit: "tokens"))
            metrics.append(MetricRecord(stage: "stage:\(st.name)", name: "seconds", value: st.seconds, unit: "s"))
            metrics.append(MetricRecord(stage: "stage:\(st.name)", name: "counted_flops", value: st.countedFlops, unit: "FLOP"))
            metrics.append(MetricRecord(stage: "stage:\(st.name)", name: "parameters", value: Double(st.parameters), unit: "parameters"))
        }
        if let l = s.finalTrainLoss { metrics.append(MetricRecord(stage: nil, name: "final_train_loss", value: l, unit: "nats/byte")) }
        for d in s.evaluation?.domains ?? [] {
            metrics.append(MetricRecord(stage: d.domain, name: "val_bpb", value: d.bitsPerByte, unit: "bits/byte"))
            metrics.append(MetricRecord(stage: d.domain, name: "val_loss", value: d.loss, unit: "nats/byte"))
        }
        for w in s.evaluation?.weighted ?? [] {
            metrics.append(MetricRecord(stage: "weighted:\(w.name)", name: "val_bpb", value: w.bitsPerByte, unit: "bits/byte"))
        }
        for u in s.unigramBitsPerByte {
            metrics.append(MetricRecord(stage: u.domain, name: "unigram_bpb", value: u.bitsPerByte, unit: "bits/byte"))
        }
        for u in s.unigramWeighted {
            metrics.append(MetricRecord(stage: "weighted:\(u.name)", name: "unigram_bpb", value: u.bitsPerByte, unit: "bits/byte"))
        }
        try store.finishRun(runId, status: s.status == .completed ? .completed : .diverged, resultJSON: json, metrics: metrics)
    }
}
