import Foundation

extension Calibration {
    /// What was measured, as tables: GEMM shapes, attention core, memory-bound kernels, overheads.
    public func renderText(profilePath: String) -> String {
        var out = "Calibrated \(host) (\(cpu)), \(threads) threads, \(String(format: "%.0f", seconds)) s\n"
        out += "BLAS: \(blas)\n\n"
        out += "GEMMs (\(rows) rows; forward, input-gradient and weight-gradient products of one linear layer)\n"
        out += "  in → out      GFLOP   fwd ms   dx ms   dW ms   GFLOP/s  of peak\n"
        let peak = peakGFLOPs
        for g in gemms {
            out += String(format: "  %5d → %-5d %7.3f %8.2f %7.2f %7.2f %9.1f %7.0f%%\n", g.inputs, g.outputs, g.forwardFlops / 1e9,
                          g.forwardSeconds * 1e3, g.inputGradientSeconds * 1e3, g.weightGradientSeconds * 1e3,
                          g.gflopsPerSecond, 100 * g.gflopsPerSecond / peak)
        }
        out += String(format: "  peak (fastest shape): %.1f GFLOP/s\n\n", peak)
        out += "Attention core (block-causal, forward + backward, 4 heads per sequence)\n"
        out += "  d_head  seq  sequences   ms     GFLOP/s (executed)\n"
        for a in attention {
            out += String(format: "  %6d %4d %10d %6.2f %9.1f\n", a.headDim, a.sequenceLength, a.batch, a.seconds * 1e3, a.gflopsPerSecond)
        }
        out += "\nMemory-bound kernels (bytes as MiniGPTKernels counts them)\n"
        out += "  kernel      elements      MB      ms     GB/s\n"
        for m in memory {
            out += "  " + m.kernel.padding(toLength: 10, withPad: " ", startingAt: 0)
                + String(format: " %9d %7.1f %7.2f %8.1f\n", m.elements, m.bytes / 1e6, m.seconds * 1e3, m.gigabytesPerSecond)
        }
        out += String(format: "  bytes-weighted: %.1f GB/s\n\n", memoryGBPerSecond)
        out += String(format: "Fixed costs: %.0f µs per optimizer step, %.0f µs per layer (forward + backward dispatch)\n",
                      stepOverheadSeconds * 1e6, layerDispatchSeconds * 1e6)
        out += "\nProfile written to \(profilePath) (system '\(LocalProfile.systemName)'): use `--system local`."
        return out
    }
}
