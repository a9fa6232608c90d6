/* The packed block format of AIS tracks (track_int.h). */
#include "track/track_int.h"

#include <math.h>
#include <string.h>

static enum vg_status put_varint(struct vg_buf *b, uint64_t v)
{
    unsigned char tmp[10];
    size_t n = 0;
    while (v >= 0x80) {
        tmp[n++] = (unsigned char)(v | 0x80);
        v >>= 7;
    }
    tmp[n++] = (unsigned char)v;
    return vg_buf_append(b, tmp, n);
}

static uint64_t zigzag(int64_t v)
{
    return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
    return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static int get_varint(const unsigned char **p, const unsigned char *end, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
        if (*p >= end) {
            return -1;
        }
        unsigned char c = *(*p)++;
        v |= (uint64_t)(c & 0x7f) << shift;
        if ((c & 0x80) == 0) {
            *out = v;
            return 0;
        }
    }
    return -1;
}

int64_t vg__track_cell(double lat, double lon)
{
    int64_t cy = (int64_t)floor((lat + 90.0) * 10.0);
    int64_t cx = (int64_t)floor((lon + 180.0) * 10.0);
    return cy * 3600 + cx;
}

enum vg_status
vg__track_pack(const struct vg_position *p, size_t n, int64_t block_start, struct vg_buf *out)
{
    enum vg_status st = vg_buf_append_char(out, 1);
    if (st == VG_OK) {
        st = put_varint(out, n);
    }
    int64_t pt = block_start, plat = 0, plon = 0;
    for (size_t i = 0; i < n && st == VG_OK; i++) {
        int64_t lat = (int64_t)llround(p[i].lat * 1e5);
        int64_t lon = (int64_t)llround(p[i].lon * 1e5);
        uint64_t sog = isnan(p[i].sog) ? 1023 : (uint64_t)llround(fmin(p[i].sog, 102.2) * 10);
        uint64_t cog =
            isnan(p[i].cog) ? 3600 : (uint64_t)llround(fmod(p[i].cog + 360.0, 360.0) * 10) % 3600;
        uint64_t hdg = p[i].heading < 0 || p[i].heading > 359 ? 511 : (uint64_t)p[i].heading;
        st = put_varint(out, zigzag(p[i].t - pt));
        if (st == VG_OK) {
            st = put_varint(out, zigzag(lat - plat));
        }
        if (st == VG_OK) {
            st = put_varint(out, zigzag(lon - plon));
        }
        if (st == VG_OK) {
            st = put_varint(out, sog);
        }
        if (st == VG_OK) {
            st = put_varint(out, cog);
        }
        if (st == VG_OK) {
            st = put_varint(out, hdg);
        }
        if (st == VG_OK) {
            st = put_varint(out, p[i].status);
        }
        if (st == VG_OK) {
            st = put_varint(out, (unsigned char)p[i].cls);
        }
        pt = p[i].t;
        plat = lat;
        plon = lon;
    }
    return st;
}

enum vg_status vg__track_unpack(const void *data,
                                size_t len,
                                uint32_t mmsi,
                                int64_t block_start,
                                int (*fn)(void *user, const struct vg_position *p),
                                void *user,
                                int *stopped)
{
    const unsigned char *p = data, *end = p + len;
    *stopped = 0;
    if (len < 2 || p[0] != 1) {
        return VG_EPARSE;
    }
    p++;
    uint64_t n;
    if (get_varint(&p, end, &n) != 0 || n > TRACK_BLOCK_MAX * 4) {
        return VG_EPARSE;
    }
    int64_t t = block_start, lat = 0, lon = 0;
    for (uint64_t i = 0; i < n; i++) {
        uint64_t v[8];
        for (int k = 0; k < 8; k++) {
            if (get_varint(&p, end, &v[k]) != 0) {
                return VG_EPARSE;
            }
        }
        t += unzigzag(v[0]);
        lat += unzigzag(v[1]);
        lon += unzigzag(v[2]);
        struct vg_position pos;
        memset(&pos, 0, sizeof(pos));
        pos.mmsi = mmsi;
        pos.t = t;
        pos.lat = (double)lat / 1e5;
        pos.lon = (double)lon / 1e5;
        pos.sog = v[3] >= 1023 ? NAN : (float)((double)v[3] / 10.0);
        pos.cog = v[4] >= 3600 ? NAN : (float)((double)v[4] / 10.0);
        pos.heading = v[5] > 359 ? -1 : (int16_t)v[5];
        pos.status = (uint8_t)v[6];
        pos.cls = (char)v[7];
        if (fn(user, &pos) != 0) {
            *stopped = 1;
            return VG_OK;
        }
    }
    return VG_OK;
}
