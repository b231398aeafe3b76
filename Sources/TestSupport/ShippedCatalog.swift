import Foundation
import Hardware

/// The repository's shipped files, for tests that check against them (one loader instead of one per test target).
public enum Shipped {
    /// The repository root, found from this file's path (Sources/TestSupport/…).
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }
    /// `Data/hardware/gpus.yaml` and `systems.yaml` (a test run stops here if they do not load).
    public static let gpus: HardwareCatalog = try! HardwareCatalog.load(path: path("Data/hardware/gpus.yaml"))
    public static let systems: SystemCatalog = try! SystemCatalog.load(path: path("Data/hardware/systems.yaml"), gpus: gpus)
}
