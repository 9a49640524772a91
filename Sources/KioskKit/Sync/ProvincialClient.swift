import AsyncHTTPClient
import Crypto
package import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
package import ProvincialAPI

/// The kiosk's side of the provincial API (`api/provincial-api.yaml`) over async-http-client: JSON bodies, every
/// request but enrollment signed with the device key (RFC 9421 + Content-Digest), and the server's answers
/// turned into what the services need to decide: done, refused (with the problem), or retry later.
package final class ProvincialClient: Sendable {
    let baseURL: URL
    private let http: HTTPClient
    private let signer: Signer?
    private let timeout: TimeAmount

    /// Signs as `kioskID` with `key`, and checks the answers against the province's `serverKey` from enrollment
    /// (raw Ed25519, `nil` for a kiosk enrolled before the province signed its answers: it must enroll again);
    /// keeps the offset of the server's clock, learned only from a signed answer.
    package final class Signer: Sendable {
        let kioskID: String
        let key: DeviceKey
        let serverKey: Data?
        private let offset = NIOLockedValueBox<Int64>(0)

        init(kioskID: String, key: DeviceKey, serverKey: Data?) {
            self.kioskID = kioskID
            self.key = key
            self.serverKey = serverKey
        }

        var clockOffsetSeconds: Int64 {
            get { offset.withLockedValue { $0 } }
            set { offset.withLockedValue { $0 = newValue } }
        }
    }

    /// A client of the API at `baseURL`, trusting only `trustAnchor` (a PEM file) when it is set; a trust anchor
    /// that cannot be read throws `APICallError.untrusted`.
    package init(
        baseURL: URL, signer: Signer?, trustAnchor: String? = nil, timeout: Duration = .seconds(30),
        connectTimeout: Duration = .seconds(10)
    ) throws(APICallError) {
        self.baseURL = baseURL
        self.signer = signer
        self.timeout = .seconds(timeout.components.seconds)
        var tls = TLSConfiguration.makeClientConfiguration()
        // Nothing older than TLS 1.2: 1.0 and 1.1 are deprecated (RFC 8996).
        tls.minimumTLSVersion = .tlsv12
        if let trustAnchor {
            // Only the province's own CA: a certificate from any other CA, however trusted by the system, fails.
            do {
                tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(trustAnchor))
            } catch {
                throw .untrusted("cannot read the trust anchor \(trustAnchor): \(error)")
            }
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(
            connect: .seconds(connectTimeout.components.seconds), read: .seconds(timeout.components.seconds))
        configuration.httpVersion = .http1Only
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// A safety net: async-http-client must be shut down before it goes; `closing` and `kiosk run` do it properly.
    deinit { try? http.syncShutdown() }

    package func shutdown() async { try? await http.shutdown() }

    /// Runs `body` with this client, then shuts it down, whichever way `body` ends.
    package func closing<T>(_ body: (ProvincialClient) async throws -> T) async rethrows -> T {
        do {
            let value = try await body(self)
            await shutdown()
            return value
        } catch {
            await shutdown()
            throw error
        }
    }

    // MARK: Operations

    package func enroll(_ request: EnrollmentRequest) async throws(APICallError) -> Enrollment {
        try await call("POST", Endpoint.enrollments, body: request, signed: false)
    }

    func upload(_ batch: RecordBatch) async throws(APICallError) -> RecordBatchResult {
        try await call("POST", Endpoint.records, body: batch)
    }

    func heartbeat(_ heartbeat: Heartbeat) async throws(APICallError) {
        let _: Empty = try await call("POST", Endpoint.heartbeats, body: heartbeat)
    }

    func tickets(_ batch: TicketBatch) async throws(APICallError) -> RecordBatchResult {
        try await call("POST", Endpoint.tickets, body: batch)
    }

    func surveyDay(_ day: SurveyDay) async throws(APICallError) {
        let _: Empty = try await call("POST", Endpoint.surveys, body: day)
    }

    func registryChanges(after cursor: String?, limit: Int) async throws(APICallError) -> RegistryPage {
        var query = [URLQueryItem(name: "limit", value: "\(limit)")]
        if let cursor { query.append(URLQueryItem(name: "cursor", value: cursor)) }
        return try await call("GET", Endpoint.registry, query: query, body: Optional<Empty>.none)
    }

    func pickups(after cursor: String?, limit: Int) async throws(APICallError) -> PickupPage {
        var query = [URLQueryItem(name: "limit", value: "\(limit)")]
        if let cursor { query.append(URLQueryItem(name: "cursor", value: cursor)) }
        return try await call("GET", Endpoint.pickups, query: query, body: Optional<Empty>.none)
    }

    /// What `GET /v1/board` found: the board and its ETag, or that the board with `etag` is still current.
    package enum BoardAnswer: Sendable {
        case unchanged
        case changed(Board, etag: String?)
    }

    func board(ifNoneMatch etag: String?) async throws(APICallError) -> BoardAnswer {
        let response = try await answered(
            "GET", Endpoint.board, headers: etag.map { [("If-None-Match", $0)] } ?? [], body: Data())
        if response.status == 304 { return .unchanged }
        return .changed(try decoded(response, "GET", Endpoint.board), etag: response.etag)
    }

    /// One unsigned GET on the base URL, through this client's TLS and trust anchor, within `deadline`: any HTTP
    /// answer proves name resolution, the route, TLS and the trust anchor (`kiosk doctor` asks it); what the path
    /// answers does not matter.
    package func probe(deadline: Duration) async -> Result<Int, APICallError> {
        do {
            let response = try await http.execute(
                HTTPClientRequest(url: baseURL.absoluteString), timeout: .seconds(deadline.components.seconds))
            return .success(Int(response.status.code))
        } catch {
            return .failure(failure(error))
        }
    }

    // MARK: The exchange

    private struct Empty: Codable {}

    private func call<Body: Encodable, Answer: Decodable>(
        _ method: String, _ path: String, query: [URLQueryItem] = [], body: Body?, signed: Bool = true
    ) async throws(APICallError) -> Answer {
        let bytes: Data
        do { bytes = try body.map { try APIJSON.encoder().encode($0) } ?? Data() } catch {
            throw .badAnswer("cannot encode the request: \(error)")
        }
        let response = try await answered(method, path, query: query, body: bytes, signed: signed)
        return try decoded(response, method, path)
    }

    private func decoded<Answer: Decodable>(_ response: Answered, _ method: String, _ path: String)
        throws(APICallError) -> Answer
    {
        if Answer.self == Empty.self { return Empty() as! Answer }
        do { return try APIJSON.decoder().decode(Answer.self, from: response.body) } catch {
            throw .badAnswer(
                "the server's answer to \(method) \(path) does not match the contract: \(ServerText.loggable("\(error)"))"
            )
        }
    }

    /// The exchange, with its answers other than 2xx and 304 turned into errors: retry later, or refused with the
    /// server's problem.
    private func answered(
        _ method: String, _ path: String, query: [URLQueryItem] = [], headers: [(String, String)] = [], body: Data,
        signed: Bool = true
    ) async throws(APICallError) -> Answered {
        // One retry, at once, when the server says our clock is off: the offset is learned from its Date.
        for attempt in 0..<2 {
            let response = try await exchange(method, path, query: query, headers: headers, body: body, signed: signed)
            switch response.status {
            case 200..<300, 304:
                return response
            case 429, 503, 502, 504:
                throw .retryLater(status: response.status, after: response.retryAfter)
            case 500..<600:
                throw .retryLater(status: response.status, after: nil)
            default:
                let problem =
                    (try? APIJSON.decoder().decode(Problem.self, from: response.body))
                    ?? Problem(
                        title: "HTTP \(response.status)", status: response.status, code: "http-\(response.status)")
                // The server's clock from its signature's `created`, never from the unsigned Date header: a forged
                // Date could otherwise set the kiosk's signatures (and its letters' times) wherever it liked.
                if attempt == 0, problem.code == SignatureRejection.stale.rawValue, let signer,
                    let serverNow = response.signedAt
                {
                    signer.clockOffsetSeconds = serverNow - Self.unixNow()
                    continue
                }
                throw .refused(problem)
            }
        }
        throw .refused(Problem(title: "clock", status: 401, code: SignatureRejection.stale.rawValue))
    }

    private struct Answered {
        var status: Int
        var body: Data
        var retryAfter: Duration?
        var etag: String? = nil
        /// The `created` of the province's signature on the answer (its clock); `nil` for an unsigned request's.
        var signedAt: Int64? = nil
    }

    private func exchange(
        _ method: String, _ path: String, query: [URLQueryItem], headers: [(String, String)] = [], body: Data,
        signed: Bool
    ) async throws(APICallError) -> Answered {
        var components = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)!
        components.path = components.path.trimmingSuffix("/") + path
        components.queryItems = query.isEmpty ? nil : query
        guard let url = components.url else { throw .badAnswer("cannot build a URL from \(baseURL) and \(path)") }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = HTTPMethod(rawValue: method)
        request.headers.add(name: "Content-Type", value: APIJSON.mediaType)
        request.headers.add(name: "Accept", value: APIJSON.mediaType)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if method != "GET" { request.body = .bytes(ByteBuffer(bytes: body)) }
        var requestSignatureInput: String?
        if signed, let signer {
            let digest = ContentDigest.header(for: body)
            let message = MessageSignature.Message(
                method: method, path: components.percentEncodedPath, query: components.percentEncodedQuery ?? "",
                contentDigest: digest)
            let parameters = MessageSignature.Parameters(
                created: Self.unixNow() + signer.clockOffsetSeconds, nonce: MessageSignature.makeNonce(),
                keyID: signer.kioskID)
            do {
                let (input, signature) = try MessageSignature.sign(
                    message, parameters, with: try signer.key.privateKey())
                request.headers.add(name: ContentDigest.headerName, value: digest)
                request.headers.add(name: MessageSignature.inputHeaderName, value: input)
                requestSignatureInput = input
                request.headers.add(name: MessageSignature.headerName, value: signature)
            } catch {
                throw .badAnswer("cannot sign the request: \(error)")
            }
        }
        let response: HTTPClientResponse
        let body: Data
        do {
            response = try await http.execute(request, timeout: timeout)
            body = Data(try await response.body.collect(upTo: Self.maximumAnswer).readableBytesView)
        } catch {
            throw failure(error)
        }
        var answered = Answered(
            status: Int(response.status.code), body: body,
            retryAfter: response.headers.first(name: "Retry-After").flatMap(Self.retryAfter),
            etag: response.headers.first(name: "ETag"))
        if let requestSignatureInput, let signer {
            answered.signedAt = try Self.checkSignature(
                of: response, body: body, answering: requestSignatureInput, serverKey: signer.serverKey,
                call: "\(method) \(path)")
        }
        return answered
    }

    /// The `created` of the province's signature on an answer; throws when the answer is not the province's. Nothing
    /// of an answer that fails here is used: no record is settled, no registry row stored, no clock learned.
    static func checkSignature(
        of response: HTTPClientResponse, body: Data, answering requestSignatureInput: String, serverKey: Data?,
        call: String
    ) throws(APICallError) -> Int64 {
        guard let serverKey, let key = try? Curve25519.Signing.PublicKey(rawRepresentation: serverKey) else {
            throw .untrusted(
                "this kiosk was enrolled before the province signed its answers: enroll again "
                    + "(kiosk enroll --force with a new token)")
        }
        do {
            return try ResponseSignature.verify(
                .init(
                    status: Int(response.status.code),
                    contentDigest: response.headers.first(name: ContentDigest.headerName) ?? "",
                    requestSignatureInput: requestSignatureInput),
                body: body, signatureInput: response.headers.first(name: ResponseSignature.inputHeaderName),
                signature: response.headers.first(name: ResponseSignature.headerName), key: key)
        } catch {
            throw .untrusted("the answer to \(call) is not the province's: \(error); nothing of it was used")
        }
    }

    /// The largest answer the kiosk reads: a page of prepared letters with their PDFs fits, a hostile body does not.
    static let maximumAnswer = 16 << 20

    static func unixNow() -> Int64 { Int64(Date().timeIntervalSince1970) }

    /// `Retry-After`: delay-seconds or an HTTP date.
    static func retryAfter(_ value: String) -> Duration? {
        if let seconds = Int(value.trimmingCharacters(in: .whitespaces)), seconds >= 0 { return .seconds(seconds) }
        guard let date = httpDate(value) else { return nil }
        return .seconds(max(0, Int(date.timeIntervalSinceNow.rounded(.up))))
    }

    static func httpDate(_ value: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: value)
    }

    /// A call that got no answer: `.untrusted` when TLS failed (NIOSSL's and BoringSSL's own error types), else
    /// `.unreachable`, each with what a technician acts on.
    private func failure(_ error: any Error) -> APICallError {
        let server = baseURL.host ?? "the server"
        if let error = error as? NIOSSLError, case .handshakeFailed = error {
            return .untrusted(
                "\(server): TLS handshake failed, the server's certificate is not trusted: check [api] trust_anchor "
                    + "(the province's CA) and the kiosk's clock (\(error))")
        }
        if error is NIOSSLError || error is NIOSSLExtraError || error is BoringSSLError {
            return .untrusted("\(server): \(error)")
        }
        if error is NIOTooManyBytesError {
            return .badAnswer(
                "\(server): the answer is larger than \(Self.maximumAnswer >> 20) MB; the kiosk refuses it")
        }
        if Self.isBlockedByAllowList(error) {
            return .unreachable(
                "\(server): blocked by kiosk.service's IP allow list (IPAddressDeny=any): run `kiosk allow-network "
                    + "--write`, then systemctl daemon-reload and systemctl restart kiosk")
        }
        if let error = error as? HTTPClientError {
            switch error {
            case .connectTimeout: return .unreachable("\(server): connection timed out")
            case .deadlineExceeded, .readTimeout: return .unreachable("\(server): no answer in time")
            case .remoteConnectionClosed: return .unreachable("\(server): the server closed the connection")
            default: break
            }
        }
        return .unreachable("\(server): \(error)")
    }
}

