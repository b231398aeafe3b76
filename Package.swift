// swift-tools-version: 6.1
import PackageDescription

// One module per concern; folder names tell the architecture.
//   CBLAS, CGSL        system libraries (OpenBLAS, GSL) exposed through module maps
//   LinearAlgebra      Swift wrappers over CBLAS (the trainer's matrix products)
//   CurveFit           Swift wrappers over GSL nonlinear least squares (loss-prediction fits)
//   ModelKit           one description of a GPT-style decoder and its arithmetic (params, FLOPs, memory)
//   ConfigFile         YAML reading with file/line/field errors, shared by every config file
//   Hardware           GPU catalog loaded from Data/hardware
//   Scenario           loading and validating scenario YAML files
//   PaperReference     published figures from Data/reference, for "paper says X, model says Y"
//   ResultStore        SQLite (GRDB) store of scenarios, runs, metrics and curves
//   Inspection         the `inspect` report (per-stage params, FLOPs, memory, deltas to the papers)
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
        .target(name: "Scenario", dependencies: ["ConfigFile", "ModelKit", "Hardware"]),
        .target(name: "PaperReference"),
        .target(name: "ResultStore", dependencies: [.product(name: "GRDB", package: "GRDB.swift")]),
        .target(name: "ConfigFile", dependencies: ["Yams"]),
        .target(name: "Inspection", dependencies: ["ModelKit", "Scenario", "Hardware", "PaperReference", "ResultStore"]),
        .executableTarget(name: "growthbench", dependencies: [
            "Inspection", "ConfigFile", "Scenario", "Hardware", "PaperReference", "ResultStore",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "CurveFitTests", dependencies: ["CurveFit"]),
        .testTarget(name: "ModelKitTests", dependencies: ["ModelKit"]),
        .testTarget(name: "ConfigFileTests", dependencies: ["ConfigFile"]),
        .testTarget(name: "HardwareTests", dependencies: ["Hardware"]),
        .testTarget(name: "ScenarioTests", dependencies: ["Scenario", "ModelKit", "Hardware"]),
        .testTarget(name: "PaperReferenceTests", dependencies: ["PaperReference"]),
        .testTarget(name: "ResultStoreTests", dependencies: ["ResultStore"]),
        .testTarget(name: "InspectionTests", dependencies: ["Inspection", "Scenario", "Hardware", "PaperReference"]),
    ]
)
