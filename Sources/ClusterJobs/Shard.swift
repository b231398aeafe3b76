/// One shard of a list of independent work items (the points of a sweep): item `i` belongs to shard
/// `i mod count`, so every shard gets every `count`-th item and shards differ in size by at most one.
/// Deterministic: the same list and count always give the same assignment.
public struct Shard: Sendable, Equatable, Hashable, Codable, CustomStringConvertible {
    /// 0-based shard number (Slurm's `SLURM_ARRAY_TASK_ID`).
    public let index: Int
    /// How many shards the list is cut into.
    public let count: Int

    public init(index: Int, count: Int) throws {
        guard count >= 1 else { throw ClusterJobError.invalidOption("--shard", "expected a shard count of at least 1, found \(count)") }
        guard index >= 0 && index < count else {
            throw ClusterJobError.invalidOption("--shard", "expected a shard index from 0 to \(count - 1), found \(index)")
        }
        self.index = index; self.count = count
    }

    /// Parses `I/N` (e.g. `2/4`).
    public static func parse(_ text: String) throws -> Shard {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw ClusterJobError.invalidOption("--shard", "expected I/N (shard I of N, counted from 0, e.g. 0/4), found '\(text)'")
        }
        return try Shard(index: i, count: n)
    }

    /// The shard item `position` of a list belongs to, when the list is cut into `count` shards.
    public static func index(ofItemAt position: Int, count: Int) -> Int { position % count }

    /// Whether the item at `position` of the list belongs to this shard.
    public func contains(itemAt position: Int) -> Bool { Self.index(ofItemAt: position, count: count) == index }

    /// This shard's items, in list order.
    public func select<T>(_ items: [T]) -> [T] {
        items.enumerated().filter { contains(itemAt: $0.offset) }.map(\.element)
    }

    /// Shards (indexes, ascending) holding at least one item that `isDone` says is not done yet.
    public static func unfinished<T>(_ items: [T], count: Int, isDone: (T) -> Bool) -> [Int] {
        Set(items.enumerated().filter { !isDone($0.element) }.map { index(ofItemAt: $0.offset, count: count) }).sorted()
    }

    public var description: String { "\(index)/\(count)" }
}
