/*
 * NMEA AIS recordings into the store: positions (types 1-3, 18, 19, 27) go to the packed
 * track store, static and voyage data (5, 19, 24) to its history; sentences that cannot
 * be read are rejected with line and reason. Positions need a receive time (a TAG block
 * c:, a Unix time before the sentence, a $PGHP wrapper): reports without one are counted
 * and recorded as a finding, not stored, since a position without a time cannot be placed
 * on a track.
 *
 * AIS is too voluminous for one message row per sentence, so idempotence works by file:
 * ingest_files records how far a file was committed (done_offset, done_line) and whether
 * it is complete; a complete file is skipped, an interrupted one resumes where its last
 * batch ended. A multi-sentence message cut by a batch boundary at a crash is the only
 * thing a resume can miss.
 */
#include "ingest/session_int.h"

#include <stdio.h>
#include <string.h>

#include <vigia/ais.h>
#include <vigia/track.h>

bool vg__ing_nmea_sniff(const char *data, size_t len);
enum vg_status vg__ing_read_nmea(struct ing_session *s, const struct ing_file *f,
                                 struct vg_error *err);

#define NMEA_BATCH_MESSAGES 250000

bool vg__ing_nmea_sniff(const char *data, size_t len)
{
    size_t n = len < 16384 ? len : 16384;
    for (size_t i = 0; i + 7 <= n; i++) {
        if (data[i] == '!' && (memcmp(data + i + 3, "VDM,", 4) == 0 ||
                               memcmp(data + i + 3, "VDO,", 4) == 0)) {
            return true;
        }
    }
    return false;
}

static enum vg_status progress_get(struct ing_session *s, int64_t file_id, int64_t *offset,
                                   int64_t *line, bool *complete, struct vg_error *err)
{
    static const char sql[] =
        "SELECT done_offset, done_line, complete FROM ingest_files WHERE id = ?1";
    sqlite3_stmt *st = vg__store_stmt(s->store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    sqlite3_bind_int64(st, 1, file_id);
    *offset = *line = 0;
    *complete = false;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *offset = sqlite3_column_int64(st, 0);
        *line = sqlite3_column_int64(st, 1);
        *complete = sqlite3_column_int(st, 2) != 0;
    }
    sqlite3_reset(st);
    return VG_OK;
}

static enum vg_status progress_set(struct ing_session *s, int64_t file_id, int64_t offset,
                                   int64_t line, bool complete, struct vg_error *err)
{
    static const char sql[] =
        "UPDATE ingest_files SET done_offset = ?2, done_line = ?3, complete = ?4,"
        " last_ingested_at = ?5 WHERE id = ?1";
    sqlite3_stmt *st = vg__store_stmt(s->store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    sqlite3_bind_int64(st, 1, file_id);
    sqlite3_bind_int64(st, 2, offset);
    sqlite3_bind_int64(st, 3, line);
    sqlite3_bind_int(st, 4, complete ? 1 : 0);
    sqlite3_bind_int64(st, 5, s->now);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(s->store, rc, "recording ingest progress", err);
    }
    s->batch_changes++;
    return VG_OK;
}

/* The line of data that starts at offset, for a reject's excerpt. */
static size_t line_length(const char *data, size_t len, size_t offset)
{
    size_t e = offset;
    while (e < len && data[e] != '\n' && e - offset < 512) {
        e++;
    }
    return e - offset;
}

/* "MM-DDTHH:MM" (each field 0..99 as broadcast; 0 and 24/60 mean "not available"). */
static void format_eta(char out[16], unsigned month, unsigned day, unsigned hour,
                       unsigned minute)
{
    const unsigned v[4] = { month, day, hour, minute };
    static const char sep[4] = { '-', 'T', ':', '\0' };
    char *o = out;
    for (int i = 0; i < 4; i++) {
        *o++ = (char)('0' + v[i] / 10 % 10);
        *o++ = (char)('0' + v[i] % 10);
        *o++ = sep[i];
    }
}

static void copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
    /* Trim the trailing spaces AIS pads text with. */
    while (n > 0 && dst[n - 1] == ' ') {
        dst[--n] = '\0';
    }
}

