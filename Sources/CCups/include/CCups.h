// libcups for Swift, loaded when the letter printer first needs it rather than linked. libcups.so.2 brings 26 more
// libraries (GnuTLS, Kerberos, Avahi, D-Bus, p11-kit, ...) whose loading, relocation and constructors cost every
// start about 4 ms of CPU and 6 ms of wall time (a C program linked against the kiosk's libraries with and without
// libcups, `perf stat -r 200`), while a kiosk prints its first letter long after READY=1, and one printing on the
// thermal printer or into files never needs libcups at all.
//
// So nothing links libcups: kiosk_cups_load opens it with dlopen and resolves every function the kiosk calls into
// one table whose types come from libcups's own header, so a call through the table is checked like a direct one.
#ifndef KIOSK_CCUPS_H
#define KIOSK_CCUPS_H

#include <cups/cups.h>
#include <stddef.h>

/// The soname kiosk_cups_load opens: Debian 12's libcups2 package.
#define KIOSK_CUPS_LIBRARY "libcups.so.2"

/// Every libcups function Drivers/Printing/CUPS calls, once. A function missing here fails to compile there.
#define KIOSK_CUPS_FUNCTIONS(X) \
    X(cupsCancelDestJob) X(cupsCopyDestInfo) X(cupsCreateDestJob) X(cupsDoRequest) X(cupsFinishDestDocument) \
    X(cupsFreeDestInfo) X(cupsFreeDests) X(cupsGetNamedDest) X(cupsLastError) X(cupsLastErrorString) \
    X(cupsServer) X(cupsSetServer) X(cupsStartDestDocument) X(cupsUser) X(cupsWriteRequestData) \
    X(httpAssembleURI) X(httpClose) X(httpConnect2) X(httpSetTimeout) \
    X(ippAddInteger) X(ippAddString) X(ippAddStrings) X(ippDelete) X(ippErrorString) X(ippFindAttribute) \
    X(ippGetBoolean) X(ippGetCount) X(ippGetInteger) X(ippGetString) X(ippNewRequest) X(ippPort)

/// The functions of KIOSK_CUPS_FUNCTIONS, each a pointer of the type libcups declares it with.
struct kiosk_cups {
#define KIOSK_CUPS_FIELD(name) __typeof__(name) *_Nonnull name;
    KIOSK_CUPS_FUNCTIONS(KIOSK_CUPS_FIELD)
#undef KIOSK_CUPS_FIELD
};

/// dlopen(library, RTLD_NOW | RTLD_LOCAL), then dlsym of every function of the table into `table`. Returns 0, or -1
/// with dlerror's text in `error` (`size` bytes, always terminated); on failure `table` is left unset and the
/// library closed.
int kiosk_cups_load(
    const char *_Nonnull library, struct kiosk_cups *_Nonnull table, char *_Nonnull error, size_t size);

/// A document cupsd passes to the printer as it is, through no filter (a signed PDF that must not be rewritten);
/// CUPS_FORMAT_PDF and CUPS_FORMAT_RAW are string macros, re-exported so the library's own header spells them.
static const char *_Nonnull const kiosk_CUPS_FORMAT_PDF = CUPS_FORMAT_PDF;
static const char *_Nonnull const kiosk_CUPS_FORMAT_RAW = CUPS_FORMAT_RAW;

#endif
