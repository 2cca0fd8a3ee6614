import Foundation
import Testing
@testable import ServiceInstall

/// `sluice service` when a user manager answers. No systemd user manager can run in the test machine (no
/// systemd as PID 1, no session bus), so a `systemctl` script early on PATH stands in for it: it records each
/// call and fails the calls named in $FAIL_ON, as the real one would exit non-zero.
@Suite struct ReachableUserManagerTests {
    let scratch: ScratchFolder
    let root: String

    init() throws {
        scratch = try ScratchFolder()
        root = try scratch.folder("root")
        try scratch.write("bin/systemctl", """
            #!/bin/sh
            echo "$*" >> "\(scratch.path)/calls"
            case " $* " in *" $FAIL_ON "*) echo "Job for unit failed." >&2; exit 1 ;; esac
            [ "$2" = is-active ] && echo active
            exit 0
            """)
        chmod(scratch.path + "/bin/systemctl", 0o755)
    }

    private func sluice(_ arguments: [String], failOn: String = "never") throws -> ChildProcess {
        let environment = [
            "HOME": try scratch.folder("home"), "PATH": "\(scratch.path)/bin:/usr/bin:/bin", "FAIL_ON": failOn,
        ]
        return try ChildProcess.run(ChildProcess.sluiceExecutable, arguments, environment: environment, directory: "/")
    }

    private var calls: [String] {
        ((try? scratch.read("calls")) ?? "").split(separator: "\n").map(String.init).filter { $0 != "--user show-environment" }
    }

    @Test func installReloadsThenEnablesAndStartsTheInstance() throws {
        defer { scratch.cleanup() }
        #expect(try sluice(["init", root]).status == 0)
        let instance = SluiceUnit.instanceName(root: root)
        let installed = try sluice(["service", "install", root])
        #expect(installed.status == 0, "\(installed.stderr)")
        #expect(calls == ["--user daemon-reload", "--user enable --now \(instance)"])
        #expect(installed.stdout.contains("Enabled and started"), "\(installed.stdout)")

        // enable links the instance into default.target.wants (the fake does not, so do it as systemctl would).
        let wants = try scratch.folder("home/.config/systemd/user/default.target.wants")
        try FileManager.default.createSymbolicLink(atPath: wants + "/" + instance, withDestinationPath: "../sluice@.service")
        let status = try sluice(["service", "status"])
        #expect(status.stdout.contains("\(instance): enabled, active"), "\(status.stdout)")
    }

    @Test func aFailingSystemctlFailsTheCommandWithItsMessage() throws {
        defer { scratch.cleanup() }
        #expect(try sluice(["init", root]).status == 0)
        let installed = try sluice(["service", "install", root], failOn: "enable")
        #expect(installed.status != 0)
        #expect(installed.stderr.contains("enable --now") && installed.stderr.contains("Job for unit failed."), "\(installed.stderr)")
    }
}
