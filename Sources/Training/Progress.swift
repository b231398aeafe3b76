import Foundation

/// One progress report of the training loop.
public struct ProgressReport: Sendable {
    public var step: Int
    public var steps: Int
    public var loss: Double
    public var tokensPerSecond: Double
    public var gflopsPerSecond: Double
    public var etaSeconds: Double
    public var learningRate: Double
    public var bitsPerByte: Double { loss / log(2) }
}

/// The live progress line on stderr (stdout stays clean for `--json`): rewritten in place on a terminal, one
/// line every `log_every` steps otherwise (logs, CI).
public final class ProgressLine: @unchecked Sendable {
    let interactive: Bool
    let every: Int
    var lastLength = 0

    public init(every: Int, interactive: Bool = isatty(STDERR_FILENO) != 0) {
        self.every = every
        self.interactive = interactive
    }

    public func report(_ r: ProgressReport) {
        let text = Self.format(r)
        if interactive {
            let pad = max(0, lastLength - text.count)
            FileHandle.standardError.write(Data(("\r" + text + String(repeating: " ", count: pad)).utf8))
            lastLength = text.count
            if r.step == r.steps { FileHandle.standardError.write(Data("\n".utf8)); lastLength = 0 }
        } else if r.step % every == 0 || r.step == r.steps || r.step == 1 {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    /// A message on its own line (evaluations, checkpoints, warnings).
    public func note(_ s: String) {
        if interactive && lastLength > 0 { FileHandle.standardError.write(Data("\n".utf8)); lastLength = 0 }
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    public static func format(_ r: ProgressReport) -> String {
        let width = String(r.steps).count
        let step = String(repeating: " ", count: max(0, width - String(r.step).count)) + String(r.step)
        return String(format: "step %@/%d  loss %.4f  bpb %.4f  lr %.2e  %.0f tok/s  %.1f GFLOP/s  ETA %@",
                      step, r.steps, r.loss, r.bitsPerByte, r.learningRate, r.tokensPerSecond, r.gflopsPerSecond,
                      duration(r.etaSeconds))
    }

    public static func duration(_ s: Double) -> String {
        guard s.isFinite && s >= 0 else { return "?" }
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%dh%02dm", t / 3600, (t % 3600) / 60)
            : t >= 60 ? String(format: "%dm%02ds", t / 60, t % 60) : "\(t)s"
    }
}
