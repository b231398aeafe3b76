// Times the mini trainer's forward and backward passes on the benchmark shape (6 layers, d = 256, 4 heads,
// seq 256, batch 8, vocab 256), without data loading or the optimizer: for profiling (perf, callgrind).
// Usage: trainer-profile [steps] [threads]
import Foundation
import LinearAlgebra
import MiniGPT
import ModelKit

let args = CommandLine.arguments
let steps = args.count > 1 ? Int(args[1]) ?? 5 : 5
let threads = args.count > 2 ? Int(args[2]) ?? 2 : 2
BLASThreads.set(threads)
Parallel.threads = threads
let m = ModelArchitecture(layers: 6, hidden: 256, heads: 4, ffnHidden: 1024, vocab: 256, sequenceLength: 256,
                          activation: .gelu, norm: .layernorm, position: .learned, tiedEmbeddings: false, linearBiases: true)
let batch = 8
let model = try GPT<Float>(architecture: m, maxBatch: batch, seed: 1)
var windows = [Int32](repeating: 0, count: batch * (m.sequenceLength + 1))
for i in windows.indices { windows[i] = Int32((i * 31 + 7) % 256) }
let flops = TrainingFlopsPerToken(m, recompute: .none).model * Double(batch * m.sequenceLength)
var fwd = 0.0, bwd = 0.0
for s in 0..<(steps + 1) {
    let t0 = DispatchTime.now().uptimeNanoseconds
    let loss = windows.withUnsafeBufferPointer { model.forward(windows: $0.baseAddress!, batch: batch) }
    let t1 = DispatchTime.now().uptimeNanoseconds
    model.parameters.zeroGradients()
    model.backward(lossWeight: 1.0 / Double(batch * m.sequenceLength))
    let t2 = DispatchTime.now().uptimeNanoseconds
    if s > 0 { fwd += Double(t1 - t0) / 1e9; bwd += Double(t2 - t1) / 1e9 }
    if s == 0 { print("loss \(loss / Double(batch * m.sequenceLength))") }
}
let per = (fwd + bwd) / Double(steps)
print(String(format: "forward %.1f ms, backward %.1f ms, step %.1f ms, %.0f tokens/s, %.1f GFLOP/s (counted)",
             fwd / Double(steps) * 1000, bwd / Double(steps) * 1000, per * 1000,
             Double(batch * m.sequenceLength) / per, flops / per / 1e9))
