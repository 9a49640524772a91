import CLinuxIO
public import Core

/// Turns a touch panel's evdev events into the contacts of one finger (`TouchContact`, calibrated to the display
/// panel), one report at a time: positions and touches are collected until the kernel's `SYN_REPORT` closes the
/// frame, as the evdev protocol asks (linux/Documentation/input/multi-touch-protocol.rst).
///
/// Four protocols, chosen from the axes and keys the device has (EVIOCGBIT(EV_ABS), EVIOCGBIT(EV_KEY)):
/// - single-touch: `ABS_X`/`ABS_Y`, `BTN_TOUCH` 1 and 0;
/// - absolute pointer: `ABS_X`/`ABS_Y` with `BTN_LEFT` and no `BTN_TOUCH`: a USB touch panel that presents itself
///   as an absolute mouse (many cheap resistive kiosk panels; QEMU's usb-tablet), whose button is the finger;
/// - multi-touch protocol B (`ABS_MT_SLOT`): one slot per finger, `ABS_MT_TRACKING_ID` ≥ 0 starts a finger and -1
///   ends it; the first finger down is followed until it lifts, the others are ignored (a kiosk button is pressed
///   with one finger, and a palm resting on the frame must not steal it);
/// - multi-touch protocol A (`ABS_MT_POSITION_X` without slots, older controllers such as the GT9xx): every frame
///   lists the fingers touching, each closed by `SYN_MT_REPORT`; the first is followed, and a frame that lists none
///   means it lifted (the protocol has no release event, so it is synthesised, as LVGL does).
///
/// When the kernel drops events (`SYN_DROPPED`: the reader fell behind), everything up to the next `SYN_REPORT` is
/// discarded and the panel's state is read back from the device, as libevdev does: EVIOCGKEY (`BTN_TOUCH`) and
/// EVIOCGABS (`ABS_X/Y`) for single-touch, EVIOCGMTSLOTS (tracking ids and positions of every slot) for protocol B.
/// The followed finger then goes on where it is; one that lifted during the drop is cancelled (where it lifted is
/// lost, so it must not press), one that touched during it starts. Protocol A needs no query (every frame lists all
/// fingers). Without a `stateSource`, or when the query fails, the finger is cancelled and ignored until it lifts.
public struct TouchPanel: Sendable {
    public enum TouchProtocol: String, Hashable, Sendable {
        case singleTouch = "single-touch"
        case absolutePointer = "absolute pointer"
        case multiTouchB = "multi-touch B"
        case multiTouchA = "multi-touch A"
    }

    public let touchProtocol: TouchProtocol
    public let xRange: AxisRange
    public let yRange: AxisRange
    public let calibration: TouchCalibration

    // The followed finger as of the last SYN_REPORT, and as the current frame changes it.
    private var reported: (down: Bool, x: Int32, y: Int32) = (false, 0, 0)
    private var down = false
    private var x: Int32 = 0
    private var y: Int32 = 0
    /// Protocol B: the slot events now refer to, and the slot of the followed finger.
    private var slot: Int32 = 0
    private var followedSlot: Int32?
    /// Protocol A: whether the current frame already named its first finger, and whether it named any.
    private var frameHasContact = false
    private var contactClosed = false
    /// Protocol A: the contact being described has a position (an empty `SYN_MT_REPORT` says "no fingers").
    private var contactHasPosition = false
    /// After the kernel dropped events (`SYN_DROPPED`), until the next `SYN_REPORT`.
    private var dropping = false
    /// Where the state is read back from after a drop (the device); `nil`: the finger is cancelled instead.
    public var stateSource: (any TouchStateSource)?
    /// Protocol B: how many slots the device has (EVIOCGABS(ABS_MT_SLOT) maximum + 1), and the tracking id of the
    /// followed finger, to tell after a drop whether it is the same finger.
    public var slotCount = 1
    private var followedTrackingID: Int32?
    /// The finger that was down when events were lost is ignored until it lifts.
    private var ignoringUntilLift = false

    /// A decoder for a device with these axes. `x` and `y` are the current axis values (EVIOCGABS gives them), the
    /// position of a finger that is already down when the kiosk starts; `slot` the current protocol-B slot.
    public init(
        touchProtocol: TouchProtocol, xRange: AxisRange, yRange: AxisRange, calibration: TouchCalibration = .identity,
        x: Int32 = 0, y: Int32 = 0, slot: Int32 = 0
    ) {
        self.touchProtocol = touchProtocol
        self.xRange = xRange
        self.yRange = yRange
        self.calibration = calibration
        (self.x, self.y, self.slot) = (x, y, slot)
    }

