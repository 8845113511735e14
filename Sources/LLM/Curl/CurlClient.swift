import Events
import CCurl
import Foundation
import Logging
import Synchronization

/// One HTTP request for `CurlClient`.
public struct HTTPRequest: Sendable {
    public var url: String
    public var method: String
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]
    /// Whole-transfer limit (connect, send, wait, receive).
    public var timeout: Duration
    public var connectTimeout: Duration

    public init(
        url: String, method: String = "POST", headers: [(name: String, value: String)] = [], body: [UInt8] = [],
        timeout: Duration = .seconds(30), connectTimeout: Duration = .seconds(5)
    ) {
        self.url = url
        self.method = method
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Header names lower-cased, in arrival order (of the final response only).
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let wanted = name.lowercased()
        return headers.last { $0.name == wanted }?.value
    }
}

/// A request that got no HTTP response. `description` carries no URL query, header or body.
public struct HTTPError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case timeout, connect, tls, transport, tooLarge = "too_large", cancelled, shutdown, invalidRequest = "invalid_request"
    }
    public var code: Code
    /// libcurl's code, when the error came from libcurl.
    public var curlCode: Int?
    public var detail: String

    public var retryable: Bool {
        switch code {
        case .timeout, .connect, .transport: true
        case .tls, .tooLarge, .cancelled, .shutdown, .invalidRequest: false
        }
    }

    public var description: String {
        "HTTP \(code.rawValue)" + (curlCode.map { " (curl \($0))" } ?? "") + ": \(detail)"
    }
}

/// An HTTP/1.1 and HTTP/2 client over one libcurl multi handle, driven by a thread this client
/// owns; `send` never blocks the caller's thread. Connections are kept in the multi handle's cache
/// and reused; TLS peers and host names are verified; every transfer has a connect and a total
/// timeout and `CURLOPT_NOSIGNAL=1`.
///
/// `curl_global_init` runs once per process, the first time any client is created (a Swift
/// `static let`, so guarded by the runtime's once-lock) before this client's thread starts; it
/// is never undone (`curl_global_cleanup` is not called: other clients may still run).
///
/// Call `shutdown()` when done: it fails what is still pending with `.shutdown`, frees the
/// handles and joins the thread.
public final class CurlClient: Sendable {
    private let engine: CurlEngine

    public init(maxResponseBytes: Int = 4 << 20, logger: Logger = Logger(label: "ai-worker.http")) throws(HTTPError) {
        let global = CurlGlobal.initCode
        guard global == CURLE_OK else {
            throw HTTPError(code: .transport, curlCode: Int(global.rawValue), detail: "curl_global_init failed")
        }
        guard let multi = curl_multi_init() else { throw HTTPError(code: .transport, detail: "curl_multi_init failed") }
        engine = CurlEngine(multi: multi, maxResponseBytes: maxResponseBytes, logger: logger)
        engine.start()
    }

    /// Performs `request`; an HTTP error status is a response, not a thrown error. Cancelling the
    /// calling task aborts the transfer.
    public func send(_ request: HTTPRequest) async throws(HTTPError) -> HTTPResponse {
        let result: Result<HTTPResponse, HTTPError> = await engine.perform(request)
        return try result.get()
    }

    /// Transfers running or queued now.
    public var activeTransfers: Int { engine.activeCount }

    /// Idempotent; waits for the client's thread to exit.
    public func shutdown() async {
        await engine.shutdown()
    }
}

enum CurlGlobal {
    /// Swift runs a static's initializer exactly once, under a lock: `curl_global_init` runs
    /// before the first client's thread exists and never twice.
    static let initCode: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))
}

/// One transfer: the request, the bytes received so far, and the continuation resumed exactly
/// once, on the engine thread (or by `perform` when the engine refuses it).
/// `@unchecked Sendable`: after submission only the engine thread touches the mutable fields.
private final class Transfer: @unchecked Sendable {
    let id: UInt64
    let request: HTTPRequest
    let maxBytes: Int
    var continuation: CheckedContinuation<Result<HTTPResponse, HTTPError>, Never>?
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    var body: [UInt8] = []
    var headers: [(name: String, value: String)] = []
    var overflow = false

    init(id: UInt64, request: HTTPRequest, maxBytes: Int, continuation: CheckedContinuation<Result<HTTPResponse, HTTPError>, Never>) {
        self.id = id
        self.request = request
        self.maxBytes = maxBytes
        self.continuation = continuation
    }

    func finish(_ result: Result<HTTPResponse, HTTPError>) {
        continuation.take()?.resume(returning: result)
    }
}

