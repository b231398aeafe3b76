/// Tasks with durations, each served by one resource (a stream or link that runs one task at a time),
/// and dependencies between them. Stored as flat arrays so that building and running stay cheap when a
/// plan search simulates thousands of iterations.
public struct TaskGraph: Sendable {
    /// Resource index meaning "no resource": the task starts as soon as its dependencies finish.
    public static let unconstrained = -1

    public private(set) var resourceNames: [String] = []
    public private(set) var durations: [Double] = []
    public private(set) var resources: [Int32] = []
    /// Caller-defined small tag per task (e.g. compute, tensor-parallel comm, …), kept for reporting.
    public private(set) var tags: [UInt8] = []
    /// Caller-defined payload per task (e.g. an index into the caller's own task descriptions).
    public private(set) var payloads: [Int32] = []
    var dependencyCount: [Int32] = []
    var edgeFrom: [Int32] = []
    var edgeTo: [Int32] = []

    public init() {}

    public var taskCount: Int { durations.count }
    public var resourceCount: Int { resourceNames.count }
    public var edgeCount: Int { edgeFrom.count }

    public mutating func reserve(tasks: Int, edges: Int) {
        durations.reserveCapacity(tasks); resources.reserveCapacity(tasks); tags.reserveCapacity(tasks)
        payloads.reserveCapacity(tasks); dependencyCount.reserveCapacity(tasks)
        edgeFrom.reserveCapacity(edges); edgeTo.reserveCapacity(edges)
    }

    public mutating func addResource(_ name: String) -> Int {
        resourceNames.append(name)
        return resourceNames.count - 1
    }

    /// Adds a task that may start once every task in `after` has finished and its resource is free.
    @discardableResult
    public mutating func addTask(resource: Int, duration: Double, tag: UInt8 = 0, payload: Int32 = 0,
                                 after dependencies: [Int] = []) -> Int {
        precondition(duration >= 0 && duration.isFinite, "task duration must be finite and non-negative, got \(duration)")
        precondition(resource == Self.unconstrained || (0..<resourceNames.count).contains(resource), "unknown resource \(resource)")
        let id = durations.count
        durations.append(duration)
        resources.append(Int32(resource))
        tags.append(tag)
        payloads.append(payload)
        dependencyCount.append(0)
        for d in dependencies { addDependency(from: d, to: id) }
        return id
    }

    /// `to` may not start before `from` has finished.
    public mutating func addDependency(from: Int, to: Int) {
        precondition(from < durations.count && to < durations.count, "dependency on an unknown task")
        edgeFrom.append(Int32(from))
        edgeTo.append(Int32(to))
        dependencyCount[to] += 1
    }

    /// The graph as JSON (resources, and per task: resource, duration, dependencies), for reference
    /// implementations that must simulate exactly the same work.
    public func exportJSON() -> String {
        var deps = [[Int32]](repeating: [], count: taskCount)
        for e in 0..<edgeCount { deps[Int(edgeTo[e])].append(edgeFrom[e]) }
        var out = "{\"resources\": \(resourceNames.count), \"tasks\": ["
        out.reserveCapacity(taskCount * 40)
        for t in 0..<taskCount {
            if t > 0 { out += "," }
            out += "[\(resources[t]),\(durations[t]),[\(deps[t].map(String.init).joined(separator: ","))]]"
        }
        return out + "]}"
    }
}
