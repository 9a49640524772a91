#!/usr/bin/env python3
"""`make soak-memory`: resident sessions, 10,000 by default, through one `kiosk run` of the release binary (with a
NOTIFY_SOCKET, as under systemd) on the demo's configuration and the rig of rig.py (pcscd with vpcd, a private cupsd
with ippeveprinter, kiosk-sim printer, kiosk-sim api over TLS). At every checkpoint (every 1,000 sessions) the kiosk
is idle and everything it started is finished; its PSS, anonymous memory, file descriptors and threads are read from
/proc. The run fails when memory grows after the first checkpoint, when a descriptor or a thread is left over, or
when a record or a print is missing.

A session is a resident's: the card tapped on a vpcd reader of a pcscd of the soak's own (kiosk-sim card, from here:
a run of hours then shares no reader with a demo or a bench on the system's pcscd), the PIN typed, Surat Keterangan
Domisili for "Melamar pekerjaan" confirmed, the letter printed through cupsd to ippeveprinter and the receipt on
kiosk-sim printer, the card taken, the survey answered; the record is captured, then uploaded over TLS. The queue
completes a letter once ippeveprinter has it (scripts/test-printer's WAITJOB=false) instead of following it there
for about another second: 1.1 s a session instead of 2.3 s, most of the rest pcscd's polling of the vpcd reader (400
ms) at the tap and as the card is taken. The touches come from `kiosk run --script` (a kiosk has no other way in
from outside without a touch panel); the script holds every session's steps from the start, a constant share of the
memory, never growth. No timer is waited on: the path has none (the done screen leaves as the card is taken, the
survey as it is answered).

The files the printers and the spoken prompts leave (a PDF, a slip picture, several WAVs a session) are counted and
deleted at each checkpoint, so 10,000 sessions do not fill the disk.

Usage: soak.py --bin BIN_DIR --out OUT_DIR [--sessions N] [--every K] [--sim KIOSK_SIM]
(SOAK_SESSIONS and SOAK_EVERY in the environment set the defaults.)
"""

import argparse
import json
import os
import pathlib
import platform
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import rig as rigmodule  # noqa: E402
from rig import DEMO_CARD, NotifySocket, PrivatePCSCD, Rig, session_script  # noqa: E402

# What "grows" means. Checkpoint 1 (after the first `every` sessions) is the baseline: by then every cache the
# kiosk has is warm and every lazily started thread runs.
# - Judged: the kiosk's own memory, anonymous memory (the heap, the stacks, the pixel buffers) and, inside it, what
#   malloc has handed out and not had back. Each may move by allocator noise (a freed block that leaves a page half
#   used, a connection's buffers sized by the last reply); 1 MB above checkpoint 1 is growth.
ABOVE_FIRST_KB = 1024
JUDGED = (("anonymous_kb", "anonymous memory"), ("malloc_kb", "malloc's memory in use"))
# - PSS is reported, not judged: beyond anonymous memory it counts the binary's and the libraries' file pages, and a
#   library's share of its pages follows how many other processes map it. In a soak beside other work it rose by
#   3.6 MB between two checkpoints while anonymous memory rose by 156 kB (the load average fell from 1.2 to 0).
# - The trend must be flat: a least-squares slope over the checkpoints from the first on. 100 bytes a session is
#   3.6 MB a year at 100 sessions a day, the most a kiosk that is restarted only by updates may gain; below that
#   a slope is indistinguishable from the noise above over 10 checkpoints.
SLOPE_BYTES_PER_SESSION = 100
# - Descriptors and threads are counted, not estimated: the same number at every checkpoint from the first on.
#   Some come and go by themselves on a quiet kiosk: a connection of a printer's status poll, a prompt's pipe, a
#   dispatch worker (libdispatch's idle workers are not counted at all: PoolWorkers); AsyncHTTPClient keeps a
#   connection to the API for 60 s after its last request (a heartbeat, every 300 s, may open one at any time). A
#   checkpoint therefore counts the fewest seen over SETTLE_SECONDS, sampled twice a second: twice the pool's 60 s
#   and a margin, so that the upload's connection and a heartbeat's right after it have both closed within the
#   window. A leaked descriptor or thread is there at every sample.
SETTLE_SECONDS = 130


