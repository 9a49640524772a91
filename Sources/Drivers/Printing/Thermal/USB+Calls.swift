import CLibUSB
import Foundation

/// Every libusb call of the USB thermal transport: the one file that touches libusb, maps its error codes and
/// keeps its handles. A session is one job: context, device, claimed interface, released and closed at the end.
final class USBSession {
    private let context: OpaquePointer
    private let handle: OpaquePointer
    private let interface: Int32
    let inEndpoint: UInt8?
    let outEndpoint: UInt8
    let name: String

    /// Finds the first device `vendor:product` with a printer-class interface (7), reads its bulk endpoints from
    /// the descriptors (they differ between clones: never assume 0x81/0x01), opens it and claims the interface.
    /// `detachKernelDriver` lets libusb take the printer from usblp (off where that fails, e.g. under umockdev).
    init(vendor: UInt16, product: UInt16, detachKernelDriver: Bool) throws(ThermalError) {
        let name = String(format: "usb:%04x:%04x", vendor, product)
        self.name = name
        var context: OpaquePointer?
        try Self.check(libusb_init(&context), name)
        self.context = context!
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context, &list)
        defer { if let list { libusb_free_device_list(list, 1) } }
        var found: (OpaquePointer, Int32, UInt8?, UInt8)?
        for index in 0..<max(count, 0) {
            guard let device = list?[index] else { continue }
            var descriptor = libusb_device_descriptor()
            guard libusb_get_device_descriptor(device, &descriptor) == 0, descriptor.idVendor == vendor,
                descriptor.idProduct == product, let endpoints = Self.printerEndpoints(device)
            else { continue }
            found = (device, endpoints.interface, endpoints.in, endpoints.out)
            break
        }
        guard let (device, interface, inEndpoint, outEndpoint) = found else {
            libusb_exit(context)
            throw .unreachable(name, "no such printer is plugged in (lsusb lists the USB devices)")
        }
        var handle: OpaquePointer?
        let opened = libusb_open(device, &handle)
        guard opened == 0, let handle else {
            libusb_exit(context)
            throw .unreachable(name, Self.describe(opened))
        }
        if detachKernelDriver { _ = libusb_set_auto_detach_kernel_driver(handle, 1) }
        let claimed = libusb_claim_interface(handle, interface)
        guard claimed == 0 else {
            libusb_close(handle)
            libusb_exit(context)
            throw .unreachable(name, Self.describe(claimed))
        }
        self.handle = handle
        self.interface = interface
        self.inEndpoint = inEndpoint
        self.outEndpoint = outEndpoint
    }

    deinit {
        libusb_release_interface(handle, interface)
        libusb_close(handle)
        libusb_exit(context)
    }

    /// The printer-class interface and its bulk endpoints, from the active configuration's descriptors.
    private static func printerEndpoints(_ device: OpaquePointer) -> (interface: Int32, in: UInt8?, out: UInt8)? {
        var config: UnsafeMutablePointer<libusb_config_descriptor>?
        guard libusb_get_active_config_descriptor(device, &config) == 0, let config else { return nil }
        defer { libusb_free_config_descriptor(config) }
        for i in 0..<Int(config.pointee.bNumInterfaces) {
            let interface = config.pointee.interface[i]
            for a in 0..<Int(interface.num_altsetting) {
                let setting = interface.altsetting[a]
                guard setting.bInterfaceClass == UInt8(LIBUSB_CLASS_PRINTER.rawValue) else { continue }
                var input: UInt8?
                var output: UInt8?
                for e in 0..<Int(setting.bNumEndpoints) {
                    let endpoint = setting.endpoint[e]
                    guard endpoint.bmAttributes & 0x03 == UInt8(LIBUSB_TRANSFER_TYPE_BULK.rawValue) else { continue }
                    if endpoint.bEndpointAddress & 0x80 != 0 {
                        input = endpoint.bEndpointAddress
                    } else {
                        output = endpoint.bEndpointAddress
                    }
                }
                if let output { return (Int32(setting.bInterfaceNumber), input, output) }
            }
        }
        return nil
    }

    /// `libusb_bulk_transfer` OUT until every byte is out, in chunks, resuming after a timeout from what was
    /// transferred (a printer busy printing takes its buffer slowly).
    func write(_ bytes: [UInt8], chunk: Int = 4096, timeoutMilliseconds: UInt32 = 5000) throws(ThermalError) {
        var offset = 0
        var stalls = 0
        while offset < bytes.count {
            var part = Array(bytes[offset..<min(offset + chunk, bytes.count)])
            var transferred: Int32 = 0
            let result = libusb_bulk_transfer(
                handle, outEndpoint, &part, Int32(part.count), &transferred, timeoutMilliseconds)
            offset += Int(transferred)
            if result == LIBUSB_ERROR_TIMEOUT.rawValue, stalls < 6 {
                stalls += 1
                continue
            }
            guard result == 0 else { throw failure(result) }
            stalls = 0
        }
    }

    /// What the printer sends back within `timeoutMilliseconds`; empty on timeout or without an IN endpoint.
    func read(timeoutMilliseconds: UInt32) throws(ThermalError) -> [UInt8] {
        guard let inEndpoint else { return [] }
        var buffer = [UInt8](repeating: 0, count: 64)
        var transferred: Int32 = 0
        let result = libusb_bulk_transfer(handle, inEndpoint, &buffer, 64, &transferred, timeoutMilliseconds)
        if result == LIBUSB_ERROR_TIMEOUT.rawValue { return [] }
        guard result == 0 else { throw failure(result) }
        return Array(buffer.prefix(Int(transferred)))
    }

    /// A transfer's error; `LIBUSB_ERROR_NO_DEVICE` (and the `-108`/ESHUTDOWN an in-flight URB may end with,
    /// which libusb also reports as NO_DEVICE) says the printer left rather than the cable being flaky.
    private func failure(_ result: Int32) -> ThermalError {
        result == LIBUSB_ERROR_NO_DEVICE.rawValue ? .unplugged(name) : .connectionLost(Self.describe(result))
    }

    private static func check(_ result: Int32, _ name: String) throws(ThermalError) {
        guard result == 0 else { throw .unreachable(name, describe(result)) }
    }

    /// `libusb_strerror`, with what to do for the common ones.
    static func describe(_ code: Int32) -> String {
        let text = String(cString: libusb_strerror(code))
        switch code {
        case LIBUSB_ERROR_ACCESS.rawValue: return text + "; the kiosk user needs the udev rule for thermal printers"
        case LIBUSB_ERROR_BUSY.rawValue:
            return text + "; usblp or another program holds it (detach, or use /dev/usb/lp0)"
        case LIBUSB_ERROR_NO_DEVICE.rawValue: return text + "; the printer was unplugged"
        default: return text
        }
    }
}

