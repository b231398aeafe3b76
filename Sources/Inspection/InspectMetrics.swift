import Reporting

extension InspectReport {
    /// The report's headline numbers as flat metrics for the results database.
    public func metrics() -> [Metric] {
        var out: [Metric] = []
        for s in stages {
            func add(_ name: String, _ value: Double, _ unit: String) {
                out.append(Metric(stage: s.name, name: name, value: value, unit: unit))
            }
            add("params", Double(s.parameters.total), "parameters")
            add("tokens", s.tokens, "tokens")
            add("flops_per_token_model", s.flopsPerToken.trainingModel, "FLOPs")
            add("flops_per_token_hardware", s.flopsPerToken.trainingHardware, "FLOPs")
            add("training_flops_6nd", s.trainingFlops.sixND, "FLOPs")
            add("training_flops_model", s.trainingFlops.exactModel, "FLOPs")
            add("training_flops_hardware", s.trainingFlops.exactHardware, "FLOPs")
            add("cost_index_midpoint", s.trainingFlops.costIndexMidpoint, "FLOPs")
            add("memory_peak_per_gpu", s.memory.peakBytes, "bytes")
        }
        out.append(Metric(stage: nil, name: "training_flops_6nd", value: totalFlops.sixND, unit: "FLOPs"))
        out.append(Metric(stage: nil, name: "cost_index_midpoint", value: totalFlops.costIndexMidpoint, unit: "FLOPs"))
        return out
    }
}
