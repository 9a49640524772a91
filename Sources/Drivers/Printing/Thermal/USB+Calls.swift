import CLibUSB

/// Every libusb call of the USB thermal transport: the one file that touches libusb, maps its error codes and
/// keeps its handles. A session is one job: context, device, claimed interface, released and closed at the end.
final class USBSession {
    private let context: OpaquePointer
    private let handle: OpaquePointer
    private let interface: Int32
    let inEndpoint: UInt8?
    let outEndpoint: UInt8

    /// Finds the first device `vendor:product` with a printer-class interface (7), reads its bulk endpoints from
    /// the descriptors (they differ between clones: never assume 0x81/0x01), opens it and claims the interface.
    /// `detachKernelDriver` lets libusb take the printer from usblp (off where that fails, e.g. under umockdev).
    init(vendor: UInt16, product: UInt16, detachKernelDriver: Bool) throws(ThermalError) {
        let name = String(format: "usb:%04x:%04x", vendor, product)
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
                    if endpoint.bEndpointAddress & 0x80 != 0 { input = endpoint.bEndpointAddress } else {
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
            let result = libusb_bulk_transfer(handle, outEndpoint, &part, Int32(part.count), &transferred, timeoutMilliseconds)
            offset += Int(transferred)
            if result == LIBUSB_ERROR_TIMEOUT.rawValue, stalls < 6 {
                stalls += 1
                continue
            }
            guard result == 0 else { throw .connectionLost(Self.describe(result)) }
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
        guard result == 0 else { throw .connectionLost(Self.describe(result)) }
        return Array(buffer.prefix(Int(transferred)))
    }

    private static func check(_ result: Int32, _ name: String) throws(ThermalError) {
        guard result == 0 else { throw .unreachable(name, describe(result)) }
    }

    /// `libusb_strerror`, with what to do for the common ones.
    static func describe(_ code: Int32) -> String {
        let text = String(cString: libusb_strerror(code))
        switch code {
        case LIBUSB_ERROR_ACCESS.rawValue: return text + "; the kiosk user needs the udev rule for thermal printers"
        case LIBUSB_ERROR_BUSY.rawValue: return text + "; usblp or another program holds it (detach, or use /dev/usb/lp0)"
        case LIBUSB_ERROR_NO_DEVICE.rawValue: return text + "; the printer was unplugged"
        default: return text
        }
    }
}