/// Follows one printer (`vendor:product`) plugging in and out, for the life of the process.
///
/// Where libusb has hotplug (`libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG)`: Linux with udev or netlink), a
/// callback registered with `libusb_hotplug_register_callback` notes ARRIVED and LEFT, driven by a thread of its
/// own blocked in `libusb_handle_events_completed` (libusb's own 60 s poll is its only wake-up). The callback only
/// notes the change and wakes waiters: libusb forbids synchronous I/O inside it.
///
/// The fallback is a rescan (`libusb_init` + `libusb_get_device_list` in a fresh context, so sysfs is read again)
/// and it runs only while a job waits for the printer: every second without hotplug, every five seconds with it,
/// because an unprivileged container can have the capability and still never see a uevent. An idle kiosk never
/// rescans.
final class USBPresence: @unchecked Sendable {
    /// What a watcher hears: the printer came, went, or a job started waiting for it.
    let events: AsyncStream<USBPrinterEvent>
    private let continuation: AsyncStream<USBPrinterEvent>.Continuation
    let vendor: UInt16
    let product: UInt16
    // Guards everything below; waiters sleep on it. A condition rather than a Mutex because a job blocks (on its
    // BlockingQueue thread, never the concurrency pool) until the printer returns.
    private let condition = NSCondition()
    private var started = false
    private var present = false
    private var hotplug = false

    init(vendor: UInt16, product: UInt16) {
        self.vendor = vendor
        self.product = product
        (events, continuation) = AsyncStream.makeStream(of: USBPrinterEvent.self, bufferingPolicy: .bufferingNewest(32))
    }

