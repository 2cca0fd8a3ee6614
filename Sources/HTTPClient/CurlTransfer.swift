import CCurl
import Foundation
import Synchronization

// All libcurl pointer work lives in this file; the rest of the module sees `CurlTransfer.perform`.

/// What the libcurl callbacks write into, and the flag cancellation raises.
final class TransferState: @unchecked Sendable {
    // Safe: the mutable fields are touched only by the transfer's own thread while curl_easy_perform runs; the
    // one field other threads touch, `isCancelled`, is an atomic.
    var body = Data()
    var headers: [HTTPHeader] = []
    var bodyOverflowed = false
    let maximumBodyBytes: Int
    let isCancelled = Atomic<Bool>(false)

    init(maximumBodyBytes: Int) {
        self.maximumBodyBytes = maximumBodyBytes
    }

    func cancel() { isCancelled.store(true, ordering: .relaxed) }
}

/// One blocking libcurl easy transfer.
enum CurlTransfer {
    private static let globalInit: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
    }()

    /// Runs the request on the calling thread; returns the response or a transport error (secrets redacted).
    static func perform(
        _ request: HTTPRequest, userAgent: String, timeouts: HTTPTimeouts, state: TransferState,
        redactor: SecretRedactor
    ) -> Result<HTTPResponse, HTTPClientError> {
        let shownURL = redactor.redact(request.url)
        func failure(_ kind: HTTPClientError.Kind, _ detail: String) -> Result<HTTPResponse, HTTPClientError> {
            .failure(HTTPClientError(kind: kind, url: shownURL, detail: redactor.redact(detail)))
        }
        guard globalInit, let handle = curl_easy_init() else { return failure(.transport, "libcurl could not start") }
        defer { curl_easy_cleanup(handle) }

        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        defer { errorBuffer.deallocate() }

        let context = Unmanaged.passUnretained(state).toOpaque()
        sluice_curl_set_string(handle, CURLOPT_URL, request.url)
        sluice_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        sluice_curl_set_string(handle, CURLOPT_USERAGENT, userAgent)
        sluice_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
        sluice_curl_set_long(handle, CURLOPT_FOLLOWLOCATION, 1)
        sluice_curl_set_long(handle, CURLOPT_MAXREDIRS, 5)
        sluice_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
        sluice_curl_set_string(handle, CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        sluice_curl_set_string(handle, CURLOPT_ACCEPT_ENCODING, "")
        sluice_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(timeouts.connect))
        sluice_curl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds(timeouts.total))
        sluice_curl_set_long(handle, CURLOPT_LOW_SPEED_LIMIT, timeouts.lowSpeedBytesPerSecond)
        sluice_curl_set_long(handle, CURLOPT_LOW_SPEED_TIME, max(1, milliseconds(timeouts.lowSpeedWindow) / 1000))
        // Proxies are left to libcurl, which reads http_proxy, https_proxy, all_proxy and no_proxy itself.

        sluice_curl_set_write_callback(handle) { data, size, count, context in
            let state = Unmanaged<TransferState>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            guard state.body.count + length <= state.maximumBodyBytes else {
                state.bodyOverflowed = true
                return 0
            }
            if let data { state.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length) }
            return length
        }
        sluice_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
        sluice_curl_set_header_callback(handle) { data, size, count, context in
            let state = Unmanaged<TransferState>.fromOpaque(context!).takeUnretainedValue()
            let length = size * count
            guard let data else { return length }
            let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            if line.hasPrefix("HTTP/") {
                // A new response begins (after a redirect or a 100 Continue): keep only the last one's headers.
                state.headers = []
            } else if let colon = line.firstIndex(of: ":") {
                let name = String(line[..<colon]).trimmingCharacters(in: .whitespaces)
                let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
                state.headers.append(HTTPHeader(name, value))
            }
            return length
        }
        sluice_curl_set_pointer(handle, CURLOPT_HEADERDATA, context)
        // libcurl calls this at least once a second, even while the server is silent, so cancellation is prompt.
        sluice_curl_set_long(handle, CURLOPT_NOPROGRESS, 0)
        sluice_curl_set_progress_callback(handle) { context, _, _, _, _ in
            let state = Unmanaged<TransferState>.fromOpaque(context!).takeUnretainedValue()
            return state.isCancelled.load(ordering: .relaxed) ? 1 : 0
        }
        sluice_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context)

        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        for header in request.headers {
            headerList = curl_slist_append(headerList, "\(header.name): \(header.value)")
        }
        // No "Expect: 100-continue" round trip before uploads.
        headerList = curl_slist_append(headerList, "Expect:")
        sluice_curl_set_slist(handle, CURLOPT_HTTPHEADER, headerList)

        var mime: OpaquePointer? = nil
        defer { if mime != nil { curl_mime_free(mime) } }
        if request.method == .post {
            if request.form.isEmpty {
                sluice_curl_set_long(handle, CURLOPT_POST, 1)
                sluice_curl_set_long(handle, CURLOPT_POSTFIELDSIZE, 0)
            } else {
                mime = curl_mime_init(handle)
                for part in request.form {
                    let mimePart = curl_mime_addpart(mime)
                    switch part {
                    case .text(let name, let value):
                        curl_mime_name(mimePart, name)
                        sluice_curl_mime_text(mimePart, value)
                    case .file(let name, let path, let filename, let contentType):
                        guard FileManager.default.isReadableFile(atPath: path) else {
                            return failure(.unreadableFile(path: path), "no such readable file")
                        }
                        curl_mime_name(mimePart, name)
                        let code = curl_mime_filedata(mimePart, path)
                        guard code == CURLE_OK else {
                            return failure(.unreadableFile(path: path), String(cString: curl_easy_strerror(code)))
                        }
                        if let filename { curl_mime_filename(mimePart, filename) }
                        if let contentType { curl_mime_type(mimePart, contentType) }
                    }
                }
                sluice_curl_set_mime(handle, mime)
            }
        }

        let code = curl_easy_perform(handle)
        if code != CURLE_OK {
            let explanation = errorBuffer.pointee != 0 ? String(cString: errorBuffer) : String(cString: curl_easy_strerror(code))
            if state.isCancelled.load(ordering: .relaxed) { return failure(.cancelled, explanation) }
            if state.bodyOverflowed { return failure(.bodyTooLarge, "more than \(state.maximumBodyBytes) bytes") }
            return failure(kind(of: code), explanation)
        }
        var status = 0
        sluice_curl_get_response_code(handle, &status)
        return .success(HTTPResponse(status: status, headers: state.headers, body: state.body))
    }

    private static func kind(of code: CURLcode) -> HTTPClientError.Kind {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_RECV_ERROR,
            CURLE_SEND_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM,
            CURLE_SSL_CONNECT_ERROR:
            return .connectionFailed
        case CURLE_ABORTED_BY_CALLBACK:
            return .cancelled
        default:
            return .transport
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int((duration.seconds * 1000).rounded()))
    }
}
