import Dispatch
import Foundation
import LinearAlgebra
import MiniGPT
import ModelKit
import Training

/// One GEMM shape of the trainer timed as it runs in a step: forward y = x·Wᵀ (rows × n, inner k), the input
/// gradient dx = dy·W and the weight gradient dW = dyᵀ·x (`MiniGPT.Linear`).
public struct GEMMMeasurement: Codable, Sendable, Equatable {
    public var rows: Int, inputs: Int, outputs: Int
    public var forwardSeconds: Double, inputGradientSeconds: Double, weightGradientSeconds: Double
    public init(rows: Int, inputs: Int, outputs: Int, forwardSeconds: Double, inputGradientSeconds: Double,
                weightGradientSeconds: Double) {
        self.rows = rows; self.inputs = inputs; self.outputs = outputs; self.forwardSeconds = forwardSeconds
        self.inputGradientSeconds = inputGradientSeconds; self.weightGradientSeconds = weightGradientSeconds
    }
    /// FLOPs of the forward product, 2·rows·inputs·outputs.
    public var forwardFlops: Double { 2 * Double(rows) * Double(inputs) * Double(outputs) }
    /// The three products: 3 × the forward FLOPs (backward = 2 × forward, the cost model's rule), and their seconds.
    public var flops: Double { 3 * forwardFlops }
    public var seconds: Double { forwardSeconds + inputGradientSeconds + weightGradientSeconds }
    /// Achieved rate over the three products.
    public var gflopsPerSecond: Double { flops / seconds / 1e9 }
}

/// The attention core timed forward + backward for one shape.
public struct AttentionMeasurement: Codable, Sendable, Equatable {
    public var batch: Int, heads: Int, headDim: Int, sequenceLength: Int
    public var seconds: Double
    public init(batch: Int, heads: Int, headDim: Int, sequenceLength: Int, seconds: Double) {
        self.batch = batch; self.heads = heads; self.headDim = headDim; self.sequenceLength = sequenceLength; self.seconds = seconds
    }
    /// Executed forward FLOPs of one (sequence, head) item: QKᵀ and ×V over the block-causal share.
    public var itemForwardFlops: Double {
        4 * Double(sequenceLength * sequenceLength * headDim)
            * MiniGPTKernels.attentionExecutedFraction(sequenceLength: sequenceLength)
    }
    /// Achieved rate, counting backward as twice the forward (the cost model's rule).
    public var gflopsPerSecond: Double { 3 * itemForwardFlops * Double(batch * heads) / seconds / 1e9 }
}

/// One memory-bound kernel timed on the trainer's code path, with the bytes `MiniGPTKernels` says it moves.
public struct MemoryMeasurement: Codable, Sendable, Equatable {
    public var kernel: String
    public var elements: Int
    public var bytes: Double
    public var seconds: Double
    public var gigabytesPerSecond: Double { bytes / seconds / 1e9 }
    public init(kernel: String, elements: Int, bytes: Double, seconds: Double) {
        self.kernel = kernel; self.elements = elements; self.bytes = bytes; self.seconds = seconds
    }
}

/// Everything `calibrate` measured on this machine.
public struct Calibration: Codable, Sendable {
    public var host: String
    public var cpu: String
    public var threads: Int
    public var blas: String
    public var memoryGiB: Double
    public var rows: Int
    public var gemms: [GEMMMeasurement]
    public var attention: [AttentionMeasurement]
    public var memory: [MemoryMeasurement]
    /// Fixed seconds of one optimizer step outside the layers, and dispatch seconds per layer (forward +
    /// backward), from tiny models where arithmetic is negligible.
    public var stepOverheadSeconds: Double
    public var layerDispatchSeconds: Double
    public var seconds: Double

    public init(host: String, cpu: String, threads: Int, blas: String, memoryGiB: Double, rows: Int, gemms: [GEMMMeasurement],
                attention: [AttentionMeasurement], memory: [MemoryMeasurement], stepOverheadSeconds: Double,
                layerDispatchSeconds: Double, seconds: Double) {
        self.host = host; self.cpu = cpu; self.threads = threads; self.blas = blas; self.memoryGiB = memoryGiB; self.rows = rows
        self.gemms = gemms; self.attention = attention; self.memory = memory; self.stepOverheadSeconds = stepOverheadSeconds
        self.layerDispatchSeconds = layerDispatchSeconds; self.seconds = seconds
    }