    /// The decoder for an open device: its protocol from EVIOCGBIT(EV_ABS) and EVIOCGBIT(EV_KEY), its ranges and
    /// current values from EVIOCGABS (`ABS_MT_POSITION_X/Y` for multi-touch, `ABS_X/Y` otherwise).
    public static func reading(_ device: EvdevDevice, calibration: TouchCalibration) throws(InputError) -> TouchPanel {
        let touchProtocol = TouchProtocol(
            absoluteAxes: try device.codes(ofType: UInt16(EV_ABS)), keys: try device.codes(ofType: UInt16(EV_KEY)))
        let (xAxis, yAxis) =
            touchProtocol.isMultiTouch ? (ABS_MT_POSITION_X, ABS_MT_POSITION_Y) : (ABS_X, ABS_Y)
        let x = try device.axis(UInt16(xAxis))
        let y = try device.axis(UInt16(yAxis))
        let slotAxis = touchProtocol == .multiTouchB ? try? device.axis(UInt16(ABS_MT_SLOT)) : nil
        var panel = TouchPanel(
            touchProtocol: touchProtocol, xRange: x.range, yRange: y.range, calibration: calibration, x: x.value,
            y: y.value, slot: slotAxis?.value ?? 0)
        panel.stateSource = device
        panel.slotCount = Int(min(max((slotAxis?.range.maximum ?? 0) + 1, 1), 64))
        return panel
    }

    /// Whether the axes `EVIOCGBIT(EV_ABS)` lists make a touch panel: an absolute X and Y, plain or multi-touch.
    public static func isTouchPanel(absoluteAxes axes: Set<UInt16>) -> Bool {
        (axes.contains(UInt16(ABS_X)) && axes.contains(UInt16(ABS_Y)))
            || (axes.contains(UInt16(ABS_MT_POSITION_X)) && axes.contains(UInt16(ABS_MT_POSITION_Y)))
    }

    /// Feeds one event; at a `SYN_REPORT`, the contact the frame makes, if any (an array, so a caller never
    /// assumes there is one).
    public mutating func handle(_ event: InputEvent) -> [TouchContact] {
        let type = Int32(event.type)
        let code = Int32(event.code)
        if type == EV_SYN {
            switch code {
            case SYN_REPORT:
                if dropping {
                    dropping = false
                    // A protocol-A frame cut by the drop is no frame: the next one lists the fingers afresh.
                    (frameHasContact, contactClosed, contactHasPosition) = (false, false, false)
                    return stateSource == nil || touchProtocol == .multiTouchA ? [] : resync(at: event.time)
                }
                return endFrame(at: event.time)
            case SYN_DROPPED:
                dropping = true
                // Protocol A's next frame says everything; with a state source, the state is read at the SYN_REPORT.
                if stateSource != nil || touchProtocol == .multiTouchA { return [] }
                return lose(at: event.time)
            case SYN_MT_REPORT where touchProtocol == .multiTouchA:
                // The end of one finger's data in a protocol-A frame: only the first counts, and only with a position
                // (controllers send a bare SYN_MT_REPORT for "no fingers").
                if !contactClosed, contactHasPosition {
                    frameHasContact = true
                    contactClosed = true
                }
                return []
            default:
                return []
            }
        }
        guard !dropping else { return [] }
        switch (touchProtocol, type, code) {
        case (.singleTouch, EV_KEY, BTN_TOUCH), (.absolutePointer, EV_KEY, BTN_LEFT):
            down = event.value != 0
        case (.singleTouch, EV_ABS, ABS_X), (.absolutePointer, EV_ABS, ABS_X):
            x = event.value
        case (.singleTouch, EV_ABS, ABS_Y), (.absolutePointer, EV_ABS, ABS_Y):
            y = event.value
        case (.multiTouchB, EV_ABS, ABS_MT_SLOT):
            slot = event.value
        case (.multiTouchB, EV_ABS, ABS_MT_TRACKING_ID):
            if event.value >= 0 {
                if followedSlot == nil {
                    followedSlot = slot
                    followedTrackingID = event.value
                    down = true
                }
            } else if followedSlot == slot {
                followedSlot = nil
                down = false
            }
        case (.multiTouchB, EV_ABS, ABS_MT_POSITION_X) where followedSlot == slot || followedSlot == nil:
            // Positions of the slot about to be followed may come before its tracking id in the frame.
            if followedSlot == slot || pendingSlotPosition { x = event.value }
        case (.multiTouchB, EV_ABS, ABS_MT_POSITION_Y) where followedSlot == slot || followedSlot == nil:
            if followedSlot == slot || pendingSlotPosition { y = event.value }
        case (.multiTouchA, EV_ABS, ABS_MT_POSITION_X) where !contactClosed:
            x = event.value
            contactHasPosition = true
        case (.multiTouchA, EV_ABS, ABS_MT_POSITION_Y) where !contactClosed:
            y = event.value
            contactHasPosition = true
        default:
            break
        }
        return []
    }

