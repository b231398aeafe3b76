import Foundation

/// `train --check` as text.
public enum TrainingCheckText {
    public static func render(_ c: TrainingCheck, path: String) -> String {
        func gib(_ b: Double) -> String { String(format: "%.3f GiB", b / 1_073_741_824) }
        var lines = ["\(path): \(c.name) checks out",
                     "  parameters (largest shape)  \(c.parameters)",
                     "  steps, tokens               \(c.steps), \(Int(c.tokens))",
                     String(format: "  training FLOPs (counted)    %.3e", c.trainingFLOPs),
                     "  memory                      \(gib(c.residentBytes)) of \(gib(c.availableBytes)) available"]
        for b in c.buffers.sorted(by: { $0.bytes > $1.bytes }) { lines.append("    \(b.name): \(gib(b.bytes))") }
        lines.append("  corpora                     " + c.domains.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value) bytes" }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