enum vg_status vg__ing_read_nmea(struct ing_session *s, const struct ing_file *f,
                                 struct vg_error *err)
{
    int64_t base = 0, base_line = 0;
    bool complete = false;
    enum vg_status st = progress_get(s, f->file_id, &base, &base_line, &complete, err);
    if (st != VG_OK || complete) {
        return st;
    }
    if (base < 0 || (size_t)base > f->len) {
        base = 0;
        base_line = 0;
    }
    if (s->track == NULL && (st = vg_track_writer_new(s->store, &s->track, err)) != VG_OK) {
        return st;
    }
    struct vg_ais_reader *r = NULL;
    if (vg_ais_reader_new(NULL, &r) != VG_OK) {
        return vg_error_set(err, VG_ENOMEM, "out of memory reading AIS");
    }
    vg_ais_reader_input(r, f->path, f->data + base, f->len - (size_t)base);
    int64_t hashed_to = base;
    static struct vg_ais_msg msg; /* large; one reader at a time per session */
    struct vg_ais_msg *m = &msg;
    int64_t since_cut = 0, no_time = 0;
    int64_t sentences_before = 0;
    bool finished = false;
    for (;;) {
        struct vg_error e;
        vg_error_clear(&e);
        enum vg_status rs = vg_ais_reader_next(r, m, &e);
        if (rs == VG_ENOTFOUND) {
            if (finished) {
                break;
            }
            vg_ais_reader_finish(r);
            finished = true;
            continue;
        }
        if (rs != VG_OK) {
            /* Positions are relative to the resumed part: make them the file's. */
            e.offset += (uint64_t)base;
            e.line += (uint32_t)base_line;
            vg_error_at(&e, f->path, e.line, e.column, e.offset, e.item);
            size_t off = (size_t)e.offset < f->len ? (size_t)e.offset : f->len;
            st = vg__ing_reject(s, &e, "NMEA", NULL, f->data + off, line_length(f->data, f->len, off),
                                err);
            if (st != VG_OK) {
                break;
            }
            continue;
        }
        int64_t t = m->meta.rx_time_ms == VG_TIME_NONE ? VG_TIME_NONE : m->meta.rx_time_ms / 1000;
        struct vg_ais_fix fix;
        bool vessel_type = m->type <= 3 || m->type == 18 || m->type == 19 || m->type == 27;
        if (vessel_type && vg_ais_msg_fix(m, &fix) && fix.has_position) {
            if (t == VG_TIME_NONE) {
                no_time++;
            } else {
                struct vg_position p = {
                    .mmsi = m->mmsi,
                    .t = t,
                    .lat = fix.lat,
                    .lon = fix.lon,
                    .sog = fix.has_speed ? (float)fix.speed : NAN,
                    .cog = fix.has_course ? (float)fix.course : NAN,
                    .heading = fix.has_heading ? (int16_t)fix.heading : -1,
                    .status = fix.has_status ? fix.status : 15,
                    .cls = (m->type == 18 || m->type == 19) ? 'B' : 'A',
                };
                if ((st = vg_track_add(s->track, &p, err)) != VG_OK) {
                    break;
                }
                struct vg_ingest_report *rep = s->report;
                if (rep->ais_positions++ == 0 || t < rep->ais_first) {
                    rep->ais_first = t;
                }
                if (rep->ais_positions == 1 || t > rep->ais_last) {
                    rep->ais_last = t;
                }
            }
        }
        struct vg_ais_static as;
        if (t != VG_TIME_NONE && vg_ais_msg_static(m, &as)) {
            struct vg_track_static ts;
            memset(&ts, 0, sizeof(ts));
            ts.mmsi = m->mmsi;
            ts.t = t;
            ts.imo = as.imo;
            copy_text(ts.name, sizeof(ts.name), as.name);
            copy_text(ts.call_sign, sizeof(ts.call_sign), as.callsign);
            ts.ship_type = as.has_shiptype ? as.shiptype : 0;
            ts.dim_bow = as.has_dimensions ? as.to_bow : -1;
            ts.dim_stern = as.has_dimensions ? as.to_stern : -1;
            ts.dim_port = as.has_dimensions ? as.to_port : -1;
            ts.dim_starboard = as.has_dimensions ? as.to_starboard : -1;
            ts.draught = as.has_draught ? as.draught : NAN;
            copy_text(ts.destination, sizeof(ts.destination), as.destination);
            if (as.has_eta) {
                format_eta(ts.eta, as.eta_month, as.eta_day, as.eta_hour, as.eta_minute);
            }
            copy_text(ts.source, sizeof(ts.source), m->meta.station[0] ? m->meta.station : "ais");
            if ((st = vg_track_add_static(s->track, &ts, err)) != VG_OK) {
                break;
            }
        }
        if (++since_cut >= NMEA_BATCH_MESSAGES) {
            /* Commit what is read so far and remember where to resume. */
            since_cut = 0;
            int64_t at = base + (int64_t)m->meta.offset;
            int64_t line = base_line + (int64_t)m->meta.line - 1;
            st = progress_set(s, f->file_id, at, line, false, err);
            if (st == VG_OK) {
                /* The batch's audit digest covers the bytes since the previous cut. */
                vg_hasher_update(&s->batch, f->data + (size_t)hashed_to, (size_t)(at - hashed_to));
                hashed_to = at;
                const struct vg_ais_counts *c = vg_ais_reader_counts(r);
                s->report->ais_sentences += (int64_t)c->sentences - sentences_before;
                sentences_before = (int64_t)c->sentences;
                st = vg__ing_batch_cut(s, err);
            }
            if (st != VG_OK) {
                break;
            }
        }
    }
    if (st == VG_OK) {
        const struct vg_ais_counts *c = vg_ais_reader_counts(r);
        s->report->ais_sentences += (int64_t)c->sentences - sentences_before;
        vg_hasher_update(&s->batch, f->data + (size_t)hashed_to, f->len - (size_t)hashed_to);
        st = progress_set(s, f->file_id, (int64_t)f->len, base_line + (int64_t)c->lines, true, err);
    }
    if (st == VG_OK && no_time > 0) {
        char detail[200];
        snprintf(detail, sizeof(detail),
                 "%lld position reports carry no receive time (no TAG block, Unix time or "
                 "$PGHP wrapper) and were not stored",
                 (long long)no_time);
        struct ing_source src = { 0, 0, 0, NULL };
        st = vg__ing_finding(s, 0, &src, "positions_without_time", "receive time", NULL,
                             "a time for every position", detail, err);
    }
    vg_ais_reader_free(r);
    return st;
}