class PoolWorkers:
    """libdispatch's idle pool workers in a process: threads in futex(2) on the semaphore of one of its root queues
    (`_dispatch_pthread_root_queue_contexts`, found by the binary's symbol table and its load address). libdispatch
    starts a worker when work arrives and none is free, and a worker ends after 5 s without work; a kiosk that draws
    an animation and keeps timers has work every few milliseconds, so how many idle workers are alive at a moment
    follows how many jobs last ran at once, not what leaked. The stacks at the checkpoints of a 400-session soak
    (threads-N.txt) showed every thread beyond the kiosk's own (main, dispatch's manager, NIO's loop, the card
    monitor, the speaker) to be such a worker, and the earlier soak's one thread more at 400 sessions bore a worker's
    name. A leaked thread is busy or blocked elsewhere and is counted. With a stripped binary (no symbol) nothing is
    told apart and every thread counts."""

    FUTEX = 202  # x86_64

    def __init__(self, pid: int, binary: pathlib.Path):
        self.pid, self.range = pid, None
        symbols = subprocess.run(["nm", "-S", "--defined-only", str(binary)], capture_output=True, text=True).stdout
        for line in symbols.splitlines():
            fields = line.split()
            if len(fields) == 4 and fields[3] == "_dispatch_pthread_root_queue_contexts":
                base = next(int(line.split("-")[0], 16) for line in open(f"/proc/{pid}/maps")
                            if line.split()[2] == "00000000" and line.rstrip().endswith(str(binary.resolve())))
                start = base + int(fields[0], 16)
                self.range = range(start, start + int(fields[1], 16))

    def idle(self) -> int:
        if self.range is None:
            return 0
        count = 0
        for tid in os.listdir(f"/proc/{self.pid}/task"):
            try:
                call = open(f"/proc/{self.pid}/task/{tid}/syscall").read().split()
            except OSError:
                continue
            if len(call) > 1 and call[0] == str(self.FUTEX) and int(call[1], 16) in self.range:
                count += 1
        return count


class Tally:
    """Files a printer or the speech leave in a folder: counted, then deleted (a job complete is never counted twice,
    and the folder stays small)."""

    def __init__(self, folder: pathlib.Path, suffix: str, also=()):
        self.folder, self.suffix, self.also = folder, suffix, also
        self.total = 0

    def collect(self) -> int:
        if self.folder.exists():
            for path in self.folder.iterdir():
                if path.name.endswith(self.suffix):
                    self.total += 1
                    for other in (path, *(path.with_suffix(s) for s in self.also)):
                        other.unlink(missing_ok=True)
        return self.total


def api_records(rig: Rig) -> dict[str, int]:
    """Records kiosk-sim api applied, by print outcome (its SQLite file, read only: the server keeps running)."""
    database = rig.work / "api" / "api.sqlite"
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=10) as db:
        return dict(db.execute("SELECT print_outcome, count(*) FROM record GROUP BY print_outcome").fetchall())


def until(what: str, check, timeout: float = 180):
    """Polls `check` until it is true; fails with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"soak: {what} not within {timeout} s")
        time.sleep(0.2)


def children(pid: int) -> list[str]:
    """The kiosk's child processes now (espeak-ng writing a prompt): while one runs, its pipe is a descriptor of the
    kiosk's."""
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            found += open(f"/proc/{pid}/task/{task}/children").read().split()
        except OSError:
            pass
    return found


def sockets(pid: int) -> dict[str, str]:
    """The process's TCP sockets by inode, as "tcp to PORT" (the rig's services are on loopback ports)."""
    found = {}
    for table in ("tcp", "tcp6"):
        for line in open(f"/proc/{pid}/net/{table}").readlines()[1:]:
            fields = line.split()
            local, remote, inode = fields[1], fields[2], fields[9]
            found[inode] = f"tcp {int(local.rsplit(':', 1)[1], 16)} to {int(remote.rsplit(':', 1)[1], 16)}"
    return found


