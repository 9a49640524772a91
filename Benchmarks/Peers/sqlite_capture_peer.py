"""The floor of a durable capture: Python's sqlite3 writing one record row and one outbox row in a transaction,
WAL with synchronous=FULL, on the same disk the kiosk uses. The kiosk's capture adds numbering, AES-GCM sealing and
its ULID; this peer says how much of the time is the fsync itself.

usage: python3 sqlite_capture_peer.py FOLDER COUNT   -> one JSON line like record-load --stats
"""
import json, os, sqlite3, sys, time

folder, count = sys.argv[1], int(sys.argv[2])
os.makedirs(folder, exist_ok=True)
db = sqlite3.connect(os.path.join(folder, "peer.sqlite"), isolation_level=None)
db.execute("PRAGMA journal_mode=WAL")
db.execute("PRAGMA synchronous=FULL")
db.execute("CREATE TABLE IF NOT EXISTS record (id TEXT PRIMARY KEY, body BLOB NOT NULL)")
db.execute("CREATE TABLE IF NOT EXISTS outbox (record_id TEXT PRIMARY KEY, ready_at INTEGER NOT NULL)")
body = os.urandom(120)
times = []
for i in range(count):
    started = time.perf_counter_ns()
    db.execute("BEGIN IMMEDIATE")
    db.execute("INSERT INTO record VALUES (?, ?)", (f"{i:026d}", body))
    db.execute("INSERT INTO outbox VALUES (?, ?)", (f"{i:026d}", 0))
    db.execute("COMMIT")
    times.append((time.perf_counter_ns() - started) // 1000)
times.sort()
print(json.dumps({"count": count, "median_us": times[len(times) // 2], "p99_us": times[min(len(times) - 1, len(times) * 99 // 100)]}))
