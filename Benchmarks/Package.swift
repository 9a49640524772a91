// swift-tools-version: 6.1
// The kiosk's benchmarks: a package of its own so `swift test` in the root never builds package-benchmark.
// Run with `make bench` (or `swift package benchmark` here).

import PackageDescription

let package = Package(
    name: "kiosk-benchmarks",
    dependencies: [
        // `village-kiosk` is a symlink to the root: a path dependency's identity is its folder's name, and a
        // clone's folder may have any name.
        .package(path: "village-kiosk"),
        // The malloc interposer counts allocations, one of the figures each benchmark reports.
        .package(url: "https://github.com/ordo-one/package-benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "CoreBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "Core", package: "village-kiosk"),
            ],
            path: "Benchmarks/CoreBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // Letters: compose, lay out, PDF, and (with scripts/test-printer running) the job accepted by CUPS.
        .executableTarget(
            name: "LetterBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "Core", package: "village-kiosk"),
                .product(name: "Drivers", package: "village-kiosk"),
            ],
            path: "Benchmarks/LetterBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
        // Screens: full frames at three panel sizes, partial updates, touch to pixels (no services needed).
        .executableTarget(
            name: "ScreenBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "package-benchmark"),
                .product(name: "Core", package: "village-kiosk"),
                .product(name: "Drivers", package: "village-kiosk"),
            ],
            path: "Benchmarks/ScreenBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "package-benchmark")]
        ),
    ]
)
