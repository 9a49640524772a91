// Linux ioctls for Swift. Their request numbers are function-like macros (_IOW, EVIOCGABS(abs)) that Swift cannot
// import: they are wrapped here, so no Swift file ever spells an ioctl number.
#ifndef KIOSK_CLINUXIO_H
#define KIOSK_CLINUXIO_H

#include <linux/input.h>
#include <linux/lp.h>
#include <sys/ioctl.h>
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

#endif
