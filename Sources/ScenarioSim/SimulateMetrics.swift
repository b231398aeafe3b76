import Reporting

extension SimulateReport {
    public func metrics() -> [Metric] {
        stages.flatMap { s -> [Metric] in
            let r = s.result
            return [
                Metric(stage: s.stage, name: "iteration_time", value: r.iterationTime, unit: "s"),
                Metric(stage: s.stage, name: "tokens_per_second", value: r.tokensPerSecond, unit: "tokens/s"),
                Metric(stage: s.stage, name: "model_tflops_per_gpu", value: r.modelTFLOPsPerGPU, unit: "TFLOP/s"),
                Metric(stage: s.stage, name: "hardware_tflops_per_gpu", value: r.hardwareTFLOPsPerGPU, unit: "TFLOP/s"),
                Metric(stage: s.stage, name: "mfu", value: r.mfu, unit: "fraction"),
                Metric(stage: s.stage, name: "hfu", value: r.hfu, unit: "fraction"),
                Metric(stage: s.stage, name: "bubble_fraction", value: r.bubbleFraction, unit: "fraction"),
                Metric(stage: s.stage, name: "memory_peak_per_gpu", value: r.memory.peak.total, unit: "bytes"),
            ]
        }
    }
}
