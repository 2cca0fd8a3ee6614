import Foundation
import Testing
@testable import ServiceInstall

@Suite struct SystemdUnitTests {
    @Test(arguments: [
        "/home/mika/Sluice", "/tmp/a b/ü.x/-y/.z", "/srv/data-sets/", "//double//slash", "/", "/.hidden/x", "/a/b:c_d%e",
    ])
    func pathsEscapeExactlyAsSystemdEscapeDoes(path: String) throws {
        let reference = try ChildProcess.run("systemd-escape", ["--path", path])
        try #require(reference.status == 0, "\(reference.stderr)")
        #expect(SystemdPath.escape(path) == reference.stdout.trimmingCharacters(in: .newlines))
    }

    @Test func templateHoldsTheServiceFields() {
        let unit = SluiceUnit.template(executable: "/home/mika/.local/bin/sluice")
        let lines = Set(unit.split(separator: "\n").map(String.init))
        for field in [
            "Type=notify", "ExecStart=/home/mika/.local/bin/sluice watch %f", "ExecReload=/bin/kill -HUP $MAINPID",
            "Restart=on-failure", "RestartPreventExitStatus=78", "TimeoutStopSec=30", "TimeoutStartSec=300", "NoNewPrivileges=yes", "PrivateTmp=yes",
            "ProtectSystem=strict", "ReadWritePaths=%f", "WantedBy=default.target",
        ] {
            #expect(lines.contains(field), "missing \(field)")
        }
        // After=default.target with WantedBy=default.target is an ordering cycle (systemd.target(5)).
        #expect(!unit.contains("After=default.target"))
    }

    @Test func pathsWithSpacesAndPercentSignsStayOneWord() {
        #expect(SluiceUnit.template(executable: "/opt/my tools/sluice").contains(#"ExecStart="/opt/my tools/sluice" watch %f"#))
        #expect(SluiceUnit.template(executable: "/opt/100%/sluice").contains("ExecStart=/opt/100%%/sluice watch %f"))
        #expect(SluiceUnit.pathsDropIn(writablePaths: ["/home/m/Downloads", "/mnt/my files"])
            .contains(#"ReadWritePaths=-/home/m/Downloads "-/mnt/my files""#))
    }

    @Test func generatedInstancePassesSystemdAnalyzeVerify() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanup() }
        let units = try scratch.folder("units")
        let root = try scratch.folder("my root-1")
        try scratch.write("units/sluice@.service", SluiceUnit.template(executable: ChildProcess.sluiceExecutable))
        let instance = units + "/" + SluiceUnit.instanceName(root: root)
        let result = try SystemdAnalyze.verify(instance, runtimeDirectory: try scratch.folder("runtime"))
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.isEmpty, "systemd-analyze warned: \(result.stderr)")
    }

    @Test func verifyCatchesABrokenUnit() throws {
        let scratch = try ScratchFolder()
        defer { scratch.cleanup() }
        try scratch.write("units/sluice@.service", SluiceUnit.template(executable: "/nonexistent/sluice"))
        let result = try SystemdAnalyze.verify(scratch.path + "/units/sluice@x.service", runtimeDirectory: try scratch.folder("runtime"))
        #expect(result.status != 0)
        #expect(result.stderr.contains("/nonexistent/sluice"))
    }
}

/// `systemd-analyze verify` in user mode; it needs no running manager, only a runtime folder.
enum SystemdAnalyze {
    static func verify(_ unitFile: String, runtimeDirectory: String, manualPath: String? = nil) throws -> ChildProcess {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_RUNTIME_DIR"] = runtimeDirectory
        environment["SYSTEMD_LOG_COLOR"] = "0"
        // Documentation=man:sluice(1) is checked with man(1) only when the page is installed (MANPATH given).
        var arguments = ["--user", "verify", unitFile]
        if let manualPath { environment["MANPATH"] = manualPath } else { arguments.insert("--man=no", at: 1) }
        return try ChildProcess.run("systemd-analyze", arguments, environment: environment)
    }
}

@Suite struct DocumentedUnitTests {
    /// The settings of a unit: every line that is not a comment or blank, ExecStart left out (its path differs).
    private func settings(_ unit: String) -> [String] {
        unit.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.hasPrefix("ExecStart=") }
    }

    @Test func documentedTemplateMatchesTheGeneratedOne() throws {
        let documented = try String(
            contentsOf: ChildProcess.repository.appendingPathComponent("config/sluice.service"), encoding: .utf8)
        #expect(settings(documented) == settings(SluiceUnit.template(executable: "/x/sluice")))
        #expect(documented.contains("\nExecStart=%h/.local/bin/sluice watch %f\n"))
    }
}
