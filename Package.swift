// swift-tools-version: 6.1
import PackageDescription

// One module per concern; the groups below are the architecture, bottom layer first. Each module's tests sit
// in Tests/<Module>Tests.
let package = Package(
    name: "GrowthBench",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "growthbench", targets: ["growthbench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: []
)

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

// --- Foundations: system libraries, numerics, files, results ---
//   CBLAS, CGSL        system libraries (OpenBLAS, GSL) exposed through module maps
//   LinearAlgebra      Swift wrappers over CBLAS (the trainer's matrix products)
//   CurveFit           GSL nonlinear least squares: power laws with standard errors and prediction intervals
//   SeededRandom       deterministic, serialisable random numbers (xoshiro256**, truncated normal)
//   ConfigFile         YAML reading with file/line/field errors and physical ranges, shared by every config file
//   ResultStore        SQLite (GRDB) store of scenarios, runs, metrics and curves
//   Reporting          text tables, number formats, metrics and SVG charts shared by every report
//   TestSupport        fixtures for test targets (synthetic corpora, one-device profiles); not part of the tool
package.targets += [
    .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: nil, providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "CGSL", path: "Sources/CGSL", pkgConfig: nil, providers: [.apt(["libgsl-dev"])]),
    .target(name: "LinearAlgebra", dependencies: ["CBLAS"]),
    .target(name: "CurveFit", dependencies: ["CGSL"]),
    .target(name: "SeededRandom"),
    .target(name: "ConfigFile", dependencies: ["Yams"]),
    .target(name: "ResultStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
    .target(name: "Reporting"),
    .target(name: "TestSupport", dependencies: ["Hardware"]),
    .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
    .testTarget(name: "CurveFitTests", dependencies: ["CurveFit"]),
    .testTarget(name: "SeededRandomTests", dependencies: ["SeededRandom"]),
    .testTarget(name: "ConfigFileTests", dependencies: ["ConfigFile"]),
    .testTarget(name: "ResultStoreTests", dependencies: ["ResultStore"]),
]

// --- The model: one description of a GPT-style decoder, and what the papers and machines say ---
//   ModelKit           the decoder's operations, parameters, FLOPs and memory (3D-parallel and MiniGPT)
//   ModelConfig        the `model:` section shared by scenarios and training configs
//   Hardware           GPU catalog and system profiles from Data/hardware
//   PaperReference     published figures from Data/reference, for "paper says X, model says Y"
//   Scenario           loading and validating scenario YAML files
package.targets += [
    .target(name: "ModelKit"),
    .target(name: "ModelConfig", dependencies: ["ConfigFile", "ModelKit"]),
    .target(name: "Hardware", dependencies: ["ConfigFile"]),
    .target(name: "PaperReference"),
    .target(name: "Scenario", dependencies: ["ConfigFile", "ModelConfig", "ModelKit", "Hardware"]),
    .testTarget(name: "ModelKitTests", dependencies: ["ModelKit"]),
    .testTarget(name: "HardwareTests", dependencies: ["Hardware", "TestSupport"]),
    .testTarget(name: "PaperReferenceTests", dependencies: ["PaperReference"]),
    .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "ModelKit", "Hardware"]),
]

