import Testing
import ModelKit
@testable import ClusterSim

/// Checks that the pipeline model is right, on synthetic uniform stages (no communication, no logits).
@Suite struct PipelineModelTests {
    func uniform(p: Int, m: Int, v: Int = 1, schedule: PipelineSchedule, tf: Double = 1, tb: Double = 2) -> IterationCosts {
        let chunk = ChunkCost(layers: 1, layerForwardCompute: tf / Double(v), layerForwardTensorComm: 0,
                              layerBackwardCompute: tb / Double(v), layerBackwardTensorComm: 0,
                              extraForward: 0, extraBackward: 0, layerParameters: 0, extraParameters: 0)
        return IterationCosts(pipelineRanks: p, virtualStages: v, microBatches: m, schedule: schedule,
                              chunks: Array(repeating: Array(repeating: chunk, count: v), count: p),
                              sendForward: Array(repeating: 0, count: p * v - 1), sendBackward: Array(repeating: 0, count: p * v - 1),
                              gradientReducePerParameter: 0, gradientReduceLatency: 0,
                              parameterGather: Array(repeating: 0, count: p), optimizerStep: Array(repeating: 0, count: p),
                              overlapGradReduce: true)
    }

    /// 1F1B (and GPipe) wall-clock bubble share is exactly (p − 1)/(m + p − 1) (Narayanan et al. 2021 §2.2.1).
    @Test(arguments: [(4, 8), (4, 180), (8, 16), (2, 1), (3, 7)])
    func oneFOneBBubbleIsExact(p: Int, m: Int) throws {
        for schedule in [PipelineSchedule.oneFOneB, .gpipe] {
            let run = try IterationSimulator.run(uniform(p: p, m: m, schedule: schedule), granularity: .layer)
            let expected = Double(p - 1) / Double(m + p - 1)
            #expect(abs(run.iterationTime - Double(m + p - 1) * 3) < 1e-9)
            for idle in run.idle { #expect(abs(idle / run.iterationTime - expected) < 1e-12) }
        }
    }

    /// Interleaving over v chunks divides the bubble time by v: (p − 1)/v · (t_f + t_b) (Narayanan §2.2.2).
    @Test(arguments: [(4, 8, 2), (4, 16, 4), (8, 16, 2), (2, 6, 3)])
    func interleavingDividesTheBubbleByV(p: Int, m: Int, v: Int) throws {
        let plain = try IterationSimulator.run(uniform(p: p, m: m, schedule: .oneFOneB), granularity: .layer)
        let inter = try IterationSimulator.run(uniform(p: p, m: m, v: v, schedule: .interleaved), granularity: .layer)
        let plainBubble = plain.iterationTime - Double(m) * 3
        let interBubble = inter.iterationTime - Double(m) * 3
        #expect(abs(plainBubble - Double(p - 1) * 3) < 1e-9)
        #expect(abs(interBubble - plainBubble / Double(v)) < 1e-9)
    }

    @Test(arguments: [PipelineSchedule.gpipe, .oneFOneB, .interleaved])
    func everyPassRunsOnceForwardBeforeBackward(schedule: PipelineSchedule) {
        let (p, m) = (4, 8)
        let v = schedule == .interleaved ? 2 : 1
        for rank in 0..<p {
            let ops = PipelineProgram.ops(rank: rank, ranks: p, microBatches: m, chunks: v, schedule: schedule)
            #expect(ops.count == 2 * m * v)
            #expect(Set(ops).count == ops.count)
            for op in ops where op.backward {
                let f = ops.firstIndex(of: PipelineOp(backward: false, microBatch: op.microBatch, chunk: op.chunk))!
                #expect(f < ops.firstIndex(of: op)!)
            }
        }
        // 1F1B keeps at most p − i micro-batches in flight on rank i.
        if schedule == .oneFOneB {
            for rank in 0..<p {
                var inFlight = 0, peak = 0
                for op in PipelineProgram.ops(rank: rank, ranks: p, microBatches: m, chunks: 1, schedule: schedule) {
                    inFlight += op.backward ? -1 : 1
                    peak = max(peak, inFlight)
                }
                #expect(peak == p - rank)
            }
        }
    }
}
