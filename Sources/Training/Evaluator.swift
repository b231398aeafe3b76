import Foundation
import Corpus
import MiniGPT

/// Validation loss and bits per byte of one domain.
public struct DomainScore: Codable, Sendable, Equatable {
    public var domain: String
    public var loss: Double
    public var bitsPerByte: Double
    public var tokens: Int
}

/// A weighted sum of per-domain BPB (Tele-FLM Tables 5-6 report one under each of two data proportions).
public struct WeightedScore: Codable, Sendable, Equatable {
    public var name: String
    public var bitsPerByte: Double
    public var loss: Double
}

public struct EvaluationResult: Codable, Sendable, Equatable {
    public var domains: [DomainScore]
    public var weighted: [WeightedScore]
}

/// Evaluates a model on a fixed prefix of each domain's validation stream: non-overlapping windows of T + 1
/// bytes (stride T), every byte after the first of a window predicted once. Loss is in nats per byte, so
/// BPB = loss / ln 2. The windows are the same at every evaluation of a run.
public final class Evaluator {
    let windows: [[Int32]]  // per domain, window-major
    let windowCounts: [Int]
    let names: [String]
    let weightings: [Weighting]

    public init(domains: [TextDomain], sequenceLength t: Int, evalBytes: Int, weightings: [Weighting]) throws {
        var all: [[Int32]] = [], counts: [Int] = []
        for d in domains {
            let usable = min(evalBytes, d.validation.count)
            let n = (usable - 1) / t
            guard n >= 1 else {
                throw CorpusError("domain \(d.name): validation stream has \(d.validation.count) bytes; at least seq_length + 1 = \(t + 1) are needed for one evaluation window (raise data.validation_fraction or data.eval_bytes)")
            }
            var w = [Int32](repeating: 0, count: n * (t + 1))
            for i in 0..<n { for j in 0...t { w[i * (t + 1) + j] = Int32(d.validation[i * t + j]) } }
            all.append(w)
            counts.append(n)
        }
        windows = all
        windowCounts = counts
        names = domains.map(\.name)
        self.weightings = weightings
    }

    /// Validation tokens per evaluation (all domains).
    public var tokensPerEvaluation: Int { zip(windowCounts, windows).map { $0.1.count - $0.0 }.reduce(0, +) }

    public func evaluate(_ model: GPT<Float>) -> EvaluationResult {
        let t = model.architecture.sequenceLength
        var scores: [DomainScore] = []
        for (d, name) in names.enumerated() {
            var total = 0.0
            var i = 0
            while i < windowCounts[d] {
                let b = min(model.maxBatch, windowCounts[d] - i)
                total += windows[d].withUnsafeBufferPointer { model.forward(windows: $0.baseAddress! + i * (t + 1), batch: b) }
                i += b
            }
            let tokens = windowCounts[d] * t
            let loss = total / Double(tokens)
            scores.append(DomainScore(domain: name, loss: loss, bitsPerByte: loss / log(2), tokens: tokens))
        }
        return EvaluationResult(domains: scores, weighted: Self.weighted(scores, weightings))
    }

    /// Σ wᵢ·BPBᵢ / Σ wᵢ over the domains a weighting names.
    static func weighted(_ scores: [DomainScore], _ weightings: [Weighting]) -> [WeightedScore] {
        weightings.map { w in
            var bpb = 0.0, loss = 0.0, total = 0.0
            for dw in w.weights {
                guard let s = scores.first(where: { $0.domain == dw.domain }) else { continue }
                bpb += dw.weight * s.bitsPerByte; loss += dw.weight * s.loss; total += dw.weight
            }
            return WeightedScore(name: w.name, bitsPerByte: total > 0 ? bpb / total : .nan, loss: total > 0 ? loss / total : .nan)
        }
    }
}
