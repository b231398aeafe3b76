import Foundation
import Testing
import ConfigFile
import Hardware
import Scenario

enum Fixtures {
    /// The repository root, found from this file's path.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static let catalog: HardwareCatalog = try! HardwareCatalog.load(path: path("Data/hardware/gpus.yaml"))

    /// A small valid two-stage scenario; tests break one thing at a time with `replacing`.
    static let valid = """
    name: tiny
    description: two stages on one node
    cluster:
      gpu: A100-SXM4-80GB
      nodes: 1
      gpus_per_node: 8
      price_per_gpu_hour_usd: 2.0
    stages:
      - name: small
        model:
          layers: 4
          hidden: 1024
          heads: 8
          ffn_hidden: 4096
          vocab: 50000
          padded_vocab: 50176
          seq_length: 1024
        tokens: 1B
        batch_sequences: 64
        parallel:
          tp: 2
          pp: 2
          dp: 2
      - name: big
        model: {hidden: 2048, heads: 16, ffn_hidden: 8192}
        tokens: 2.5e9
        batch_sequences: 64
        parallel: {tp: 2, pp: 2, dp: 2, micro_batch: 2}
    """
}

extension Fixtures {
    /// Parses `text` expecting failure; returns the reported problems (an issue is recorded when it loads).
    static func problems(_ text: String, path: String = "test.yaml") -> [ConfigError] {
        do {
            _ = try ScenarioLoader.parse(text: text, path: path, catalog: catalog)
            Issue.record("expected the scenario to be rejected")
            return []
        } catch let e as ConfigErrors {
            return e.errors
        } catch {
            Issue.record("unexpected error \(error)")
            return []
        }
    }

    /// The valid fixture with one thing broken.
    static func broken(_ old: String, _ new: String) -> String {
        precondition(valid.contains(old), "fixture does not contain \(old)")
        return valid.replacingOccurrences(of: old, with: new)
    }
}
