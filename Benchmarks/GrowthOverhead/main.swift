// Growth's cost on the hot path (issue 13): one training step (forward, backward, AdamW update) of a model in the
// middle of an MSG ramp (mask 0.5) against a step of the mask-free model of the same shape, for each operator,
// on the final stage of Scenarios/mini/growth.yaml (6 layers, d = 320, 5 heads, FFN 1280, seq 256, micro-batch 8).
// Steps alternate masked / mask-free so both see the same machine state; medians of `steps` pairs are reported.
// Usage: growth-overhead [steps] [threads]
import Foundation
import Growth
import LinearAlgebra
import MiniGPT
import ModelKit
import Training

BLASSpinWait.shortenByReexecutingIfNeeded()  // the same OpenBLAS spin-wait setting as `growthbench train`
let args = CommandLine.arguments
let steps = args.count > 1 ? Int(args[1]) ?? 10 : 10
let threads = args.count > 2 ? Int(args[2]) ?? 2 : 2
BLASThreads.set(threads)
Parallel.threads = threads

let big = ModelArchitecture(layers: 6, hidden: 320, heads: 5, ffnHidden: 1280, vocab: 256, sequenceLength: 256,
                            activation: .gelu, norm: .layernorm, position: .rope, tiedEmbeddings: false, linearBiases: true)
var shallow = big; shallow.layers = 4
var narrow = big; narrow.hidden = 256; narrow.heads = 4
var thin = big; thin.ffnHidden = 1024
var hidden = big; hidden.hidden = 256; hidden.headDim = 64  // hidden alone: 5 heads of 64 read a 256-wide stream
var hiddenTo = hidden; hiddenTo.hidden = 320
let cases: [(String, GrowthStep)] = [
    ("depth 4→6 (interleave, copy)", GrowthStep(op: .depth, from: shallow, to: big, rampSteps: 10, placement: .interleave, newLayerInit: .copy)),
    ("heads 4→5 (d 256→320)", GrowthStep(op: .heads, from: narrow, to: big, rampSteps: 10)),
    ("ffn 1024→1280", GrowthStep(op: .ffn, from: thin, to: big, rampSteps: 10)),
    ("hidden 256→320", GrowthStep(op: .hidden, from: hidden, to: hiddenTo, rampSteps: 10)),
]
let scaling = WidthScaling(kind: .mup, baseHidden: 64, hyper: HyperParameters(learningRate: 7.8e-3, matrixLearningRate: 7.8e-3,
                                                                              minLearningRate: 7.8e-4, initStd: 0.02, matrixInitStd: 0.02))
let optimizerConfig = OptimizerConfig(learningRate: 7.8e-3, minLearningRate: 7.8e-4, warmupSteps: 0, beta1: 0.9, beta2: 0.95,
                                      epsilon: 1e-8, weightDecay: 0.1, gradientClip: 1)
let batch = 8
func median(_ xs: [Double]) -> Double { let s = xs.sorted(); return s[s.count / 2] }

print("Step time during an MSG ramp (mask 0.5) vs the mask-free model of the same shape; \(steps) alternating pairs, \(threads) threads")
print("operator".padding(toLength: 32, withPad: " ", startingAt: 0) + "   masked ms   mask-free ms   ratio")
for (name, step) in cases {
    let old = try GPT<Float>(architecture: step.from, parametrization: scaling.parametrization(for: step.from), maxBatch: batch, seed: 1)
    let (model, _) = try Grower.grow(old, step: step, parametrization: scaling.parametrization(for: step.to), seed: 2)
    let optimizer = AdamW(config: optimizerConfig, parameters: model.parameters, parametrization: model.parametrization)
    var windows = [Int32](repeating: 0, count: batch * (step.to.sequenceLength + 1))
    for i in windows.indices { windows[i] = Int32((i * 31 + 7) % 256) }
    func timedStep() -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        model.parameters.zeroGradients()
        _ = windows.withUnsafeBufferPointer { model.forward(windows: $0.baseAddress!, batch: batch) }
        model.backward(lossWeight: 1.0 / Double(batch * step.to.sequenceLength))
        optimizer.update(model.parameters, lr: 1e-4)
        return Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
    }
    var masked: [Double] = [], plain: [Double] = []
    for i in 0..<(steps + 1) {
        model.setGrowthMask(step.mask(value: 0.5))
        let a = timedStep()
        model.setGrowthMask(nil)
        let b = timedStep()
        if i > 0 { masked.append(a); plain.append(b) }  // the first pair warms caches and allocations
    }
    let m = median(masked), p = median(plain)
    print(name.padding(toLength: 32, withPad: " ", startingAt: 0)
          + String(format: "%12.1f %14.1f %7.3f×", m, p, m / p))
}