    /// Reads the state back after a drop and reports what changed; the old behaviour (cancel, ignore until the
    /// lift) when it cannot be read.
    private mutating func resync(at time: Duration) -> [TouchContact] {
        guard let source = stateSource else { return lose(at: time) }
        do throws(InputError) {
            switch touchProtocol {
            case .singleTouch, .absolutePointer:
                down = try source.keysDown().contains(UInt16(touchProtocol == .singleTouch ? BTN_TOUCH : BTN_LEFT))
                x = try source.axisValue(UInt16(ABS_X))
                y = try source.axisValue(UInt16(ABS_Y))
            case .multiTouchB:
                let ids = try source.slotValues(UInt16(ABS_MT_TRACKING_ID), count: slotCount)
                let xs = try source.slotValues(UInt16(ABS_MT_POSITION_X), count: slotCount)
                let ys = try source.slotValues(UInt16(ABS_MT_POSITION_Y), count: slotCount)
                slot = try source.axisValue(UInt16(ABS_MT_SLOT))
                guard ids.count == slotCount, xs.count == slotCount, ys.count == slotCount else {
                    return lose(at: time)
                }
                if let followed = followedSlot.map(Int.init) {
                    if followed < slotCount, ids[followed] >= 0, ids[followed] == followedTrackingID {
                        (x, y, down) = (xs[followed], ys[followed], true)
                    } else {
                        followedSlot = nil
                        followedTrackingID = nil
                        down = false
                    }
                } else if let first = ids.firstIndex(where: { $0 >= 0 }) {
                    followedSlot = Int32(first)
                    followedTrackingID = ids[first]
                    (x, y, down) = (xs[first], ys[first], true)
                } else {
                    down = false
                }
            case .multiTouchA:
                return []
            }
        } catch {
            return lose(at: time)
        }
        guard !ignoringUntilLift else { return endFrame(at: time) }
        if reported.down, !down {
            // It lifted while events were lost: where is unknown, so it ends without pressing.
            let cancelled = TouchContact(.cancelled, point(reported.x, reported.y), at: time)
            reported = (false, x, y)
            return [cancelled]
        }
        return endFrame(at: time)
    }

    /// The state cannot be known: the followed finger is cancelled and ignored until it lifts.
    private mutating func lose(at time: Duration) -> [TouchContact] {
        let wasDown = reported.down
        reported.down = false
        down = false
        followedSlot = nil
        followedTrackingID = nil
        ignoringUntilLift = wasDown
        return wasDown ? [TouchContact(.cancelled, point(reported.x, reported.y), at: time)] : []
    }

    /// Protocol B with no finger followed: positions go to the pending frame, so a finger whose position comes
    /// before its tracking id in the same frame still lands where it touched.
    private var pendingSlotPosition: Bool { followedSlot == nil && !reported.down }

    private mutating func endFrame(at time: Duration) -> [TouchContact] {
        if touchProtocol == .multiTouchA {
            down = frameHasContact
            frameHasContact = false
            contactClosed = false
            contactHasPosition = false
        }
        if ignoringUntilLift {
            if !down { ignoringUntilLift = false }
            reported = (false, x, y)
            return []
        }
        defer { reported = (down, x, y) }
        switch (reported.down, down) {
        case (false, true):
            return [TouchContact(.down, point(x, y), at: time)]
        case (true, true) where (x, y) != (reported.x, reported.y):
            return [TouchContact(.move, point(x, y), at: time)]
        case (true, false):
            return [TouchContact(.up, point(x, y), at: time)]
        default:
            return []
        }
    }

    private func point(_ x: Int32, _ y: Int32) -> PanelPoint {
        calibration.point(x: x, y: y, xRange: xRange, yRange: yRange)
    }
}

extension TouchPanel.TouchProtocol {
    /// The protocol of a touch panel with these absolute axes and keys (EVIOCGBIT(EV_ABS), EVIOCGBIT(EV_KEY)).
    public init(absoluteAxes axes: Set<UInt16>, keys: Set<UInt16>) {
        self =
            axes.contains(UInt16(ABS_MT_SLOT)) && axes.contains(UInt16(ABS_MT_POSITION_X))
            ? .multiTouchB
            : axes.contains(UInt16(ABS_MT_POSITION_X))
                ? .multiTouchA
                : !keys.contains(UInt16(BTN_TOUCH)) && keys.contains(UInt16(BTN_LEFT)) ? .absolutePointer : .singleTouch
    }

    /// Fingers in `ABS_MT_POSITION_X/Y` rather than `ABS_X/Y`.
    var isMultiTouch: Bool { self == .multiTouchA || self == .multiTouchB }
}

/// Where a touch panel's current state is read back after the kernel dropped events: the device (EVIOCGKEY,
/// EVIOCGABS, EVIOCGMTSLOTS), or a fake in tests.
public protocol TouchStateSource: Sendable {
    /// The keys and buttons down now (EVIOCGKEY).
    func keysDown() throws(InputError) -> Set<UInt16>
    /// An absolute axis's current value (EVIOCGABS).
    func axisValue(_ code: UInt16) throws(InputError) -> Int32
    /// A multi-touch code's current value in slots 0..<count (EVIOCGMTSLOTS).
    func slotValues(_ code: UInt16, count: Int) throws(InputError) -> [Int32]
}

extension EvdevDevice: TouchStateSource {
    public func axisValue(_ code: UInt16) throws(InputError) -> Int32 {
        try axis(code).value
    }
}