    /// Registers the hotplug callback (with `LIBUSB_HOTPLUG_ENUMERATE`, so a printer already plugged in is noted
    /// before this returns) and starts the event thread; without hotplug, scans once. Idempotent.
    func start() {
        condition.lock()
        defer { condition.unlock() }
        guard !started else { return }
        started = true
        var context: OpaquePointer?
        guard libusb_init(&context) == 0, let context else { return }
        guard libusb_has_capability(UInt32(LIBUSB_CAP_HAS_HOTPLUG.rawValue)) != 0 else {
            libusb_exit(context)
            present = Self.scan(vendor: vendor, product: product)
            return
        }
        let callback: libusb_hotplug_callback_fn = { _, _, event, userData in
            guard let userData else { return 0 }
            let presence = Unmanaged<USBPresence>.fromOpaque(userData).takeUnretainedValue()
            presence.noted(present: event == LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, locked: presence.isEnumerating)
            return 0  // stay armed
        }
        let events = Int32(LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED.rawValue | LIBUSB_HOTPLUG_EVENT_DEVICE_LEFT.rawValue)
        // The ENUMERATE arrival comes from inside the register call, on this thread, with the lock held.
        isEnumerating = true
        let registered = libusb_hotplug_register_callback(
            context, events, Int32(LIBUSB_HOTPLUG_ENUMERATE.rawValue), Int32(vendor), Int32(product),
            LIBUSB_HOTPLUG_MATCH_ANY, callback, Unmanaged.passUnretained(self).toOpaque(), nil)
        isEnumerating = false
        guard registered == 0 else {
            libusb_exit(context)
            present = Self.scan(vendor: vendor, product: product)
            return
        }
        hotplug = true
        hotplugContext = context
        // The thread (and so this object, which it retains) lives as long as the process: a kiosk has one printer.
        let thread = Thread { [self] in
            while true { libusb_handle_events_completed(hotplugContext, nil) }
        }
        thread.name = "usb-hotplug"
        thread.start()
    }

    /// Set only while the register call enumerates, under the lock, on the thread that holds it.
    private var isEnumerating = false
    /// The hotplug context, set once before the event thread starts and never freed.
    private var hotplugContext: OpaquePointer?

    /// Records a change, idempotently: libusb may report an arrival twice, or a departure never announced.
    private func noted(present now: Bool, locked: Bool) {
        if !locked { condition.lock() }
        defer { if !locked { condition.unlock() } }
        guard present != now else { return }
        present = now
        continuation.yield(now ? .arrived : .left)
        condition.broadcast()
    }

    /// A job met `LIBUSB_ERROR_NO_DEVICE` (or found no printer) before the LEFT event came.
    func gone() { noted(present: false, locked: false) }

    /// Blocks until the printer is plugged in or `timeout` has passed; `true` when it is there. Blocking: call it
    /// from a BlockingQueue, never the concurrency pool.
    func waitForPrinter(timeout: Duration) -> Bool {
        start()
        let deadline = Date(timeIntervalSinceNow: timeout.fractionalSeconds)
        condition.lock()
        defer { condition.unlock() }
        if present { return true }
        continuation.yield(.waiting)
        let rescan: TimeInterval = hotplug ? 5 : 1
        while !present {
            let now = Date()
            guard now < deadline else { return false }
            if !condition.wait(until: min(deadline, now.addingTimeInterval(rescan))) {
                // Never into libusb with the lock held: its event thread may be delivering a callback that
                // waits for the lock while holding libusb's own.
                condition.unlock()
                let found = Self.scan(vendor: vendor, product: product)
                condition.lock()
                if found { noted(present: true, locked: true) }
            }
        }
        return true
    }

    /// Whether `vendor:product` is plugged in, from a fresh context (a context's own list only changes through the
    /// hotplug events a container may never deliver).
    static func scan(vendor: UInt16, product: UInt16) -> Bool {
        var context: OpaquePointer?
        guard libusb_init(&context) == 0, let context else { return false }
        defer { libusb_exit(context) }
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = libusb_get_device_list(context, &list)
        defer { if let list { libusb_free_device_list(list, 1) } }
        for index in 0..<max(count, 0) {
            guard let device = list?[index] else { continue }
            var descriptor = libusb_device_descriptor()
            if libusb_get_device_descriptor(device, &descriptor) == 0, descriptor.idVendor == vendor,
                descriptor.idProduct == product
            {
                return true
            }
        }
        return false
    }
}
