// swift-tools-version: 6.1
import PackageDescription

/// One module per concern; the executable `sluice` only parses arguments and wires modules together.
let package = Package(
    name: "Sluice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "sluice", targets: ["sluice"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    ],
    targets: [
        // C libraries: a module map and a shim header each; pointer work stays in one Swift file beside each user.
        // A shim's inline function must not call libc (`memset`, …): Swift 6.3.1's optimizer then crashes in every
        // module importing the shim that inlines Foundation's `Data.init` ("reference to top-level declaration
        // 'memset' broken by a context change"). Use initializers such as `= {0}` instead.
        .systemLibrary(name: "CLinux"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev", "libdeflate-dev"])]),
        .systemLibrary(name: "CCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CExif", pkgConfig: "libexif", providers: [.apt(["libexif-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(
            name: "CImageCodecs", pkgConfig: "libturbojpeg",
            providers: [.apt(["libturbojpeg0-dev", "libpng-dev", "libwebp-dev"])]),

        // Syscalls (flock, fsync, rename, statfs, inotify) as typed Swift, in one place.
        .target(name: "SystemIO", dependencies: ["CLinux"]),
        // SHA-256 and MD5 of files, through libcrypto.
        .target(name: "Hashing", dependencies: ["CCrypto", "SystemIO"]),
        // Zip writing (stored/deflated, libdeflate crc32, SHA-256 of each entry while it streams) and safe reading of
        // untrusted archives.
        .target(name: "ZipArchive", dependencies: ["CZlib", "SystemIO", "Hashing"]),
        // Image headers, decoding, EXIF orientation and perceptual hashes. Always optimized: its pixel loops run
        // 10-50x slower unoptimized, which would make debug test runs that hash thousands of images crawl.
        .target(name: "Imaging", dependencies: ["CImageCodecs", "SystemIO", "Hashing"], swiftSettings: [.unsafeFlags(["-O"])]),
        // Maps an auto-tagger's renamed result entries back to the uploaded originals (pure).
        .target(name: "ResultMatching"),
        // Near-duplicate pairs among perceptual hashes, sub-quadratic with a cap on pairs kept (pure).
        .target(name: "DuplicateSearch"),
        // EXIF facts through libexif.
        .target(name: "ExifMetadata", dependencies: ["CExif", "SystemIO"]),
        // XMP sidecars: parse, merge, write.
        .target(name: "XMPSidecar", dependencies: ["SystemIO"]),
        // Caption parsing, presets, tag normalization (pure).
        .target(name: "TagNormalization", dependencies: ["SystemIO"]),
        // sluice.yaml: defaults, parsing with file/line/column errors.
        .target(name: "Configuration", dependencies: ["Yams"]),
        // Job model, pure state machine, job store on disk.
        .target(name: "Jobs", dependencies: ["SystemIO"]),
        // inotify watcher, settle tracking, polling on network file systems.
        .target(name: "FolderWatch", dependencies: ["SystemIO"]),
        // Log lines through swift-log: time, level and job on a terminal; sd-daemon priority prefixes under journald.
        .target(name: "SluiceLogging", dependencies: [.product(name: "Logging", package: "swift-log")]),
        // systemd user units for `sluice service`: the unit text, path escaping, and systemctl.
        .target(name: "ServiceInstall"),
        // HTTP over libcurl.
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        // One SQLite connection type over the CSQLite shim, shared by the lookup cache and the learned corrections.
        .target(name: "SQLiteStorage", dependencies: ["CSQLite"]),
        // Reverse image search and booru tags, cached in SQLite and paced to quota.
        // Built-in content analysis (no model) on the pixels decoded for the perceptual hash. Optimized like Imaging.
        .target(
            name: "ContentAnalysis", dependencies: ["Imaging", "ExifMetadata", "Configuration"],
            swiftSettings: [.unsafeFlags(["-O"])]),
        // External analyzers (long-lived JSON-lines processes) and the folder captioner for `pipeline.autotag: local`.
        .target(name: "ImageAnalyzers", dependencies: ["ContentAnalysis", "Configuration", "Hashing", "Imaging", "ExifMetadata", "SystemIO"]),
        .target(name: "ImageLookup", dependencies: ["HTTPClient", "SQLiteStorage", "Hashing", "SystemIO"]),
        // Categories learned from the user's moves inside final/: the model, the corrections store, the move watcher.
        .target(name: "CategoryLearning", dependencies: ["SQLiteStorage", "SystemIO", "Hashing", "Configuration"]),
        // rsync of final/ to a NAS: arguments, deletion cap, retries, verification, progress.
        .target(name: "NASSync", dependencies: ["FolderWatch", "Configuration"]),
        // The library profile's stages (scan, analyze, lookup, review, sidecar, categorize, organize, sync) with a per-image checkpoint.
        .target(
            name: "Library",
            dependencies: [
                "Configuration", "ImageLookup", "HTTPClient", "XMPSidecar", "Imaging", "ExifMetadata", "Hashing", "SystemIO",
                "TagNormalization", "ContentAnalysis", "ImageAnalyzers", "CategoryLearning", "NASSync",
            ]),
        // Terminal screens: raw mode, alternate screen, keys, resize, thumbnails (kitty, iTerm2, sixel, half blocks).
        .target(name: "TerminalUI", dependencies: ["Imaging"], swiftSettings: [.unsafeFlags(["-O"])]),
        // The review model (images, tags, decisions, undo) and its files (atomic writes, noticing other writers).
        .target(name: "ReviewSession", dependencies: ["SystemIO", "Jobs", "Imaging"]),
        // `sluice review`'s interactive screen.
        .target(name: "ReviewScreen", dependencies: ["TerminalUI", "ReviewSession", "Imaging", "ExifMetadata"]),
        // The dataset pipeline's steps and the engine that drives jobs through them.
        .target(
            name: "Pipeline",
            dependencies: [
                "SystemIO", "Hashing", "ZipArchive", "Imaging", "ExifMetadata", "ResultMatching", "TagNormalization",
                "Configuration", "Jobs", "FolderWatch", "DuplicateSearch", "ImageAnalyzers", "Library", "ImageLookup",
                "HTTPClient", "CategoryLearning", "NASSync",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "Pipeline", "Library", "Configuration", "Jobs", "TagNormalization", "ImageLookup", "XMPSidecar",
                "ExifMetadata", "Imaging", "ZipArchive", "Hashing", "SystemIO", "SluiceLogging", "ServiceInstall",
                "CategoryLearning", "NASSync", "ReviewSession", "ReviewScreen", "TerminalUI",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Benchmarks: each prints Sluice's figure beside a named peer's on the same input (release builds).
        .executableTarget(name: "bench-zip", dependencies: ["ZipArchive", "Imaging", "SystemIO"], path: "Benchmarks/bench-zip"),
        .executableTarget(name: "bench-phash", dependencies: ["Imaging", "ResultMatching"], path: "Benchmarks/bench-phash", exclude: ["run.sh"]),
        .executableTarget(
            name: "bench-normalize", dependencies: ["TagNormalization"], path: "Benchmarks/bench-normalize",
            exclude: ["peer_normalize.py", "generate_captions.py", "run.sh"]),
        .executableTarget(name: "bench-sidecar", dependencies: ["XMPSidecar", "ExifMetadata", "Imaging"], path: "Benchmarks/bench-sidecar"),
        .executableTarget(
            name: "bench-lookup", dependencies: ["ImageLookup", "HTTPClient", .product(name: "FlyingFox", package: "FlyingFox")],
            path: "Benchmarks/bench-lookup"),
        .executableTarget(
            name: "bench-analysis", dependencies: ["ContentAnalysis", "ImageAnalyzers", "Imaging", "ExifMetadata", "Configuration"],
            path: "Benchmarks/bench-analysis", exclude: ["peer_analysis.py", "direct_wd14.py"]),
        .executableTarget(
            name: "bench-library", dependencies: ["Library", "Configuration", "ImageLookup", "HTTPClient", "Imaging", "Hashing", "LookupFakes"],
            path: "Benchmarks/bench-library"),
        .executableTarget(name: "bench-review", dependencies: ["TerminalUI", "ReviewScreen", "Imaging"], path: "Benchmarks/bench-review"),
        .executableTarget(name: "bench-neardup", dependencies: ["DuplicateSearch"], path: "Benchmarks/bench-neardup"),
        .executableTarget(name: "bench-clone", dependencies: ["SystemIO"], path: "Benchmarks/bench-clone"),
        .executableTarget(name: "bench-watch", dependencies: ["FolderWatch", "SystemIO"], path: "Benchmarks/bench-watch"),
        .executableTarget(name: "bench-sync", dependencies: ["NASSync"], path: "Benchmarks/bench-sync"),

        // A loopback HTTP/1.1 server for the HTTP and lookup tests (faults a real service shows: truncation, resets, delays).
        .target(name: "LoopbackHTTPServer", path: "Tests/Support/LoopbackHTTPServer"),
        // Loopback fakes of Danbooru, SauceNAO, IQDB and Gelbooru with the real services' answers and quirks.
        .target(name: "LookupFakes", dependencies: ["LoopbackHTTPServer", "HTTPClient", "ImageLookup"], path: "Tests/Support/LookupFakes"),
        // A manual clock for driving the engine's timers in process.
        .target(name: "TestClock", path: "Tests/Support/TestClock"),
        // Runs a real command-line tool from a test and collects its output.
        .target(name: "ToolRun", path: "Tests/Support/ToolRun"),
        .target(name: "ExiftoolReader", path: "Tests/Support/ExiftoolReader"),
        .testTarget(name: "ResultMatchingTests", dependencies: ["ResultMatching", "Imaging"]),
        .testTarget(name: "DuplicateSearchTests", dependencies: ["DuplicateSearch", "Imaging"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "LoopbackHTTPServer", .product(name: "FlyingFox", package: "FlyingFox")]),
        // A real Unix datagram socket standing in for systemd's notify socket.
        .target(name: "NotifySocketListener", path: "Tests/Support/NotifySocketListener"),
        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO", "NotifySocketListener"]),
        .testTarget(name: "SluiceLoggingTests", dependencies: ["SluiceLogging", .product(name: "Logging", package: "swift-log")]),
        // The installed binary, the generated unit, and the daemon's readiness notifications (run the real `sluice`).
        .testTarget(name: "ServiceInstallTests", dependencies: ["ServiceInstall", "SystemIO", "NotifySocketListener"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(name: "ZipArchiveTests", dependencies: ["ZipArchive", "SystemIO", "Hashing", "ToolRun"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "ExifMetadata", "Hashing"]),
        .testTarget(name: "ExifMetadataTests", dependencies: ["ExifMetadata", "Imaging", "CExif", "CImageCodecs"]),
        .testTarget(name: "XMPSidecarTests", dependencies: ["XMPSidecar", "Imaging"]),
        .testTarget(name: "TagNormalizationTests", dependencies: ["TagNormalization", "Imaging"]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration"]),
        .testTarget(name: "JobsTests", dependencies: ["Jobs"]),
        .testTarget(name: "ContentAnalysisTests", dependencies: ["ContentAnalysis", "Imaging", "ExifMetadata", "Configuration"]),
        .testTarget(name: "ImageAnalyzersTests", dependencies: ["ImageAnalyzers", "ContentAnalysis", "Imaging", "Configuration"]),
        .testTarget(name: "FolderWatchTests", dependencies: ["FolderWatch", "SystemIO"]),
        .testTarget(
            name: "ImageLookupTests",
            dependencies: ["ImageLookup", "HTTPClient", "LoopbackHTTPServer", "LookupFakes", .product(name: "FlyingFox", package: "FlyingFox")]),
        // A real `rsync --daemon` on loopback for the sync tests.
        .target(name: "RsyncDaemon", path: "Tests/Support/RsyncDaemon"),
        .testTarget(name: "NASSyncTests", dependencies: ["NASSync", "RsyncDaemon", "ToolRun"]),
        // A generated stream of tagged images with a hidden placement rule, and the user's `mv`s, for the learning tests.
        .target(name: "LearningStream", dependencies: ["CategoryLearning", "Imaging"], path: "Tests/Support/LearningStream"),
        .testTarget(name: "CategoryLearningTests", dependencies: ["CategoryLearning", "Hashing", "SystemIO", "LearningStream"]),
        .testTarget(
            name: "LibraryTests",
            dependencies: [
                "Library", "LookupFakes", "LoopbackHTTPServer", "Configuration", "ImageLookup", "HTTPClient", "XMPSidecar", "Imaging",
                "Hashing", "ContentAnalysis", "CategoryLearning", "NASSync", "RsyncDaemon", "ExiftoolReader",
            ]),
        .testTarget(name: "ReviewTests", dependencies: ["ReviewSession", "ReviewScreen", "TerminalUI", "Jobs", "Imaging"]),
        .testTarget(
            name: "PipelineTests",
            dependencies: [
                "Pipeline", "Configuration", "Jobs", "ZipArchive", "Imaging", "SystemIO", "TestClock", "Library", "LookupFakes",
                "LoopbackHTTPServer", "ImageLookup", "HTTPClient", "Hashing", "XMPSidecar", "ExiftoolReader", "ToolRun",
                "CategoryLearning", "LearningStream",
            ]),
    ]
)

// Fuzz targets (libFuzzer, `scripts/fuzz.sh`): declared only when SLUICE_FUZZ is set, so a plain `swift build` or
// `swift test` never compiles them. Each is one `LLVMFuzzerTestOneInput` over one parser of untrusted input.
if Context.environment["SLUICE_FUZZ"] != nil {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("fuzz-zip", ["ZipArchive"]), ("fuzz-xmp", ["XMPSidecar"]), ("fuzz-caption", ["TagNormalization"]),
        ("fuzz-preset", ["TagNormalization"]), ("fuzz-config", ["Configuration"]), ("fuzz-exif", ["ExifMetadata"]),
        ("fuzz-saucenao", ["ImageLookup"]), ("fuzz-iqdb", ["ImageLookup"]),
    ]
    package.targets.append(.systemLibrary(name: "CFuzzerDriver", path: "Fuzz/CFuzzerDriver"))
    for target in fuzzTargets {
        package.products.append(.executable(name: target.name, targets: [target.name]))
        package.targets.append(
            .executableTarget(
                name: target.name, dependencies: target.dependencies + ["CFuzzerDriver"], path: "Fuzz/targets/\(target.name)",
                // The entry point is `<target>_main` calling LLVMFuzzerRunDriver (see Fuzz/CFuzzerDriver/shim.h).
                swiftSettings: [.unsafeFlags(["-parse-as-library"])]))
    }
}
