// Times the mini trainer's forward and backward passes on the benchmark shape (6 layers, d = 256, 4 heads,
// seq 256, batch 8, vocab 256), without data loading or the optimizer: for profiling (perf, callgrind).
// Usage: trainer-profile [steps] [threads] [layers] [hidden]
//        trainer-profile sgemm [threads]   prints this machine's cblas_sgemm GFLOP/s at n = 1024
import Foundation
import LinearAlgebra
import MiniGPT
import ModelKit

// Same OpenBLAS spin-wait setting as `growthbench train` (see Training/BLASSpinWait.swift).
if getenv("OPENBLAS_THREAD_TIMEOUT") == nil {
    setenv("OPENBLAS_THREAD_TIMEOUT", "4", 1)
    execv("/proc/self/exe", CommandLine.arguments.map { strdup($0) } + [nil])
}
let args = CommandLine.arguments
if args.count > 1 && args[1] == "sgemm" {
    let threads = args.count > 2 ? Int(args[2]) ?? 2 : 2
    BLASThreads.set(threads)
    let n = 1024
    let a = [Float](repeating: 0.5, count: n * n), b = [Float](repeating: 0.25, count: n * n)
    var c = [Float](repeating: 0, count: n * n)
    func multiply() {
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
            sgemm(.none, .none, m: n, n: n, k: n, a: a.baseAddress!, lda: n, b: b.baseAddress!, ldb: n,
                  c: c.baseAddress!, ldc: n)
        } } }
    }
    multiply(); multiply()
    // Best of 5 runs of 10 products each (the machine's practical rate, not its average under noise).
    var best = 0.0
    for _ in 0..<5 {
        let t0 = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<10 { multiply() }
        let dt = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        best = max(best, 10 * 2 * Double(n * n * n) / dt / 1e9)
    }
    print(String(format: "%.1f", best))
    exit(0)
}
let steps = args.count > 1 ? Int(args[1]) ?? 5 : 5
let threads = args.count > 2 ? Int(args[2]) ?? 2 : 2
BLASThreads.set(threads)
Parallel.threads = threads
// Optional shape: trainer-profile STEPS THREADS LAYERS HIDDEN (head width 64, FFN 4×).
let layers = args.count > 3 ? Int(args[3]) ?? 6 : 6
let hidden = args.count > 4 ? Int(args[4]) ?? 256 : 256
let m = ModelArchitecture(layers: layers, hidden: hidden, heads: max(1, hidden / 64), ffnHidden: 4 * hidden, vocab: 256, sequenceLength: 256,
                          activation: .gelu, norm: .layernorm, position: getenv("ROPE") != nil ? .rope : .learned, tiedEmbeddings: false, linearBiases: true)
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
