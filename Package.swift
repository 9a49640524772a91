// swift-tools-version: 6.1
// The kiosk daemon for village service terminals: see README.md and docs/ARCHITECTURE.md for the map. Core (pure)
// <- Drivers (C stays there) <- KioskKit (the kiosk as a library) <- kiosk (the CLI); kiosk-sim beside them.

import PackageDescription

/// Compiler settings every target shares.
let swiftSettings: [SwiftSetting] = [
    // `any Protocol` spelled out: existentials cost a box and a witness table, so make them visible.
    .enableUpcomingFeature("ExistentialAny"),
    // Imports are internal unless marked `public import` (or `package import`, for KioskKit's API to the CLI and the
    // tests): a module's dependencies stay its own business, so a C module imported by Drivers never leaks upward.
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "village-kiosk",
    products: [
        .executable(name: "kiosk", targets: ["Kiosk"]),
        .executable(name: "kiosk-sim", targets: ["KioskSimulator"]),
        .executable(name: "record-load", targets: ["RecordLoad"]),
        // For Benchmarks/, which depends on this package by path.
        .library(name: "Core", targets: ["Core"]),
        .library(name: "Drivers", targets: ["Drivers"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV", from: "0.10.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-http-structured-headers", from: "1.7.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // Pure Swift: domain, validation, the kiosk state machine, screen models, letter composition and layout.
        // No I/O, no C, no clocks.
        .target(
            name: "Core", dependencies: [.product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: swiftSettings),
        // pcsc-lite, the PC/SC middleware every Linux card reader goes through.
        .systemLibrary(name: "CPCSC", pkgConfig: "libpcsclite", providers: [.apt(["libpcsclite-dev"])]),
        // cairo, the 2D renderer behind letters (PDF), screens and slips (image surfaces).
        .systemLibrary(name: "CCairo", pkgConfig: "cairo", providers: [.apt(["libcairo2-dev"])]),
        // libqrencode, for the signed QR on every letter.
        .systemLibrary(name: "CQREncode", pkgConfig: "libqrencode", providers: [.apt(["libqrencode-dev"])]),
        // libcups (libcups2-dev's headers), for A4 letters through cupsd: opened with dlopen at the first letter, not
        // linked, since its 26 dependencies cost every start about 6 ms (Sources/CCups/include/CCups.h says more).
        .target(name: "CCups"),
        // libusb-1.0, for USB thermal printers the kernel's usblp does not serve.
        .systemLibrary(name: "CLibUSB", pkgConfig: "libusb-1.0", providers: [.apt(["libusb-1.0-0-dev"])]),
        // Linux ioctls whose numbers are C macros (evdev, framebuffer, VT).
        .target(name: "CLinuxIO"),
        // The edges to hardware and the OS, one Swift type over each C library: drivers present pixels and read
        // devices, and hold no UI (which screen is up, what is pressed, the words shown). C stays in here.
        .target(
            name: "Drivers",
            dependencies: [
                "Core",
                "CPCSC",
                "CCairo",
                "CQREncode",
                "CCups",
                "CLibUSB",
                "CLinuxIO",
                .product(name: "Logging", package: "swift-log"),
                // Locks that ThreadSanitizer sees (pthread mutexes): Synchronization.Mutex's Linux futex is invisible
                // to it, so every access under one was reported as a race (`make sanitize`).
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The provincial API's wire format (the contract in api/provincial-api.yaml as Swift types) and its request
        // signatures (RFC 9421 with Content-Digest): shared by the kiosk's client and kiosk-sim's reference server.
        .target(
            name: "ProvincialAPI",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "RawStructuredFieldValues", package: "swift-http-structured-headers"),
            ],
            swiftSettings: swiftSettings
        ),
        // The kiosk itself, as a library: configuration, the SQLite storage (registry, records, device state), the
        // provincial API client and its services, letters, and the runtime that feeds Core's state machine and
        // performs its effects. `KioskApp.services(settings)` wires it once: `kiosk run` and the tests start the kiosk
        // through it.
        .target(
            name: "KioskKit",
            dependencies: [
                "Core",
                "Drivers",
                "ProvincialAPI",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                // NIO's event loop times the waits with a limit (TimeLimit).
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // The `kiosk` executable: the technician CLI (run, doctor, status, enroll, ...), thin over KioskKit.
        .executableTarget(
            name: "Kiosk",
            dependencies: [
                "Core",
                "Drivers",
                "KioskKit",
                "ProvincialAPI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: swiftSettings
        ),
        // `record-load`: synthetic services captured through KioskKit's record store as fast as it can, for the crash
        // test and `make bench-records`. Not in the kiosk's package.
        .executableTarget(
            name: "RecordLoad",
            dependencies: [
                "Core",
                "Drivers",
                "KioskKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The wire formats kiosk-sim's virtual card reads (vpcd frames from pcscd, VSCard frames from QEMU): a
        // library of their own so that the fuzz targets reach them (an executable's code links into nothing else).
        .target(name: "VirtualCardWire", swiftSettings: swiftSettings),
        // `kiosk-sim`: the virtual devices and the scripted resident the demo and integration tests use.
        .executableTarget(
            name: "KioskSimulator",
            dependencies: [
                "Core",
                "VirtualCardWire",
                // Drivers/Graphics draws the virtual thermal printer's paper.
                "Drivers",
                "ProvincialAPI",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // What the test targets share: the process runner, temporary folders, pieces of kiosk.toml.
        .target(
            name: "TestSupport", dependencies: [.product(name: "NIOConcurrencyHelpers", package: "swift-nio")], path: "Tests/TestSupport",
            swiftSettings: swiftSettings),
        .testTarget(name: "CoreTests", dependencies: ["Core", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")], swiftSettings: swiftSettings),
        // Fixtures/screens holds the golden PNGs; the tests read them from the source tree (so that
        // KIOSK_UPDATE_SNAPSHOTS=1 can rewrite them), not as bundle resources.
        .testTarget(
            name: "DriversTests", dependencies: ["Drivers", "Core", .product(name: "NIOConcurrencyHelpers", package: "swift-nio")], exclude: ["Fixtures"], swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ProvincialAPITests",
            dependencies: ["ProvincialAPI", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SimulatorTests", dependencies: ["KioskSimulator", "VirtualCardWire", "Core"],
            swiftSettings: swiftSettings),
        // Every parser of untrusted bytes as a fuzz target (Fuzz/README.md): run by libFuzzer in `make fuzz`, and
        // their seeds and past findings replayed by FuzzTests in every `swift test`.
        .target(
            name: "FuzzTargets",
            dependencies: [
                "Core", "Drivers", "KioskKit", "ProvincialAPI", "VirtualCardWire",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Fuzz/Targets",
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "FuzzTests", dependencies: ["FuzzTargets"], swiftSettings: swiftSettings),
        // Against the real services `make test` starts (pcscd with the vpcd virtual reader, ...).
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Kiosk", "Drivers", "Core", "ProvincialAPI", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // Device recordings for umockdev (evdev/).
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "KioskTests",
            dependencies: [
                "Kiosk", "KioskKit", "Core", "Drivers", "ProvincialAPI", "TestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            ],
            resources: [.copy("Fixtures")],
            swiftSettings: swiftSettings
        ),
    ]
)

// `kiosk-fuzz`, the libFuzzer driver of the fuzz targets, exists only in the fuzz build (`KIOSK_FUZZ=1`, built by
// `make fuzz` with `-sanitize=fuzzer,address` under .build/fuzz): its main hands over to libFuzzer, which no other
// build links.
if Context.environment["KIOSK_FUZZ"] == "1" {
    package.targets += [
        .systemLibrary(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"),
        .executableTarget(
            name: "KioskFuzz", dependencies: ["FuzzTargets", "CLibFuzzer"], path: "Fuzz/Driver",
            swiftSettings: swiftSettings),
    ]
    package.products += [.executable(name: "kiosk-fuzz", targets: ["KioskFuzz"])]
}
