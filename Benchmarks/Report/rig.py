"""The test rig `make bench` measures the real kiosk against: the release binaries run as a technician runs them,
the demo's configuration moved into a work folder, the real pcscd with the vpcd reader, a private cupsd with its
ippeveprinter (scripts/test-printer), kiosk-sim printer and kiosk-sim api over TLS.

Every service is started here and stopped on exit; a missing one fails the run with its reason, never silently.
Times are CLOCK_MONOTONIC (time.monotonic_ns) stamps taken as lines or events arrive, each read by a thread of
its own so that a stamp is never late because another pipe was being read.
"""

import ctypes
import os
import pathlib
import re
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parents[2]
DEMO_CARD = "04A21B6C9E4F80"
DEMO_PIN = "407158"


class Missing(SystemExit):
    """A peer, a tool or a service the report needs is not there: the run stops and says which."""

    def __init__(self, what: str):
        super().__init__(f"bench: {what}")


def need(path: str, hint: str) -> str:
    found = shutil.which(path) or (path if os.access(path, os.X_OK) else None)
    if not found:
        raise Missing(f"{path} is missing: {hint}")
    return found


class Lines:
    """A pipe's lines, each stamped with time.monotonic_ns() as it arrives."""

    def __init__(self, stream, echo=None):
        self.lines: list[tuple[int, str]] = []
        self.changed = threading.Condition()
        self.closed = False
        self.echo = echo
        threading.Thread(target=self._read, args=(stream,), daemon=True).start()

    def _read(self, stream):
        for raw in iter(stream.readline, b""):
            stamp = time.monotonic_ns()
            line = raw.decode(errors="replace").rstrip("\n")
            if self.echo:
                self.echo.write(line + "\n")
                self.echo.flush()
            with self.changed:
                self.lines.append((stamp, line))
                self.changed.notify_all()
        with self.changed:
            self.closed = True
            self.changed.notify_all()

    def mark(self) -> int:
        with self.changed:
            return len(self.lines)

    def wait(self, pattern: str, after: int = 0, timeout: float = 30, what: str = "") -> tuple[int, int, str]:
        """The first line at or after index `after` matching `pattern`: (its index, its stamp, the line)."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                for index in range(after, len(self.lines)):
                    stamp, line = self.lines[index]
                    if regex.search(line):
                        return index, stamp, line
                after = max(after, len(self.lines))
                left = deadline - time.monotonic()
                if self.closed or left <= 0:
                    tail = "\n  ".join(line for _, line in self.lines[-15:])
                    reason = "the process ended" if self.closed else f"{timeout} s passed"
                    raise RuntimeError(f"no line /{pattern}/ ({what}): {reason}; its last lines:\n  {tail}")
                self.changed.wait(left)


class Process:
    """A child with its stdout and stderr read into `Lines`."""

    def __init__(self, argv, env=None, stdin=None, cwd=None, log=None):
        self.argv = [str(a) for a in argv]
        self.popen = subprocess.Popen(
            self.argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=cwd)
        self.out = Lines(self.popen.stdout)
        self.err = Lines(self.popen.stderr, echo=log)

    def send(self, text: str):
        self.popen.stdin.write(text.encode())
        self.popen.stdin.flush()

    def stop(self, sig=signal.SIGTERM, timeout=15) -> int:
        if self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        return self.popen.returncode


class FolderWatch:
    """Files created in a folder whose names end in `suffix` (inotify IN_CREATE), each stamped as the event
    arrives."""

    IN_CREATE = 0x100

    def __init__(self, folder: pathlib.Path, suffix: str = ""):
        self.suffix = suffix
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        self.fd = libc.inotify_init1(os.O_CLOEXEC)
        if self.fd < 0 or libc.inotify_add_watch(self.fd, str(folder).encode(), self.IN_CREATE) < 0:
            raise OSError(ctypes.get_errno(), f"inotify on {folder}")
        self.created: list[tuple[int, str]] = []
        self.changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            data = os.read(self.fd, 65536)
            stamp = time.monotonic_ns()
            offset = 0
            while offset < len(data):
                _, _, _, length = struct.unpack_from("iIII", data, offset)
                name = data[offset + 16:offset + 16 + length].rstrip(b"\0").decode()
                offset += 16 + length
                if not name.endswith(self.suffix):
                    continue
                with self.changed:
                    self.created.append((stamp, name))
                    self.changed.notify_all()

    def wait(self, after: int, timeout: float = 30) -> tuple[int, str]:
        deadline = time.monotonic() + timeout
        with self.changed:
            while len(self.created) <= after:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(f"no file appeared in the printer's folder within {timeout} s")
                self.changed.wait(left)
            return self.created[after]


class NotifySocket:
    """A NOTIFY_SOCKET as systemd offers one: READY=1 stamped as it arrives."""

    def __init__(self, path: pathlib.Path):
        self.path = path
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(str(path))

    def wait_ready(self, timeout: float = 10) -> int:
        self.socket.settimeout(timeout)
        while True:
            data = self.socket.recv(4096)
            stamp = time.monotonic_ns()
            if b"READY=1" in data.split(b"\n"):
                return stamp

    def drain(self):
        """Reads and drops every notification until the socket is closed (a thread of a long run's own)."""
        self.socket.settimeout(None)
        try:
            while self.socket.recv(4096):
                pass
        except OSError:
            pass

    def close(self):
        self.socket.close()


class PrivatePCSCD:
    """A pcscd of its own with one vpcd reader, `name 00 00` (its card on `port`) and `name 00 01`, as the tests'
    PrivatePCSCD: a long run then shares no reader with a demo, a bench or tests on the system's pcscd. pcscd
    insists on /run/pcscd, so it runs in a mount namespace where that is a folder of its own."""

    def __init__(self, folder: pathlib.Path, name: str, log):
        need("pcscd", "apt-get install pcscd vsmartcard-vpcd")
        need("unshare", "apt-get install util-linux")
        self.port = free_port()
        while not port_free(self.port + 1):
            self.port = free_port()
        (folder / "reader.conf.d").mkdir(parents=True)
        (folder / "run").mkdir()
        (folder / "reader.conf.d/vpcd").write_text(
            f'FRIENDLYNAME "{name}"\nDEVICENAME   /dev/null:{self.port:#x}\n'
            f"LIBPATH      /usr/lib/pcsc/drivers/serial/libifdvpcd.so\nCHANNELID    {self.port:#x}\n")
        self.environment = dict(os.environ, PCSCLITE_CSOCK_NAME=str(folder / "run/pcscd.comm"))
        self.daemon = Process(["unshare", "--mount", "--propagation", "private", "/bin/sh", "-c",
                               f"mount --bind {folder}/run /run/pcscd && exec pcscd --foreground --config "
                               f"{folder}/reader.conf.d"], env=self.environment, log=log)
        deadline = time.monotonic() + 10
        while not (folder / "run/pcscd.comm").exists():
            if time.monotonic() > deadline or self.daemon.popen.poll() is not None:
                raise Missing(f"the private pcscd made no socket: {self.daemon.err.lines[-5:]}")
            time.sleep(0.05)


def port_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def smaps_rollup(pid: int) -> dict[str, int]:
    """The process's memory in kB by kind (Rss, Pss, Anonymous, ...), summed over its mappings by the kernel."""
    fields = {}
    for line in open(f"/proc/{pid}/smaps_rollup"):
        name, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            fields[name] = int(rest.split()[0])
    return fields


def pss_kb(pid: int) -> int:
    return smaps_rollup(pid)["Pss"]


def threads(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/task"))


def thread_names(pid: int) -> list[str]:
    names = []
    for tid in sorted(os.listdir(f"/proc/{pid}/task"), key=int):
        try:
            names.append(open(f"/proc/{pid}/task/{tid}/comm").read().strip())
        except OSError:
            pass
    return names


def fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def cpu_ns(pid: int) -> int:
    """CPU time of the threads the process has now, in nanoseconds (schedstat): what start-up cost in work, whatever
    else the machine was doing."""
    total = 0
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            total += int(open(f"/proc/{pid}/task/{tid}/schedstat").read().split()[0])
        except OSError:
            pass
    return total


def cpu_ticks(pid: int) -> int:
    """User and system time of the process, in clock ticks."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def switches(pid: int) -> dict[int, int]:
    """Each thread's context switches, voluntary and not: how often it woke."""
    counts = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            status = open(f"/proc/{pid}/task/{tid}/status").read()
        except OSError:
            continue
        counts[int(tid)] = sum(int(line.split()[1]) for line in status.splitlines() if "ctxt_switches" in line)
    return counts


def smaps_by_mapping(pid: int) -> list[tuple[str, int]]:
    """PSS (kB) of each mapped file (anonymous memory, heap and stacks by name), largest first."""
    totals: dict[str, int] = {}
    name = ""
    for line in open(f"/proc/{pid}/smaps"):
        fields = line.split()
        if re.match(r"^[0-9a-f]+-[0-9a-f]+ ", line):
            name = fields[5] if len(fields) > 5 else "[anonymous]"
        elif fields[0] == "Pss:":
            totals[name] = totals.get(name, 0) + int(fields[1])
    return sorted(totals.items(), key=lambda item: -item[1])


def session_script(sessions: int, card_steps: bool = True) -> str:
    """`sessions` resident sessions for `kiosk run --script`: the demo's card and PIN, Surat Keterangan Domisili for
    "Melamar pekerjaan" printed, the card taken, the survey answered (a survey left alone would hold the kiosk for its
    20 s timeout), then the idle screen. Without `card_steps` the script only waits for the card: the caller taps it
    on a reader itself."""
    tap, remove = (f"tap {DEMO_CARD}\n", "remove\n") if card_steps else ("", "")
    pin = "".join(f"key {digit}\n" for digit in DEMO_PIN)
    one = (f"await idle\n{tap}await pin\n{pin}press Surat Keterangan Domisili\npress Melamar pekerjaan\n"
           f"await confirm\npress Cetak\nawait done\n{remove}await survey\npress Sangat Puas\n")
    return one * sessions + "await idle\n"


class Rig:
    """The services of the test rig and the kiosk's demo configuration in a work folder."""

    def __init__(self, bin_dir: pathlib.Path, out: pathlib.Path, log, sim: pathlib.Path | None = None,
                 waitjob: bool = True):
        self.bin = bin_dir
        self.kiosk = need(str(bin_dir / "kiosk"), "make release builds it")
        # The services' simulator may come from another build (a debug one, to try the script out).
        self.sim = need(str(sim or bin_dir / "kiosk-sim"), "make bench builds it in release")
        self.out = out
        self.log = log
        self.work = pathlib.Path(tempfile.mkdtemp(prefix="kiosk-bench."))
        self.work.chmod(0o755)  # cupsd runs its filters as lp, which must reach the spool below
        self.children: list[Process] = []
        self.printers = self.work / "printers"
        self.cups_port = free_port()
        self.printer_port = free_port()
        # Whether cupsd's backend follows a letter at ippeveprinter to its end (scripts/test-printer's WAITJOB): a
        # second a print, which the benchmarks' few prints keep, as a kiosk's queue does, and the soak does without.
        self.waitjob = waitjob

    # The services.

    def start(self):
        need("pcscd", "apt-get install pcscd vsmartcard-vpcd (scripts/services start starts it)")
        self.run([ROOT / "scripts/services", "start"])
        need("pcsc_scan", "apt-get install pcsc-tools")
        env = dict(os.environ, CUPS_PORT=str(self.cups_port), PRINTER_PORT=str(self.printer_port),
                   WAITJOB="true" if self.waitjob else "false")
        self.run([ROOT / "scripts/test-printer", "start", self.printers], env=env)
        thermal = self.spawn([self.sim, "printer", "--port", "0", "--output", self.work / "thermal", "--announce-jobs"])
        _, _, line = thermal.out.wait(r"listening on", what="kiosk-sim printer")
        self.thermal_port = int(line.rsplit(" ", 1)[1])
        self.thermal = thermal
        self.api_url = self.start_api()
        return self

    def start_api(self) -> str:
        """kiosk-sim api over TLS, with a certificate for 127.0.0.1 made here; the kiosk trusts only it."""
        need("openssl", "apt-get install openssl")
        self.ca = self.work / "api-cert.pem"
        key = self.work / "api-key.pem"
        self.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                  "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                  "-keyout", key, "-out", self.ca])
        tokens = [f"BENCH-TOKEN-{n}=1809072001:Hanura" for n in range(1, 9)]
        argv = [self.sim, "api", "serve", "--state", self.work / "api", "--port", "0",
                "--tls-certificate", self.ca, "--tls-key", key]
        for token in tokens:
            argv += ["--token", token]
        api = self.spawn(argv)
        _, _, line = api.out.wait(r"listening on", what="kiosk-sim api")
        port = line.rsplit(":", 1)[1].strip()
        self.tokens = [t.split("=")[0] for t in tokens]
        return f"https://127.0.0.1:{port}"

    def stop(self):
        for child in reversed(self.children):
            child.stop()
        env = dict(os.environ, CUPS_PORT=str(self.cups_port), PRINTER_PORT=str(self.printer_port))
        subprocess.run([ROOT / "scripts/test-printer", "stop", self.printers], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        if not os.environ.get("KIOSK_BENCH_KEEP"):
            shutil.rmtree(self.work, ignore_errors=True)

    def run(self, argv, env=None, stdin=None, check=True) -> str:
        done = subprocess.run([str(a) for a in argv], env=env, input=stdin, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, argv))} exited {done.returncode}:\n{done.stdout}{done.stderr}")
        return done.stdout

    def spawn(self, argv, env=None, stdin=None) -> Process:
        child = Process(argv, env=env, stdin=stdin, log=self.log)
        self.children.append(child)
        return child

    # The kiosk.

    def config(self, name: str, printing: dict | None = None, drop=("snapshots",), enroll: bool = True,
               extra: str = "") -> pathlib.Path:
        """demo/kiosk.toml with its paths in the work folder and its printers on the rig's ports; `drop` leaves
        keys out (snapshots: a kiosk on a panel writes no PNG of each screen; the demo's capture would be timed
        with every screen). The kiosk is enrolled with the rig's API over TLS, as the demo enrolls with its own."""
        folder = self.work / name
        folder.mkdir()
        values = {
            "state_directory": f'"{folder}/state"',
            "templates": f'"{ROOT}/templates"',
            "opensid_export": f'"{ROOT}/demo/residents.csv"',
            "folder": f'"{folder}/speech"',
            "letter_output": f'"{folder}/letters"',
            "cups_server": f'"localhost:{self.cups_port}"',
            "thermal": f'"127.0.0.1:{self.thermal_port}"',
        }
        values.update(printing or {})
        lines = []
        demo = (ROOT / "demo/kiosk.toml").read_text()
        if "card_reader.reader" in values:  # not in the demo's file: after its [card_reader] backend
            demo = demo.replace('backend = "pcsc"', f'backend = "pcsc"\nreader = {values.pop("card_reader.reader")}')
        section = ""
        for line in demo.splitlines():
            if line.startswith("["):
                section = line.strip("[] ")
            key = line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith("#") else None
            if key in drop:
                continue
            for name in (f"{section}.{key}", key):
                if name in values:
                    line = f"{key} = {values.pop(name)}"
                    break
            lines.append(line)
        lines.append(f'\n[api]\ntrust_anchor = "{self.ca}"\n' + extra)
        path = folder / "kiosk.toml"
        path.write_text("\n".join(lines) + "\n")
        self.run([self.kiosk, "import", "residents", ROOT / "demo/residents.csv", "--config", path])
        self.run([self.kiosk, "pin", "set", "--card", DEMO_CARD, "--config", path], stdin=DEMO_PIN + "\n")
        if enroll:
            self.run([self.kiosk, "enroll", "--config", path, "--url", self.api_url, "--token-file", "-"],
                     stdin=self.tokens.pop() + "\n")
        return path

    def kiosk_run(self, config: pathlib.Path, *arguments, env=None, stdin=None) -> Process:
        return self.spawn([self.kiosk, "run", "--config", config, *arguments], env=env, stdin=stdin)
