"""Draws Hearth's app icon (a flame on a warm rounded square) as a PNG, with no dependencies.

Run: python3 assets/make_icon.py assets/icon-source.png; then `npx tauri icon` makes every size.
"""
import math, struct, sys, zlib

N = 1024

def inside_rounded(x, y, r=220, m=40):
    lo, hi = m, N - m
    if x < lo or x > hi or y < lo or y > hi:
        return False
    cx = min(max(x, lo + r), hi - r)
    cy = min(max(y, lo + r), hi - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r

def flame(x, y, scale, cy0):
    # A teardrop: a circle at the bottom that narrows to a point at the top.
    cx, cy, r = N / 2, cy0, 190 * scale
    dy = y - cy
    if dy >= 0:
        return (x - cx) ** 2 + dy ** 2 <= r * r
    h = 2.4 * r
    if dy < -h:
        return False
    t = 1 + dy / h  # 1 at the circle's centre, 0 at the tip
    half = r * math.sqrt(max(t, 0)) * (0.55 + 0.45 * t)
    bend = 40 * scale * math.sin((1 - t) * math.pi)
    return abs(x - cx - bend) <= half

rows = []
for y in range(N):
    row = bytearray([0])
    for x in range(N):
        if not inside_rounded(x, y):
            row += bytes((0, 0, 0, 0))
            continue
        g = y / N
        bg = (int(232 - 40 * g), int(89 - 30 * g), int(12 + 10 * g), 255)
        if flame(x, y, 0.55, 640):
            px = (255, 214, 102, 255)
        elif flame(x, y, 1.0, 600):
            px = (255, 250, 240, 255)
        else:
            px = bg
        row += bytes(px)
    rows.append(bytes(row))

raw = zlib.compress(b"".join(rows), 9)
def chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", N, N, 8, 6, 0, 0, 0)) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
