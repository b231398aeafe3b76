import HeapModule

/// Start and finish time of every task, from one run of the engine.
public struct TaskSchedule: Sendable {
    public var start: [Double]
    public var finish: [Double]
    public var makespan: Double
    /// Events the engine processed (task starts and finishes): the unit of the engine's speed.
    public var events: Int
}

public enum EngineError: Error, CustomStringConvertible {
    case cycle(unfinished: Int)
    public var description: String {
        switch self {
        case let .cycle(n): "the task graph has a dependency cycle: \(n) tasks could never start"
        }
    }
}

/// A deterministic discrete-event engine. Time advances from one task finish to the next (a min-heap of
/// finish events); a task becomes ready when its last dependency finishes and starts as soon as its
/// resource is free. Each resource serves ready tasks in order of ready time, ties broken by task id, so
/// the same graph always gives the same schedule.
public enum Engine {
    private struct Event: Comparable {
        var time: Double
        var sequence: Int
        var task: Int32
        static func < (a: Event, b: Event) -> Bool { a.time < b.time || (a.time == b.time && a.sequence < b.sequence) }
    }

    private struct Ready: Comparable {
        var time: Double
        var task: Int32
        static func < (a: Ready, b: Ready) -> Bool { a.time < b.time || (a.time == b.time && a.task < b.task) }
    }

    public static func run(_ g: TaskGraph) throws -> TaskSchedule {
        let n = g.taskCount
        // Successor lists in compressed-sparse-row form.
        var offsets = [Int32](repeating: 0, count: n + 1)
        for f in g.edgeFrom { offsets[Int(f) + 1] += 1 }
        for i in 0..<n { offsets[i + 1] += offsets[i] }
        var successors = [Int32](repeating: 0, count: g.edgeCount)
        var fill = offsets
        for e in 0..<g.edgeCount {
            let f = Int(g.edgeFrom[e])
            successors[Int(fill[f])] = g.edgeTo[e]
            fill[f] += 1
        }

        var remaining = g.dependencyCount
        var start = [Double](repeating: 0, count: n)
        var finish = [Double](repeating: 0, count: n)
        var busy = [Bool](repeating: false, count: g.resourceCount)
        var queues = [Heap<Ready>](repeating: Heap(), count: g.resourceCount)
        var events = Heap<Event>()
        events.reserveCapacity(min(n, 1 << 16))
        var sequence = 0
        var processed = 0
        var finished = 0

        func begin(_ task: Int32, at time: Double) {
            start[Int(task)] = time
            sequence += 1
            events.insert(Event(time: time + g.durations[Int(task)], sequence: sequence, task: task))
            processed += 1
        }
        func becomeReady(_ task: Int32, at time: Double) {
            let r = Int(g.resources[Int(task)])
            if r < 0 { begin(task, at: time); return }
            if busy[r] {
                queues[r].insert(Ready(time: time, task: task))
            } else {
                busy[r] = true
                begin(task, at: time)
            }
        }

        for t in 0..<n where remaining[t] == 0 { becomeReady(Int32(t), at: 0) }
        var now = 0.0
        while let e = events.popMin() {
            now = e.time
            processed += 1
            finished += 1
            let t = Int(e.task)
            finish[t] = now
            let r = Int(g.resources[t])
            if r >= 0 {
                if let next = queues[r].popMin() { begin(next.task, at: now) } else { busy[r] = false }
            }
            var k = Int(offsets[t])
            let end = Int(offsets[t + 1])
            while k < end {
                let s = successors[k]
                remaining[Int(s)] -= 1
                if remaining[Int(s)] == 0 { becomeReady(s, at: now) }
                k += 1
            }
        }
        guard finished == n else { throw EngineError.cycle(unfinished: n - finished) }
        return TaskSchedule(start: start, finish: finish, makespan: now, events: processed)
    }
}
