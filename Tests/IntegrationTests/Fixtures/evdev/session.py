#!/usr/bin/python3
"""Drives a program's input devices step by step, each step started by what the program said (never by a delay).

umockdev-run plays event streams with their recorded gaps, so a stream cannot wait for the kiosk to show a screen
before it types the next key. This script keeps the devices in its own hands instead: a UMockdev.Testbed holds the
touchscreen (event7), the wedge card reader (event8) and a keypad (event9), each node a FIFO this script writes raw
`struct input_event` records into when a step says so. The testbed's process must run under umockdev's preload
(libudev finds the devices through it), so:

    umockdev-wrapper /usr/bin/python3 session.py FIXTURES STEPS PROGRAM [ARGUMENTS...]

The ioctls (EVIOCGNAME, EVIOCGBIT, EVIOCGABS, EVIOCGRAB) are answered from the recorded `.ioctl` files; reads come
from the FIFO. STEPS has one step a line (`#` starts a comment):

    expect TEXT          a line of the program's output since the last action contains TEXT
    keys DEVICE KEY...   each key pressed and released: 0-9, enter, esc, backspace, up, down, left, right
    card DIGITS          the wedge reader types DIGITS and Enter, 4 ms per key edge, as a reader does
    tap X Y              a finger down at raw (X, Y) on the touchscreen (0..4095) and up 80 ms later
    unplug DEVICE        the device goes: its node is removed and the program's descriptor hangs up
    plug DEVICE          it comes back (a new node at the same path)
    stop                 SIGTERM to the program (as systemd stops it); the rest of its output is echoed

DEVICE is touch, wedge or keypad. Event times come from a clock of this script's own, advanced one second per
action, so gestures and the wedge decoder measure the intended durations however late the events are read.

The program's output is echoed, and each step as `session.py: STEP`. The exit status is the program's, or 3 when
it ended or went quiet (60 s) before an expected line; the whole run is limited to 120 s.
"""
import os
import queue
import signal
import struct
import subprocess
import sys
import threading

import gi

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402

EV_SYN, EV_KEY, EV_ABS = 0, 1, 3
SYN_REPORT = 0
ABS_MT_SLOT, ABS_MT_POSITION_X, ABS_MT_POSITION_Y, ABS_MT_TRACKING_ID = 0x2F, 0x35, 0x36, 0x39
KEYS = {
    "esc": 1, "backspace": 14, "enter": 28, "up": 103, "left": 105, "right": 106, "down": 108,
    "1": 2, "2": 3, "3": 4, "4": 5, "5": 6, "6": 7, "7": 8, "8": 9, "9": 10, "0": 11,
}
DEVICES = {
    "touch": ("/dev/input/event7", "touchscreen.umockdev", "touchscreen.ioctl"),
    "wedge": ("/dev/input/event8", "wedge.umockdev", "wedge.ioctl"),
    "keypad": ("/dev/input/event9", "keypad.umockdev", "keypad.ioctl"),
}

fixtures, steps_file, command = sys.argv[1], sys.argv[2], sys.argv[3:]
testbed = UMockdev.Testbed.new()
root = testbed.get_root_dir()
writers = {}


def plug(device, first=False):
    node = DEVICES[device][0]
    if first:
        testbed.load_ioctl(node, os.path.join(fixtures, DEVICES[device][2]))
        if not testbed.add_from_file(os.path.join(fixtures, DEVICES[device][1])):
            sys.exit(f"session.py: {DEVICES[device][1]} did not load")
    # The testbed made the node (a pty); a FIFO takes its place, held open for writing here. Renamed into place, so
    # the program's folder watch sees one new entry that is ready to read.
    path = root + node
    fifo = path + ".new"
    os.mkfifo(fifo)
    writers[device] = os.open(fifo, os.O_RDWR)
    if os.path.lexists(path):
        os.unlink(path)
    os.rename(fifo, path)


def unplug(device):
    # The node goes first, then the writer: the program's read sees the hang-up (POLLHUP), as on a real unplug.
    os.unlink(root + DEVICES[device][0])
    os.close(writers.pop(device))


for name in DEVICES:
    plug(name, first=True)

clock = 1000.0


def write(device, records):
    data = b""
    for time, type_, code, value in records:
        seconds = int(time)
        data += struct.pack("llHHi", seconds, round((time - seconds) * 1_000_000), type_, code, value)
    os.write(writers[device], data)


def key_records(codes, step=0.004):
    global clock
    records = []
    for code in codes:
        for value in (1, 0):
            records += [(clock, EV_KEY, code, value), (clock, EV_SYN, SYN_REPORT, 0)]
            clock += step
    return records


def tap_records(x, y):
    global clock
    down = [
        (clock, EV_ABS, ABS_MT_SLOT, 0), (clock, EV_ABS, ABS_MT_TRACKING_ID, int(clock) % 1000),
        (clock, EV_ABS, ABS_MT_POSITION_X, x), (clock, EV_ABS, ABS_MT_POSITION_Y, y), (clock, EV_SYN, SYN_REPORT, 0),
    ]
    clock += 0.080
    up = [(clock, EV_ABS, ABS_MT_TRACKING_ID, -1), (clock, EV_SYN, SYN_REPORT, 0)]
    return down + up


env = dict(os.environ, UMOCKDEV_DIR=root)
child = subprocess.Popen(
    command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True, bufsize=1
)
watchdog = threading.Timer(120, child.kill)
watchdog.daemon = True
watchdog.start()

lines = queue.Queue()


def follow():
    for line in child.stdout:
        lines.put(line)
    lines.put(None)


threading.Thread(target=follow, daemon=True).start()
seen = []  # the program's lines since the last action
ended = False


def expect(text):
    global ended
    if any(text in line for line in seen):
        return
    while not ended:
        try:
            line = lines.get(timeout=60)
        except queue.Empty:
            break
        if line is None:
            ended = True
            break
        print(line, end="", flush=True)
        seen.append(line)
        if text in line:
            return
    print(f"session.py: no line with {text!r} (program {'ended' if ended else 'quiet for 60 s'})", flush=True)
    child.kill()
    child.wait()
    sys.exit(3)


with open(steps_file) as f:
    steps = [line.split("#")[0].strip() for line in f]
for step in filter(None, steps):
    word, _, rest = step.partition(" ")
    # What is typed stays out of the output, as it stays out of the kiosk's log: the tests look for it there.
    shown = {"card": "card ...", "keys": " ".join(step.split()[:2]) + " ..."}.get(word, step)
    print(f"session.py: {shown}", flush=True)
    if word == "expect":
        expect(rest)
        continue
    seen.clear()
    clock = float(int(clock) + 1)
    args = rest.split()
    if word == "keys":
        write(args[0], key_records([KEYS[key] for key in args[1:]], step=0.040))
    elif word == "card":
        write("wedge", key_records([KEYS[digit] for digit in args[0]] + [KEYS["enter"]]))
    elif word == "tap":
        write("touch", tap_records(int(args[0]), int(args[1])))
    elif word == "unplug":
        unplug(args[0])
    elif word == "plug":
        plug(args[0])
    elif word == "stop":
        child.send_signal(signal.SIGTERM)
    else:
        sys.exit(f"session.py: unknown step {step!r}")

while not ended:
    line = lines.get()
    if line is None:
        break
    print(line, end="", flush=True)
status = child.wait()
watchdog.cancel()
sys.exit(status)
