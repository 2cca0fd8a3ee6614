import Foundation
import Testing
@testable import ServiceInstall

/// scripts/install.sh into a temporary prefix, then the installed binary used as a new user would: HOME an empty
/// folder, the current folder `/`, no checkout and no environment variable pointing at presets.
/// The install reuses the test build (`--binary`) so the test does not wait for a release build; the completions
/// and the man page still come from the installed binary and argument-parser's generator.
@Suite(.serialized) struct InstalledSluiceTests {
    let scratch: ScratchFolder
    let prefix: String
    let home: String

    init() throws {
        scratch = try ScratchFolder()
        prefix = try scratch.folder("prefix")
        home = try scratch.folder("home")
    }

    /// A clean environment: no SLUICE_*, no XDG_*, no user manager (an empty runtime folder and no bus).
    private func userEnvironment(_ extra: [String: String] = [:]) throws -> [String: String] {
        var environment = ["HOME": home, "PATH": "\(prefix)/bin:/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8"]
        environment["XDG_RUNTIME_DIR"] = try scratch.folder("runtime")
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    private func sluice(_ arguments: [String], _ extra: [String: String] = [:]) throws -> ChildProcess {
        try ChildProcess.run(prefix + "/bin/sluice", arguments, environment: try userEnvironment(extra), directory: "/")
    }

    private func install() throws {
        let script = ChildProcess.repository.appendingPathComponent("scripts/install.sh").path
        let result = try ChildProcess.run(script, ["--prefix", prefix, "--binary", ChildProcess.sluiceExecutable])
        try #require(result.status == 0, "install.sh failed: \(result.stdout)\(result.stderr)")
    }

    @Test func installedBinaryWorksFromAnyFolderWithBuiltInPresets() throws {
        defer { scratch.cleanup() }
        try install()
        for file in [
            "bin/sluice", "share/man/man1/sluice.1", "share/bash-completion/completions/sluice",
            "share/zsh/site-functions/_sluice", "share/fish/vendor_completions.d/sluice.fish",
        ] {
            let size = (try FileManager.default.attributesOfItem(atPath: "\(prefix)/\(file)")[.size] as? Int) ?? 0
            #expect(size > 200, "\(file) is \(size) bytes")
        }
        #expect(try scratch.read("prefix/share/bash-completion/completions/sluice").contains("presets"))
        #expect(try scratch.read("prefix/share/zsh/site-functions/_sluice").hasPrefix("#compdef sluice"))
        #expect(try scratch.read("prefix/share/fish/vendor_completions.d/sluice.fish").contains("complete -c 'sluice'"))

        let manual = try ChildProcess.run("man", ["-l", "\(prefix)/share/man/man1/sluice.1"], environment: ["MANWIDTH": "100", "PATH": "/usr/bin:/bin", "MANPAGER": "cat", "PAGER": "cat"])
        #expect(manual.status == 0, "\(manual.stderr)")
        #expect(manual.stdout.contains("SYNOPSIS") && manual.stdout.contains("presets") && manual.stdout.contains("service"), "\(manual.stdout.prefix(500))")

        let version = try sluice(["--version"])
        #expect(version.stdout.hasPrefix("0.1.0 (commit"), "\(version.stdout)")

        // Built-ins, from `/` with an empty HOME.
        let list = try sluice(["presets", "list"])
        #expect(list.status == 0, "\(list.stderr)")
        for name in ["anime", "manga", "manhwa"] {
            #expect(list.stdout.split(separator: "\n").contains { $0.hasPrefix(name) && $0.hasSuffix(" built-in") }, "\(list.stdout)")
        }
        #expect(!list.stdout.contains("shadows"))

        // normalize with the built-in anime preset.
        let dataset = try scratch.folder("dataset")
        try scratch.write("dataset/a.txt", "highres, 1girl, blond_hair, solo")
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: URL(fileURLWithPath: dataset + "/a.png"))
        let normalized = try sluice(["normalize", dataset, "--preset", "anime"])
        #expect(normalized.status == 0, "\(normalized.stdout)\(normalized.stderr)")
        let caption = try scratch.read("dataset/a.txt")
        #expect(!caption.contains("highres") && caption.contains("1girl") && caption.contains("blonde hair"), "\(caption)")

        // A preset in $XDG_CONFIG_HOME/sluice/presets shadows the built-in and is marked.
        let config = try scratch.folder("config")
        try scratch.write("config/sluice/presets/anime.json", #"{"extends": "anime", "description": "my anime"}"#)
        let shadowed = try sluice(["presets", "list"], ["XDG_CONFIG_HOME": config])
        let animeLine = shadowed.stdout.split(separator: "\n").first { $0.hasPrefix("anime") }.map(String.init) ?? ""
        #expect(animeLine.contains("\(config)/sluice/presets/anime.json") && animeLine.contains("[shadows built-in]"), "\(shadowed.stdout)")
        #expect(shadowed.stdout.contains("my anime"))
        #expect(try sluice(["presets", "show", "anime"], ["XDG_CONFIG_HOME": config]).stdout.contains("my anime"))

        // uninstall.sh removes every installed file.
        let uninstall = try ChildProcess.run(
            ChildProcess.repository.appendingPathComponent("scripts/uninstall.sh").path, ["--prefix", prefix],
            environment: try userEnvironment())
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        #expect(!FileManager.default.fileExists(atPath: prefix + "/bin/sluice"))
        #expect(!FileManager.default.fileExists(atPath: prefix + "/share/man/man1/sluice.1"))
    }

    @Test func serviceInstallWithoutAUserManagerWritesTheUnitAndPrintsTheCommands() throws {
        defer { scratch.cleanup() }
        try install()
        let root = try scratch.folder("roots/my Sluice")
        let downloads = try scratch.folder("Downloads")
        #expect(try sluice(["init", root]).status == 0)
        let configFile = URL(fileURLWithPath: root + "/sluice.yaml")
        var config = try String(contentsOf: configFile, encoding: .utf8)
        config = config.replacingOccurrences(of: "extra_dirs: []", with: "extra_dirs: [\"\(downloads)\"]")
        try config.write(to: configFile, atomically: true, encoding: .utf8)

        let installed = try sluice(["service", "install", root])
        #expect(installed.status == 0, "\(installed.stdout)\(installed.stderr)")
        let instance = SluiceUnit.instanceName(root: root)
        #expect(installed.stdout.contains("systemctl --user daemon-reload"), "\(installed.stdout)")
        #expect(installed.stdout.contains("systemctl --user enable --now '\(instance)'"), "\(installed.stdout)")
        #expect(installed.stdout.contains("journalctl --user -u '\(instance)'"))

        let units = home + "/.config/systemd/user"
        let template = try String(contentsOfFile: units + "/sluice@.service", encoding: .utf8)
        #expect(template.contains("ExecStart=\(prefix)/bin/sluice watch %f"))
        #expect(config.contains(downloads), "the test set downloads.extra_dirs")
        let dropIn = try String(contentsOfFile: units + "/\(instance).d/paths.conf", encoding: .utf8)
        #expect(dropIn.contains("ReadWritePaths=-\(downloads)"))
        let verified = try SystemdAnalyze.verify(units + "/" + instance, runtimeDirectory: try scratch.folder("runtime"), manualPath: prefix + "/share/man")
        #expect(verified.status == 0 && verified.stderr.isEmpty, "\(verified.stdout)\(verified.stderr)")

        let status = try sluice(["service", "status", root])
        #expect(status.status == 0)
        #expect(status.stdout.contains("\(instance): not enabled"), "\(status.stdout)")

        let removed = try sluice(["service", "uninstall", root])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stdout.contains("systemctl --user disable --now '\(instance)'"), "\(removed.stdout)")
        #expect(!FileManager.default.fileExists(atPath: units + "/\(instance).d"))
        #expect(!FileManager.default.fileExists(atPath: units + "/sluice@.service"))
    }

    @Test func serviceInstallRefusesAFolderThatIsNotARoot() throws {
        defer { scratch.cleanup() }
        try install()
        let result = try sluice(["service", "install", try scratch.folder("not-a-root")])
        #expect(result.status != 0)
        #expect(result.stderr.contains("is not a Sluice root"), "\(result.stderr)")
    }
}