    /// The fastest rate measured over the GEMM grid: the profile's peak.
    public var peakGFLOPs: Double { gemms.map(\.gflopsPerSecond).max() ?? 0 }
    /// Bytes-weighted bandwidth of the trainer's memory-bound kernels (total bytes / total seconds).
    public var memoryGBPerSecond: Double {
        memory.map(\.bytes).reduce(0, +) / memory.map(\.seconds).reduce(0, +) / 1e9
    }
}

public enum CalibrationError: Error, CustomStringConvertible {
    case brokenBLAS(String)
    case invalid(String)
    public var description: String {
        switch self {
        case let .brokenBLAS(why): "calibrate: the BLAS library is broken: \(why). GrowthBench needs OpenBLAS (Debian: libopenblas-dev; `make deps` installs it)."
        case let .invalid(why): "calibrate: \(why)"
        }
    }
}

/// Measures this machine as the trainer uses it (issue 14): sgemm over the trainer's GEMM shapes, the attention
/// core, the memory-bound kernels, AdamW and the fixed per-step and per-layer overheads.
public struct Calibrator {
    /// A single-precision GEMM C = A·B (row-major, optional transposes): OpenBLAS by default; tests pass others.
    public typealias GEMM = (_ ta: Transpose, _ tb: Transpose, _ m: Int, _ n: Int, _ k: Int,
                             _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int,
                             _ c: UnsafeMutablePointer<Float>, _ ldc: Int) -> Void
    public var threads: Int
    /// Rows of the trainer's GEMMs (micro-batch × sequence length).
    public var rows = 2048
    public var widths = [64, 128, 256, 512, 1024, 2048]
    public var vocab = 256
    public var gemm: GEMM = { ta, tb, m, n, k, a, lda, b, ldb, c, ldc in
        sgemm(ta, tb, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc)
    }
    /// Called with a line of progress per measurement group.
    public var progress: (String) -> Void = { _ in }

    public init(threads: Int) { self.threads = threads }

