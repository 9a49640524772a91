// libcups for Swift. Debian 12's libcups2-dev ships no cups.pc (only cups-config, whose --cflags is empty), so the
// modulemap links "cups" directly. CUPS_FORMAT_PDF is a string macro; it is re-exported here as a constant so the
// one place that spells a document format is the library's own header.
#ifndef KIOSK_CCUPS_SHIM_H
#define KIOSK_CCUPS_SHIM_H

#include <cups/cups.h>

static const char *const kiosk_CUPS_FORMAT_PDF = CUPS_FORMAT_PDF;
// A document cupsd passes to the printer as it is, through no filter (a signed PDF that must not be rewritten).
static const char *const kiosk_CUPS_FORMAT_RAW = CUPS_FORMAT_RAW;

#endif
