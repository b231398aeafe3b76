import Foundation
import ModelKit

/// Writes what `calibrate` measured as a system profile in the format of `Data/hardware/systems.yaml`, with its
/// device described in the same file: the simulator then prices this machine as a one-device cluster through
/// the same cost model as a GPU node (`stack: minigpt` selects MiniGPT's byte counts and attention).
public enum LocalProfile {
    /// The profile's system name (`--system local`, or `cluster.system: local` in a scenario).
    public static let systemName = "local"
    public static let deviceName = "local-cpu"
    /// Where `calibrate` writes by default and the CLI looks: next to the catalog, git-ignored.
    public static let defaultRelativePath = "hardware/local.yaml"

    /// GEMM curve points: (forward GFLOP of one product, achieved fraction of the peak over forward + both
    /// gradient products). Shapes with the same FLOPs are merged (total FLOPs / total time).
    public static func gemmCurve(_ c: Calibration) -> [(gflop: Double, fraction: Double)] {
        let peak = c.peakGFLOPs
        var groups: [Double: (flops: Double, seconds: Double)] = [:]
        for g in c.gemms {
            let key = (g.forwardFlops / 1e9 * 1e6).rounded() / 1e6
            let old = groups[key] ?? (0, 0)
            groups[key] = (old.flops + g.flops, old.seconds + g.seconds)
        }
        return groups.keys.sorted().map { k in (k, min(1, groups[k]!.flops / groups[k]!.seconds / 1e9 / peak)) }
    }

    /// Attention curve points: (executed forward GFLOP of one (sequence, head) item, fraction of the peak).
    public static func attentionCurve(_ c: Calibration) -> [(gflop: Double, fraction: Double)] {
        var groups: [Double: [Double]] = [:]
        for a in c.attention {
            let key = (a.itemForwardFlops / 1e9 * 1e6).rounded() / 1e6
            groups[key, default: []].append(a.gflopsPerSecond / c.peakGFLOPs)
        }
        return groups.keys.sorted().map { k in (k, min(1, groups[k]!.reduce(0, +) / Double(groups[k]!.count))) }
    }

    /// Kernels per layer forward at measurement (the trainer's configs use rotary positions).
    static var kernelsPerLayer: Double {
        MiniGPTKernels.kernelsPerLayerForward(ModelArchitecture(layers: 1, hidden: 64, heads: 1, ffnHidden: 256, vocab: 256,
                                                                sequenceLength: 64, position: .rope))
    }

    /// Seconds of one dispatch: the per-layer fixed cost over its forward and (twice as many) backward kernels.
    public static func kernelLaunchSeconds(_ c: Calibration) -> Double {
        c.layerDispatchSeconds / (3 * kernelsPerLayer)
    }

    public static func yaml(_ c: Calibration, date: Date = Date()) -> String {
        func num(_ x: Double) -> String { String(format: "%.6g", x) }
        func curve(_ points: [(gflop: Double, fraction: Double)]) -> String {
            "[" + points.map { "[\(num($0.gflop)), \(String(format: "%.4f", $0.fraction))]" }.joined(separator: ", ") + "]"
        }
        let stamp = ISO8601DateFormatter().string(from: date)
        let source = "growthbench calibrate on \(c.host), \(stamp), \(c.threads) threads"
        return """
        # This machine as a one-device system profile, written by `growthbench calibrate` (\(stamp)).
        # CPU: \(c.cpu); \(c.threads) threads; BLAS: \(c.blas).
        # Every figure below is a measurement of this machine running the trainer's own code paths, except
        # tdp_watts (assumed: 10 W per thread, energy only) and the interconnect fields (one device: unused).
        # peak_bf16_tflops holds the fastest fp32 sgemm rate measured over the trainer's GEMM shapes (the
        # precision the MiniGPT stack trains in); gemm_curve is each shape's rate over forward, input-gradient
        # and weight-gradient products as a fraction of it; attention_curve is the block-causal attention core
        # (forward + backward, softmax included) per (sequence, head) item; hbm_gb_per_s is the bytes-weighted
        # bandwidth of the norm, GELU, bias and AdamW kernels over the bytes `MiniGPTKernels` counts.
        # Regenerate with `growthbench calibrate`; this file is git-ignored.
        gpus:
          - name: \(deviceName)
            memory_gib: \(num(c.memoryGiB))
            peak_bf16_tflops: \(num(c.peakGFLOPs / 1000))
            hbm_gb_per_s: \(num(c.memoryGBPerSecond))
            nvlink_gb_per_s: 1
            tdp_watts: \(10 * c.threads)
            sources: ["\(source)"]
            notes: "CPU measured as the trainer runs (fp32); see the comment above"
        systems:
          - name: \(systemName)
            gpu: \(deviceName)
            gpus_per_node: 1
            nics_per_node: 1
            nic_gbit_per_s: 1
            stack: minigpt
            threads: \(c.threads)
            efficiency:
              gemm_curve: \(curve(gemmCurve(c)))
              gemm_scale: 1
              attention_curve: \(curve(attentionCurve(c)))
              hbm_fraction: 1
              nvlink_bus_fraction: 1
              network_bus_fraction: 1
              nvlink_latency_us: 0
              network_latency_us: 0
              kernel_launch_us: \(num(kernelLaunchSeconds(c) * 1e6))
              kernels_per_layer_forward: \(num(kernelsPerLayer))
              step_overhead_us: \(num(c.stepOverheadSeconds * 1e6))
            sources: ["\(source)"]
            notes: "Measured on \(c.rows)-row GEMMs (micro-batch × sequence) in \(String(format: "%.0f", c.seconds)) s"

        """
    }
}