def fd_targets(pid: int) -> list[str]:
    """Each descriptor and what it is: a file, a pipe, a TCP connection by its ports."""
    targets, tcp = [], sockets(pid)
    for fd in sorted(os.listdir(f"/proc/{pid}/fd"), key=int):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        inode = target[len("socket:["):-1] if target.startswith("socket:[") else None
        targets.append(f"{fd} -> {target}" + (f" ({tcp[inode]})" if inode in tcp else ""))
    return targets


def slope(xs: list[float], ys: list[float]) -> float:
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    spread = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / spread if spread else 0.0


class Soak:
    def __init__(self, rig: Rig, sessions: int, every: int, out: pathlib.Path, minutes: float | None):
        self.rig, self.sessions, self.every, self.out, self.minutes = rig, sessions, every, out, minutes
        self.config = rig.config("soak")
        self.pcscd = PrivatePCSCD(rig.work / "pcscd", "Soak PCD", rig.log)
        rig.children.append(self.pcscd.daemon)
        folder = self.config.parent
        self.letters = Tally(rig.printers / "printer", ".pdf")
        self.slips = Tally(rig.work / "thermal", ".txt", also=(".png",))
        self.prompts = Tally(folder / "speech", ".wav")
        self.checkpoints: list[dict] = []
        self.done, self.elapsed, self.measuring = 0, 0.0, 0.0
        self.slopes = {key: 0.0 for key, _ in JUDGED}
        self.load_before = os.getloadavg()[0]
        self.exit = None

    def run(self):
        rig = self.rig
        script = self.config.parent / "sessions.txt"
        # The card comes from here; after the last session one more tap ends the script (at the PIN screen), so the
        # last checkpoint is read from a kiosk still running.
        script.write_text(session_script(self.sessions, card_steps=False) + "await pin\n")
        card = rig.spawn([rig.sim, "card", "--uid", DEMO_CARD, "--steps-from-stdin", "--port", str(self.pcscd.port)],
                         stdin=subprocess.PIPE)
        card.out.wait(r"reader ready", what="kiosk-sim card on the private pcscd's vpcd reader")
        # A NOTIFY_SOCKET, as kiosk.service gives it: the kiosk then runs as under systemd, and unmaps the pages of its
        # binary that it has not touched for 10 s (KioskRuntime.releaseUnusedPages). Without it, code that runs
        # for the first time between two checkpoints (the first registry and board syncs, 15 minutes in) stays
        # mapped and looks like growth. What the kiosk sends there is read and dropped.
        notify = NotifySocket(rig.work / "notify-soak")
        threading.Thread(target=notify.drain, daemon=True).start()
        kiosk = rig.kiosk_run(self.config, "--script", script, "--await-seconds", "600",
                              env=dict(self.pcscd.environment, NOTIFY_SOCKET=str(notify.path)))
        kiosk.err.wait(r"kiosk ready", timeout=60, what="kiosk run starting")
        self.pid = kiosk.popen.pid
        self.workers = PoolWorkers(self.pid, self.rig.bin / "kiosk")
        kiosk.err.wait(r"screen screen=idle\b", what="the first idle screen")
        self.checkpoint(0, kiosk)
        started = time.monotonic()
        for session in range(1, self.sessions + 1):
            (k, c) = (kiosk.err.mark(), card.out.mark())
            card.send("tap\n")
            card.out.wait(r"^inserted", after=c, what=f"session {session}: the tap")
            _, _, _ = kiosk.err.wait(r"screen screen=done\b", after=k, timeout=120, what=f"session {session}: done")
            (k, c) = (kiosk.err.mark(), card.out.mark())
            card.send("remove\n")
            card.out.wait(r"^removed", after=c, what=f"session {session}: the card taken")
            kiosk.err.wait(r"screen screen=idle\b", after=k, timeout=120, what=f"session {session}: back to idle")
            if session % self.every == 0 or session == self.sessions:
                began = time.monotonic()
                self.checkpoint(session, kiosk)
                self.measuring += time.monotonic() - began
                self.done, self.elapsed = session, time.monotonic() - started
                self.report(self.verdict(), partial=True)
                if self.minutes and self.elapsed > self.minutes * 60 and session < self.sessions:
                    # Out of time: SIGTERM, as systemd stops a kiosk. Its script's step waiting for the next card
                    # does not end on SIGTERM (ScriptPlayer waits out --await-seconds), so after 15 s the kiosk is
                    # killed: its exit is reported, not judged (a kiosk without --script has no such step).
                    self.exit = kiosk.stop()
                    card.stop()
                    return
        # The last tap: the script's last step sees the PIN screen and the kiosk stops, as a scripted kiosk does.
        card.send("tap\n")
        if kiosk.popen.wait(120) != 0:
            raise RuntimeError(f"soak: kiosk run exited {kiosk.popen.returncode}")
        card.stop()

    def checkpoint(self, sessions: int, kiosk):
        """Waits until every session so far is printed on both printers and applied by the API and the kiosk has no
        child running, then reads its memory, descriptors and threads."""
        until(f"{sessions} letters at ippeveprinter", lambda: self.letters.collect() >= sessions)
        until(f"{sessions} slips at kiosk-sim printer", lambda: self.slips.collect() >= sessions)
        until(f"{sessions} records applied by kiosk-sim api", lambda: sum(api_records(self.rig).values()) >= sessions)
        until("the spoken prompts written (no espeak-ng running)", lambda: not children(self.pid), timeout=60)
        self.prompts.collect()
        fds, threads = self.settle()
        rollup = rigmodule.smaps_rollup(self.pid)
        point = {
            "sessions": sessions, "pss_kb": rollup["Pss"], "anonymous_kb": rollup["Anonymous"],
            "rss_kb": rollup["Rss"], "fds": fds, "threads": threads,
            "database_kb": sum(f.stat().st_size for f in (self.config.parent / "state").glob("kiosk.sqlite*")) // 1024,
            "thread_names": rigmodule.thread_names(self.pid), "fd_targets": fd_targets(self.pid),
            "letters": self.letters.total, "slips": self.slips.total, "prompts": self.prompts.total,
            "records": api_records(self.rig), "at": time.monotonic(), "load": os.getloadavg()[0],
        }
        self.checkpoints.append(point)
        mark = kiosk.err.mark()
        point["sqlite_kb"] = self.stacks(sessions)
        point["malloc_kb"] = self.malloc_in_use(kiosk, mark)
        print(f"soak: {sessions:6d} sessions  PSS {point['pss_kb']:7d} kB  anonymous {point['anonymous_kb']:7d} kB  "
              f"malloc {point['malloc_kb']} kB  SQLite {point['sqlite_kb']} kB  fds {point['fds']:3d}  "
              f"threads {point['threads']:2d}  "
              f"load {point['load']:.1f}", flush=True)

    @staticmethod
    def malloc_in_use(kiosk, mark: int) -> int | None:
        """The bytes glibc's malloc has handed out and not had back, in all arenas (`malloc_stats()`, which gdb calls
        in `stacks` and which writes to the kiosk's stderr): anonymous memory counts these and also the free space
        the arenas keep, so a rise in anonymous memory with this flat is fragmentation, and with this rising as much
        is memory held. None where gdb could not call it."""
        try:
            index, _, _ = kiosk.err.wait(r"^Total \(incl\. mmap\):", after=mark, timeout=5)
            _, _, line = kiosk.err.wait(r"^in use bytes\s*=", after=index, timeout=5)
        except RuntimeError:
            return None
        return int(line.split("=")[1]) // 1024

    def stacks(self, sessions: int) -> int | None:
        """Every thread's stack, read by gdb after the counts were taken, into threads-SESSIONS.txt beside the table:
        a thread more than at checkpoint 1 is found by comparing two of these files, and the names /proc gives
        (libdispatch's workers are all "com.apple.root...") do not tell one worker's job from another's. Skipped,
        and said so in the file, where gdb is missing.

        Returns SQLite's own heap in kB (`sqlite3_memory_used()`, called by gdb in the stopped kiosk): the page
        caches of the pool's connections grow with the database up to their limit, and this tells that growth from
        the kiosk's own. None where gdb could not read it."""
        target = self.out / f"threads-{sessions}.txt"
        try:
            # The symbols from /proc/PID/exe: a binary rebuilt during the soak leaves the running one "(deleted)",
            # which gdb's own lookup by path does not find (no stacks, no SQLite heap).
            result = subprocess.run(["gdb", "-p", str(self.pid), "-batch", "-nx", "-ex", f"file /proc/{self.pid}/exe",
                                     "-ex", "thread apply all bt 30",
                                     "-ex", "print (long long) sqlite3_memory_used()",
                                     "-ex", "call (void) malloc_stats()"],
                                    capture_output=True, text=True, timeout=120)
            target.write_text(result.stdout + result.stderr)
        except (OSError, subprocess.TimeoutExpired) as error:
            target.write_text(f"no stacks: {error}\n")
            return None
        used = re.findall(r"^\$\d+ = (\d+)$", result.stdout, re.MULTILINE)
        return int(used[-1]) // 1024 if used else None

    def settle(self) -> tuple[int, int]:
        """The fewest descriptors and threads seen over SETTLE_SECONDS, threads without libdispatch's idle workers
        (PoolWorkers)."""
        def now():
            return rigmodule.fds(self.pid), rigmodule.threads(self.pid) - self.workers.idle()
        fewest = now()
        deadline = time.monotonic() + SETTLE_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.5)
            fds, threads = now()
            fewest = (min(fewest[0], fds), min(fewest[1], threads))
        return fewest

    def verdict(self) -> list[str]:
        """What failed, in words; empty when the soak passed."""
        problems = []
        points = [p for p in self.checkpoints if p["sessions"] > 0]
        if not points:
            return ["no checkpoint after a session was reached"]
        first = points[0]
        for point in points[1:]:
            for key, name in JUDGED:
                if point[key] is None or first[key] is None:
                    problems.append(f"{name} at {point['sessions']} sessions: not read (gdb)")
                    continue
                above = point[key] - first[key]
                if above > ABOVE_FIRST_KB:
                    problems.append(f"{name} at {point['sessions']} sessions is {above} kB above checkpoint 1 "
                                    f"(at most {ABOVE_FIRST_KB} kB)")
            for key in ("fds", "threads"):
                if point[key] != first[key]:
                    problems.append(f"{key} at {point['sessions']} sessions: {point[key]}, at checkpoint 1: "
                                    f"{first[key]}")
            if point["fds"] != first["fds"]:
                gone = sorted(set(first["fd_targets"]) - set(point["fd_targets"]))
                new = sorted(set(point["fd_targets"]) - set(first["fd_targets"]))
                problems.append(f"  descriptors gone: {gone}; new: {new}")
            if point["threads"] != first["threads"]:
                problems.append(f"  threads then: {first['thread_names']}; now: {point['thread_names']}")
        if len(points) >= 3:
            for key, name in JUDGED:
                known = [p for p in points if p[key] is not None]
                self.slopes[key] = 1024 * slope([p["sessions"] for p in known], [p[key] for p in known])
                if self.slopes[key] > SLOPE_BYTES_PER_SESSION:
                    problems.append(f"{name} rises {self.slopes[key]:.0f} bytes a session over the checkpoints "
                                    f"(at most {SLOPE_BYTES_PER_SESSION})")
        last = self.checkpoints[-1]
        records = last["records"]
        if sum(records.values()) != last["sessions"] or records.get("printed") != last["sessions"]:
            problems.append(f"kiosk-sim api applied {records} for {last['sessions']} sessions")
        for key, name in (("letters", "letters at ippeveprinter"), ("slips", "slips at kiosk-sim printer")):
            if last[key] != last["sessions"]:
                problems.append(f"{last[key]} {name} for {last['sessions']} sessions")
        return problems

    def report(self, problems: list[str], partial: bool = False):
        lines = [f"make soak-memory, {time.strftime('%Y-%m-%d %H:%M')} on {platform.node()}, {os.cpu_count()} "
                 f"cores: {self.done} of {self.sessions} sessions through `kiosk run` (release binary, demo "
                 f"configuration) in {self.elapsed:.0f} s, {self.done / max(self.elapsed, 1e-9):.2f} sessions/s "
                 f"({self.done / max(self.elapsed - self.measuring, 1e-9):.2f} without the checkpoints' waits); "
                 f"load average {self.load_before:.1f} before, {os.getloadavg()[0]:.1f} after",
                 "",
                 "| sessions | PSS kB | anonymous kB | RSS kB | malloc in use kB | SQLite heap kB | database kB | fds | threads | "
                 "letters | slips | records | prompts | load |",
                 "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for p in self.checkpoints:
            sqlite = p["sqlite_kb"] if p.get("sqlite_kb") is not None else "?"
            malloc = p["malloc_kb"] if p.get("malloc_kb") is not None else "?"
            lines.append(f"| {p['sessions']} | {p['pss_kb']} | {p['anonymous_kb']} | {p['rss_kb']} | {malloc} | {sqlite} | "
                         f"{p['database_kb']} | {p['fds']} | {p['threads']} | {p['letters']} | {p['slips']} | "
                         f"{sum(p['records'].values())} | {p['prompts']} | {p['load']:.1f} |")
        lines += ["", f"Checkpoint 0 is the idle kiosk before the first session (not judged). From the first "
                      f"checkpoint on: anonymous memory and malloc's memory in use each at most {ABOVE_FIRST_KB} kB above "
                      f"it and rising at most {SLOPE_BYTES_PER_SESSION} bytes a session (measured: anonymous "
                      f"{self.slopes['anonymous_kb']:.1f}, malloc {self.slopes['malloc_kb']:.1f}), PSS reported only, "
                      f"the same fds and threads."]
        if self.exit is not None:
            lines.append(f"Stopped after {self.minutes} minutes (SOAK_MINUTES): kiosk run exited {self.exit} "
                         "on SIGTERM.")
        if self.checkpoints:
            lines.append(f"Threads at the last checkpoint: {', '.join(self.checkpoints[-1]['thread_names'])}")
        verdict = "PASSED" if not problems else "FAILED:\n" + "\n".join(problems)
        lines.append(("(running) so far: " if partial else "") + verdict)
        table = "\n".join(lines)
        (self.out / "soak-memory.md").write_text(table + "\n")
        (self.out / "soak-memory.json").write_text(json.dumps(self.checkpoints, indent=1) + "\n")
        if not partial:
            print(table)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bin", required=True, type=pathlib.Path)
    parser.add_argument("--sim", type=pathlib.Path, help="kiosk-sim, if not the one in --bin")
    parser.add_argument("--out", required=True, type=pathlib.Path)
    parser.add_argument("--sessions", type=int, default=int(os.environ.get("SOAK_SESSIONS", 10000)))
    parser.add_argument("--every", type=int, default=int(os.environ.get("SOAK_EVERY", 0)),
                        help="sessions between checkpoints (default: 1,000, or a tenth of a shorter run)")
    parser.add_argument("--minutes", type=float, default=float(os.environ.get("SOAK_MINUTES", 0)) or None,
                        help="stop at the first checkpoint after this long (a shorter run, reported as such)")
    args = parser.parse_args()
    every = args.every or min(1000, max(1, args.sessions // 10))
    args.out.mkdir(parents=True, exist_ok=True)
    stopped = []
    with open(args.out / "rig.log", "w") as log:
        rig = Rig(args.bin, args.out, log, sim=args.sim, waitjob=False).start()
        try:
            soak = Soak(rig, args.sessions, every, args.out, args.minutes)
            try:
                soak.run()
            except RuntimeError as error:  # a session or a checkpoint failed: the checkpoints so far are reported
                stopped = [f"the run stopped after {soak.done} sessions: {error}"]
            except KeyboardInterrupt:  # so are they after a Ctrl-C
                stopped = [f"the run was interrupted after {soak.done} sessions"]
        finally:
            # A Ctrl-C reaches every process of the terminal's group, so a second one is likely while the rig stops
            # (`timeout -s INT` sends two): ignored, or cupsd, ippeveprinter and the simulators would outlive the run.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            rig.stop()
    problems = stopped + soak.verdict()
    soak.report(problems)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
