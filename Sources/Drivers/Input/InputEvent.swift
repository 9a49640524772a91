/// One evdev event, as the kernel reports it in a `struct input_event`.
///
/// Raw on purpose: a keypad, a touch panel and a wedge reader each give meaning to `type`, `code` and `value`
/// (linux/input-event-codes.h) in their own driver.
public struct InputEvent: Hashable, Sendable {
    /// `EV_KEY`, `EV_ABS`, `EV_SYN`, ...
    public var type: UInt16
    /// `KEY_1`, `ABS_X`, `SYN_REPORT`, ...
    public var code: UInt16
    /// For keys: 0 released, 1 pressed, 2 autorepeat. For axes: the position.
    public var value: Int32
    /// The kernel's timestamp, since the epoch of the device's clock: `CLOCK_MONOTONIC` when the device accepted
    /// it (`EvdevDevice` asks for it), else the wall clock. Compare the times of one device only.
    public var time: Duration

    public init(type: UInt16, code: UInt16, value: Int32, time: Duration) {
        self.type = type
        self.code = code
        self.value = value
        self.time = time
    }
}
