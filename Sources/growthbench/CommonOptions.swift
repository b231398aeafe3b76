import ArgumentParser
import Calibration
import RunCost
import Training
import Validation
import Foundation
import ConfigFile
import Hardware
import PaperReference
import ResultStore
import Reporting
import Scenario

extension MetricRecord {
    init(_ m: Metric) { self.init(stage: m.stage, name: m.name, value: m.value, unit: m.unit) }
}

/// Options every command that reads scenarios and writes results shares.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: "Results database (SQLite).")
    var db: String = ResultStore.defaultPath

    @Option(name: .long, help: "The project's Data/ folder (default: found from the scenario's or the current folder).")
    var data: String?

    @Flag(name: .long, help: "Print the result as JSON.")
    var json = false

    func validate() throws {
        if db.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--db: expected the path of a SQLite file, found an empty string")
        }
    }

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

    /// The catalog's systems (`Data/hardware/systems.yaml`).
    func systems(dataDir: String) throws -> SystemCatalog {
        try SystemCatalog.load(path: (dataDir as NSString).appendingPathComponent("hardware/systems.yaml"),
                               gpus: try catalog(dataDir: dataDir))
    }

    /// This machine's profile (`growthbench calibrate`), read only by the commands that ask for it; nil if absent.
    func localSystems(dataDir: String, path: String? = nil) throws -> SystemCatalog? {
        let local = path ?? Self.localProfilePath(dataDir: dataDir)
        guard FileManager.default.fileExists(atPath: local) else { return nil }
        return try SystemCatalog.load(path: local, gpus: try catalog(dataDir: dataDir))
    }

    /// Where `calibrate` writes this machine's profile and `--system local` reads it.
    func localProfilePath(near paths: [String] = []) throws -> String {
        Self.localProfilePath(dataDir: try dataDirectory(near: paths))
    }

    /// GROWTHBENCH_LOCAL_PROFILE, else Data/hardware/local.yaml.
    static func localProfilePath(dataDir: String) -> String {
        if let env = ProcessInfo.processInfo.environment["GROWTHBENCH_LOCAL_PROFILE"], !env.isEmpty { return env }
        return (dataDir as NSString).appendingPathComponent(LocalProfile.defaultRelativePath)
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

    /// A system profile by name from the catalog and this machine's profile, with a hint when 'local' is missing.
    func system(named name: String, near paths: [String]) throws -> SystemProfile {
        let dir = try dataDirectory(near: paths)
        let catalog = try systems(dataDir: dir)
        if let s = catalog.system(named: name) { return s }
        let local = try localSystems(dataDir: dir)
        if let s = local?.system(named: name) { return s }
        if name.lowercased() == LocalProfile.systemName {
            throw ValidationError("--system local: no profile of this machine at \(Self.localProfilePath(dataDir: dir)); run `growthbench calibrate` first (about a minute)")
        }
        let names = catalog.systems.map(\.name) + (local?.systems.map(\.name) ?? [])
        throw ValidationError("--system: expected one of \(names.joined(separator: ", ")), found '\(name)'")
    }

    /// A mini-trainer file priced on a one-device profile (`--system local`): the estimate and the file's text.
    func oneDeviceEstimate(_ path: String, system name: String) throws -> (RunEstimate, TrainConfig, String) {
        let system = try system(named: name, near: [path])
        let config: TrainConfig, source: String
        do {
            (config, source) = try TrainConfigLoader.load(path: path)
        } catch let e as ConfigErrors {
            throw ValidationError("\(path): --system \(name) prices mini-trainer files (such as Scenarios/mini/growth.yaml) on one device, and this file is not one:\n\(e)")
        }
        return (try MiniRunPricing.estimate(config, path: path, source: source, system: system), config, source)
    }
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

/// One command invocation recorded in the results database. The result is computed first and recorded after,
/// so a database problem never loses it: the command prints the result, then says recording failed and exits
/// non-zero (`finish()`).
final class CommandRun {
    let kind: RunKind
    let name: String, path: String, source: String
    let stage: String?
    let options: CommonOptions
    /// Where the result went (or why it did not), once recorded.
    private var recorded: RecordedSummary?
    /// Other scenarios the command read (the second file of `compare`), recorded with the run.
    private var otherScenarios: [Scenario] = []

    func alsoRecord(_ scenario: Scenario) { otherScenarios.append(scenario) }

    convenience init(_ kind: RunKind, scenario: Scenario, stage: String? = nil, options: CommonOptions) {
        self.init(kind, name: scenario.name, path: scenario.path, source: scenario.source, stage: stage, options: options)
    }

    /// The same for a file read by another loader (a training config or growth schedule).
    init(_ kind: RunKind, name: String, path: String, source: String, stage: String? = nil, options: CommonOptions) {
        self.kind = kind; self.name = name; self.path = path; self.source = source; self.stage = stage; self.options = options
    }

    /// Runs `body`, then stores its JSON and metrics (same path + text = same scenario row). A failing `body` is
    /// recorded as a failed run (when the database allows) and rethrown; a failing database is kept for `finish()`.
    func record<T: Encodable>(_ body: () throws -> T, metrics: (T) -> [MetricRecord]) throws -> (T, String) {
        let value: T
        do {
            value = try body()
        } catch {
            _ = try? store(status: .failed, json: nil, metrics: [])
            throw error
        }
        let json = try JSON.encode(value)
        recorded = RecordedSummary(db: options.db) { try store(status: .completed, json: json, metrics: metrics(value)) }
        return (value, json)
    }

    /// The same for reports that flatten themselves into `Reporting.Metric`s.
    func record<T: Encodable>(_ body: () throws -> T, metrics: (T) -> [Metric]) throws -> (T, String) {
        try record(body, metrics: { (value: T) -> [MetricRecord] in metrics(value).map(MetricRecord.init) })
    }

    @discardableResult
    private func store(status: RunStatus, json: String?, metrics: [MetricRecord]) throws -> Int64 {
        let store = try options.store()
        for other in otherScenarios { _ = try store.recordScenario(name: other.name, path: other.path, source: other.source) }
        let scenarioId = try store.recordScenario(name: name, path: path, source: source)
        let id = try store.beginRun(kind: kind, scenarioId: scenarioId, stage: stage, command: commandLine,
                                    toolVersion: GrowthBench.version)
        try store.finishRun(id, status: status, resultJSON: json, metrics: metrics)
        return id
    }

    var footer: String { "\n" + (recorded?.footer ?? "\nNot recorded: no result") }

    /// Call after printing the result: throws the recording error, if any, so the exit status says the result is
    /// not in the database.
    func finish() throws { try recorded?.finish() }
}

/// A summary that was computed before it was recorded: the footer says where it went, or why it did not, and
/// `finish()` (after printing) turns a recording failure into the exit status.
struct RecordedSummary {
    let footer: String
    private let error: Error?

    init(db: String, _ record: () throws -> Int64) {
        do {
            let id = try record()
            footer = "\nRecorded as run \(id) in \(db)."
            error = nil
        } catch {
            footer = "\nNot recorded: \(error)"
            self.error = error
        }
    }

    func finish() throws { if let error { throw error } }
}