// --- The simulator and the cost model ---
//   DiscreteEvent      deterministic discrete-event engine (task graph, resources, event heap)
//   ClusterSim         one training iteration on a GPU cluster: costs, network model, placement, pipeline schedules
//   ScenarioSim        simulate/plan a scenario's stages, with paper comparisons, timelines and traces
//   RunCost            days, GPU-hours, dollars, energy of a schedule; growth vs scratch; budgets; reports
//   Inspection         the `inspect` report (per-stage params, FLOPs, memory, deltas to the papers)
//   MegatronExport     Megatron-LM arguments for a stage
//   Accuracy           the simulator against published end-to-end runs (Data/validation): signed errors, MAPE per source
package.targets += [
    .target(name: "DiscreteEvent", dependencies: [.product(name: "HeapModule", package: "swift-collections")]),
    .target(name: "ClusterSim", dependencies: ["DiscreteEvent", "ModelKit", "Hardware"]),
    .target(name: "ScenarioSim", dependencies: ["ClusterSim", "Scenario", "Hardware", "PaperReference", "ModelKit", "Reporting"]),
    .target(name: "RunCost", dependencies: ["ConfigFile", "ClusterSim", "ScenarioSim", "Scenario", "Hardware", "ModelKit",
                                            "PaperReference", "Reporting"]),
    .target(name: "Inspection", dependencies: ["ModelKit", "Scenario", "Hardware", "PaperReference", "Reporting"]),
    .target(name: "MegatronExport", dependencies: ["ModelKit", "Scenario"]),
    .target(name: "Accuracy", dependencies: ["ClusterSim", "Hardware", "ModelKit", "PaperReference", "Reporting"]),
    .testTarget(name: "DiscreteEventTests", dependencies: ["DiscreteEvent"]),
    .testTarget(name: "ClusterSimTests", dependencies: ["ClusterSim", "ModelKit", "Hardware", "TestSupport"]),
    .testTarget(name: "ScenarioSimTests", dependencies: ["ScenarioSim", "ClusterSim", "Scenario", "Hardware", "PaperReference", "TestSupport"]),
    .testTarget(name: "RunCostTests", dependencies: ["RunCost", "Scenario", "Hardware", "PaperReference", "ModelKit", "Reporting"]),
    .testTarget(name: "InspectionTests", dependencies: ["Inspection", "Scenario", "Hardware", "PaperReference"]),
    .testTarget(name: "MegatronExportTests", dependencies: ["MegatronExport", "Scenario", "Hardware"]),
    .testTarget(name: "AccuracyTests", dependencies: ["Accuracy", "ClusterSim", "Hardware", "ModelKit", "TestSupport"]),
]

// --- The mini trainer (real training on this CPU) ---
//   MiniGPT            the decoder: parameter store by role, one file per layer (forward + backward), OpenBLAS GEMM
//   Growth             MSG growth operators (FFN, heads, hidden, depth) with masks, tensor maps for params and Adam state
//   Corpus             byte-level text domains, document split, mixture sampler, unigram baseline
//   Training           config, AdamW, clipping, LR schedule, loop, evaluation, checkpoints, memory check, progress
//   MuTransfer         hyper-parameter sweeps over widths (SP vs µP), TP5 Figure 1, transfer to a wider model
//   CoordCheck         µP coordinate checks (Tensor Programs V): activation scale against width, verdict, plot
//   GrowthComparison   growth vs scratch measured by the trainer: equal-token and equal-loss speedups, charts
package.targets += [
    .target(name: "MiniGPT", dependencies: ["LinearAlgebra", "ModelKit", "SeededRandom"]),
    .target(name: "Growth", dependencies: ["MiniGPT", "ModelKit"]),
    .target(name: "Corpus", dependencies: ["SeededRandom"]),
    .target(name: "Training", dependencies: ["MiniGPT", "Growth", "Corpus", "SeededRandom", "ModelKit", "ConfigFile", "ModelConfig",
                                             "ResultStore", "LinearAlgebra", "Scenario"]),
    .target(name: "MuTransfer", dependencies: ["Training", "MiniGPT", "ModelKit", "ConfigFile", "ResultStore", "Reporting"]),
    .target(name: "CoordCheck", dependencies: ["MiniGPT", "Training", "Corpus", "ModelKit", "LinearAlgebra", "Reporting"]),
    .target(name: "GrowthComparison", dependencies: ["Training", "Reporting"]),
    .testTarget(name: "MiniGPTTests", dependencies: ["MiniGPT", "ModelKit", "SeededRandom", "LinearAlgebra"]),
    .testTarget(name: "GrowthTests", dependencies: ["Growth", "MiniGPT", "ModelKit", "SeededRandom"]),
    .testTarget(name: "CorpusTests", dependencies: ["Corpus"]),
    .testTarget(name: "TrainingTests", dependencies: ["Training", "MiniGPT", "Corpus", "ModelKit", "ResultStore", "TestSupport"]),
    .testTarget(name: "MuTransferTests", dependencies: ["MuTransfer", "Training", "MiniGPT", "ResultStore", "TestSupport"]),
    .testTarget(name: "CoordCheckTests", dependencies: ["CoordCheck", "Training", "MiniGPT", "ModelKit", "TestSupport"]),
    .testTarget(name: "GrowthComparisonTests", dependencies: ["GrowthComparison", "Training", "ModelKit"]),
]