/// The multi handle and its thread.
/// `@unchecked Sendable`: `multi` and every easy handle are used only on the engine thread,
/// except `curl_multi_wakeup`, which libcurl documents as callable from any thread; everything
/// shared with other threads is in `shared` (a Mutex).
private final class CurlEngine: @unchecked Sendable {
    private struct Shared {
        var nextID: UInt64 = 1
        var submissions: [Transfer] = []
        var cancellations: [UInt64] = []
        var stopping = false
        var stopped = false
        var active = 0
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let multi: UnsafeMutableRawPointer
    private let maxResponseBytes: Int
    private let logger: Logger
    private let shared = Mutex(Shared())
    // Engine-thread state.
    private var running: [UInt64: Transfer] = [:]
    private var byHandle: [UnsafeMutableRawPointer: UInt64] = [:]
    private var idleHandles: [UnsafeMutableRawPointer] = []

    init(multi: UnsafeMutableRawPointer, maxResponseBytes: Int, logger: Logger) {
        self.multi = multi
        self.maxResponseBytes = maxResponseBytes
        self.logger = logger
    }

    var activeCount: Int { shared.withLock { $0.active } }

    func start() {
        let thread = Thread { [self] in self.loop() }
        thread.name = "curl-multi"
        thread.start()
    }

