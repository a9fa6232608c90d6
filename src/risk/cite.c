/*
 * Citations of sources for people: "CUSCAR CUS-1 (message 12, segment 13)", "outcome 5
 * (drugs at BEANR on 2024-06-02)", "vessel event 33 (AIS encounter from ...)",
 * "watch-list entry 7". Message labels are looked up once per message.
 */
#include "risk/risk_int.h"

#include <stdio.h>
#include <string.h>

void rk_citer_init(struct rk_citer *sc, struct vg_store *store, struct rk_ctx *c)
{
    sc->store = store;
    sc->c = c;
    vg_map_init(&sc->labels);
}

void rk_citer_release(struct rk_citer *sc)
{
    vg_map_release(&sc->labels);
}

/* "CODECO GI-1 (message 12, segment 13)". */
static enum vg_status
message_label(struct rk_citer *sc, int64_t id, int32_t seg, struct vg_buf *out)
{
    uint64_t lab;
    char key[sizeof(id)]; /* the id's bytes */
    memcpy(key, &id, sizeof(id));
    const size_t kl = sizeof(key);
    if (!vg_map_get(&sc->labels, key, kl, &lab)) {
        static const char sql[] = "SELECT msg_type, doc_number, format FROM messages WHERE id = ?1";
        sqlite3_stmt *st = vg__store_stmt(sc->store, sql, NULL);
        char buf[200];
        snprintf(buf, sizeof(buf), "message %lld", (long long)id);
        if (st != NULL) {
            sqlite3_bind_int64(st, 1, id);
            if (sqlite3_step(st) == SQLITE_ROW) {
                const char *type = (const char *)sqlite3_column_text(st, 0);
                const char *doc = (const char *)sqlite3_column_text(st, 1);
                const char *fmt = (const char *)sqlite3_column_text(st, 2);
                snprintf(buf, sizeof(buf), "%s%s%s%s(message %lld", type != NULL ? type : "",
                         doc != NULL ? " " : "", doc != NULL ? doc : "",
                         type != NULL || doc != NULL ? " " : "", (long long)id);
                if (fmt != NULL && strcmp(fmt, "EDIFACT") != 0) {
                    /* CSV and JSON: positions are records. */
                    size_t l = strlen(buf);
                    snprintf(buf + l, sizeof(buf) - l, "%s", "\x01");
                }
            }
            sqlite3_reset(st);
        }
        uint32_t sid;
        enum vg_status s = rk_intern(&sc->c->s, buf, strlen(buf), &sid);
        if (s != VG_OK || (s = vg_map_set(&sc->labels, key, kl, sid)) != VG_OK) {
            return VG_ENOMEM;
        }
        lab = sid;
    }
    struct vg_slice l = rk_str(&sc->c->s, (uint32_t)lab);
    bool record = l.len > 0 && l.ptr[l.len - 1] == '\x01';
    bool open = memchr(l.ptr, '(', l.len) != NULL;
    size_t n = record ? l.len - 1 : l.len;
    enum vg_status s = vg_buf_append(out, l.ptr, n);
    if (s == VG_OK && seg > 0) {
        s = vg_buf_append_cstr(out, record ? ", record " : ", segment ");
        if (s == VG_OK) {
            s = rk_buf_int(out, seg);
        }
    }
    if (s == VG_OK && open) {
        s = vg_buf_append_char(out, ')');
    }
    return s;
}

enum vg_status rk_cite_text(struct rk_citer *sc, const struct rk_src *src, struct vg_buf *out)
{
    switch (src->kind) {
    case RK_SRC_MESSAGE:
        return message_label(sc, src->id, src->seg, out);
    case RK_SRC_OUTCOME: {
        static const char sql[] =
            "SELECT result, port, strftime('%Y-%m-%d', inspected_at, 'unixepoch') FROM outcomes"
            " WHERE id = ?1";
        sqlite3_stmt *st = vg__store_stmt(sc->store, sql, NULL);
        enum vg_status s = VG_OK;
        if (st != NULL) {
            sqlite3_bind_int64(st, 1, src->id);
            if (sqlite3_step(st) == SQLITE_ROW) {
                s = vg_buf_printf(out, "outcome %lld (%s at %s on %s)", (long long)src->id,
                                  (const char *)sqlite3_column_text(st, 0),
                                  (const char *)sqlite3_column_text(st, 1),
                                  (const char *)sqlite3_column_text(st, 2));
                sqlite3_reset(st);
                return s;
            }
            sqlite3_reset(st);
        }
        return vg_buf_printf(out, "outcome %lld", (long long)src->id);
    }
    case RK_SRC_VESSEL_EVENT: {
        static const char sql[] =
            "SELECT kind, strftime('%Y-%m-%dT%H:%MZ', start_at, 'unixepoch') FROM vessel_events"
            " WHERE id = ?1";
        sqlite3_stmt *st = vg__store_stmt(sc->store, sql, NULL);
        if (st != NULL) {
            sqlite3_bind_int64(st, 1, src->id);
            if (sqlite3_step(st) == SQLITE_ROW) {
                enum vg_status s =
                    vg_buf_printf(out, "vessel event %lld (AIS %s from %s)", (long long)src->id,
                                  (const char *)sqlite3_column_text(st, 0),
                                  (const char *)sqlite3_column_text(st, 1));
                sqlite3_reset(st);
                return s;
            }
            sqlite3_reset(st);
        }
        return vg_buf_printf(out, "vessel event %lld", (long long)src->id);
    }
    case RK_SRC_WATCH_ENTRY:
        return vg_buf_printf(out, "watch-list entry %lld", (long long)src->id);
    default:
        break;
    }
    return VG_OK;
}