    public func run() throws -> Calibration {
        let start = DispatchTime.now().uptimeNanoseconds
        BLASThreads.set(threads)
        Parallel.threads = threads
        try checkBLAS()
        // Every group is measured in three passes spread over the run and the fastest of each kept: this
        // machine's neighbours come and go, and a profile should describe the machine, not one busy second.
        // GEMMs over 20 GFLOP (~0.3-1 s per product) are timed in the first pass only, those over 2 in two.
        progress("GEMMs: \(rows) rows × widths \(widths.map(String.init).joined(separator: ", ")), attention core, memory-bound kernels, AdamW (pass 1 of 3)")
        var attention = attentionPass(), memory = memoryPass()
        var gemms = gemmPass(widths, maxGFLOP: .infinity)
        for (pass, limit) in [(2, 20.0), (3, 2.0)] {
            progress("GEMMs up to \(Int(limit)) GFLOP, attention, memory-bound kernels (pass \(pass) of 3)")
            attention = Self.faster(attention, attentionPass(), \.seconds)
            memory = Self.faster(memory, memoryPass(), \.seconds)
            let again = gemmPass(widths, maxGFLOP: limit)
            gemms = gemms.map { a in
                again.first { $0.inputs == a.inputs && $0.outputs == a.outputs }.map { b in
                    GEMMMeasurement(rows: a.rows, inputs: a.inputs, outputs: a.outputs,
                                    forwardSeconds: min(a.forwardSeconds, b.forwardSeconds),
                                    inputGradientSeconds: min(a.inputGradientSeconds, b.inputGradientSeconds),
                                    weightGradientSeconds: min(a.weightGradientSeconds, b.weightGradientSeconds))
                } ?? a
            }
        }
        progress("per-step and per-layer overheads")
        let (overhead, perLayer) = try Self.fixedOverheads()
        return Calibration(
            host: ProcessInfo.processInfo.hostName, cpu: Self.cpuName(), threads: threads, blas: BLASThreads.configuration,
            memoryGiB: Double(ProcessInfo.processInfo.physicalMemory) / 1_073_741_824, rows: rows, gemms: gemms,
            attention: attention, memory: memory, stepOverheadSeconds: overhead, layerDispatchSeconds: perLayer,
            seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }

    /// Element-wise the measurement with the smaller `seconds` (both lists in the same order).
    static func faster<T>(_ a: [T], _ b: [T], _ seconds: KeyPath<T, Double>) -> [T] {
        zip(a, b).map { $0[keyPath: seconds] <= $1[keyPath: seconds] ? $0 : $1 }
    }

    /// The trainer's five GEMM shapes per width: q|k|v, output projection, FFN in and out, logits.
    func gemmPass(_ widths: [Int], maxGFLOP: Double) -> [GEMMMeasurement] {
        widths.flatMap { w in
            [(w, 3 * w), (w, w), (w, 4 * w), (4 * w, w), (w, vocab)]
                .filter { 2 * Double(rows) * Double($0.0) * Double($0.1) / 1e9 <= maxGFLOP }
                .map { timeGEMM(inputs: $0.0, outputs: $0.1) }
        }
    }

    /// The attention core at head widths 32-128 and sequences of 128 and 256, 4 heads per sequence.
    func attentionPass() -> [AttentionMeasurement] {
        [(32, 128), (64, 128), (128, 128), (32, 256), (64, 256), (128, 256)].map { dh, s in
            AttentionMeasurement(batch: rows / s, heads: 4, headDim: dh, sequenceLength: s,
                                 seconds: KernelBenchmark.attentionCore(batch: rows / s, heads: 4, headDim: dh, sequenceLength: s))
        }
    }

    /// Norm, GELU and bias at widths 64, 256, 1024, and AdamW on 1M and 8M parameters.
    func memoryPass() -> [MemoryMeasurement] {
        var memory: [MemoryMeasurement] = []
        let norm = (MiniGPTKernels.normForwardPasses + MiniGPTKernels.normBackwardPasses) * MiniGPTKernels.elementBytes
        let gelu = (MiniGPTKernels.activationForwardPasses + MiniGPTKernels.activationBackwardPasses) * MiniGPTKernels.elementBytes
        let bias = (MiniGPTKernels.biasForwardPasses + MiniGPTKernels.biasBackwardPasses) * MiniGPTKernels.elementBytes
        for w in [64, 256, 1024] {
            let n = rows * w, f = 4 * w
            memory.append(MemoryMeasurement(kernel: "layernorm", elements: n, bytes: Double(n) * norm,
                                            seconds: KernelBenchmark.norm(rows: rows, width: w)))
            memory.append(MemoryMeasurement(kernel: "gelu", elements: rows * f, bytes: Double(rows * f) * gelu,
                                            seconds: KernelBenchmark.gelu(rows: rows, ffn: f)))
            memory.append(MemoryMeasurement(kernel: "bias", elements: n, bytes: Double(n) * bias,
                                            seconds: KernelBenchmark.bias(rows: rows, columns: w)))
        }
        for parameters in [1 << 20, 1 << 23] {
            memory.append(MemoryMeasurement(kernel: "adamw", elements: parameters,
                                            bytes: Double(parameters) * MiniGPTKernels.optimizerBytesPerParameter,
                                            seconds: Self.optimizerStep(parameters: parameters)))
        }
        return memory
    }

    /// Refuses a BLAS that computes wrong products or reports nonsense rates: a 37×29×23 product with every
    /// transpose the trainer uses, against a plain triple loop.
    func checkBLAS() throws {
        let library = BLASThreads.sgemmLibrary
        guard library.lowercased().contains("openblas") else {
            throw CalibrationError.brokenBLAS("cblas_sgemm resolves to \(library), not OpenBLAS (check the link order: GSL's libgslcblas must not come first)")
        }
        let m = 37, n = 29, k = 23
        let a = (0..<(m * k)).map { Float(($0 * 7) % 11) - 5 }, b = (0..<(k * n)).map { Float(($0 * 5) % 13) - 6 }
        var expected = [Float](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { for l in 0..<k { expected[i * n + j] += a[i * k + l] * b[l * n + j] } } }
        var c = [Float](repeating: .nan, count: m * n)
        a.withUnsafeBufferPointer { a in b.withUnsafeBufferPointer { b in c.withUnsafeMutableBufferPointer { c in
            gemm(.none, .none, m, n, k, a.baseAddress!, k, b.baseAddress!, n, c.baseAddress!, n)
        } } }
        let worst = zip(c, expected).map { abs($0 - $1) }.max() ?? .nan
        guard worst.isFinite, worst < 1e-3 else {
            throw CalibrationError.brokenBLAS("a 37×29×23 sgemm differs from the plain product by \(worst)")
        }
    }

    /// Times forward, input-gradient and weight-gradient products of a Linear(inputs → outputs) on `rows` rows:
    /// each timed by `time`.
    func timeGEMM(inputs k: Int, outputs n: Int) -> GEMMMeasurement {
        let r = rows
        let xs = KernelBenchmark.filled(r * k), w = KernelBenchmark.filled(n * k), dy = KernelBenchmark.filled(r * n)
        let y = Buffer<Float>(count: r * n), dx = Buffer<Float>(count: r * k), dw = Buffer<Float>(count: n * k)
        let g = gemm
        let forward = Self.time { g(.none, .transposed, r, n, k, xs.pointer, k, w.pointer, k, y.pointer, n) }
        let input = Self.time { g(.none, .none, r, k, n, dy.pointer, n, w.pointer, k, dx.pointer, k) }
        let weight = Self.time { g(.transposed, .none, n, k, r, dy.pointer, n, xs.pointer, k, dw.pointer, k) }
        return GEMMMeasurement(rows: r, inputs: k, outputs: n, forwardSeconds: forward, inputGradientSeconds: input,
                               weightGradientSeconds: weight)
    }

    /// Seconds per call: the fastest of five batches of calls, each batch long enough to take 0.04 s; calls
    /// slower than 0.2 s (the largest shapes) are timed twice, the warm-up call included, and the faster kept.
    static func time(_ body: () -> Void) -> Double {
        let t0 = DispatchTime.now().uptimeNanoseconds
        body()
        let warm = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9
        if warm > 0.2 {
            let t1 = DispatchTime.now().uptimeNanoseconds
            body()
            return min(warm, Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9)
        }
        let calls = max(1, Int((0.04 / max(warm, 1e-6)).rounded(.up)))
        var best = Double.infinity
        for _ in 0..<5 {
            let t = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<calls { body() }
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9 / Double(calls))
        }
        return best
    }

