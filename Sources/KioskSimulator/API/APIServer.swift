import Core
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ProvincialAPI

/// The reference provincial server: the routes of `api/provincial-api.yaml` over Hummingbird, state in
/// `APIStore`, faults from `APIFaults`. It checks what the real one must: signatures, digests, the replay window
/// and nonces, the kiosk's own identity on every record, and applies each record id once.
struct APIServer: Sendable {
    let store: APIStore
    let faults: APIFaults
    let logger: Logger
    /// The raw key that signs the answers to signed requests (`ResponseSignature`), as kiosks learn it at enrollment.
    let responseKey: Data

    struct Context: RequestContext {
        var coreContext: CoreRequestContextStorage
        /// To drop the connection without an answer (a fault).
        let channel: any Channel

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            channel = source.channel
        }
    }

    func router() -> Router<Context> {
        let router = Router(context: Context.self)
        router.post(RouterPath(Endpoint.enrollments)) { request, _ in try await enroll(request) }
        router.post(RouterPath(Endpoint.records)) { request, context in
            try await signed(request, context) { body, kiosk in
                let batch = try APIJSON.decoder().decode(RecordBatch.self, from: body)
                guard !batch.records.isEmpty, batch.records.count <= Endpoint.maximumBatch else {
                    return problem(413, "batch-size", "send 1 to \(Endpoint.maximumBatch) records per request")
                }
                var results =
                    try faults.rejectReason.map { reason in
                        batch.records.map { RecordResult(id: $0.id, status: .rejected, reason: reason) }
                    } ?? store.apply(batch.records, from: kiosk)
                results += faults.acknowledgeUnsent.map { RecordResult(id: $0, status: .accepted) }
                return try json(200, RecordBatchResult(results: results))
            }
        }
        router.post(RouterPath(Endpoint.tickets)) { request, context in
            try await signed(request, context) { body, kiosk in
                let batch = try APIJSON.decoder().decode(TicketBatch.self, from: body)
                guard !batch.tickets.isEmpty, batch.tickets.count <= Endpoint.maximumBatch else {
                    return problem(413, "batch-size", "send 1 to \(Endpoint.maximumBatch) tickets per request")
                }
                return try json(200, RecordBatchResult(results: try store.apply(batch.tickets, from: kiosk)))
            }
        }
        router.post(RouterPath(Endpoint.heartbeats)) { request, context in
            try await signed(request, context) { body, kiosk in
                let heartbeat = try APIJSON.decoder().decode(Heartbeat.self, from: body)
                guard heartbeat.kioskId == kiosk.id else {
                    return problem(400, "wrong-kiosk", "kioskId is not the kiosk that signed the request")
                }
                try store.saveHeartbeat(heartbeat, body: body)
                return Response(status: .noContent)
            }
        }
        router.post(RouterPath(Endpoint.surveys)) { request, context in
            try await signed(request, context) { body, kiosk in
                let day = try APIJSON.decoder().decode(SurveyDay.self, from: body)
                guard day.kioskId == kiosk.id else {
                    return problem(400, "wrong-kiosk", "kioskId is not the kiosk that signed the request")
                }
                guard let last = CalendarDate(iso: day.date), !day.services.isEmpty,
                    day.from.map({ CalendarDate(iso: $0).map { $0 <= last } ?? false }) ?? true,
                    day.services.allSatisfy({
                        let counts = [$0.verySatisfied, $0.satisfied, $0.dissatisfied, $0.veryDissatisfied]
                        return !$0.service.isEmpty && counts.allSatisfy { $0 >= 0 }
                            && counts.reduce(0, +) >= SurveyDay.minimumCellAnswers
                    })
                else {
                    return problem(
                        400, "bad-survey",
                        "a date YYYY-MM-DD (and from, not after it) and at least one service, each with counts of 0 or "
                            + "more and at least \(SurveyDay.minimumCellAnswers) answers in all")
                }
                try store.saveSurveyDay(day, body: body)
                return Response(status: .noContent)
            }
        }
        router.get(RouterPath(Endpoint.registry)) { request, context in
            try await signed(request, context) { _, kiosk in
                let cursor = request.uri.queryParameters.get("cursor")
                let limit = request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 500
                guard let after = cursor.map({ Int64($0) }) ?? 0, (1...1000).contains(limit) else {
                    return problem(400, "bad-cursor", "cursor must come from a previous page; limit 1-1000")
                }
                return try json(200, try store.registryPage(villageCode: kiosk.villageCode, after: after, limit: limit))
            }
        }
        router.get(RouterPath(Endpoint.pickups)) { request, context in
            try await signed(request, context) { _, kiosk in
                let cursor = request.uri.queryParameters.get("cursor")
                let limit = request.uri.queryParameters.get("limit").flatMap(Int.init) ?? 10
                guard let after = cursor.map({ Int64($0) }) ?? 0, (1...100).contains(limit) else {
                    return problem(400, "bad-cursor", "cursor must come from a previous page; limit 1-100")
                }
                return try json(200, try store.pickupPage(villageCode: kiosk.villageCode, after: after, limit: limit))
            }
        }
        router.get(RouterPath(Endpoint.board)) { request, context in
            try await signed(request, context) { _, kiosk in
                guard let (etag, body) = try store.board(villageCode: kiosk.villageCode) else {
                    return problem(404, "no-board", "the province has no board for village \(kiosk.villageCode) yet")
                }
                if request.headers[.ifNoneMatch] == etag {
                    return Response(status: .notModified, headers: [.eTag: etag])
                }
                return Response(
                    status: .ok, headers: [.contentType: APIJSON.mediaType, .eTag: etag],
                    body: .init(byteBuffer: ByteBuffer(bytes: body)))
            }
        }
        router.get(RouterPath(Endpoint.kioskKeys)) { _, _ in try json(200, KioskKeys(keys: try store.keys())) }
        router.get(RouterPath(Endpoint.letterVerification)) { request, _ in
            guard let seal = request.uri.queryParameters.get("seal") else {
                return problem(400, "missing-parameter", "give seal: the letter QR's text (VK1:... or its link)")
            }
            return try json(200, try LetterCheck(store: store).verify(seal))
        }
        // The page a letter's QR opens. Every answer is a page, a damaged or missing payload too: whoever scanned it
        // reads what went wrong instead of an error.
        router.get(RouterPath(Endpoint.letterPage)) { request, _ in
            let scanned = request.uri.queryParameters.get(LetterSeal.queryName) ?? ""
            let check = try LetterCheck(store: store).verify(scanned)
            var headers = HTTPFields()
            for (name, value) in VerificationPage.headers { headers[HTTPField.Name(name)!] = value }
            return Response(
                status: .ok, headers: headers,
                body: .init(byteBuffer: ByteBuffer(string: VerificationPage.html(check))))
        }
        return router
    }

    // MARK: Handlers

    private func enroll(_ request: Request) async throws -> Response {
        var request = request
        let body = Data((try await request.collectBody(upTo: 1 << 16)).readableBytesView)
        guard let enrollment = try? APIJSON.decoder().decode(EnrollmentRequest.self, from: body),
            let key = Data(base64Encoded: enrollment.publicKey), key.count == 32
        else {
            return problem(400, "bad-request", "expected token, publicKey (32 bytes, base64) and softwareVersion")
        }
        switch try store.enroll(token: enrollment.token, publicKey: key) {
        case .enrolled(let enrolled):
            logger.info("kiosk enrolled", metadata: ["kiosk": "\(enrolled.kioskId)"])
            return try json(201, enrolled)
        case .unknownToken: return problem(403, "unknown-token", "the token is not known: ask the province for one")
        case .tokenUsed: return problem(403, "token-used", "the token was already used: ask the province for a new one")
        }
    }

    /// A signed request's answer, whatever it is (refusals and injected faults too), signed with the server's key and
    /// bound to the request's own `Signature-Input`.
    private func signed(
        _ request: Request, _ context: Context,
        _ handler: (Data, APIStore.Kiosk) async throws -> Response
    ) async throws -> Response {
        let requestInput = request.headers[.init(MessageSignature.inputHeaderName)!] ?? ""
        var response = try await answer(request, context, handler)
        if faults.answerSignature == .unsigned { return response }
        let collected = BodyCollector()
        try await response.body.write(collected)
        let body = collected.bytes
        let digest = ContentDigest.header(for: body)
        let key =
            faults.answerSignature == .foreign
            ? Curve25519.Signing.PrivateKey() : try Curve25519.Signing.PrivateKey(rawRepresentation: responseKey)
        let (input, signature) = try ResponseSignature.sign(
            .init(status: Int(response.status.code), contentDigest: digest, requestSignatureInput: requestInput),
            created: faults.now, keyID: "province", with: key)
        response.headers[.init(ContentDigest.headerName)!] = digest
        response.headers[.init(ResponseSignature.inputHeaderName)!] = input
        response.headers[.init(ResponseSignature.headerName)!] = signature
        response.body = .init(byteBuffer: ByteBuffer(bytes: body))
        return response
    }

    /// Faults first, then the signature, the nonce and the handler; a lost answer is decided before and applied
    /// after the handler committed.
    private func answer(
        _ request: Request, _ context: Context,
        _ handler: (Data, APIStore.Kiosk) async throws -> Response
    ) async throws -> Response {
        let fault = faults.draw()
        if faults.delay > .zero { try await Task.sleep(for: faults.delay) }
        switch fault {
        case .drop:
            try await context.channel.close()
            return Response(status: .internalServerError)
        case .status(let status):
            var response = problem(status, "injected", "a fault injected by kiosk-sim api")
            if let after = faults.retryAfterSeconds, status == 429 || status == 503 {
                response.headers[.retryAfter] = "\(after)"
            }
            return response
        case .loseAnswer, nil: break
        }
        var request = request
        let body = Data((try await request.collectBody(upTo: 8 << 20)).readableBytesView)
        let message = MessageSignature.Message(
            method: request.method.rawValue, path: request.uri.path, query: request.uri.query ?? "",
            contentDigest: request.headers[.init(ContentDigest.headerName)!] ?? "")
        let now = faults.now
        let kiosk: APIStore.Kiosk
        do {
            var found: APIStore.Kiosk?
            let parameters = try MessageSignature.verify(
                message, body: body, signatureInput: request.headers[.init(MessageSignature.inputHeaderName)!],
                signature: request.headers[.init(MessageSignature.headerName)!], now: now
            ) { keyID in
                found = try? store.kiosk(keyID)
                return found.flatMap { try? .init(rawRepresentation: $0.publicKey) }
            }
            guard let found else { throw SignatureRejection.unknownKiosk }
            guard
                try store.useNonce(parameters.nonce, keyID: parameters.keyID, now: now, window: MessageSignature.window)
            else { throw SignatureRejection.replayedNonce }
            kiosk = found
        } catch let rejection as SignatureRejection {
            logger.notice("signature refused", metadata: ["code": "\(rejection.rawValue)"])
            return problem(401, rejection.rawValue, rejection.detail)
        }
        let response: Response
        do {
            response = try await handler(body, kiosk)
        } catch is DecodingError {
            return problem(400, "bad-body", "the body does not match the contract (api/provincial-api.yaml)")
        }
        if fault == .loseAnswer {
            try await context.channel.close()
        }
        return response
    }

    /// Reads a response body back, to sign it.
    private final class BodyCollector: ResponseBodyWriter, @unchecked Sendable {
        private(set) var bytes = Data()
        func write(_ buffer: ByteBuffer) async throws { bytes.append(contentsOf: buffer.readableBytesView) }
        func finish(_ trailingHeaders: HTTPFields?) async throws {}
    }

    private func json(_ status: Int, _ value: some Encodable) throws -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: APIJSON.mediaType],
            body: .init(byteBuffer: ByteBuffer(bytes: try APIJSON.encoder().encode(value))))
    }

    private func problem(_ status: Int, _ code: String, _ detail: String) -> Response {
        let body = Problem(
            title: HTTPResponse.Status(code: status).reasonPhrase, status: status, code: code, detail: detail)
        // The Date lets a kiosk whose clock is off correct its signature's `created` (stale-signature).
        return Response(
            status: .init(code: status), headers: [.contentType: APIJSON.problemMediaType, .date: Self.httpDate()],
            body: .init(byteBuffer: ByteBuffer(bytes: (try? APIJSON.encoder().encode(body)) ?? Data())))
    }

    static func httpDate(_ date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.string(from: date)
    }
}
