// Most of CLinuxIO is in include/CLinuxIO.h; SwiftPM wants one source file per C target. What needs _GNU_SOURCE
// lives here, so the header stays free of feature macros.
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "CLinuxIO.h"

int kiosk_wake_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC | O_NONBLOCK); }