    /// Seconds of the trainer's optimizer step on `parameters` parameters: zero, clip, AdamW.
    static func optimizerStep(parameters: Int) -> Double {
        let store = ParameterStore<Float>(layout: [TensorLayout("w", .hidden, [parameters / 1024, 1024], .zeros)])
        let adam = AdamW(config: Self.adamConfig, parameters: store, parametrization: Parametrization())
        return KernelBenchmark.best(3) {
            _ = GradientClipping.clip(store.gradients, maxNorm: 1)
            adam.update(store, lr: 1e-3)
            store.zeroGradients()
        }
    }

    /// Per-step and per-layer fixed costs: forward + backward + optimizer of 1- and 3-layer models of width 16
    /// on one 16-token sequence, where the arithmetic is microseconds. Per layer = (t₃ − t₁)/2; per step = t₁ − per layer.
    static func fixedOverheads() throws -> (step: Double, perLayer: Double) {
        func stepSeconds(layers: Int) throws -> Double {
            let m = ModelArchitecture(layers: layers, hidden: 16, heads: 1, ffnHidden: 64, vocab: 256, sequenceLength: 16,
                                      activation: .gelu, norm: .layernorm, position: .rope, tiedEmbeddings: false,
                                      linearBiases: true)
            let model = try GPT<Float>(architecture: m, maxBatch: 1, seed: 1)
            let adam = AdamW(config: Self.adamConfig, parameters: model.parameters, parametrization: model.parametrization)
            let windows = (0...16).map { Int32(($0 * 31 + 7) % 256) }
            return KernelBenchmark.best(50) {
                _ = windows.withUnsafeBufferPointer { model.forward(windows: $0.baseAddress!, batch: 1) }
                model.backward(lossWeight: 1.0 / 16)
                _ = GradientClipping.clip(model.parameters.gradients, maxNorm: 1)
                adam.update(model.parameters, lr: 1e-3)
                model.parameters.zeroGradients()
            }
        }
        let one = try stepSeconds(layers: 1), three = try stepSeconds(layers: 3)
        let perLayer = max(0, (three - one) / 2)
        return (max(0, one - perLayer), perLayer)
    }

    /// AdamW as the mini runs configure it (β₂ = 0.95, weight decay 0.1, clip 1).
    static let adamConfig = OptimizerConfig(learningRate: 1e-3, minLearningRate: 1e-4, warmupSteps: 0, beta1: 0.9,
                                            beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1, gradientClip: 1)

    static func cpuName() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        let line = text.split(separator: "\n").first { $0.hasPrefix("model name") }
        return line.map { $0.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" } ?? "unknown CPU"
    }
}
