"""The system test's virtual machine: a Debian 12 guest under QEMU with the kiosk's devices, driven from the host.

Devices, as a kiosk PC has them (facts in ../shared/reference/system-test-vm.md, repeated in README.md here):
- a framebuffer: `-vga std` gives /dev/fb0, 1280x800 XRGB8888; QMP `screendump` reads what the panel shows;
- a USB CCID card reader (`usb-ccid` + `ccid-card-passthru`) whose card is `kiosk-sim card --vscard` on a unix socket;
- a USB absolute pointer (`usb-tablet`, the class of cheap resistive panels that present as a mouse) and a USB
  keyboard (`usb-kbd`, the keypad), both driven by QMP `input-send-event`;
- a TPM 2.0 (`tpm-tis`, the interface of a PC's firmware TPM) emulated by swtpm, whose state outlives a power cut as
  a chip's does, and which a fresh boot replaces with a new one;
- a network that reaches nothing but the host loopback services the test forwards (`restrict=on`, `guestfwd`);
- the host's files read-only at /mnt/host, and a writable outbox at /mnt/out (9p).

Commands go to a root shell on the virtio console (test-agent.service in the image): each is sent base64-encoded on
one line, runs with stdin from /dev/null and stdout+stderr merged, and comes back base64-encoded before an end
marker with its exit status, so no output can be mistaken for the protocol.
"""

import base64
import json
import os
import re
import shutil
import socket
import subprocess
import time

from pathlib import Path


class VMError(Exception):
    """Something about the virtual machine failed; the message says what and where to look."""


def free_port():
    """A TCP port nothing listens on now (bound to port 0 on loopback and released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def accelerator():
    """KVM where it can run a stock kernel (a CPU with vmx or svm and a usable /dev/kvm), TCG otherwise.

    This kind of build machine has a /dev/kvm that cannot (a paravirtual KVM without vmx/svm: a stock Debian kernel
    stalls under it), so the device alone is not enough. KIOSK_VM_ACCEL=kvm|tcg overrides the choice."""
    forced = os.environ.get("KIOSK_VM_ACCEL")
    if forced in ("kvm", "tcg"):
        return forced
    flags = Path("/proc/cpuinfo").read_text()
    if os.access("/dev/kvm", os.R_OK | os.W_OK) and re.search(r"^flags\s*:.*\b(vmx|svm)\b", flags, re.M):
        return "kvm"
    return "tcg"


class QMP:
    """QEMU's machine protocol on a unix socket: JSON commands and their returns; events are kept in order."""

    def __init__(self, path, timeout=30):
        self.sock = _connect_unix(path, timeout)
        self.file = self.sock.makefile("rwb", buffering=0)
        self.events = []
        greeting = self._read()
        if "QMP" not in greeting:
            raise VMError(f"QMP said {greeting!r} instead of its greeting")
        self.command("qmp_capabilities")

    def _read(self):
        line = self.file.readline()
        if not line:
            raise VMError("QEMU closed its QMP socket (it exited: see qemu.log)")
        return json.loads(line)

    def command(self, name, **arguments):
        message = {"execute": name}
        if arguments:
            message["arguments"] = arguments
        self.file.write(json.dumps(message).encode() + b"\n")
        while True:
            reply = self._read()
            if "event" in reply:
                self.events.append(reply)
            elif "error" in reply:
                raise VMError(f"QMP {name}: {reply['error'].get('desc', reply['error'])}")
            elif "return" in reply:
                return reply["return"]

    def close(self):
        try:
            self.file.close()  # the file holds the socket open too
            self.sock.close()
        except OSError:
            pass


def _connect_unix(path, timeout):
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(str(path))
            return s
        except OSError:
            s.close()
            if time.monotonic() > deadline:
                raise VMError(f"nothing listens on {path} after {timeout} s (QEMU did not start: see qemu.log)")
            time.sleep(0.1)


