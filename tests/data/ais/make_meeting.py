#!/usr/bin/env python3
"""Writes meeting.nmea: a synthetic AIS recording for the command-line tests.

A merchant ship (MMSI 311000001, class A, type 1 reports) sails north-west from Callao
and, at 02:00 local time, slows 15 nm off the coast where a small class B boat (MMSI
760000123, type 18 reports) comes alongside for half an hour, then both go their ways.
Every sentence carries an IEC 61162-1 TAG block with its receive time (c:). Run it again
to regenerate the file; it is deterministic.
"""
import math
import sys

T0 = 1717200000 + 31 * 3600 - 2 * 3600  # 2024-06-02 05:00 UTC


def bits(value, width):
    if value < 0:
        value += 1 << width
    return format(value, "0{}b".format(width))


def armor(b):
    fill = (6 - len(b) % 6) % 6
    b += "0" * fill
    out = []
    for i in range(0, len(b), 6):
        v = int(b[i:i + 6], 2)
        out.append(chr(v + 48 if v < 40 else v + 56))
    return "".join(out), fill


def checksum(text):
    c = 0
    for ch in text:
        c ^= ord(ch)
    return "{:02X}".format(c)


def sentence(payload, fill, t, channel="A"):
    body = "AIVDM,1,1,,{},{},{}".format(channel, payload, fill)
    tag = "c:{}".format(t)
    return "\\{}*{}\\!{}*{}".format(tag, checksum(tag), body, checksum(body))


def type1(mmsi, lat, lon, sog, cog):
    b = bits(1, 6) + bits(0, 2) + bits(mmsi, 30) + bits(0, 4) + bits(-128, 8)
    b += bits(int(round(sog * 10)), 10) + "0"
    b += bits(int(round(lon * 600000)), 28) + bits(int(round(lat * 600000)), 27)
    b += bits(int(round(cog * 10)) % 3600, 12) + bits(511, 9) + bits(60, 6)
    b += bits(0, 2) + bits(0, 3) + "0" + bits(0, 19)
    return armor(b)


def type18(mmsi, lat, lon, sog, cog):
    b = bits(18, 6) + bits(0, 2) + bits(mmsi, 30) + bits(0, 8)
    b += bits(int(round(sog * 10)), 10) + "0"
    b += bits(int(round(lon * 600000)), 28) + bits(int(round(lat * 600000)), 27)
    b += bits(int(round(cog * 10)) % 3600, 12) + bits(511, 9) + bits(60, 6)
    b += bits(0, 2) + "1" + "0" + "0" + "0" + "0" + "0" + "0" + bits(0, 20)
    return armor(b)


def text6(s, n):
    s = s.upper().ljust(n, "@")[:n]
    return "".join(bits(ord(c) - 64 if ord(c) >= 64 else ord(c), 6) for c in s)


def type5(t, mmsi, imo, call_sign, name, ship_type, destination):
    b = bits(5, 6) + bits(0, 2) + bits(mmsi, 30) + bits(0, 2) + bits(imo, 30)
    b += text6(call_sign, 7) + text6(name, 20) + bits(ship_type, 8)
    b += bits(200, 9) + bits(50, 9) + bits(16, 6) + bits(16, 6) + bits(1, 4)
    b += bits(6, 4) + bits(20, 5) + bits(12, 5) + bits(0, 6) + bits(115, 8)
    b += text6(destination, 20) + "0" + "0"
    payload, fill = armor(b)
    parts = [payload[:60], payload[60:]]
    out = []
    for i, part in enumerate(parts):
        body = "AIVDM,2,{},3,A,{},{}".format(i + 1, part, fill if i == 1 else 0)
        tag = "c:{}".format(t)
        out.append("\\{}*{}\\!{}*{}".format(tag, checksum(tag), body, checksum(body)))
    return out


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def leg(out, mmsi, encode, t0, t1, step, a, b):
    dist = km(a[0], a[1], b[0], b[1])
    kn = dist / 1.852 / ((t1 - t0) / 3600.0) if t1 > t0 else 0.0
    cog = math.degrees(math.atan2(b[1] - a[1], b[0] - a[0])) % 360
    t = t0
    while t <= t1:
        f = (t - t0) / (t1 - t0) if t1 > t0 else 0.0
        lat = a[0] + f * (b[0] - a[0])
        lon = a[1] + f * (b[1] - a[1])
        payload, fill = encode(mmsi, lat, lon, kn, cog)
        out.append((t, mmsi, 0, sentence(payload, fill, t, "A" if mmsi % 2 else "B")))
        t += step


def main():
    out = []
    lat, lon = -10.6, -78.2
    night = T0 + 2 * 3600
    ship, boat = 311000001, 760000123
    leg(out, ship, type1, T0, night, 60, (lat + 0.4, lon - 0.2), (lat, lon))
    leg(out, ship, type1, night + 60, night + 40 * 60, 60, (lat, lon), (lat - 0.004, lon))
    leg(out, ship, type1, night + 41 * 60, night + 3 * 3600, 60, (lat - 0.004, lon),
        (lat - 0.5, lon - 0.2))
    leg(out, boat, type18, night - 3600, night, 60, (lat + 0.1, lon + 0.3), (lat, lon + 0.002))
    leg(out, boat, type18, night + 60, night + 30 * 60, 60, (lat, lon + 0.002),
        (lat - 0.003, lon + 0.002))
    leg(out, boat, type18, night + 31 * 60, night + 2 * 3600, 60, (lat - 0.003, lon + 0.002),
        (lat + 0.1, lon + 0.3))
    for i, s in enumerate(type5(T0 + 30, ship, 9074729, "3FAB4", "MSC ANNA", 71, "BEANR")):
        out.append((T0 + 30, ship, i, s))
    out.sort()
    sys.stdout.write("".join(s + "\r\n" for _, _, _, s in out))


if __name__ == "__main__":
    main()
