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
    ],
    targets: [
        // C libraries: a module map and a shim header each; pointer work stays in one Swift file beside each user.
        .systemLibrary(name: "CLinux"),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
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
        // Zip writing (stored/deflated, zlib crc32) and safe reading of untrusted archives.
        .target(name: "ZipArchive", dependencies: ["CZlib", "SystemIO"]),
        // Image headers, decoding, EXIF orientation and perceptual hashes. Always optimized: its pixel loops run
        // 10-50x slower unoptimized, which would make debug test runs that hash thousands of images crawl.
        .target(name: "Imaging", dependencies: ["CImageCodecs", "SystemIO"], swiftSettings: [.unsafeFlags(["-O"])]),
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
        // HTTP over libcurl.
        .target(name: "HTTPClient", dependencies: ["CCurl"]),
        // Reverse image search and booru tags, cached in SQLite and paced to quota.
        .target(name: "ImageLookup", dependencies: ["HTTPClient", "CSQLite", "Hashing", "SystemIO"]),
        // The dataset pipeline's steps and the engine that drives jobs through them.
        .target(
            name: "Pipeline",
            dependencies: [
                "SystemIO", "Hashing", "ZipArchive", "Imaging", "ExifMetadata", "ResultMatching", "TagNormalization",
                "Configuration", "Jobs", "FolderWatch",
            ],
            // Swift 6.3.1 crashes optimizing this module ("reference to top-level declaration 'memset' broken by a
            // context change" while deserializing Data.init). The module only orchestrates I/O; the hot code it
            // calls (zip, hashing, decoding, normalization) lives in other modules and is optimized as usual.
            swiftSettings: [.unsafeFlags(["-Onone"], .when(configuration: .release))]),
        .executableTarget(
            name: "sluice",
            dependencies: [
                "Pipeline", "Configuration", "Jobs", "TagNormalization", "ImageLookup", "XMPSidecar",
                "ExifMetadata", "Imaging", "ZipArchive", "Hashing",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // The same Swift 6.3.1 optimizer crash as Pipeline; this target only parses arguments.
            swiftSettings: [.unsafeFlags(["-Onone"], .when(configuration: .release))]),

        // Benchmarks: each prints Sluice's figure beside a named peer's on the same input (release builds).
        .executableTarget(name: "bench-zip", dependencies: ["ZipArchive", "Imaging", "SystemIO"], path: "Benchmarks/bench-zip"),
        .executableTarget(name: "bench-phash", dependencies: ["Imaging", "ResultMatching"], path: "Benchmarks/bench-phash"),
        .executableTarget(
            name: "bench-normalize", dependencies: ["TagNormalization"], path: "Benchmarks/bench-normalize",
            exclude: ["peer_normalize.py", "generate_captions.py", "run.sh"]),
        .executableTarget(name: "bench-sidecar", dependencies: ["XMPSidecar", "ExifMetadata"], path: "Benchmarks/bench-sidecar"),
        .executableTarget(
            name: "bench-lookup", dependencies: ["ImageLookup", "HTTPClient", .product(name: "FlyingFox", package: "FlyingFox")],
            path: "Benchmarks/bench-lookup"),
        .executableTarget(name: "bench-neardup", dependencies: ["DuplicateSearch"], path: "Benchmarks/bench-neardup"),
        .executableTarget(name: "bench-clone", dependencies: ["SystemIO"], path: "Benchmarks/bench-clone"),
        .executableTarget(name: "bench-watch", dependencies: ["FolderWatch", "SystemIO"], path: "Benchmarks/bench-watch"),

        // A loopback HTTP/1.1 server for the HTTP and lookup tests (faults a real service shows: truncation, resets, delays).
        .target(name: "LoopbackHTTPServer", path: "Tests/Support/LoopbackHTTPServer"),
        .testTarget(name: "ResultMatchingTests", dependencies: ["ResultMatching"]),
        .testTarget(name: "DuplicateSearchTests", dependencies: ["DuplicateSearch"]),
        .testTarget(name: "HTTPClientTests", dependencies: ["HTTPClient", "LoopbackHTTPServer", .product(name: "FlyingFox", package: "FlyingFox")]),
        .testTarget(name: "SystemIOTests", dependencies: ["SystemIO"]),
        .testTarget(name: "HashingTests", dependencies: ["Hashing"]),
        .testTarget(name: "ZipArchiveTests", dependencies: ["ZipArchive", "SystemIO"]),
        .testTarget(name: "ImagingTests", dependencies: ["Imaging", "ExifMetadata"]),
        .testTarget(name: "ExifMetadataTests", dependencies: ["ExifMetadata", "Imaging", "CExif", "CImageCodecs"]),
        .testTarget(name: "XMPSidecarTests", dependencies: ["XMPSidecar"]),
        .testTarget(name: "TagNormalizationTests", dependencies: ["TagNormalization"]),
        .testTarget(name: "ConfigurationTests", dependencies: ["Configuration"]),
        .testTarget(name: "JobsTests", dependencies: ["Jobs"]),
        .testTarget(name: "FolderWatchTests", dependencies: ["FolderWatch", "SystemIO"]),
        .testTarget(
            name: "ImageLookupTests",
            dependencies: ["ImageLookup", "HTTPClient", "LoopbackHTTPServer", .product(name: "FlyingFox", package: "FlyingFox")]),
        .testTarget(
            name: "PipelineTests",
            dependencies: ["Pipeline", "Configuration", "Jobs", "ZipArchive", "Imaging", "SystemIO"]),
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
