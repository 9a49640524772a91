#!/usr/bin/env python3
"""`make bench`'s one table: every figure of DESIGN.md §9 measured on the path it names, its budget, its peer
measured in the same run, and the ratio. The README's figures are copied from this table.

- The real paths run the release binaries (`make release`'s static kiosk, kiosk-sim) as a technician runs them, on
  the demo's configuration, against the rig of Benchmarks/Report/rig.py: pcscd with vpcd, cupsd with ippeveprinter,
  kiosk-sim printer, kiosk-sim api over TLS. They drive the real binary from outside rather than KioskKit from
  inside: KioskKit's API is `package` (the executable's and the tests'), and the binary is what a kiosk runs.
- The in-process figures (PDF, slips, NIKs, frames) come from package-benchmark's JMH export of the same run
  (`--jmh DIR`), their peers run here, right after, on the same pixels and the same letter.

A missing peer, tool or service fails the run; nothing drops out of the table silently.

Usage: report.py --bin BIN_DIR --jmh JMH_JSON --out OUT_DIR [--quick]
"""

import argparse
import json
import os
import pathlib
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "Peers"))
import rig as rigmodule  # noqa: E402
from rig import DEMO_CARD, ROOT, Missing, NotifySocket, Process, Rig, need, session_script  # noqa: E402

MS = 1e6


def median_ms(stamps: list[int]) -> float:
    return statistics.median(stamps) / MS


# Start, idle memory.


def start_to_ready(rig: Rig, runs: int) -> dict:
    """`kiosk run` on the demo configuration under a NOTIFY_SOCKET: from the spawn to READY=1, `runs` times."""
    config = rig.config("start")
    times, cpu = [], []
    for run in range(runs + 2):
        notify = NotifySocket(rig.work / f"notify-{run}")
        env = dict(os.environ, NOTIFY_SOCKET=str(notify.path))
        started = time.monotonic_ns()
        child = Process([rig.kiosk, "run", "--config", config], env=env, log=rig.log)
        try:
            ready = notify.wait_ready()
            worked = rigmodule.cpu_ns(child.popen.pid)
        finally:
            child.stop()
            notify.close()
        if run >= 2:  # two warm-ups: the page cache holds the binary, as on a kiosk's second boot
            times.append(ready - started)
            cpu.append(worked)
    return {"median_ms": median_ms(times), "runs": runs, "min_ms": min(times) / MS, "max_ms": max(times) / MS,
            "cpu_ms": median_ms(cpu)}


def idle_memory(rig: Rig, out: pathlib.Path, settle: float) -> dict:
    """PSS, threads and the PSS of each mapping of the kiosk showing its idle screen (animation on), past its first
    minute: under systemd (a NOTIFY_SOCKET here) the kiosk unmaps the pages of its binary read since the last time
    at READY=1 and then every 10 s (KioskRuntime.releaseUnusedPages), so a kiosk idling for hours holds what the
    animation and its periodic tasks touched lately. The PSS is the mean of a sample a second over `settle` seconds
    (a minute in `make bench`), with the least and the most: one reading showed the pages of whichever periodic task
    had just run, and moved by 4 MB between runs. The PSS 12 s after READY=1 (start-up's last work: the first sync,
    the first prompt) is reported beside it."""
    config = rig.config("idle")
    notify = NotifySocket(rig.work / "notify-idle")
    child = Process([rig.kiosk, "run", "--config", config], env=dict(os.environ, NOTIFY_SOCKET=str(notify.path)),
                    log=rig.log)
    try:
        notify.wait_ready()
        pid = child.popen.pid
        time.sleep(12)
        early = rigmodule.pss_kb(pid)
        time.sleep(52)  # the second minute: start-up and its first syncs are over
        cpu_before, switches_before = rigmodule.cpu_ticks(pid), rigmodule.switches(pid)
        samples = []
        for _ in range(int(settle)):
            time.sleep(1)
            samples.append(rigmodule.pss_kb(pid))
        cpu = (rigmodule.cpu_ticks(pid) - cpu_before) / os.sysconf("SC_CLK_TCK")
        switches = rigmodule.switches(pid)
        wakeups = sum(count - switches_before.get(tid, 0) for tid, count in switches.items())
        pss = round(statistics.mean(samples))
        mappings = rigmodule.smaps_by_mapping(pid)
        threads = rigmodule.threads(pid)
        names = rigmodule.thread_names(pid)
    finally:
        child.stop()
        notify.close()
    with open(out / "idle-smaps.txt", "w") as f:
        f.write(f"kiosk run, demo configuration, idle screen, from 64 to {64 + settle:.0f} s after READY=1: PSS {pss} "
                f"kB on average, {min(samples)} to {max(samples)} kB ({early} kB 12 s after READY=1), {threads} "
                f"threads: {', '.join(names)}; by mapping at the end:\n")
        for name, kb in mappings:
            if kb:
                f.write(f"{kb:8d} kB  {name}\n")
    return {"pss_mb": pss / 1024, "min_mb": min(samples) / 1024, "max_mb": max(samples) / 1024,
            "early_mb": early / 1024, "threads": threads, "top": mappings[:6],
            "cpu_percent": 100 * cpu / settle,
            "wakeups_per_minute": wakeups * 60 / settle}