// --- The validation loop: the simulator predicts mini runs, the trainer measures them ---
//   Calibration        this machine measured as the trainer uses it, written as a system profile (Data/hardware/local.yaml)
//   Validation         suites of mini runs, predicted vs measured; µScaling loss prediction from µP proxies
package.targets += [
    .target(name: "Calibration", dependencies: ["MiniGPT", "ModelKit", "LinearAlgebra", "Training"]),
    .target(name: "Validation", dependencies: ["Training", "MiniGPT", "Scenario", "RunCost", "Hardware", "ModelKit", "PaperReference",
                                               "CurveFit", "ResultStore", "Reporting", "Calibration", "MuTransfer"]),
    .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "Hardware", "LinearAlgebra"]),
    .testTarget(name: "ValidationTests", dependencies: ["Validation", "Calibration", "Hardware", "ConfigFile", "CurveFit",
                                                       "ResultStore", "TestSupport"]),
]

// --- Running on a cluster: sweeps and suites as Slurm job arrays, one results database per shard, merged ---
//   ClusterJobs        shards of a run list, the sbatch script of a Slurm job array, its submission (sbatch --parsable)
//   ResultMerge        shard results databases merged into one: idempotent, conflicts refused, one transaction per file
package.targets += [
    .target(name: "ClusterJobs"),
    .target(name: "ResultMerge", dependencies: ["ResultStore", .product(name: "GRDB", package: "GRDB.swift")]),
    .testTarget(name: "ClusterJobsTests", dependencies: ["ClusterJobs"]),
    .testTarget(name: "ResultMergeTests", dependencies: ["ResultMerge", "ResultStore", .product(name: "GRDB", package: "GRDB.swift")]),
]

// --- Tools: the command line, the fuzz suite, benchmarks ---
//   growthbench        the thin command-line layer over the modules above
//   Fuzzing            hostile mutations of YAML files and checkpoints, and the contract every command's outcome must meet
//   growthbench-fuzz   runs every command of the release binary on those mutations (make fuzz; part of make test)
//   trainer-profile, growth-overhead   micro-benchmarks of the trainer (make bench-train, make bench-growth)
package.targets += [
    .executableTarget(name: "growthbench", dependencies: [
        "Inspection", "Accuracy", "ConfigFile", "Scenario", "Hardware", "PaperReference", "ResultStore", "ClusterSim", "ScenarioSim", "Reporting",
        "RunCost", "MegatronExport", "Training", "MuTransfer", "CoordCheck", "GrowthComparison", "Calibration", "Validation",
        "ClusterJobs", "ResultMerge", argumentParser,
    ]),
    .target(name: "Fuzzing", dependencies: ["Yams", "SeededRandom", "Training"]),
    .executableTarget(name: "growthbench-fuzz", dependencies: ["Fuzzing", "SeededRandom", "TestSupport", argumentParser]),
    .executableTarget(name: "trainer-profile", dependencies: ["MiniGPT", "ModelKit", "LinearAlgebra"], path: "Benchmarks/TrainerProfile"),
    .executableTarget(name: "growth-overhead", dependencies: ["Growth", "MiniGPT", "ModelKit", "LinearAlgebra", "Training"],
                      path: "Benchmarks/GrowthOverhead"),
    .testTarget(name: "FuzzingTests", dependencies: ["Fuzzing", "SeededRandom"]),
    // Notebooks/ (Jupyter, executed by `make notebooks`): their committed form is checked here.
    .testTarget(name: "NotebookTests"),
]
