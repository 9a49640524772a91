// Linux ioctls for Swift. Their request numbers are function-like macros (_IOW, EVIOCGABS(abs)) that Swift cannot
// import: they are wrapped here, so no Swift file ever spells an ioctl number.
#ifndef KIOSK_CLINUXIO_H
#define KIOSK_CLINUXIO_H

#include <malloc.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <linux/input.h>
#include <linux/kd.h>
#include <linux/lp.h>
#include <linux/tiocl.h>
#include <linux/vt.h>
#include <sys/inotify.h>
#include "Framebuffer.h"
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/timex.h>

/// EVIOCGRAB: 1 takes the device for this process alone (keys no longer reach the console), 0 releases it.
static inline int kiosk_evdev_grab(int fd, int grab) { return ioctl(fd, EVIOCGRAB, grab); }

/// EVIOCGNAME: the device's name into `buffer`.
static inline int kiosk_evdev_name(int fd, char *buffer, int length) { return ioctl(fd, EVIOCGNAME(length), buffer); }

/// EVIOCGABS(axis): range and resolution of an absolute axis.
static inline int kiosk_evdev_abs(int fd, int axis, struct input_absinfo *info) { return ioctl(fd, EVIOCGABS(axis), info); }

/// EVIOCGBIT(type): which codes of an event type the device has.
static inline int kiosk_evdev_bits(int fd, int type, unsigned char *bits, int length) {
    return ioctl(fd, EVIOCGBIT(type, length), bits);
}

/// EVIOCGKEY: which keys (and buttons, BTN_TOUCH) are down now, one bit per code.
static inline int kiosk_evdev_keys(int fd, unsigned char *bits, int length) { return ioctl(fd, EVIOCGKEY(length), bits); }

/// EVIOCGMTSLOTS: the current value of one multi-touch code in every slot. `values[0]` holds the code (e.g.
/// ABS_MT_TRACKING_ID) on entry; the kernel fills `values[1...count]` with slot 0 onwards.
static inline int kiosk_evdev_mt_slots(int fd, int *values, int count) {
    return ioctl(fd, EVIOCGMTSLOTS((unsigned)(count + 1) * sizeof(int)), values);
}

/// The major and minor number of the character device open on `fd` (fstat's st_rdev): the name of its entry in
/// udev's database, /run/udev/data/c<major>:<minor>. -1 with errno when fstat fails.
static inline int kiosk_device_number(int fd, unsigned *major_number, unsigned *minor_number) {
    struct stat info;
    if (fstat(fd, &info) != 0) return -1;
    *major_number = major(info.st_rdev);
    *minor_number = minor(info.st_rdev);
    return 0;
}

/// EVIOCSCLOCKID: the clock the kernel stamps this device's events with (`CLOCK_MONOTONIC` ignores clock changes).
static inline int kiosk_evdev_set_clock(int fd, int clock) { return ioctl(fd, EVIOCSCLOCKID, &clock); }

/// An event's timestamp. `input_event_sec` and `input_event_usec` are macros over the two layouts of
/// `struct input_event`: a `struct timeval` on 64-bit systems, two plain fields on 32-bit ones with 64-bit time.
static inline long long kiosk_input_event_sec(const struct input_event *event) { return event->input_event_sec; }
static inline long long kiosk_input_event_usec(const struct input_event *event) { return event->input_event_usec; }

/// LPGETSTATUS: the printer-port status byte usblp reports for /dev/usb/lp* (LP_POUTPA paper out, LP_PSELECD
/// selected, LP_PERRORP no error); ENOTTY where the node is no printer port (a FIFO in tests).
static inline int kiosk_lp_status(int fd, int *status) { return ioctl(fd, LPGETSTATUS, status); }
static inline int kiosk_lp_paper_out(void) { return LP_POUTPA; }
static inline int kiosk_lp_selected(void) { return LP_PSELECD; }
static inline int kiosk_lp_no_error(void) { return LP_PERRORP; }

// MARK: Virtual terminal (console ownership)

/// KDGETMODE / KDSETMODE: KD_TEXT (fbcon draws text and the cursor) or KD_GRAPHICS (fbcon leaves the screen alone).
/// ENOTTY or EINVAL where the descriptor is no virtual terminal (a pty, a serial line).
static inline int kiosk_kd_get_mode(int fd, int *mode) { return ioctl(fd, KDGETMODE, mode); }
static inline int kiosk_kd_set_mode(int fd, int mode) { return ioctl(fd, KDSETMODE, (unsigned long)mode); }
static inline int kiosk_kd_text(void) { return KD_TEXT; }
static inline int kiosk_kd_graphics(void) { return KD_GRAPHICS; }

/// KDGKBMODE / KDSKBMODE: the keyboard mode; K_OFF stops the VT from turning key presses into characters.
static inline int kiosk_kd_get_keyboard(int fd, int *mode) { return ioctl(fd, KDGKBMODE, mode); }
static inline int kiosk_kd_set_keyboard(int fd, int mode) { return ioctl(fd, KDSKBMODE, (unsigned long)mode); }
static inline int kiosk_kd_keyboard_off(void) { return K_OFF; }

