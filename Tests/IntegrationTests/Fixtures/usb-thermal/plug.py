#!/usr/bin/python3
"""Plugs and unplugs the POS58 printer (device.umockdev) under a program, with umockdev's library API.

umockdev-run fixes its devices at start; plugging in and out at run time needs a UMockdev.Testbed, whose
uevent sends what libusb's hotplug hears. The testbed's own process must run under umockdev's preload too (it
finds the device it sends an uevent for through libudev), so:

    umockdev-wrapper /usr/bin/python3 plug.py FIXTURES PROGRAM [ARGUMENTS...]

PROGRAM is `kiosk test-print --thermal --watch ...`: it says `watching`, then for each hex line it reads sends
one job, saying `waiting` when the printer is not there and `job N: ...` at the end. The steps, each started by
what the program said (never by a delay):

1. No printer. Job 1 (ESC @ "Hi" LF) is sent; once the program waits, the printer is plugged in with
   ready-job.ioctl: job 1 prints on the arriving printer.
2. The printer is unplugged; once the program says it left, job 2 (ESC @ "AGAIN" LF) is sent; once it waits,
   the printer is plugged back in, as the kernel does with a new address (device-replugged.umockdev, device 003)
   and returned-job.ioctl: job 2 prints on the returned printer.

Every OUT byte is checked by the traces, as in the other USB tests. The program's output is echoed; the exit
status is the program's, or 3 when it ended or went quiet before a step (the whole run is limited to 120 s so a
broken program fails the test instead of hanging it).
"""
import os
import subprocess
import sys
import threading

import gi

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402

SYSPATH = "/sys/devices/pci0000:00/0000:00:14.0/usb1/1-1"

fixtures, command = sys.argv[1], sys.argv[2:]
testbed = UMockdev.Testbed.new()
env = dict(os.environ, UMOCKDEV_DIR=testbed.get_root_dir())
child = subprocess.Popen(
    command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True, bufsize=1
)
watchdog = threading.Timer(120, child.kill)
watchdog.daemon = True  # an early exit of this script must not wait for it
watchdog.start()


def expect(text):
    for line in child.stdout:
        print(line, end="", flush=True)
        if text in line:
            return
    print(f"plug.py: the program ended (status {child.wait()}) before saying {text!r}", flush=True)
    sys.exit(3)


def plug(description, node, trace):
    # The trace first: adding the device sends the "add" uevent, and libusb may open it at once.
    testbed.load_ioctl(node, os.path.join(fixtures, trace))
    if not testbed.add_from_file(os.path.join(fixtures, description)):
        sys.exit(f"plug.py: {description} did not load")
    print(f"plug.py: plugged in as {node} ({trace})", flush=True)


def send(job):
    child.stdin.write(job + "\n")
    child.stdin.flush()


expect("watching")
send("1B4048690A")
expect("waiting")
plug("device.umockdev", "/dev/bus/usb/001/002", "ready-job.ioctl")
expect("job 1:")
testbed.uevent(SYSPATH, "remove")
testbed.remove_device(SYSPATH)
print("plug.py: unplugged", flush=True)
expect(" left")
send("1B40414741494E0A")
expect("waiting")
plug("device-replugged.umockdev", "/dev/bus/usb/001/003", "returned-job.ioctl")
expect("job 2:")
child.stdin.close()
for line in child.stdout:
    print(line, end="", flush=True)
status = child.wait()
watchdog.cancel()
sys.exit(status)
