import Foundation
import Glibc
import Synchronization

/// A tiny HTTP/1.1 server on 127.0.0.1 with a random port, whose handler decides each answer, including broken ones
/// (slow, truncated, closed without answering) that a polite framework would not let us send.
public final class LoopbackServer: @unchecked Sendable {
    /// A request as the server read it.
    public struct Request: Sendable {
        public var method: String
        /// The path with its query string.
        public var target: String
        public var headers: [(name: String, value: String)]
        public var body: Data

        public var path: String { String(target.split(separator: "?", maxSplits: 1).first ?? "") }

        public func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }

        /// The query's items, percent-decoded (repeated names keep the last value).
        public var query: [String: String] {
            guard let components = URLComponents(string: "http://x\(target)") else { return [:] }
            var items: [String: String] = [:]
            for item in components.queryItems ?? [] { items[item.name] = item.value ?? "" }
            return items
        }

        /// The parts of a multipart/form-data body, in order.
        public var formParts: [FormPart] {
            guard let type = header("Content-Type"), let range = type.range(of: "boundary=") else { return [] }
            let boundary = Data(("--" + type[range.upperBound...].trimmingCharacters(in: .init(charactersIn: "\" "))).utf8)
            var parts: [FormPart] = []
            var chunks: [Data] = []
            var searchStart = body.startIndex
            var previous: Int?
            while let found = body.range(of: boundary, in: searchStart..<body.endIndex) {
                if let previous { chunks.append(body[previous..<found.lowerBound]) }
                previous = found.upperBound
                searchStart = found.upperBound
            }
            for chunk in chunks {
                var content = Data(chunk)
                if content.starts(with: Data("\r\n".utf8)) { content.removeFirst(2) }
                guard let split = content.range(of: Data("\r\n\r\n".utf8)) else { continue }
                let head = String(decoding: content[..<split.lowerBound], as: UTF8.self)
                var value = Data(content[split.upperBound...])
                if value.suffix(2) == Data("\r\n".utf8) { value.removeLast(2) }
                let name = head.firstMatch(of: /name="([^"]*)"/).map { String($0.1) } ?? ""
                let filename = head.firstMatch(of: /filename="([^"]*)"/).map { String($0.1) }
                parts.append(FormPart(name: name, filename: filename, data: value))
            }
            return parts
        }
    }

    public struct FormPart: Sendable {
        public var name: String
        public var filename: String?
        public var data: Data
        public var text: String { String(decoding: data, as: UTF8.self) }
    }

    /// How to answer one request.
    public indirect enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)] = [], body: Data = Data())
        /// Declares `declaredLength` bytes but sends only `body`, then closes.
        case truncated(status: Int, declaredLength: Int, body: Data)
        /// Closes the connection without a word.
        case close
        /// Waits, then answers (the wait ends early when the server stops).
        case delayed(seconds: Double, then: Reply)

        public static func json(_ text: String, status: Int = 200) -> Reply {
            .respond(status: status, headers: [("Content-Type", "application/json; charset=utf-8")], body: Data(text.utf8))
        }

        public static func html(_ text: String, status: Int = 200) -> Reply {
            .respond(status: status, headers: [("Content-Type", "text/html; charset=UTF-8")], body: Data(text.utf8))
        }
    }

    public let port: Int
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    private let listener: Int32
    private let handler: @Sendable (Request) -> Reply
    private let log = Mutex<[Request]>([])
    private let stopped = Atomic<Bool>(false)

    public init(handler: @escaping @Sendable (Request) -> Reply) throws {
        self.handler = handler
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var yes: Int32 = 1
        setsockopt(socketFD, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(socketFD, 64) == 0 else {
            close(socketFD)
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        listener = socketFD
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// Every request received so far.
    public var requests: [Request] { log.withLock { $0 } }
    public var requestCount: Int { log.withLock { $0.count } }

    public func stop() {
        if stopped.exchange(true, ordering: .relaxed) { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// A port on 127.0.0.1 where nothing listens, for refused connections.
    public static func unusedPort() -> Int {
        guard let server = try? LoopbackServer(handler: { _ in .close }) else { return 9 }
        let port = server.port
        server.stop()
        return port
    }

    private func acceptLoop() {
        while !stopped.load(ordering: .relaxed) {
            let connection = accept(listener, nil, nil)
            if connection < 0 {
                if errno == EINTR { continue }
                return
            }
            let thread = Thread { [self] in serve(connection) }
            thread.start()
        }
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        guard let request = readRequest(connection) else { return }
        log.withLock { $0.append(request) }
        send(handler(request), on: connection)
    }

    private func send(_ reply: Reply, on connection: Int32) {
        switch reply {
        case .close:
            return
        case .delayed(let seconds, let then):
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline && !stopped.load(ordering: .relaxed) { usleep(20_000) }
            send(then, on: connection)
        case .respond(let status, let headers, let body):
            write(head(status: status, headers: headers, length: body.count) + body, to: connection)
        case .truncated(let status, let declaredLength, let body):
            write(head(status: status, headers: [], length: declaredLength) + body, to: connection)
        }
    }

    private func head(status: Int, headers: [(String, String)], length: Int) -> Data {
        var text = "HTTP/1.1 \(status) \(status == 200 ? "OK" : "Status")\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(length)\r\nConnection: close\r\n\r\n"
        return Data(text.utf8)
    }

    private func write(_ data: Data, to connection: Int32) {
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = Glibc.send(connection, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                if sent <= 0 { return }
                offset += sent
            }
        }
    }

    private func readRequest(_ connection: Int32) -> Request? {
        var buffer = Data()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var headerEnd: Range<Data.Index>?
        while headerEnd == nil {
            let count = recv(connection, &chunk, chunk.count, 0)
            if count <= 0 { return nil }
            buffer.append(contentsOf: chunk[0..<count])
            headerEnd = buffer.range(of: Data("\r\n\r\n".utf8))
        }
        let head = String(decoding: buffer[..<headerEnd!.lowerBound], as: UTF8.self)
        var lines = head.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        let headers = lines.compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        var body = Data(buffer[headerEnd!.upperBound...])
        while body.count < length {
            let count = recv(connection, &chunk, chunk.count, 0)
            if count <= 0 { return nil }
            body.append(contentsOf: chunk[0..<count])
        }
        return Request(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }
}
