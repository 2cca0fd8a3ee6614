import Foundation

/// The systemd user units `sluice service install` writes: a template `sluice@.service` whose instance is a
/// root's escaped path, and a drop-in per root for the extra download folders it must be allowed to write.
public enum SluiceUnit {
    /// The template's file name.
    public static let templateName = "sluice@.service"

    /// `sluice@<escaped root>.service`.
    public static func instanceName(root: String) -> String {
        "sluice@\(SystemdPath.escape(root)).service"
    }

    /// The template unit: `%f` is the root (the instance name unescaped, with its leading `/`).
    ///
    /// - Parameter executable: the absolute path of the `sluice` binary.
    public static func template(executable: String) -> String {
        """
        # Sluice, one instance per root: sluice@<root as `systemd-escape --path` writes it>.service.
        # Written by `sluice service install ROOT`; `sluice service uninstall ROOT` removes it.
        #   systemctl --user reload sluice@<root>     # SIGHUP: reload sluice.yaml
        #   journalctl --user -u sluice@<root> -f     # the log; add -p warning for warnings and errors only
        [Unit]
        Description=Sluice for %f
        Documentation=man:sluice(1)

        [Service]
        # READY=1 once every root is watched and reconciled; RELOADING=1 … READY=1 around a reload.
        Type=notify
        NotifyAccess=main
        ExecStart=\(quoted(executable)) watch %f
        ExecReload=/bin/kill -HUP $MAINPID
        # SIGTERM saves state and exits 0; jobs continue where they were on the next start.
        KillSignal=SIGTERM
        # Readiness waits for the start-up scan of every root, which a large root makes slower than the default 90 s.
        TimeoutStartSec=300
        TimeoutStopSec=30
        Restart=on-failure
        RestartSec=5
        # 78 (EX_CONFIG) is a configuration error: restarting cannot fix it, so do not loop.
        RestartPreventExitStatus=78
        NoNewPrivileges=yes
        PrivateTmp=yes
        # Everything read-only except the root (state, inbox, review, final, downloads); extra download folders
        # are added per root in sluice@<root>.service.d/paths.conf.
        ProtectSystem=strict
        ReadWritePaths=%f

        [Install]
        WantedBy=default.target

        """
    }

    /// The per-root drop-in making the root's extra download folders writable; a folder that does not exist
    /// is skipped (`-`) rather than failing the start.
    public static func pathsDropIn(writablePaths: [String]) -> String {
        """
        # Written by `sluice service install`: the download folders sluice.yaml lists outside the root.
        [Service]
        ReadWritePaths=\(writablePaths.map { quoted("-" + $0) }.joined(separator: " "))

        """
    }

    /// A path as one systemd command-line word: quoted when it holds a space, quotes or backslashes;
    /// `%` doubled so it is not read as a specifier.
    static func quoted(_ path: String) -> String {
        let specifierSafe = path.replacingOccurrences(of: "%", with: "%%")
        guard specifierSafe.contains(where: { $0 == " " || $0 == "\"" || $0 == "\\" || $0 == "'" }) else { return specifierSafe }
        return "\"" + specifierSafe.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
