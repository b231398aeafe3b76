import Testing
@testable import ClusterJobs

struct ShardTests {
    @Test func parsesIndexOverCount() throws {
        #expect(try Shard.parse("2/4") == Shard(index: 2, count: 4))
        #expect(try Shard.parse("0/1").description == "0/1")
        for bad in ["4/4", "-1/3", "1/0", "x", "1/2/3", "1", ""] {
            #expect(throws: ClusterJobError.self, "\(bad)") { try Shard.parse(bad) }
        }
        do { _ = try Shard.parse("4/4"); Issue.record("4/4 accepted") } catch let e as ClusterJobError {
            #expect(e.description == "--shard: expected a shard index from 0 to 3, found 4")
        }
    }

    /// The shards of a list are a partition: every item in exactly one shard, sizes within one of each other, in
    /// list order, and the same every time (item i in shard i mod N).
    @Test func shardsPartitionTheList() throws {
        let items = Array(0..<11).map { "p\($0)" }
        for n in 1...12 {
            let shards = try (0..<n).map { try Shard(index: $0, count: n).select(items) }
            #expect(shards.flatMap { $0 }.sorted() == items.sorted())
            #expect(Set(shards.flatMap { $0 }).count == items.count)
            let sizes = shards.map(\.count)
            #expect(sizes.max()! - sizes.min()! <= 1)
        }
        #expect(try Shard(index: 1, count: 4).select(items) == ["p1", "p5", "p9"])
        #expect(try Shard(index: 3, count: 4).contains(itemAt: 7))
    }

    @Test func unfinishedShardsAreTheOnesWithMissingItems() {
        let items = Array(0..<8)
        #expect(Shard.unfinished(items, count: 4) { $0 != 5 && $0 != 6 } == [1, 2])
        #expect(Shard.unfinished(items, count: 4) { _ in true } == [])
        #expect(Shard.unfinished(items, count: 3) { _ in false } == [0, 1, 2])
    }
}
