// swift-tools-version:6.0
// nk — an interactive analysis shell for non-customer thinking.
// Layers stand on each other like floors: nk → NKShell → NKRendering → NKLanguage → NKAnalysis
// → NKEngine, with NKSources (databases, workbooks) beside NKAnalysis. System libraries come in
// as system modules: GNU readline, SQLite, libpq, zlib, and two calls of the C library. No
// package dependencies.
import PackageDescription

let package = Package(
    name: "nk",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "nk", targets: ["nk"]),
        .library(name: "NKEngine", targets: ["NKEngine"]),
    ],
    targets: [
        .systemLibrary(
            name: "CReadline",
            pkgConfig: "readline",
            providers: [.apt(["libreadline-dev"]), .brew(["readline"])]
        ),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"]), .brew(["libpq"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // the C library's calls that Swift's Glibc module leaves out (starting engines' programs)
        .systemLibrary(name: "CSpawn"),
        .target(name: "NKEngine"),
        .target(name: "NKSources", dependencies: ["NKEngine", "CSQLite", "CLibPQ", "CZlib", "CSpawn"]),
        .target(name: "NKAnalysis", dependencies: ["NKEngine"]),
        .target(name: "NKLanguage", dependencies: ["NKAnalysis", "NKSources", "NKEngine"]),
        .target(name: "NKRendering", dependencies: ["NKLanguage", "NKAnalysis", "NKSources", "NKEngine"]),
        .target(name: "NKShell", dependencies: ["NKRendering", "NKLanguage", "NKSources", "NKEngine", "NKDemoData", "CReadline"]),
        .executableTarget(name: "nk", dependencies: ["NKShell", "NKEngine"]),
        .executableTarget(
            name: "nk-bench",
            dependencies: ["NKEngine", "NKLanguage"],
            path: "Scripts/bench/Sources/nk-bench"
        ),
        .target(name: "NKDemoData", dependencies: ["NKEngine"]),
        .executableTarget(name: "nk-demo-data", dependencies: ["NKDemoData"], path: "Scripts/demo-data/Sources/nk-demo-data"),
        .target(name: "NKTestSupport", dependencies: ["NKEngine", "NKSources", "CZlib"], path: "Tests/NKTestSupport"),
        .testTarget(name: "NKEngineTests", dependencies: ["NKEngine", "NKTestSupport"]),
        .testTarget(name: "NKSourcesTests", dependencies: ["NKSources", "NKEngine", "NKTestSupport"]),
        .testTarget(name: "NKAnalysisTests", dependencies: ["NKAnalysis", "NKTestSupport"]),
        .testTarget(name: "NKLanguageTests", dependencies: ["NKLanguage", "NKRendering", "NKSources", "NKDemoData", "NKTestSupport"]),
        .testTarget(name: "NKRenderingTests", dependencies: ["NKRendering", "NKLanguage", "NKEngine", "NKTestSupport"]),
        .testTarget(name: "NKShellTests", dependencies: ["NKShell", "NKRendering", "NKLanguage", "NKDemoData", "NKTestSupport"]),
        .testTarget(name: "NKEndToEndTests", dependencies: ["NKTestSupport", "nk", "nk-bench"]),
    ]
)
