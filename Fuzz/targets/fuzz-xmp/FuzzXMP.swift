@testable import XMPSidecar

/// libFuzzer entry: the XML tree parser and the XMP reads and edits done on a parsed sidecar.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXMP(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard var packet = try? XMPPacket(parsing: bytes) else { return 0 }
    _ = packet.items(of: .subject)
    _ = packet.value(of: .source)
    packet.addItems(["fuzz tag"], to: .subject, container: .bag)
    let written = packet.serialized()
    // What Sluice writes it must read back.
    guard (try? XMPPacket(parsing: written)) != nil else { fatalError("a serialized packet does not parse again") }
    return 0
}