/// VT_SETMODE: VT_PROCESS asks the kernel to signal `release` before switching away from this VT and `acquire`
/// when it comes back (and to wait for VT_RELDISP); VT_AUTO (0) switches without asking.
static inline int kiosk_vt_set_process_mode(int fd, int release, int acquire) {
    struct vt_mode mode = {.mode = VT_PROCESS, .waitv = 0, .relsig = (short)release, .acqsig = (short)acquire};
    return ioctl(fd, VT_SETMODE, &mode);
}
static inline int kiosk_vt_set_auto_mode(int fd) {
    struct vt_mode mode = {.mode = VT_AUTO};
    return ioctl(fd, VT_SETMODE, &mode);
}
/// VT_RELDISP: 1 lets a requested switch away go ahead, VT_ACKACQ acknowledges getting the VT back.
static inline int kiosk_vt_release(int fd) { return ioctl(fd, VT_RELDISP, 1); }
static inline int kiosk_vt_acknowledge_acquire(int fd) { return ioctl(fd, VT_RELDISP, VT_ACKACQ); }

/// No core dump of this process, whatever limits it was started with: RLIMIT_CORE 0 (soft and hard) and not
/// dumpable (which also holds when core_pattern pipes to systemd-coredump, and keeps other processes of the same
/// user from reading its memory through ptrace or /proc/PID/mem). -1 with errno on failure.
static inline int kiosk_forbid_core_dumps(void) {
    struct rlimit none = {0, 0};
    if (setrlimit(RLIMIT_CORE, &none) != 0) return -1;
    return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/// mallopt(M_ARENA_MAX): glibc's malloc makes at most `count` arenas from now on (Glibc's Swift module leaves
/// malloc.h out). 1 on success.
static inline int kiosk_limit_malloc_arenas(int count) { return mallopt(M_ARENA_MAX, count); }

/// malloc_trim(0): gives the kernel back the free pages of every arena, not only at the top of the heap. 1 if any
/// memory was given back.
static inline int kiosk_malloc_trim(void) { return malloc_trim(0); }

/// VT_GETSTATE: the number of the VT on display (1-based); -1 with errno where `fd` is no VT.
static inline int kiosk_vt_active(int fd) {
    struct vt_stat state;
    return ioctl(fd, VT_GETSTATE, &state) == 0 ? state.v_active : -1;
}
/// VT_ACTIVATE: show VT `number`. The switch happens afterwards; a VT in VT_PROCESS mode learns of it by its
/// acquire signal.
static inline int kiosk_vt_activate(int fd, int number) { return ioctl(fd, VT_ACTIVATE, (unsigned long)number); }

/// TIOCLINUX TIOCL_UNBLANKSCREEN: unblank the console now (the escape sequences only change the timeouts).
static inline int kiosk_console_unblank(int fd) {
    char subcode = TIOCL_UNBLANKSCREEN;
    return ioctl(fd, TIOCLINUX, &subcode);
}

/// Installs handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT and SIGTRAP that give the console back (KD_TEXT,
/// the keyboard mode `keyboard_mode`, VT_AUTO) with async-signal-safe ioctls only, then re-raise the signal with
/// its default action, so the crash still dumps core and systemd still sees it. `fd` < 0 removes the handlers.
void kiosk_console_restore_on_crash(int fd, int keyboard_mode);

// MARK: inotify (input hotplug)

static inline int kiosk_inotify_init(void) { return inotify_init1(IN_NONBLOCK | IN_CLOEXEC); }
/// Watch a folder for created entries and changed attributes (udev fixes a new node's group and mode after
/// creating it: IN_ATTRIB says the node became readable).
static inline int kiosk_inotify_watch_folder(int fd, const char *path) {
    return inotify_add_watch(fd, path, IN_CREATE | IN_ATTRIB | IN_MOVED_TO);
}

/// A pseudo-terminal (posix_openpt, grantpt, unlockpt, ptsname_r): the master's descriptor, the slave's path in
/// `name`. A terminal that is no virtual terminal, for tests of the console code (glibc declares these only with
/// _XOPEN_SOURCE).
int kiosk_open_pty(char *name, unsigned long length);


/// adjtimex(2) with modes 0 (read only, needs no privilege): 1 when the kernel's clock is synchronized, 0 when not,
/// -1 with errno when the call is refused (seccomp under ProtectClock=yes). The same test as systemd's ntp_synced(),
/// behind timedatectl's "System clock synchronized": STA_UNSYNC clear and an estimated error below 16 s. Whatever
/// disciplines the clock (timesyncd, chrony, ntpd) clears STA_UNSYNC, so this needs neither D-Bus nor timedated.
static inline int kiosk_clock_synchronized(void) {
    struct timex tx = {0};
    int state = adjtimex(&tx);
    if (state < 0) return -1;
    return (state != TIME_ERROR && !(tx.status & STA_UNSYNC) && tx.maxerror < 16000000) ? 1 : 0;
}

/// pipe2(2) with O_CLOEXEC | O_NONBLOCK, for waking a thread blocked in poll(2) (glibc declares pipe2 only with
/// _GNU_SOURCE, which Swift's Glibc module does not set).
int kiosk_wake_pipe(int fds[2]);

// MARK: Child processes

#include <spawn.h>

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34): the child closes every descriptor from `lowest` up, so it
/// inherits nothing but what the file actions put below it, whatever lacks O_CLOEXEC in the parent.
int kiosk_spawn_close_from(posix_spawn_file_actions_t *actions, int lowest);

/// pipe2(O_CLOEXEC), blocking: a child's standard input (dup2 in the child clears the flag on its copy only).
int kiosk_cloexec_pipe(int fds[2]);

#endif
