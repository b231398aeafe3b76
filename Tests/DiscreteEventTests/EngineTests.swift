import Testing
@testable import DiscreteEvent

@Suite struct EngineTests {
    @Test func chainAndResourceSerialisation() throws {
        var g = TaskGraph()
        let gpu = g.addResource("gpu")
        let link = g.addResource("link")
        let a = g.addTask(resource: gpu, duration: 2)
        let b = g.addTask(resource: gpu, duration: 3)            // same resource: waits for a
        let c = g.addTask(resource: link, duration: 1, after: [a])
        let d = g.addTask(resource: gpu, duration: 1, after: [c])
        let s = try Engine.run(g)
        #expect(s.start[a] == 0 && s.finish[a] == 2)
        #expect(s.start[b] == 2 && s.finish[b] == 5)
        #expect(s.start[c] == 2 && s.finish[c] == 3)
        #expect(s.start[d] == 5)                                  // ready at 3, gpu busy until 5
        #expect(s.makespan == 6)
        #expect(s.events == 8)
    }

    @Test func unconstrainedTasksRunInParallel() throws {
        var g = TaskGraph()
        for _ in 0..<10 { g.addTask(resource: TaskGraph.unconstrained, duration: 4) }
        #expect(try Engine.run(g).makespan == 4)
    }

    @Test func readyOrderIsDeterministic() throws {
        var g = TaskGraph()
        let r = g.addResource("r")
        let gate = g.addTask(resource: TaskGraph.unconstrained, duration: 1)
        let ids = (0..<5).map { _ in g.addTask(resource: r, duration: 1, after: [gate]) }
        let s = try Engine.run(g)
        // All become ready at t = 1; they run in task-id order.
        #expect(ids.map { s.start[$0] } == [1, 2, 3, 4, 5])
    }

    @Test func cyclesAreReported() {
        var g = TaskGraph()
        let a = g.addTask(resource: TaskGraph.unconstrained, duration: 1)
        let b = g.addTask(resource: TaskGraph.unconstrained, duration: 1, after: [a])
        g.addDependency(from: b, to: a)
        #expect(throws: EngineError.self) { try Engine.run(g) }
    }
}
