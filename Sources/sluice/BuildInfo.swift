#if !SLUICE_BUILD_INFO
/// Where this binary came from. scripts/install.sh writes BuildInfo+Generated.swift with the git commit and builds
/// with `-DSLUICE_BUILD_INFO`; a plain `swift build` uses this fallback.
enum BuildInfo {
    static let commit = "commit unknown: built without scripts/install.sh"
}
#endif
