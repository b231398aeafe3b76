import Foundation
import RunCost

/// Text for estimates of mini runs on one device, in seconds and minutes rather than days and dollars.
public enum OneDeviceText {
    public static func render(_ e: RunEstimate) -> String {
        var out = "Predicted on \(e.system) (one device, the same simulator and cost model as a GPU cluster): \(e.scenario) (\(e.path))\n\n"
        out += "stage        params      tokens  steps   s/step   tokens/s   GFLOP/s   stage time\n"
        for s in e.stages {
            out += s.stage.padding(toLength: 10, withPad: " ", startingAt: 0)
            out += String(format: " %8.2fM %10.0f %6d %8.3f %10.0f %9.1f %10.1f s\n", Double(s.parameters) / 1e6, s.tokens,
                          s.steps, s.iterationSeconds, s.tokensPerSecond, s.hardwareTFLOPsPerGPU * 1000, s.computeSeconds)
        }
        out += String(format: "total: %.0f tokens in %.1f s (%.1f min) of training steps (evaluation and checkpoints not included)",
                      e.tokens, e.wallSeconds, e.wallSeconds / 60)
        return out
    }

    /// Growth vs scratch, both predicted: time saving and speedup at equal tokens.
    public static func comparison(_ a: RunEstimate, _ b: RunEstimate) -> String {
        let saving = 1 - a.wallSeconds / b.wallSeconds
        return render(a) + "\n\n" + render(b) + "\n\n"
            + String(format: "%@ vs %@: predicted time saving %.1f%%, speedup %.2f× at equal tokens (%.0f vs %.0f tokens)",
                     a.scenario, b.scenario, 100 * saving, b.wallSeconds / a.wallSeconds, a.tokens, b.tokens)
    }
}

/// Two mini runs priced on one device (growth A vs scratch B).
public struct OneDeviceComparison: Codable, Sendable {
    public var a: RunEstimate
    public var b: RunEstimate
    public var timeSaving: Double { 1 - a.wallSeconds / b.wallSeconds }
    public var speedup: Double { b.wallSeconds / a.wallSeconds }
    public init(a: RunEstimate, b: RunEstimate) { self.a = a; self.b = b }
}
