// pcsc-lite for Swift. winscard.h defines its status codes as casts, `((LONG)0x80100002)`, which Swift cannot
// import: they are re-exported here as constants, the only place their values are spelled.
#ifndef KIOSK_CPCSC_SHIM_H
#define KIOSK_CPCSC_SHIM_H

#include <PCSC/winscard.h>
#include <PCSC/wintypes.h>
#include <PCSC/reader.h>

static const LONG kiosk_SCARD_S_SUCCESS = SCARD_S_SUCCESS;
static const LONG kiosk_SCARD_E_CANCELLED = SCARD_E_CANCELLED;
static const LONG kiosk_SCARD_E_TIMEOUT = SCARD_E_TIMEOUT;
static const LONG kiosk_SCARD_E_NO_READERS_AVAILABLE = SCARD_E_NO_READERS_AVAILABLE;
static const LONG kiosk_SCARD_E_NO_SERVICE = SCARD_E_NO_SERVICE;
static const LONG kiosk_SCARD_E_SERVICE_STOPPED = SCARD_E_SERVICE_STOPPED;
static const LONG kiosk_SCARD_E_INVALID_HANDLE = SCARD_E_INVALID_HANDLE;
static const LONG kiosk_SCARD_E_UNKNOWN_READER = SCARD_E_UNKNOWN_READER;
static const LONG kiosk_SCARD_E_READER_UNAVAILABLE = SCARD_E_READER_UNAVAILABLE;
static const LONG kiosk_SCARD_E_NO_SMARTCARD = SCARD_E_NO_SMARTCARD;
static const LONG kiosk_SCARD_E_PROTO_MISMATCH = SCARD_E_PROTO_MISMATCH;
static const LONG kiosk_SCARD_E_SHARING_VIOLATION = SCARD_E_SHARING_VIOLATION;
static const LONG kiosk_SCARD_E_INSUFFICIENT_BUFFER = SCARD_E_INSUFFICIENT_BUFFER;
static const LONG kiosk_SCARD_E_NOT_TRANSACTED = SCARD_E_NOT_TRANSACTED;
static const LONG kiosk_SCARD_E_COMM_DATA_LOST = SCARD_E_COMM_DATA_LOST;
static const LONG kiosk_SCARD_E_NO_ACCESS = SCARD_E_NO_ACCESS;
static const LONG kiosk_SCARD_W_REMOVED_CARD = SCARD_W_REMOVED_CARD;
static const LONG kiosk_SCARD_W_RESET_CARD = SCARD_W_RESET_CARD;
static const LONG kiosk_SCARD_W_UNRESPONSIVE_CARD = SCARD_W_UNRESPONSIVE_CARD;
static const LONG kiosk_SCARD_W_UNPOWERED_CARD = SCARD_W_UNPOWERED_CARD;
static const LONG kiosk_SCARD_F_COMM_ERROR = SCARD_F_COMM_ERROR;
static const LONG kiosk_SCARD_E_READER_UNSUPPORTED = SCARD_E_READER_UNSUPPORTED;

static const DWORD kiosk_SCARD_PROTOCOL_T0 = SCARD_PROTOCOL_T0;
static const DWORD kiosk_SCARD_PROTOCOL_T1 = SCARD_PROTOCOL_T1;
static const DWORD kiosk_INFINITE = INFINITE;

/// The protocol control information for a protocol, what SCardTransmit wants as its first argument.
static inline const SCARD_IO_REQUEST *kiosk_pci(DWORD protocol) {
    return protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
}

#endif
