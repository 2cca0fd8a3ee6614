import Foundation
import Glibc
import RsyncDaemon

/// A real OpenSSH server on 127.0.0.1 with generated host and user keys, for `host:path` syncs; stopped by pid.
final class LoopbackSSHServer {
    let port: Int
    let sshCommand: String
    private let pidFile: String

    init(base: String) throws {
        port = try RsyncDaemon.freePort()
        for key in ["host_key", "user_key"] {
            let (status, output) = try shell(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", base + "/" + key])
            guard status == 0 else { throw POSIXError(.EIO, userInfo: [NSLocalizedDescriptionKey: output]) }
        }
        try FileManager.default.copyItem(atPath: base + "/user_key.pub", toPath: base + "/authorized_keys")
        try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(base)/host_key
            AuthorizedKeysFile \(base)/authorized_keys
            PermitRootLogin prohibit-password
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            UsePAM no
            StrictModes no
            PidFile \(base)/sshd.pid

            """
        try Data(config.utf8).write(to: URL(fileURLWithPath: base + "/sshd_config"))
        // sshd daemonizes (its parent exits at once) and is stopped by the pid in its pid file: a long-lived child
        // of this process would make Foundation's child reaping wait on it.
        pidFile = base + "/sshd.pid"
        let (status, output) = try shell(["/usr/sbin/sshd", "-f", base + "/sshd_config", "-E", base + "/sshd.log"])
        guard status == 0 else { throw POSIXError(.EIO, userInfo: [NSLocalizedDescriptionKey: output]) }
        sshCommand = "ssh -p \(port) -i \(base)/user_key -o BatchMode=yes -o StrictHostKeyChecking=no "
            + "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR"
        let port = self.port
        guard waitUntil(10, { RsyncDaemon.accepts(port: port) }) else {
            stop()
            throw POSIXError(.ECONNREFUSED)
        }
    }

    func stop() {
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8), let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        else { return }
        kill(pid, SIGTERM)
    }

    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") }
}