extension ProvincialClient {
    /// systemd's `IPAddressDeny=` drops the packets of a denied address in the cgroup's BPF filter, and the socket
    /// call fails with EPERM, which nothing else on a connect or a name server's UDP send means.
    static func isBlockedByAllowList(_ error: any Error) -> Bool {
        if let error = error as? IOError { return error.errnoCode == EPERM }
        if let error = error as? NIOConnectionError {
            return error.connectionErrors.contains { isBlockedByAllowList($0.error) }
                || error.dnsAError.map(isBlockedByAllowList) == true
                || error.dnsAAAAError.map(isBlockedByAllowList) == true
        }
        return false
    }
}

/// How a call to the provincial API ended when it did not succeed.
package enum APICallError: Error, CustomStringConvertible {
    /// No answer: no network, DNS, refused connection, timeout. Retry later.
    case unreachable(String)
    /// TLS failed: the server's certificate is not trusted (or the trust anchor cannot be read). Retry later; the
    /// fix is on the kiosk (`[api] trust_anchor`, the clock).
    case untrusted(String)
    /// The server is busy or failing (429, 5xx); `after` is its `Retry-After`.
    case retryLater(status: Int, after: Duration?)
    /// The server refused the request itself (4xx with a problem): retrying the same will not help.
    case refused(Problem)
    /// The answer broke the contract.
    case badAnswer(String)

    package var description: String {
        switch self {
        case .unreachable(let reason), .untrusted(let reason): "the provincial API is unreachable (\(reason))"
        case .retryLater(let status, let after):
            "the provincial API asked to retry later (HTTP \(status)\(after.map { ", Retry-After \($0)" } ?? ""))"
        case .refused(let problem):
            "the provincial API refused the request (HTTP \(problem.status) \(ServerText.loggable(problem.code))"
                + (problem.detail.map { ": \(ServerText.loggable($0))" } ?? "") + ")"
        case .badAnswer(let reason): reason
        }
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
