// swift-tools-version:6.0
// nk — an interactive analysis shell for non-customer thinking.
// Layers stand on each other like floors: nk → NKShell → NKRendering → NKLanguage → NKAnalysis
// → NKEngine, with the GNU readline system module beside the shell. No package dependencies.
import PackageDescription

let optimize: [SwiftSetting] = [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]

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
        .target(name: "NKEngine", swiftSettings: optimize),
        .target(name: "NKAnalysis", dependencies: ["NKEngine"], swiftSettings: optimize),
        .target(name: "NKLanguage", dependencies: ["NKAnalysis", "NKEngine"]),
        .target(name: "NKRendering", dependencies: ["NKLanguage", "NKAnalysis", "NKEngine"]),
        .target(name: "NKShell", dependencies: ["NKRendering", "NKLanguage", "NKEngine", "NKDemoData", "CReadline"]),
        .executableTarget(name: "nk", dependencies: ["NKShell"]),
        .executableTarget(
            name: "nk-bench",
            dependencies: ["NKEngine", "NKLanguage"],
            path: "Scripts/bench/Sources/nk-bench",
            swiftSettings: optimize
        ),
        .target(name: "NKDemoData", dependencies: ["NKEngine"]),
        .executableTarget(name: "nk-demo-data", dependencies: ["NKDemoData"], path: "Scripts/demo-data/Sources/nk-demo-data"),
        .target(name: "NKTestSupport", dependencies: ["NKEngine"], path: "Tests/NKTestSupport"),
        .testTarget(name: "NKEngineTests", dependencies: ["NKEngine", "NKTestSupport"]),
        .testTarget(name: "NKAnalysisTests", dependencies: ["NKAnalysis", "NKTestSupport"]),
        .testTarget(name: "NKLanguageTests", dependencies: ["NKLanguage", "NKRendering", "NKDemoData", "NKTestSupport"]),
        .testTarget(name: "NKRenderingTests", dependencies: ["NKRendering", "NKLanguage", "NKEngine", "NKTestSupport"]),
        .testTarget(name: "NKShellTests", dependencies: ["NKShell", "NKRendering", "NKLanguage", "NKDemoData", "NKTestSupport"]),
        .testTarget(name: "NKEndToEndTests", dependencies: ["NKTestSupport", "nk"]),
    ]
)
