// swift-tools-version: 6.1
import PackageDescription

// One module per concern; folder names tell the architecture.
//   CBLAS, CGSL        system libraries (OpenBLAS, GSL) exposed through module maps
//   LinearAlgebra      Swift wrappers over CBLAS (the trainer's matrix products)
//   CurveFit           Swift wrappers over GSL nonlinear least squares (loss-prediction fits)
//   ModelKit           one description of a GPT-style decoder and its arithmetic (params, FLOPs, memory)
//   ConfigFile         YAML reading with file/line/field errors, shared by every config file
//   ModelConfig        the `model:` section shared by scenarios and training configs
//   Hardware           GPU catalog loaded from Data/hardware
//   Scenario           loading and validating scenario YAML files
//   PaperReference     published figures from Data/reference, for "paper says X, model says Y"
//   ResultStore        SQLite (GRDB) store of scenarios, runs, metrics and curves
//   Reporting          text tables and number formats shared by every report
//   Inspection         the `inspect` report (per-stage params, FLOPs, memory, deltas to the papers)
//   DiscreteEvent      deterministic discrete-event engine (task graph, resources, event heap)
//   ClusterSim         one training iteration on a GPU cluster: costs, pipeline schedules, simulation
//   ScenarioSim        simulate/plan a scenario's stages, with paper comparisons, timelines and traces
//   RunCost            days, GPU-hours, dollars, energy of a schedule; growth vs scratch; budgets; reports
//   MegatronExport     Megatron-LM arguments for a stage
//   growthbench        thin command-line layer
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
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: nil,
                       providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CGSL", path: "Sources/CGSL", pkgConfig: nil,
                       providers: [.apt(["libgsl-dev"])]),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS"]),
        .target(name: "CurveFit", dependencies: ["CGSL"]),
        .target(name: "ModelKit"),
        .target(name: "Hardware", dependencies: ["ConfigFile"]),
        .target(name: "ModelConfig", dependencies: ["ConfigFile", "ModelKit"]),
        .target(name: "Scenario", dependencies: ["ConfigFile", "ModelConfig", "ModelKit", "Hardware"]),
        .target(name: "PaperReference"),
        .target(name: "ResultStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "ConfigFile", dependencies: ["Yams"]),
        .target(name: "Reporting"),
        // Shared fixtures for test targets (synthetic corpora); not part of the tool.
        .target(name: "TestSupport"),
        .target(name: "Inspection", dependencies: ["ModelKit", "Scenario", "Hardware", "PaperReference", "ResultStore", "Reporting"]),
        // --- simulator targets (issue 3) ---
        .target(name: "DiscreteEvent", dependencies: [.product(name: "HeapModule", package: "swift-collections")]),
        .target(name: "ClusterSim", dependencies: ["DiscreteEvent", "ModelKit", "Hardware"]),
        .testTarget(name: "DiscreteEventTests", dependencies: ["DiscreteEvent"]),
        .testTarget(name: "ClusterSimTests", dependencies: ["ClusterSim", "ModelKit", "Hardware", "TestSupport"]),
        .target(name: "ScenarioSim", dependencies: ["ClusterSim", "Scenario", "Hardware", "PaperReference", "ModelKit", "Reporting", "ResultStore"]),
        .testTarget(name: "ScenarioSimTests", dependencies: ["ScenarioSim", "ClusterSim", "Scenario", "Hardware", "PaperReference"]),
        .target(name: "RunCost", dependencies: ["ConfigFile", "ClusterSim", "ScenarioSim", "Scenario", "Hardware", "ModelKit", "PaperReference", "Reporting", "ResultStore"]),
        .testTarget(name: "RunCostTests", dependencies: ["RunCost", "Scenario", "Hardware", "PaperReference", "ModelKit", "Reporting"]),
        .target(name: "MegatronExport", dependencies: ["ModelKit", "Scenario"]),
        .testTarget(name: "MegatronExportTests", dependencies: ["MegatronExport", "Scenario", "Hardware"]),
        // --- end simulator targets ---
        .executableTarget(name: "growthbench", dependencies: [
            "Inspection", "ConfigFile", "Scenario", "Hardware", "PaperReference", "ResultStore", "ClusterSim", "ScenarioSim", "Reporting", "RunCost", "MegatronExport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "CurveFitTests", dependencies: ["CurveFit"]),
        .testTarget(name: "ModelKitTests", dependencies: ["ModelKit"]),
        .testTarget(name: "ConfigFileTests", dependencies: ["ConfigFile"]),
        .testTarget(name: "HardwareTests", dependencies: ["Hardware", "TestSupport"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "ModelKit", "Hardware"]),
        .testTarget(name: "PaperReferenceTests", dependencies: ["PaperReference"]),
        .testTarget(name: "ResultStoreTests", dependencies: ["ResultStore"]),
        .testTarget(name: "InspectionTests", dependencies: ["Inspection", "Scenario", "Hardware", "PaperReference"]),
    ]
)

// --- trainer targets (issue 5) ---
// The mini trainer (real training on this CPU):
//   SeededRandom   deterministic, serialisable random numbers (xoshiro256**, truncated normal)
//   MiniGPT        the decoder: parameter store by role, one file per layer (forward + backward), OpenBLAS GEMM
//   Growth         MSG growth operators (FFN, heads, hidden, depth) with masks, tensor maps for params and Adam state
//   Corpus         byte-level text domains, document split, mixture sampler, unigram baseline
//   Training       config, AdamW, clipping, LR schedule, loop, evaluation, checkpoints, progress
package.targets += [
    .target(name: "SeededRandom"),
    .target(name: "MiniGPT", dependencies: ["LinearAlgebra", "ModelKit", "SeededRandom"]),
    .target(name: "Corpus", dependencies: ["SeededRandom"]),
    .target(name: "Growth", dependencies: ["MiniGPT", "ModelKit"]),
    .target(name: "Training", dependencies: ["MiniGPT", "Growth", "Corpus", "SeededRandom", "ModelKit", "ConfigFile", "ModelConfig",
                                             "ResultStore", "LinearAlgebra", "Scenario"]),
    .executableTarget(name: "trainer-profile", dependencies: ["MiniGPT", "ModelKit", "LinearAlgebra"],
                      path: "Benchmarks/TrainerProfile"),
    .testTarget(name: "SeededRandomTests", dependencies: ["SeededRandom"]),
    .testTarget(name: "MiniGPTTests", dependencies: ["MiniGPT", "ModelKit", "SeededRandom", "LinearAlgebra"]),
    .testTarget(name: "CorpusTests", dependencies: ["Corpus"]),
    .testTarget(name: "GrowthTests", dependencies: ["Growth", "MiniGPT", "ModelKit", "SeededRandom"]),
    .testTarget(name: "TrainingTests", dependencies: ["Training", "MiniGPT", "Corpus", "ModelKit", "ResultStore", "TestSupport"]),
]
// The CLI gains the `train` command.
for target in package.targets where target.name == "growthbench" {
    target.dependencies.append("Training")
}
// --- end trainer targets ---

// --- µTransfer targets (issue 6) ---
//   MuTransfer     hyper-parameter sweeps over widths (SP vs µP), TP5 Figure 1, transfer to a wider model
package.targets += [
    .target(name: "MuTransfer", dependencies: ["Training", "MiniGPT", "ModelKit", "ConfigFile", "ResultStore", "Reporting"]),
    .testTarget(name: "MuTransferTests", dependencies: ["MuTransfer", "Training", "MiniGPT", "ResultStore", "TestSupport"]),
]
package.targets.first { $0.name == "growthbench" }!.dependencies.append("MuTransfer")
// --- end µTransfer targets ---

// --- coordcheck targets (issue 6) ---
// The coordinate check of µP (Tensor Programs V): mean |x| of every activation per width per step, log-log
// slopes against width, verdict and SVG plot.
package.targets += [
    .target(name: "CoordCheck", dependencies: ["MiniGPT", "Training", "Corpus", "ModelKit", "LinearAlgebra", "Reporting"]),
    .testTarget(name: "CoordCheckTests", dependencies: ["CoordCheck", "Training", "MiniGPT", "ModelKit", "TestSupport"]),
]
package.targets.first { $0.name == "growthbench" }!.dependencies.append("CoordCheck")
// --- end coordcheck targets ---

// --- growth targets (issue 13) ---
//   GrowthComparison   growth vs scratch measured by the trainer: equal-token and equal-loss speedups, charts
package.targets += [
    .target(name: "GrowthComparison", dependencies: ["Training", "Reporting"]),
    .executableTarget(name: "growth-overhead", dependencies: ["Growth", "MiniGPT", "ModelKit", "LinearAlgebra", "Training"],
                      path: "Benchmarks/GrowthOverhead"),
    .testTarget(name: "GrowthComparisonTests", dependencies: ["GrowthComparison", "Training", "ModelKit"]),
]
package.targets.first { $0.name == "growthbench" }!.dependencies.append("GrowthComparison")
// --- end growth targets ---

// --- validation targets (issue 14) ---
//   Calibration      this machine measured as the trainer uses it; written as a system profile (Data/hardware/local.yaml)
//   Validation       suites of mini runs: the simulator's predictions next to the trainer's measurements;
//                    µScaling loss prediction from µP proxies (the fit and its interval live in CurveFit)
package.targets += [
    .target(name: "Calibration", dependencies: ["MiniGPT", "ModelKit", "LinearAlgebra", "Training"]),
    .testTarget(name: "CalibrationTests", dependencies: ["Calibration", "Hardware", "LinearAlgebra"]),
    .target(name: "Validation", dependencies: ["Training", "MiniGPT", "Scenario", "RunCost", "Hardware", "ModelKit", "PaperReference",
                                               "CurveFit", "ResultStore", "Reporting", "Calibration", "MuTransfer"]),
    .testTarget(name: "ValidationTests", dependencies: ["Validation", "Calibration", "Hardware", "ConfigFile", "CurveFit",
                                                       "ResultStore", "TestSupport"]),
]
package.targets.first { $0.name == "growthbench" }!.dependencies += ["Calibration", "Validation"]
// Notebooks/ (Jupyter, executed by `make notebooks`): their committed form is checked here.
package.targets.append(.testTarget(name: "NotebookTests"))
// --- end validation targets ---

// --- hardening targets (issue 18) ---
//   Fuzzing            hostile mutations of YAML files and checkpoints, and the contract every command's outcome must meet
//   growthbench-fuzz   runs every command of the release binary on those mutations (make fuzz; part of make test)
package.targets += [
    .target(name: "Fuzzing", dependencies: ["Yams", "SeededRandom", "Training"]),
    .executableTarget(name: "growthbench-fuzz", dependencies: ["Fuzzing", "SeededRandom", "TestSupport",
                                                               .product(name: "ArgumentParser", package: "swift-argument-parser")]),
    .testTarget(name: "FuzzingTests", dependencies: ["Fuzzing", "SeededRandom"]),
]
// --- end hardening targets ---

// --- cluster targets (issue 17) ---
//   ClusterJobs    shards of a point list, the sbatch script of a Slurm job array, its submission (sbatch --parsable)
//   ResultMerge    shard results databases merged into one: idempotent, conflicts refused, one transaction per file
package.targets += [
    .target(name: "ClusterJobs"),
    .testTarget(name: "ClusterJobsTests", dependencies: ["ClusterJobs"]),
    .target(name: "ResultMerge", dependencies: ["ResultStore", .product(name: "GRDB", package: "GRDB.swift")]),
    .testTarget(name: "ResultMergeTests", dependencies: ["ResultMerge", "ResultStore", .product(name: "GRDB", package: "GRDB.swift")]),
]
package.targets.first { $0.name == "growthbench" }!.dependencies += ["ClusterJobs", "ResultMerge"]
// --- end cluster targets ---