class Agent:
    """The root shell on the guest's /dev/hvc0."""

    END = re.compile(rb" __END_(\d+)__ (\d+)\r?\n")

    def __init__(self, path):
        self.sock = _connect_unix(path, 30)
        self.buffer = b""
        self.sequence = 0

    def wait_ready(self, timeout, alive):
        """Probes until the shell answers: bytes sent before the guest opened its console are lost, so the probe
        is sent again every 2 s, each with its own number; late answers to earlier probes are dropped later."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not alive():
                raise VMError("QEMU exited while the guest was booting: see console.log and qemu.log")
            try:
                self.run("true", timeout=2)
                return
            except TimeoutError:
                continue
        raise VMError(f"the guest's test agent did not answer within {timeout} s: see console.log")

    def run(self, command, timeout=120):
        """Runs `command` with bash; returns (status, output)."""
        self.sequence += 1
        number = self.sequence
        encoded = base64.b64encode(command.encode()).decode()
        line = (f'( eval "$(echo {encoded} | base64 -d)" ) </dev/null 2>&1 | base64 -w0; '
                f'echo " __END_{number}__ ${{PIPESTATUS[0]}}"\n')
        self.sock.sendall(line.encode())
        deadline = time.monotonic() + timeout
        while True:
            for match in self.END.finditer(self.buffer):
                if int(match.group(1)) == number:
                    start = self.buffer.rfind(b"\n", 0, match.start()) + 1
                    body = self.buffer[start:match.start()].strip()
                    self.buffer = self.buffer[match.end():]
                    return int(match.group(2)), base64.b64decode(body).decode(errors="replace")
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no answer within {timeout} s to: {command}")
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                raise VMError("the guest's console closed (QEMU exited)")
            self.buffer += chunk

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


class VirtualMachine:
    """One QEMU process over a qcow2 overlay of the cached image. `boot(fresh=True)` makes a new overlay, so each test
    run starts from a clean install; `boot(fresh=False)` boots the same disk again (after a power cut)."""

    def __init__(self, image, folder, share, outbox, forwards, card_socket, memory=1024, cpus=2):
        self.image = Path(image)
        self.folder = Path(folder)
        self.share = Path(share)
        self.outbox = Path(outbox)
        self.forwards = forwards  # {"10.0.2.100:80": host port, ...}
        self.card_socket = Path(card_socket)
        self.memory = memory
        self.cpus = cpus
        self.accel = accelerator()
        self.process = None
        self.tpm = None
        self.qmp = None
        self.agent = None
        self.boots = 0
        self.folder.mkdir(parents=True, exist_ok=True)

    @property
    def overlay(self):
        return self.folder / "disk.qcow2"

    def command_line(self):
        f = self.folder
        forwards = ",".join(
            f"guestfwd=tcp:{guest}-cmd:socat STDIO TCP:127.0.0.1:{port}" for guest, port in self.forwards.items())
        accel = ["-accel", "kvm", "-cpu", "host"] if self.accel == "kvm" else ["-accel", "tcg", "-cpu", "max"]
        return [
            "qemu-system-x86_64", *accel, "-smp", str(self.cpus), "-m", str(self.memory),
            "-nodefaults", "-display", "none", "-vga", "std",
            "-kernel", str(self.image / "vmlinuz"), "-initrd", str(self.image / "initrd.img"),
            "-append", "console=ttyS0 root=/dev/vda rw panic=-1",
            "-drive", f"file={self.overlay},if=virtio,format=qcow2",
            "-serial", f"file:{f / f'console-{self.boots}.log'}",
            "-device", "virtio-serial-pci",
            "-chardev", f"socket,id=agent,path={f / 'agent.sock'},server=on,wait=off",
            "-device", "virtconsole,chardev=agent",
            "-qmp", f"unix:{f / 'qmp.sock'},server=on,wait=off",
            "-virtfs", f"local,path={self.share},mount_tag=hostshare,security_model=none,readonly=on",
            "-virtfs", f"local,path={self.outbox},mount_tag=outbox,security_model=none",
            "-device", "qemu-xhci,id=xhci",
            "-device", "usb-tablet,bus=xhci.0,id=tablet",
            "-device", "usb-kbd,bus=xhci.0,id=keypad",
            *self.card_reader_arguments(),
            "-chardev", f"socket,id=tpm,path={f / 'tpm.sock'}",
            "-tpmdev", "emulator,id=tpm0,chardev=tpm",
            "-device", "tpm-tis,tpmdev=tpm0",
            "-nic", f"user,model=virtio-net-pci,restrict=on,{forwards}" if forwards else "none",
        ]

    def card_reader_arguments(self):
        return [
            "-chardev", f"socket,id=card,path={self.card_socket},server=on,wait=off",
            "-device", "usb-ccid,bus=xhci.0,id=ccid",
            "-device", "ccid-card-passthru,chardev=card,id=cardslot",
        ]

    def boot(self, fresh):
        """Starts QEMU and waits for the guest's agent; returns seconds until the agent answered."""
        if fresh:
            self.overlay.unlink(missing_ok=True)
            subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-b", str(self.image / "disk.img"), "-F", "raw",
                            str(self.overlay)], check=True)
        for name in ("agent.sock", "qmp.sock", "tpm.sock", self.card_socket):
            Path(self.folder / name).unlink(missing_ok=True)
        self.boots += 1
        started = time.monotonic()
        self.start_tpm(fresh)
        log = open(self.folder / "qemu.log", "ab")
        self.process = subprocess.Popen(self.command_line(), stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                        start_new_session=True)
        try:
            self.qmp = QMP(self.folder / "qmp.sock")
            self.agent = Agent(self.folder / "agent.sock")
        except VMError as error:
            raise VMError(f"{error}\n{self.tail('qemu.log')}") from None
        self.agent.wait_ready(300, alive=lambda: self.process.poll() is None)
        return time.monotonic() - started

    def start_tpm(self, fresh):
        """swtpm on a unix socket for this boot's QEMU; it ends when QEMU lets go of it (`--terminate`)."""
        state = self.folder / "tpm"
        if fresh:
            shutil.rmtree(state, ignore_errors=True)
        state.mkdir(exist_ok=True)
        log = self.folder / "swtpm.log"
        self.tpm = subprocess.Popen(
            ["swtpm", "socket", "--tpm2", "--tpmstate", f"dir={state}", "--terminate",
             "--ctrl", f"type=unixio,path={self.folder / 'tpm.sock'}", "--log", f"file={log},level=2"],
            stdin=subprocess.DEVNULL, stdout=open(log, "ab"), stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 10
        while not (self.folder / "tpm.sock").exists():
            if self.tpm.poll() is not None or time.monotonic() > deadline:
                raise VMError(f"swtpm did not open its socket:\n{self.tail('swtpm.log')}")
            time.sleep(0.05)

    def tail(self, name, lines=20):
        path = self.folder / name
        if not path.exists():
            return f"({path} does not exist)"
        text = path.read_text(errors="replace").splitlines()[-lines:]
        return f"the end of {path}:\n" + "\n".join("  " + line for line in text)

    def run(self, command, timeout=120):
        return self.agent.run(command, timeout)

    def succeed(self, command, timeout=120):
        """Runs `command`; its output, or VMError with the output when it fails."""
        status, output = self.run(command, timeout)
        if status != 0:
            raise VMError(f"in the guest, `{command}` exited {status}:\n{output}")
        return output

    def wait_until(self, command, timeout=60, interval=0.5):
        """Runs `command` until it succeeds; its output. A hang guard, not a timing: the condition is the point."""
        deadline = time.monotonic() + timeout
        while True:
            status, output = self.run(command, timeout=max(timeout, 10))
            if status == 0:
                return output
            if time.monotonic() > deadline:
                raise VMError(f"in the guest, `{command}` still fails after {timeout} s:\n{output}")
            time.sleep(interval)

    def screendump(self, path):
        self.qmp.command("screendump", filename=str(path), format="png")

    def pointer_tap(self, x, y, width, height):
        """A tap on the USB tablet at panel pixel (x, y): its axes run 0..32767 over the whole screen."""
        ax, ay = round(x * 32767 / (width - 1)), round(y * 32767 / (height - 1))
        self.qmp.command("input-send-event", events=[
            {"type": "abs", "data": {"axis": "x", "value": ax}},
            {"type": "abs", "data": {"axis": "y", "value": ay}}])
        # A finger stays down a while: the kiosk ignores contacts shorter than 10 ms as noise (TouchGesture), and
        # the guest timestamps each USB report when it polls the tablet, which a busy emulated guest does late: a
        # press and release queued together would reach it as one bounce. 200 ms is a quick finger.
        time.sleep(0.05)
        self.qmp.command("input-send-event", events=[{"type": "btn", "data": {"down": True, "button": "left"}}])
        time.sleep(0.2)
        self.qmp.command("input-send-event", events=[{"type": "btn", "data": {"down": False, "button": "left"}}])

    def key(self, qcode):
        """One press and release on the USB keyboard (QEMU's key names: kp_1, kp_enter, esc, ...)."""
        for down in (True, False):
            self.qmp.command("input-send-event", events=[
                {"type": "key", "data": {"down": down, "key": {"type": "qcode", "data": qcode}}}])

    def unplug_card_reader(self):
        self.qmp.command("device_del", id="cardslot")
        self.qmp.command("device_del", id="ccid")

    def plug_card_reader(self):
        self.qmp.command("device_add", driver="usb-ccid", bus="xhci.0", id="ccid")
        self.qmp.command("device_add", driver="ccid-card-passthru", chardev="card", id="cardslot")

    def power_cut(self):
        """Pulls the plug: QEMU ends at once, with no sync in the guest. What the guest had flushed to its disk is on
        the overlay; what sat in its page cache is gone, as in a power cut."""
        try:
            self.qmp.command("quit")
        except VMError:
            pass
        self._reap()

    def shutdown(self, timeout=120):
        """A clean power-off from inside the guest."""
        if self.process and self.process.poll() is None:
            try:
                self.agent.sock.sendall(b"systemctl poweroff\n")
            except OSError:
                pass
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self._reap()

    def _reap(self):
        if self.process:
            _wait_or_kill(self.process, 30)
        if self.tpm:
            # It ends as QEMU lets go of its socket; one left behind would hold the state folder of the next boot.
            _wait_or_kill(self.tpm, 10)
            self.tpm = None
        for channel in (self.qmp, self.agent):
            if channel:
                channel.close()
        self.qmp = self.agent = None

    def kill(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, 9)
        self._reap()


def _wait_or_kill(process, timeout):
    """Waits `timeout` seconds for `process` to end, then kills it."""
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def require_tools():
    """The host tools the system test runs, each with its Debian package: fails at once, never skips."""
    missing = [f"{tool} (apt-get install {package})" for tool, package in [
        ("qemu-system-x86_64", "qemu-system-x86"), ("qemu-img", "qemu-utils"), ("socat", "socat"),
        ("mmdebstrap", "mmdebstrap"), ("mkfs.ext4", "e2fsprogs"), ("pdftotext", "poppler-utils"),
        ("zbarimg", "zbar-tools"), ("openssl", "openssl"), ("swtpm", "swtpm")] if shutil.which(tool) is None]
    if missing:
        raise VMError("the system test needs: " + ", ".join(missing))


if __name__ == "__main__":
    # A developer's way into a guest kept by `system-test/run --keep`: vm.py shell AGENT-SOCKET 'COMMAND' ...
    import sys
    if len(sys.argv) < 4 or sys.argv[1] != "shell":
        sys.exit("usage: vm.py shell AGENT-SOCKET COMMAND...")
    agent = Agent(sys.argv[2])
    for command in sys.argv[3:]:
        status, output = agent.run(command, timeout=600)
        print(output, end="")
        if status:
            print(f"(exit {status})")