def chromium_page(out: pathlib.Path, settle: float) -> dict:
    """Debian's chromium, headless, showing the idle screen as one HTML page: PSS of all its processes."""
    chromium = need("chromium", "apt-get install chromium (make bench installs it)")
    page = pathlib.Path(__file__).resolve().parent / "idle.html"
    profile = tempfile.mkdtemp(prefix="kiosk-bench-chromium.")
    child = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
         "--window-size=1024,600", page.as_uri()],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        time.sleep(settle)
        tree = descendants(child.pid) + [child.pid]
        pss = sum(rigmodule.pss_kb(pid) for pid in tree if os.path.exists(f"/proc/{pid}"))
        if child.poll() is not None:
            raise Missing("chromium exited before it could be measured")
    finally:
        os.killpg(child.pid, signal.SIGKILL)
        child.wait()
    return {"pss_mb": pss / 1024, "processes": len(tree)}


def descendants(pid: int) -> list[int]:
    found = []
    for task in os.listdir("/proc"):
        if not task.isdigit():
            continue
        try:
            ppid = int(open(f"/proc/{task}/stat").read().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if ppid == pid:
            found += [int(task)] + descendants(int(task))
    return found


# Card tap.


def card_tap(rig: Rig, taps: int) -> dict:
    """A virtual e-KTP tapped on pcscd's vpcd reader under `kiosk run`, pcsc_scan watching the same reader: tap ->
    pcscd's event (pcsc_scan's "Card inserted") -> the PIN screen drawn, which needs the UID read over PC/SC and the
    resident found in the SQLite registry. The kiosk runs under a NOTIFY_SOCKET, as systemd runs it, and so unmaps
    its start-up pages after READY=1: the first tap, 2 s after it, maps back what a session needs, and is reported
    on its own."""
    # vpcd's second reader: the first is where tests and the demo put their cards.
    config = rig.config("tap", printing={"card_reader.reader": '"Virtual PCD 00 01"'})
    scan = rig.spawn(["stdbuf", "-oL", need("pcsc_scan", "apt-get install pcsc-tools"), "-n"])
    notify = NotifySocket(rig.work / "notify-tap")
    kiosk = rig.kiosk_run(config, env=dict(os.environ, NOTIFY_SOCKET=str(notify.path)))
    notify.wait_ready()
    notify.close()
    kiosk.err.wait(r"kiosk ready", what="kiosk run starting")
    time.sleep(2)
    card = rig.spawn([rig.sim, "card", "--uid", DEMO_CARD, "--steps-from-stdin", "--port", "35964"],
                     stdin=subprocess.PIPE)
    card.out.wait(r"reader ready", what="kiosk-sim card")
    event_to_screen, tap_to_screen, tap_to_scan = [], [], []
    try:
        for tap in range(taps + 2):
            (k, s, c) = (kiosk.err.mark(), scan.out.mark(), card.out.mark())
            tapped = time.monotonic_ns()
            card.send("tap\n")
            card.out.wait(r"^inserted", after=c, what="kiosk-sim card tap")
            _, seen, _ = scan.out.wait(r"Card inserted", after=s, what="pcsc_scan")
            _, shown, _ = kiosk.err.wait(r"screen screen=pin\b", after=k, what="the PIN screen")
            if tap == 0:
                first = shown - seen
            if tap >= 2:
                event_to_screen.append(shown - seen)
                tap_to_screen.append(shown - tapped)
                tap_to_scan.append(seen - tapped)
            k = kiosk.err.mark()
            card.send("remove\n")
            card.out.wait(r"^removed", after=c, what="kiosk-sim card remove")
            kiosk.err.wait(r"screen screen=idle\b", after=k, what="the idle screen after the card left")
    finally:
        card.stop()
        kiosk.stop()
        scan.stop(signal.SIGKILL)
    return {"event_ms": median_ms(event_to_screen), "tap_ms": median_ms(tap_to_screen),
            "scan_ms": median_ms(tap_to_scan), "taps": taps, "first_ms": first / MS}


# Confirm to printer.


def confirm_to_printer(rig: Rig, sessions: int, thermal: bool) -> dict:
    """Scripted resident sessions under `kiosk run --log-level debug`: from the state machine leaving `confirm`
    (the Cetak press handled; the line is written before any effect) to the first byte at the printer: the PDF's
    file created by ippeveprinter behind cupsd, or kiosk-sim printer's first printing byte of the pengantar slip."""
    # The script's card: the path measured starts after the card was read, and pcscd's readers stay free.
    script_card = {"card_reader.backend": '"script"'}
    if thermal:
        config = rig.config("slip", printing={"letters": '"thermal"', "receipt": "false", **script_card})
    else:
        config = rig.config("cups", printing=script_card)
    script = config.parent / "sessions.txt"
    script.write_text(session_script(sessions + 1))
    folder = rig.printers / "printer"
    # ippeveprinter names each job's document JOBID-NAME.pdf and creates it as the first bytes come in.
    watch = rigmodule.FolderWatch(folder, suffix=".pdf") if not thermal else None
    kiosk = rig.kiosk_run(config, "--script", script, "--log-level", "debug", "--await-seconds", "60")
    times = []
    try:
        after = 0
        for session in range(sessions + 1):
            (k, t) = (kiosk.err.mark(), rig.thermal.out.mark())
            index, confirmed, _ = kiosk.err.wait(r"state changed from=confirm to=printing", after=k, timeout=90,
                                                 what="the Cetak press")
            if thermal:
                _, first, _ = rig.thermal.out.wait(r"job data", after=t, what="kiosk-sim printer's first byte")
            else:
                first, _ = watch.wait(after, timeout=60)
                after += 1
            kiosk.err.wait(r"screen screen=idle\b", after=index, timeout=90, what="the session's end")
            if session >= 1:  # the first session warms the printer's path up
                times.append(first - confirmed)
        if kiosk.popen.wait(60) != 0:
            raise RuntimeError(f"kiosk run --script exited {kiosk.popen.returncode}")
    finally:
        kiosk.stop()
    return {"median_ms": median_ms(times), "sessions": sessions}


# Records.


def upload_drain(rig: Rig, count: int) -> dict:
    """`count` records captured by record-load, then `kiosk upload` drains them to kiosk-sim api over TLS."""
    load = need(str(rig.bin / "record-load"), "swift build -c release --product record-load")
    config = rig.config("upload", extra="batch_size = 500\n")
    rig.run([load, "--config", config, "--count", count])
    started = time.monotonic()
    out = rig.run([rig.kiosk, "upload", "--config", config, "--batch-size", "500"])
    elapsed = time.monotonic() - started
    status = rig.run([rig.kiosk, "status", "--config", config])
    if "queue:           0 record(s)" not in status:
        raise RuntimeError(f"the outbox was not drained:\n{out}\n{status}")
    return {"per_second": count / elapsed, "count": count, "seconds": elapsed}


def durable_capture(rig: Rig, count: int) -> dict:
    load = need(str(rig.bin / "record-load"), "swift build -c release --product record-load")
    config = rig.config("capture", enroll=False)
    ours = json.loads(rig.run([load, "--config", config, "--count", count, "--stats"]).strip().splitlines()[-1])
    peer = json.loads(rig.run([sys.executable, ROOT / "Benchmarks/Peers/sqlite_capture_peer.py",
                               rig.work / "capture-peer", count]).strip())
    return {"median_ms": ours["median_us"] / 1000, "peer_ms": peer["median_us"] / 1000}


# package-benchmark's figures and their peers.


def jmh_median_ms(entries: list, suffix: str, per: float = 1.0) -> float:
    """The median time of a package-benchmark benchmark from its JMH export (throughput percentiles, per second,
    divided by `per` for scaled benchmarks)."""
    for entry in entries:
        if entry["benchmark"].endswith(suffix):
            return 1e3 / (entry["primaryMetric"]["scorePercentiles"]["50.0"] * per)
    raise Missing(f"no benchmark ending in {suffix!r} in the JMH export: did package-benchmark run it?")


def binary_size(kiosk: str) -> dict:
    """The binary as `make install` installs it: symbols and debug info stripped (they go to kiosk-dbgsym)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = pathlib.Path(folder) / "kiosk"
        subprocess.run(["strip", "--strip-all", "-o", copy, kiosk], check=True)
        return {"mib": copy.stat().st_size / 2**20}


# The table.


def row(figure, ours, budget, ok, peer="", ratio=""):
    return {"figure": figure, "ours": ours, "budget": budget, "ok": ok, "peer": peer, "ratio": ratio}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True, type=pathlib.Path)
    parser.add_argument("--sim", type=pathlib.Path, help="kiosk-sim, if not the one in --bin")
    parser.add_argument("--jmh", type=pathlib.Path, help="package-benchmark's JMH export of the same run")
    parser.add_argument("--slip-png", type=pathlib.Path, help="the slip's pixels the ESC/POS benchmark encoded")
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, for trying the script out")
    parser.add_argument("--only", default="micro,start,idle,size,tap,print,records",
                        help="the parts to measure, for trying the script out (make bench measures all)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    args.out.mkdir(parents=True, exist_ok=True)
    quick = args.quick
    log = open(args.out / "rig.log", "w")
    load_before = os.getloadavg()
    rows = []

    if "micro" in only and not (args.jmh and args.slip_png):
        raise Missing("--jmh and --slip-png are needed for the in-process figures (or leave micro out of --only)")
    if "micro" in only:
        rows += micro(args)
    rig = Rig(args.bin, args.out, log, sim=args.sim).start()
    try:
        if "start" in only:
            start = start_to_ready(rig, 5 if quick else 20)
            rows.append(row(f"start → READY=1 (median of {start['runs']})", f"{start['median_ms']:.1f} ms",
                            "≤ 25 ms", start["median_ms"] <= 25))
            rows.append(row("CPU of start → READY=1 (all threads, median)", f"{start['cpu_ms']:.1f} ms", "—", True))
        if "idle" in only:
            idle = idle_memory(rig, args.out, 10 if quick else 60)
            chromium = chromium_page(args.out, 5 if quick else 10)
            rows.append(row(f"idle PSS, mean of the second minute ({idle['min_mb']:.1f}-{idle['max_mb']:.1f} MB; "
                            f"{idle['threads']} threads; {idle['early_mb']:.1f} MB 12 s after READY=1)",
                            f"{idle['pss_mb']:.1f} MB", "≤ 24 MB",
                            idle["pss_mb"] <= 24, f"Chromium one page {chromium['pss_mb']:.0f} MB "
                            f"({chromium['processes']} processes)",
                            f"{chromium['pss_mb'] / idle['pss_mb']:.0f}× less"))
            rows.append(row("idle CPU (idle animation on: one step a second)",
                            f"{idle['cpu_percent']:.2f} %, {idle['wakeups_per_minute']:.0f} wake-ups/min", "0 %",
                            idle["cpu_percent"] < 0.5))
        if "size" in only:
            size = binary_size(rig.kiosk)
            rows.append(row("binary as installed (strip --strip-all)", f"{size['mib']:.1f} MiB", "≤ 62.4 MiB",
                            size["mib"] <= 62.4))
        if "tap" in only:
            tap = card_tap(rig, 5 if quick else 20)
            rows.append(row("card: pcscd event → PIN screen (UID, SQLite)", f"{tap['event_ms']:.1f} ms",
                            "≤ 100 ms", tap["event_ms"] <= 100, f"pcsc_scan: tap → seen {tap['scan_ms']:.1f} ms",
                            f"tap → PIN screen {tap['tap_ms']:.1f} ms"))
            rows.append(row("card: the first tap after start (pages mapped back)", f"{tap['first_ms']:.1f} ms",
                            "≤ 100 ms", tap["first_ms"] <= 100))
        if "print" in only:
            for thermal in (False, True):
                printed = confirm_to_printer(rig, 3 if quick else 10, thermal)
                name = "thermal printer (slip)" if thermal else "letter printer (CUPS)"
                rows.append(row(f"confirm → first byte at the {name}", f"{printed['median_ms']:.0f} ms",
                                "≤ 300 ms", printed["median_ms"] <= 300))
        if "records" in only:
            capture = durable_capture(rig, 200 if quick else 1000)
            rows.append(row("record durably written (fsync)", f"{capture['median_ms']:.2f} ms", "≤ 5 ms",
                            capture["median_ms"] <= 5, f"bare sqlite3 {capture['peer_ms']:.2f} ms",
                            f"{capture['median_ms'] / capture['peer_ms']:.1f}× the floor"))
            drain = upload_drain(rig, 2000 if quick else 20000)
            rows.append(row(f"outbox drain over TLS ({drain['count']} records)",
                            f"{drain['per_second']:.0f} rec/s", "≥ 2,000 rec/s", drain["per_second"] >= 2000))
    finally:
        rig.stop()
    load_after = os.getloadavg()
    print_table(args.out, rows, load_before, load_after)


def micro(args) -> list:
    """The in-process figures from package-benchmark's JMH export, each with its peer run now."""
    if not args.jmh or not args.slip_png:
        raise Missing("--jmh and --slip-png are needed for the in-process figures")
    rows = []
    entries = json.load(open(args.jmh))
    import escpos_peer
    import letter_peer
    import nik_peer

    letter = jmh_median_ms(entries, "Letter_confirmed_->_PDF_bytes")
    reportlab = letter_peer.peer_median_ms()
    rows.append(row("letter into PDF (F4, QR)", f"{letter:.2f} ms", "≥ 20× ReportLab", reportlab / letter >= 20,
                    f"ReportLab {reportlab:.1f} ms", f"{reportlab / letter:.1f}×"))
    slip = jmh_median_ms(entries, "Slip_576x1183_->_ESC/POS_raster_(GS_v_0)")
    escpos, _ = escpos_peer.peer(str(args.slip_png))
    rows.append(row("slip 576×1183 to ESC/POS raster", f"{slip:.2f} ms", "≥ 20× python-escpos", escpos / slip >= 20,
                    f"python-escpos {escpos:.1f} ms", f"{escpos / slip:.0f}×"))
    nik = jmh_median_ms(entries, "NIK_parse_and_validate", per=1000) * 1e6
    stdnum = nik_peer.peer_median_ns()
    rows.append(row("NIK parse and validate", f"{nik:.0f} ns", "—", True, f"python-stdnum {stdnum:.0f} ns",
                    f"{stdnum / nik:.0f}×"))
    full = jmh_median_ms(entries, "Full_frame_1024x600:_menu_(paint,_draw,_copy_XRGB8888)")
    rows.append(row("full frame 1024×600 (paint, draw, copy)", f"{full:.2f} ms", "≤ 4 ms", full <= 4))
    for angle in (90, 270):
        rotated = jmh_median_ms(entries, f"Full_frame_1024x600_RGB565_rotated_{angle}:_menu")
        rows.append(row(f"full frame 1024×600 RGB565 rotated {angle}°", f"{rotated:.2f} ms", "≤ 4 ms", rotated <= 4))
    partial = jmh_median_ms(entries, "Partial_1024x600:_button_highlight_(Cetak_pressed,_released)")
    rows.append(row("partial update (button pressed)", f"{partial:.2f} ms", "≤ 1 ms", partial <= 1))

    return rows


def print_table(out: pathlib.Path, rows: list, load_before, load_after):
    lines = [f"make bench, {time.strftime('%Y-%m-%d %H:%M')} on {platform.node()}, {os.cpu_count()} cores; "
             f"load average {load_before[0]:.2f} before, {load_after[0]:.2f} after",
             "",
             "| figure | ours | budget | within | peer, same run | ratio |",
             "|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['figure']} | {r['ours']} | {r['budget']} | {'yes' if r['ok'] else 'NO'} | {r['peer']} "
                     f"| {r['ratio']} |")
    table = "\n".join(lines)
    (out / "report.md").write_text(table + "\n")
    print(table)
    print(f"\n(idle memory by mapping: {out / 'idle-smaps.txt'}; the rig's logs: {out / 'rig.log'})")


if __name__ == "__main__":
    main()
