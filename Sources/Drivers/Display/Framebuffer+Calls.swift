import CLinuxIO
import Glibc

/// Every fbdev call goes through here (open, the FBIO ioctls, mmap); each failure becomes a `DisplayError`.
enum FramebufferCalls {
    static func open(_ path: String) throws(DisplayError) -> CInt {
        let fd = Glibc.open(path, O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { throw .system(call: "open", device: path, code: errno) }
        return fd
    }

    static func variableInfo(_ fd: CInt, device: String) throws(DisplayError) -> fb_var_screeninfo {
        var info = fb_var_screeninfo()
        guard kiosk_fb_var_info(fd, &info) == 0 else {
            throw .system(call: "FBIOGET_VSCREENINFO", device: device, code: errno)
        }
        return info
    }

    static func fixedInfo(_ fd: CInt, device: String) throws(DisplayError) -> fb_fix_screeninfo {
        var info = fb_fix_screeninfo()
        guard kiosk_fb_fix_info(fd, &info) == 0 else {
            throw .system(call: "FBIOGET_FSCREENINFO", device: device, code: errno)
        }
        return info
    }

    /// `FBIOBLANK` unblank; efifb and simplefb do not implement it, so its failure means nothing.
    static func unblank(_ fd: CInt) {
        _ = kiosk_fb_unblank(fd)
    }

    /// Whether both `FBIOPAN_DISPLAY` (to the current offsets, changing nothing) and `FBIO_WAITFORVSYNC` work:
    /// only then could flipping between two pages avoid tearing.
    static func canPanAndWait(_ fd: CInt, info: fb_var_screeninfo) -> Bool {
        var info = info
        return kiosk_fb_pan(fd, &info) == 0 && kiosk_fb_wait_vsync(fd) == 0
    }

    /// Shows the page at `yOffset` rows into the virtual screen (`FBIOPAN_DISPLAY`), then waits for the vertical
    /// blank (`FBIO_WAITFORVSYNC`) so that the page left is off the panel before it is drawn on.
    static func show(_ fd: CInt, info: fb_var_screeninfo, yOffset: Int) -> Bool {
        var info = info
        info.yoffset = UInt32(yOffset)
        return kiosk_fb_pan(fd, &info) == 0 && kiosk_fb_wait_vsync(fd) == 0
    }

    /// `mmap` of `length` bytes read-write and shared: drawing into it is drawing on the panel.
    static func map(_ fd: CInt, length: Int, device: String) throws(DisplayError) -> UnsafeMutableRawPointer {
        guard let pointer = mmap(nil, length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), pointer != MAP_FAILED
        else { throw .system(call: "mmap", device: device, code: errno) }
        return pointer
    }

    static func unmap(_ pointer: UnsafeMutableRawPointer, length: Int) {
        munmap(pointer, length)
    }

    static func close(_ fd: CInt) {
        _ = Glibc.close(fd)
    }
}
