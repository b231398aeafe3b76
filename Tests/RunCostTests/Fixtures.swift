import Foundation
import Hardware
import PaperReference
import Scenario

enum Fixtures {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func path(_ p: String) -> String { root.appendingPathComponent(p).path }
    static let gpus = try! HardwareCatalog.load(path: path("Data/hardware/gpus.yaml"))
    static let systems = try! SystemCatalog.load(path: path("Data/hardware/systems.yaml"), gpus: gpus)
    static let references = try! ReferenceTable.load(directory: path("Data/reference"))
    static func scenario(_ name: String) -> Scenario {
        try! ScenarioLoader.load(path: path("Scenarios/\(name)"), catalog: gpus)
    }
}
