/// sd_notify(3) datagrams to $NOTIFY_SOCKET; every call is a no-op when the variable is unset.
///
/// A stub with the agreed API (see the coordination contract): the service branch's file replaces it on merge.
public enum ServiceNotification {
    /// "READY=1\nSTATUS=<status>"
    public static func ready(status: String) {}
    /// "RELOADING=1\nMONOTONIC_USEC=<CLOCK_MONOTONIC µs>"
    public static func reloading() {}
    /// "STOPPING=1"
    public static func stopping() {}
    /// "STATUS=<text>"
    public static func status(_ text: String) {}
}
