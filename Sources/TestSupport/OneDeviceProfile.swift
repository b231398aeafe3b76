import Foundation

/// Writes a one-device system profile in the format `growthbench calibrate` writes (device and system in one
/// file, `stack: minigpt`, 2 threads) with the given figures, to a fresh temporary file; returns its path.
public func writeOneDeviceProfile(peakTFLOPs: Double, memoryGBs: Double, gemmCurve: String, attentionCurve: String,
                                  kernelLaunchMicroseconds: Double, stepOverheadMicroseconds: Double) throws -> String {
    let path = NSTemporaryDirectory() + "gb-device-\(UUID().uuidString).yaml"
    try """
    gpus:
      - {name: cpu, memory_gib: 16, peak_bf16_tflops: \(peakTFLOPs), hbm_gb_per_s: \(memoryGBs), nvlink_gb_per_s: 1, tdp_watts: 20, sources: [test]}
    systems:
      - name: local
        gpu: cpu
        gpus_per_node: 1
        nics_per_node: 1
        nic_gbit_per_s: 1
        stack: minigpt
        threads: 2
        efficiency: {gemm_curve: \(gemmCurve), gemm_scale: 1, attention_curve: \(attentionCurve), hbm_fraction: 1,
                     nvlink_bus_fraction: 1, network_bus_fraction: 1, nvlink_latency_us: 0, network_latency_us: 0,
                     kernel_launch_us: \(kernelLaunchMicroseconds), kernels_per_layer_forward: 9,
                     step_overhead_us: \(stepOverheadMicroseconds)}
        sources: [test]
    """.write(toFile: path, atomically: true, encoding: .utf8)
    return path
}
