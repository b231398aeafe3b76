import ArgumentParser
import Foundation
import ConfigFile
import Hardware
import PaperReference
import ResultStore
import Scenario

/// Options every command that reads scenarios and writes results shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Results database (SQLite).")
    var db: String = ResultStore.defaultPath

    @Option(name: .long, help: "The project's Data/ folder (default: found from the scenario's or the current folder).")
    var data: String?

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func dataDirectory(near paths: [String]) throws -> String {
        if let data { return data }
        let starts = paths.map { ($0 as NSString).deletingLastPathComponent } + [FileManager.default.currentDirectoryPath]
        guard let dir = DataDirectory.locate(startingAt: starts.map { $0.isEmpty ? "." : $0 }) else {
            throw ValidationError("cannot find the Data/ folder (with hardware/gpus.yaml); pass --data or set GROWTHBENCH_DATA")
        }
        return dir
    }

    func catalog(dataDir: String) throws -> HardwareCatalog {
        try HardwareCatalog.load(path: (dataDir as NSString).appendingPathComponent("hardware/gpus.yaml"))
    }

    func systems(dataDir: String) throws -> SystemCatalog {
        try SystemCatalog.load(path: (dataDir as NSString).appendingPathComponent("hardware/systems.yaml"),
                               gpus: try catalog(dataDir: dataDir))
    }

    func references(dataDir: String) throws -> ReferenceTable {
        try ReferenceTable.load(directory: (dataDir as NSString).appendingPathComponent("reference"))
    }

    func loadScenario(_ path: String) throws -> (Scenario, ReferenceTable) {
        let dir = try dataDirectory(near: [path])
        let scenario = try ScenarioLoader.load(path: path, catalog: try catalog(dataDir: dir))
        return (scenario, try references(dataDir: dir))
    }

    func store() throws -> ResultStore { try ResultStore(path: db) }
}

enum JSON {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try e.encode(value), as: UTF8.self)
    }
}

/// The command line as typed, stored with each run.
var commandLine: String { CommandLine.arguments.map { $0.contains(" ") ? "'\($0)'" : $0 }.joined(separator: " ") }
