import CPCSC
import Glibc

/// Every pcsc-lite call goes through here: the one file that touches the C API, checks its return codes and turns
/// them into `PCSCError`s. Nothing outside Drivers/SmartCard sees a `DWORD` or an `SCARDHANDLE`.
enum PCSC {
    typealias Context = SCARDCONTEXT
    typealias Handle = SCARDHANDLE

    static func check(_ result: LONG, _ call: String) throws(PCSCError) {
        guard result == kiosk_SCARD_S_SUCCESS else { throw PCSCError(code: Int(result), call: call) }
    }

    /// `SCardEstablishContext` with system scope.
    static func establishContext() throws(PCSCError) -> Context {
        var context: SCARDCONTEXT = 0
        try check(SCardEstablishContext(DWORD(SCARD_SCOPE_SYSTEM), nil, nil, &context), "SCardEstablishContext")
        return context
    }

    /// `SCardReleaseContext`; errors are ignored, the context is gone either way.
    static func releaseContext(_ context: Context) {
        _ = SCardReleaseContext(context)
    }

    /// `SCardCancel`: the one call pcsc-lite allows from another thread, to end a `SCardGetStatusChange` wait.
    static func cancel(_ context: Context) {
        _ = SCardCancel(context)
    }

    /// `SCardListReaders`, split from its double-NUL-terminated multi-string. No readers is an empty list.
    static func listReaders(_ context: Context) throws(PCSCError) -> [String] {
        var length: DWORD = 0
        var result = SCardListReaders(context, nil, nil, &length)
        if result == kiosk_SCARD_E_NO_READERS_AVAILABLE { return [] }
        try check(result, "SCardListReaders")
        var buffer = [CChar](repeating: 0, count: Int(length))
        result = SCardListReaders(context, nil, &buffer, &length)
        if result == kiosk_SCARD_E_NO_READERS_AVAILABLE { return [] }
        try check(result, "SCardListReaders")
        return buffer.split(separator: 0).map { String(decoding: $0.map { UInt8(bitPattern: $0) }, as: UTF8.self) }
    }

    /// What one reader looks like to `SCardGetStatusChange`.
    struct ReaderState {
        var name: String
        var current: DWORD
        var event: DWORD = 0
        var atr: [UInt8] = []
    }

    /// `SCardGetStatusChange`: blocks until a reader's state differs from `current` or the wait is cancelled.
    /// Returns the states with `event` and `atr` filled in.
    static func getStatusChange(_ context: Context, _ states: [ReaderState], timeoutMilliseconds: DWORD? = nil)
        throws(PCSCError) -> [ReaderState]
    {
        // The C structs point at the reader names: keep those C strings alive for the whole call.
        let names = states.map { strdup($0.name)! }
        defer { names.forEach { free($0) } }
        var raw = states.enumerated().map { index, state in
            var s = SCARD_READERSTATE()
            s.szReader = UnsafePointer(names[index])
            s.dwCurrentState = state.current
            return s
        }
        let result = SCardGetStatusChange(context, timeoutMilliseconds ?? kiosk_INFINITE, &raw, DWORD(raw.count))
        try check(result, "SCardGetStatusChange")
        return zip(states, raw).map { state, s in
            var updated = state
            updated.event = s.dwEventState
            updated.atr = withUnsafeBytes(of: s.rgbAtr) { Array($0.prefix(Int(s.cbAtr))) }
            return updated
        }
    }

    /// `SCardConnect` in shared mode, T=0 or T=1; returns the handle and the protocol the card chose.
    static func connect(_ context: Context, reader: String) throws(PCSCError) -> (Handle, DWORD) {
        var handle: SCARDHANDLE = 0
        var active: DWORD = 0
        try check(
            SCardConnect(
                context, reader, DWORD(SCARD_SHARE_SHARED), kiosk_SCARD_PROTOCOL_T0 | kiosk_SCARD_PROTOCOL_T1, &handle,
                &active),
            "SCardConnect")
        return (handle, active)
    }

    /// `SCardDisconnect`, leaving the card as it is.
    static func disconnect(_ handle: Handle) {
        _ = SCardDisconnect(handle, DWORD(SCARD_LEAVE_CARD))
    }

    /// `SCardTransmit` of one command APDU; returns the raw response (data and status word).
    static func transmit(_ handle: Handle, protocol active: DWORD, _ command: [UInt8]) throws(PCSCError) -> [UInt8] {
        var response = [UInt8](repeating: 0, count: 65_538)  // the longest extended response: 65536 + SW1 SW2
        var length = DWORD(response.count)
        let result = command.withUnsafeBufferPointer { send in
            SCardTransmit(handle, kiosk_pci(active), send.baseAddress, DWORD(send.count), nil, &response, &length)
        }
        try check(result, "SCardTransmit")
        return Array(response.prefix(Int(length)))
    }

    static func code(_ code: PCSCCode) -> Int {
        let value: LONG =
            switch code {
            case .cancelled: kiosk_SCARD_E_CANCELLED
            case .timeout: kiosk_SCARD_E_TIMEOUT
            case .noReadersAvailable: kiosk_SCARD_E_NO_READERS_AVAILABLE
            case .noService: kiosk_SCARD_E_NO_SERVICE
            case .serviceStopped: kiosk_SCARD_E_SERVICE_STOPPED
            case .invalidHandle: kiosk_SCARD_E_INVALID_HANDLE
            case .unknownReader: kiosk_SCARD_E_UNKNOWN_READER
            case .readerUnavailable: kiosk_SCARD_E_READER_UNAVAILABLE
            case .noSmartcard: kiosk_SCARD_E_NO_SMARTCARD
            case .protocolMismatch: kiosk_SCARD_E_PROTO_MISMATCH
            case .sharingViolation: kiosk_SCARD_E_SHARING_VIOLATION
            case .insufficientBuffer: kiosk_SCARD_E_INSUFFICIENT_BUFFER
            case .notTransacted: kiosk_SCARD_E_NOT_TRANSACTED
            case .commDataLost: kiosk_SCARD_E_COMM_DATA_LOST
            case .noAccess: kiosk_SCARD_E_NO_ACCESS
            case .removedCard: kiosk_SCARD_W_REMOVED_CARD
            case .resetCard: kiosk_SCARD_W_RESET_CARD
            case .unresponsiveCard: kiosk_SCARD_W_UNRESPONSIVE_CARD
            case .unpoweredCard: kiosk_SCARD_W_UNPOWERED_CARD
            case .commError: kiosk_SCARD_F_COMM_ERROR
            case .readerUnsupported: kiosk_SCARD_E_READER_UNSUPPORTED
            }
        return Int(value)
    }

    /// Reader state bits (`SCARD_STATE_*`).
    static let stateChanged = DWORD(SCARD_STATE_CHANGED)
    static let statePresent = DWORD(SCARD_STATE_PRESENT)
    static let stateUnknown = DWORD(SCARD_STATE_UNKNOWN)
    static let stateUnavailable = DWORD(SCARD_STATE_UNAVAILABLE)
    static let stateMute = DWORD(SCARD_STATE_MUTE)
    /// The pseudo reader whose state changes when a reader is plugged in or out.
    static let plugAndPlayReader = "\\\\?PnP?\\Notification"
}
