#!/usr/bin/env python3
"""A letter into PDF: ours (package-benchmark's "Letter confirmed -> PDF bytes", same run of `make bench`) against
ReportLab, the PDF library Python village and government systems use, drawing the same letter: letterhead, title,
number, eleven holder fields, two paragraphs, signature block and a QR of the same payload, Liberation fonts, F4.

Usage: letter_peer.py OUR_JMH_JSON
"""
import io
import json
import statistics
import sys
import time

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONTS = "/usr/share/fonts/truetype/liberation2/"
for name, file in [("Serif", "LiberationSerif-Regular.ttf"), ("Serif-Bold", "LiberationSerif-Bold.ttf"),
                   ("Sans", "LiberationSans-Regular.ttf"), ("Sans-Bold", "LiberationSans-Bold.ttf")]:
    pdfmetrics.registerFont(TTFont(name, FONTS + file))

F4 = (215 * mm, 330 * mm)
SEAL = ("VK1:S-41/007/1809072001/XI/2026:20261124:LPG-PSW-HANURA-01:0102030405060708:" + "AB" * 16 + ":" + "5C" * 64)
FIELDS = [("Nama", "I KETUT WIRAWAN"), ("NIK", "1809072107790013"), ("Tempat/Tgl. Lahir", "BANDAR LAMPUNG, 21 Juli 1979"),
          ("Jenis Kelamin", "LAKI-LAKI"), ("Agama", "HINDU"), ("Status Perkawinan", "KAWIN"),
          ("Pekerjaan", "PERDAGANGAN"), ("Kewarganegaraan", "WNI"),
          ("Alamat", "JL. RAYA HANURA NO. 13, RT 001 / RW 002"), ("Keperluan", "Melamar pekerjaan"),
          ("Berlaku", "24 November 2026 s/d 24 Desember 2026")]
BODY = ["Orang tersebut di atas adalah benar berdomisili di Desa Hanura, JL. RAYA HANURA NO. 13 RT 001 / RW 002.",
        "Surat ini dibuat untuk keperluan Melamar pekerjaan dan berlaku sampai dengan 24 Desember 2026."]


def letter() -> bytes:
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=F4)
    w, h = F4
    left, width = 17.8 * mm, w - 35.6 * mm
    y = h - 10 * mm
    for text, font, size in [("PEMERINTAH KABUPATEN PESAWARAN", "Sans-Bold", 14), ("KECAMATAN GEDONG TATAAN", "Sans-Bold", 14),
                             ("DESA HANURA", "Sans-Bold", 16), ("Jl. Raya Hanura No. 1, Kec. Teluk Pandan", "Sans", 10)]:
        y -= size * 1.35
        c.setFont(font, size)
        c.drawCentredString(w / 2, y, text)
    y -= 8
    c.setLineWidth(2)
    c.line(left, y, left + width, y)
    y -= 30
    c.setFont("Serif-Bold", 13)
    c.drawCentredString(w / 2, y, "SURAT KETERANGAN DOMISILI")
    y -= 16
    c.setFont("Serif", 12)
    c.drawCentredString(w / 2, y, "Nomor : S-41/007/1809072001/XI/2026")
    y -= 30
    for line in simpleSplit("Yang bertanda tangan di bawah ini, Kepala Desa Hanura, Kecamatan Gedong Tataan, "
                            "Kabupaten Pesawaran, menerangkan dengan sebenarnya bahwa:", "Serif", 12, width):
        c.drawString(left, y, line)
        y -= 16
    for label, value in FIELDS:
        c.drawString(left + 28, y, label)
        c.drawString(left + 150, y, ": " + value)
        y -= 16
    for paragraph in BODY:
        for line in simpleSplit(paragraph, "Serif", 12, width):
            c.drawString(left, y, line)
            y -= 16
    y -= 20
    c.drawString(left + width * 0.55, y, "Hanura, 24 November 2026")
    c.drawString(left, y - 16, "Pemegang Surat")
    c.drawString(left + width * 0.55, y - 16, "Kepala Desa Hanura")
    c.setFont("Serif-Bold", 12)
    c.drawString(left, y - 90, "I KETUT WIRAWAN")
    qr = QrCodeWidget(SEAL, barLevel="M")
    x0, y0, x1, y1 = qr.getBounds()
    d = Drawing(80, 80, transform=[80 / (x1 - x0), 0, 0, 80 / (y1 - y0), 0, 0])
    d.add(qr)
    renderPDF.draw(d, c, left + (width - 80) / 2, y - 190)
    c.showPage()
    c.save()
    return out.getvalue()


def peer_median_ms(runs: int = 50) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        letter()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def ours_median_ms(path: str) -> float:
    # package-benchmark's JMH export carries the throughput (letters per second); its median is the median time.
    for entry in json.load(open(path)):
        if entry["benchmark"].endswith("PDF_bytes"):
            return 1e3 / entry["primaryMetric"]["scorePercentiles"]["50.0"]
    sys.exit("no 'Letter confirmed -> PDF bytes' benchmark in " + path)


if __name__ == "__main__":
    ours = ours_median_ms(sys.argv[1])
    peer = peer_median_ms()
    print(f"Letter into PDF, median: ours {ours:.1f} ms, ReportLab {peer:.1f} ms, ratio {peer / ours:.2f}x")
