// Most of CLinuxIO is in include/CLinuxIO.h; SwiftPM wants one source file per C target. What needs _GNU_SOURCE
// lives here, so the header stays free of feature macros.
#define _GNU_SOURCE
#include <fcntl.h>
#include <unistd.h>

#include "CLinuxIO.h"

int kiosk_wake_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC | O_NONBLOCK); }

#include <spawn.h>

int kiosk_cloexec_pipe(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int kiosk_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest) {
    return posix_spawn_file_actions_addclosefrom_np(actions, lowest);
}

#include <signal.h>
#include <sys/ioctl.h>

// The console to give back, read by the crash handler: plain ints, written before the handler is installed.
static volatile sig_atomic_t console_fd = -1;
static volatile sig_atomic_t console_keyboard_mode = 0;
static const int crash_signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP};
#define CRASH_SIGNAL_COUNT (sizeof crash_signals / sizeof crash_signals[0])
// What was installed before (the Swift runtime's backtracer, or the default): put back before re-raising.
static struct sigaction previous_actions[CRASH_SIGNAL_COUNT];
static volatile sig_atomic_t installed = 0;

static void restore_console_and_reraise(int signal_number) {
    int fd = console_fd;
    if (fd >= 0) {
        // ioctl(2) is async-signal-safe; nothing here allocates or locks.
        ioctl(fd, KDSETMODE, (unsigned long)KD_TEXT);
        ioctl(fd, KDSKBMODE, (unsigned long)console_keyboard_mode);
        struct vt_mode mode = {.mode = VT_AUTO};
        ioctl(fd, VT_SETMODE, &mode);
    }
    // The previous action back (the Swift backtracer or the default), then the signal again: it is delivered once
    // this handler returns (it is blocked inside it), and the process crashes the way it would have without us.
    for (unsigned i = 0; i < CRASH_SIGNAL_COUNT; i++) {
        if (crash_signals[i] == signal_number) sigaction(signal_number, &previous_actions[i], NULL);
    }
    raise(signal_number);
}

void kiosk_console_restore_on_crash(int fd, int keyboard_mode) {
    console_keyboard_mode = keyboard_mode;
    console_fd = fd;
    if (fd < 0) {
        if (installed) {
            for (unsigned i = 0; i < CRASH_SIGNAL_COUNT; i++) sigaction(crash_signals[i], &previous_actions[i], NULL);
            installed = 0;
        }
        return;
    }
    if (installed) return;
    struct sigaction action = {0};
    sigemptyset(&action.sa_mask);
    action.sa_handler = restore_console_and_reraise;
    for (unsigned i = 0; i < CRASH_SIGNAL_COUNT; i++) sigaction(crash_signals[i], &action, &previous_actions[i]);
    installed = 1;
}

#include <stdlib.h>

int kiosk_open_pty(char *name, unsigned long length) {
    int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) return -1;
    if (grantpt(master) != 0 || unlockpt(master) != 0 || ptsname_r(master, name, length) != 0) {
        close(master);
        return -1;
    }
    return master;
}
