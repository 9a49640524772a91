#!/usr/bin/env python3
"""A 576 x 1183 slip into ESC/POS raster: ours (package-benchmark's "Slip 576x1183 -> ESC/POS raster (GS v 0)", same
run of `make bench`, same pixels through KIOSK_SLIP_PNG) against python-escpos 3.1's `image()` on a Dummy TM-T20II
printer (GS v 0, fragments of 960 rows), the baseline of printing.md §10.

Usage: escpos_peer.py OUR_JMH_JSON SLIP_PNG
"""
import json
import statistics
import sys
import time

from escpos.printer import Dummy
from PIL import Image


def peer(path: str, runs: int = 20) -> tuple[float, int]:
    image = Image.open(path)
    times, size = [], 0
    for _ in range(runs):
        printer = Dummy(profile="TM-T20II")
        start = time.perf_counter()
        printer.image(image, impl="bitImageRaster", fragment_height=960)
        times.append(time.perf_counter() - start)
        size = len(printer.output)
    return statistics.median(times) * 1e3, size


def ours_median_ms(path: str) -> float:
    for entry in json.load(open(path)):
        if "Slip_576x1183_->_ESC/POS_raster" in entry["benchmark"]:
            return 1e3 / entry["primaryMetric"]["scorePercentiles"]["50.0"]
    sys.exit("no slip benchmark in " + path)


if __name__ == "__main__":
    ours = ours_median_ms(sys.argv[1])
    theirs, size = peer(sys.argv[2])
    print(f"Slip 576x1183 to ESC/POS raster, median: ours {ours:.2f} ms, python-escpos {theirs:.1f} ms ({size} bytes), "
          f"ours is {theirs / ours:.0f}x faster")
