// fbdev ioctls for Swift (linux/fb.h). FBIO_WAITFORVSYNC is an _IOW macro Swift cannot import; the others are
// wrapped too so that every framebuffer request is spelled here and nowhere else.
#ifndef KIOSK_CLINUXIO_FRAMEBUFFER_H
#define KIOSK_CLINUXIO_FRAMEBUFFER_H

#include <linux/fb.h>
#include <sys/ioctl.h>

/// FBIOGET_VSCREENINFO: resolution, virtual size, offsets, bits per pixel, channel layout, panel size in mm.
static inline int kiosk_fb_var_info(int fd, struct fb_var_screeninfo *info) {
    return ioctl(fd, FBIOGET_VSCREENINFO, info);
}

/// FBIOGET_FSCREENINFO: line length (the stride) and the size of the mappable memory.
static inline int kiosk_fb_fix_info(int fd, struct fb_fix_screeninfo *info) {
    return ioctl(fd, FBIOGET_FSCREENINFO, info);
}

/// FBIOPAN_DISPLAY: show the part of the virtual screen at the info's x/y offset.
static inline int kiosk_fb_pan(int fd, struct fb_var_screeninfo *info) { return ioctl(fd, FBIOPAN_DISPLAY, info); }

/// FBIO_WAITFORVSYNC: wait for the next vertical blank of CRTC 0.
static inline int kiosk_fb_wait_vsync(int fd) {
    __u32 crtc = 0;
    return ioctl(fd, FBIO_WAITFORVSYNC, &crtc);
}

/// FBIOBLANK with FB_BLANK_UNBLANK: wake a blanked panel (unimplemented by efifb and simplefb: ignore failure).
static inline int kiosk_fb_unblank(int fd) { return ioctl(fd, FBIOBLANK, FB_BLANK_UNBLANK); }

#endif