    func perform(_ request: HTTPRequest) async -> Result<HTTPResponse, HTTPError> {
        let id = shared.withLock { state -> UInt64 in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<HTTPResponse, HTTPError>, Never>) in
                let transfer = Transfer(id: id, request: request, maxBytes: maxResponseBytes, continuation: continuation)
                // Checked under the lock that `onCancel` takes: a cancellation is either seen
                // here or queued after this submission.
                let refusal: HTTPError? = shared.withLock { state in
                    if state.stopping { return HTTPError(code: .shutdown, detail: "the HTTP client is shut down") }
                    if Task.isCancelled { return HTTPError(code: .cancelled, detail: "the request was cancelled") }
                    state.submissions.append(transfer)
                    state.active += 1
                    return nil
                }
                if let refusal { transfer.finish(.failure(refusal)) } else { curl_multi_wakeup(multi) }
            }
        } onCancel: {
            shared.withLock { $0.cancellations.append(id) }
            curl_multi_wakeup(multi)
        }
    }

    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = shared.withLock { state -> Bool in
                if state.stopped { return true }
                state.stopping = true
                state.exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() } else { curl_multi_wakeup(multi) }
        }
    }

    // MARK: engine thread

    private func loop() {
        while true {
            let (submissions, cancellations, stopping) = shared.withLock { state in
                defer { state.submissions = []; state.cancellations = [] }
                return (state.submissions, state.cancellations, state.stopping)
            }
            if stopping {
                for transfer in submissions { complete(transfer, .failure(HTTPError(code: .shutdown, detail: "the HTTP client is shut down"))) }
                for transfer in Array(running.values) { abort(transfer, HTTPError(code: .shutdown, detail: "the HTTP client is shut down")) }
                break
            }
            for transfer in submissions { add(transfer) }
            for id in cancellations {
                if let transfer = running[id] { abort(transfer, HTTPError(code: .cancelled, detail: "the request was cancelled")) }
            }
            var stillRunning: Int32 = 0
            curl_multi_perform(multi, &stillRunning)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let code = shim_curl_msg_result(message)
                guard let id = byHandle[easy], let transfer = running[id] else { continue }
                finishDone(transfer, easy: easy, code: code)
            }
            var events: Int32 = 0
            curl_multi_poll(multi, nil, 0, 1000, &events)
        }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles = []
        curl_multi_cleanup(multi)
        let waiters = shared.withLock { state in
            state.stopped = true
            defer { state.exitWaiters = [] }
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func add(_ transfer: Transfer) {
        guard let easy = idleHandles.popLast() ?? curl_easy_init() else {
            complete(transfer, .failure(HTTPError(code: .transport, detail: "curl_easy_init failed")))
            return
        }
        let request = transfer.request
        var ok = shim_curl_setopt_string(easy, CURLOPT_URL, request.url) == CURLE_OK
        ok = ok && shim_curl_setopt_long(easy, CURLOPT_NOSIGNAL, 1) == CURLE_OK
        ok = ok && shim_curl_setopt_long(easy, CURLOPT_SSL_VERIFYPEER, 1) == CURLE_OK
        ok = ok && shim_curl_setopt_long(easy, CURLOPT_SSL_VERIFYHOST, 2) == CURLE_OK
        ok = ok && shim_curl_setopt_long(easy, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout)) == CURLE_OK
        ok = ok && shim_curl_setopt_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout)) == CURLE_OK
        ok = ok && shim_curl_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1) == CURLE_OK
        ok = ok && shim_curl_setopt_string(easy, CURLOPT_ACCEPT_ENCODING, "") == CURLE_OK
        ok = ok && shim_curl_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK
        ok = ok && shim_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, request.method) == CURLE_OK
        if request.method == "POST" || !request.body.isEmpty {
            ok = ok && shim_curl_setopt_long(easy, CURLOPT_POSTFIELDSIZE, request.body.count) == CURLE_OK
            // COPYPOSTFIELDS copies POSTFIELDSIZE bytes now: the buffer need not outlive this call.
            ok = ok && request.body.withUnsafeBytes { bytes in
                var empty: UInt8 = 0
                let base = bytes.baseAddress ?? withUnsafeBytes(of: &empty) { $0.baseAddress! }
                return shim_curl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base)) == CURLE_OK
            }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        // No `Expect: 100-continue` round trip before large bodies.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            guard let appended = curl_slist_append(list, line) else { ok = false; break }
            list = appended
        }
        transfer.headerList = list
        ok = ok && shim_curl_setopt_pointer(easy, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(list)) == CURLE_OK
        // `running` keeps the transfer alive while libcurl holds this unretained pointer; the
        // handle is removed from the multi handle before the transfer leaves `running`.
        let opaque = Unmanaged.passUnretained(transfer).toOpaque()
        ok = ok && shim_curl_setopt_write_function(easy, curlWrite) == CURLE_OK
        ok = ok && shim_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, opaque) == CURLE_OK
        ok = ok && shim_curl_setopt_header_function(easy, curlHeader) == CURLE_OK
        ok = ok && shim_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, opaque) == CURLE_OK
        transfer.easy = easy
        guard ok else {
            complete(transfer, .failure(HTTPError(code: .invalidRequest, detail: "the request could not be configured")))
            return
        }
        running[transfer.id] = transfer
        byHandle[easy] = transfer.id
        if curl_multi_add_handle(multi, easy) != CURLM_OK {
            running[transfer.id] = nil
            byHandle[easy] = nil
            complete(transfer, .failure(HTTPError(code: .transport, detail: "curl_multi_add_handle failed")))
        }
    }

    private func finishDone(_ transfer: Transfer, easy: UnsafeMutableRawPointer, code: CURLcode) {
        var status = 0
        shim_curl_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
        detach(transfer)
        let result: Result<HTTPResponse, HTTPError>
        if code == CURLE_OK {
            result = .success(HTTPResponse(status: status, headers: transfer.headers, body: transfer.body))
        } else if transfer.overflow {
            result = .failure(HTTPError(code: .tooLarge, detail: "the response is larger than \(transfer.maxBytes) bytes"))
        } else {
            result = .failure(Self.error(code))
        }
        complete(transfer, result)
    }

    private func abort(_ transfer: Transfer, _ error: HTTPError) {
        detach(transfer)
        complete(transfer, .failure(error))
    }

    /// Removes the transfer from the multi handle and returns its easy handle to the idle pool.
    private func detach(_ transfer: Transfer) {
        running[transfer.id] = nil
        guard let easy = transfer.easy else { return }
        curl_multi_remove_handle(multi, easy)
        byHandle[easy] = nil
        transfer.easy = nil
        curl_easy_reset(easy)
        if idleHandles.count < 64 { idleHandles.append(easy) } else { curl_easy_cleanup(easy) }
    }

    private func complete(_ transfer: Transfer, _ result: Result<HTTPResponse, HTTPError>) {
        if let list = transfer.headerList {
            curl_slist_free_all(list)
            transfer.headerList = nil
        }
        if let easy = transfer.easy {
            transfer.easy = nil
            curl_easy_reset(easy)
            idleHandles.append(easy)
        }
        shared.withLock { $0.active -= 1 }
        transfer.finish(result)
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, duration.wholeMilliseconds)
    }

    private static func error(_ code: CURLcode) -> HTTPError {
        let text = curl_easy_strerror(code).map { String(cString: $0) } ?? "curl error"
        let kind: HTTPError.Code
        switch code {
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .connect
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CONNECT_ERROR: kind = .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL: kind = .invalidRequest
        default: kind = .transport
        }
        return HTTPError(code: kind, curlCode: Int(code.rawValue), detail: text)
    }
}

private let curlWrite: shim_curl_data_callback = { data, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    guard transfer.body.count + length <= transfer.maxBytes else {
        transfer.overflow = true
        return 0
    }
    if let data, length > 0 { transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: length)) }
    return length
}

private let curlHeader: shim_curl_data_callback = { data, size, count, userdata in
    guard let userdata else { return 0 }
    let transfer = Unmanaged<Transfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = size * count
    guard let data, length > 0 else { return length }
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    if line.hasPrefix("HTTP/") {
        // A new status line (after 100 Continue or a redirect): only the last response counts.
        transfer.headers = []
    } else if let colon = line.firstIndex(of: ":") {
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        if transfer.headers.count < 200 { transfer.headers.append((name, value)) }
    }
    return length
}
