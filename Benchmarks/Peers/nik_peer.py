#!/usr/bin/env python3
"""NIK validation: ours (package-benchmark, same machine, same run of `make bench`) against python-stdnum's
`stdnum.id.nik.validate`, the reference implementation the e-KTP notes cite.

Usage: nik_peer.py OUR_JMH_JSON
The JSON is package-benchmark's `--format jmh` export of the "NIK parse and validate" benchmark, whose
throughput it reports in thousands per second (scalingFactor .kilo).
"""
import json
import statistics
import sys
import timeit

from stdnum.id import nik

NIKS = [
    "1809075403680011", "1809070211650012", "1809072107790013", "1809074901820014",
    "1809071504900015", "1809075708950016", "1809076112010017", "1809070303700018",
]


def peer_median_ns() -> float:
    number = 2000
    runs = timeit.repeat(lambda: [nik.validate(n) for n in NIKS], number=number, repeat=25)
    return statistics.median(runs) / (number * len(NIKS)) * 1e9


def ours_median_ns(path: str) -> float:
    for entry in json.load(open(path)):
        if entry["benchmark"].endswith("NIK_parse_and_validate"):
            thousands_per_second = entry["primaryMetric"]["scorePercentiles"]["50.0"]
            return 1e6 / thousands_per_second
    sys.exit("no 'NIK parse and validate' benchmark in " + path)


if __name__ == "__main__":
    ours = ours_median_ns(sys.argv[1])
    peer = peer_median_ns()
    print(f"NIK validate, median per NIK: ours {ours:.0f} ns, python-stdnum {peer:.0f} ns, "
          f"ours is {peer / ours:.1f}x faster")
