/*
 * Outcomes into the store (vigia/outcome.h): each becomes an outcomes row with an
 * inspections row (the examination: when, how, by whom, linked to its target), linked to
 * its trip when the trip is known.
 *
 * An outcome is known by its container, B/L, port and time (outcomes.digest): the same
 * record again changes nothing, the same one with other content (a corrected weight) is
 * brought up to date. Everything of one import is one transaction with one audit entry,
 * written only when something changed.
 */
#include "outcome/outcome_int.h"
#include "store/store_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/file.h>
#include <vigia/log.h>
#include <vigia/time.h>

struct ctx {
    struct vg_store *store;
    int64_t now;
    const char *source; /* the file, or "manual" */
    int64_t file_id;
    struct vg_outcome_report *report;
    vg_problem_fn on_problem;
    void *user;
    int64_t new_problems;
    struct vg_hasher hash;
    struct vg_error *err;
};

static void identity(const struct vg_outcome *o, uint8_t digest[VG_DIGEST_SIZE])
{
    char at[24];
    snprintf(at, sizeof(at), "%lld", (long long)o->inspected_at);
    struct vg_hasher h;
    vg_hasher_init(&h);
    const char *parts[4] = { o->container, o->bill_of_lading != NULL ? o->bill_of_lading : "",
                             o->port, at };
    for (int i = 0; i < 4; i++) {
        vg_hasher_update(&h, parts[i], strlen(parts[i]) + 1);
    }
    vg_hasher_final(&h, digest);
}

static bool text_eq(const unsigned char *stored, const char *given)
{
    if (stored == NULL || given == NULL) {
        return stored == NULL && (given == NULL || given[0] == '\0');
    }
    return strcmp((const char *)stored, given) == 0;
}

static enum vg_status step(struct ctx *c, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? VG_OK : vg__store_error(c->store, rc, what, c->err);
}

static enum vg_status container_id_of(struct ctx *c, const char *number, int64_t *id)
{
    static const char sql[] = "SELECT id FROM containers WHERE number = ?1";
    sqlite3_stmt *st = vg__store_stmt(c->store, sql, c->err);
    if (st == NULL) {
        return VG_EDB;
    }
    vg__bind_text(st, 1, number);
    int rc = sqlite3_step(st);
    *id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_reset(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE
               ? VG_OK
               : vg__store_error(c->store, rc, "looking up a container", c->err);
}

/* Links outcome_id (and its inspection) to the trip in a, closing the trip's pending
 * target when the outcome was taken at the trip's own port. */
static enum vg_status attach(struct ctx *c,
                             int64_t outcome_id,
                             int64_t inspection_id,
                             const struct link_answer *a,
                             int64_t *target_id)
{
    static const char out_sql[] =
        "UPDATE outcomes SET trip_id = ?2, container_id = ?3, link = ?4 WHERE id = ?1";
    static const char insp_sql[] =
        "UPDATE inspections SET trip_id = ?2, container_id = ?3 WHERE id = ?1";
    *target_id = 0;
    sqlite3_stmt *st = vg__store_stmt(c->store, out_sql, c->err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, outcome_id);
    sqlite3_bind_int64(st, 2, a->trip_id);
    sqlite3_bind_int64(st, 3, a->container_id);
    vg__bind_text(st, 4, a->how);
    enum vg_status s = step(c, st, "linking an outcome");
    if (s == VG_OK && (st = vg__store_stmt(c->store, insp_sql, c->err)) == NULL) {
        s = VG_EDB;
    }
    if (s == VG_OK) {
        sqlite3_bind_int64(st, 1, inspection_id);
        sqlite3_bind_int64(st, 2, a->trip_id);
        sqlite3_bind_int64(st, 3, a->container_id);
        s = step(c, st, "linking an inspection");
    }
    if (s == VG_OK && a->origin) {
        s = vg__target_close_inspected(c->store, a->trip_id, inspection_id, target_id, c->err);
        c->report->targets_closed += *target_id != 0;
    }
    return s;
}

static enum vg_status note_unlinked(struct ctx *c, const struct vg_outcome *o)
{
    if (c->file_id == 0) {
        return VG_OK;
    }
    char detail[256];
    snprintf(detail, sizeof(detail),
             "outcome of %s at %s not linked to a trip yet (no trip of that container fits the "
             "B/L, port and dates); it is linked when the trip arrives",
             o->container, o->port);
    struct vg__finding f = { .file_id = c->file_id,
                             .offset = (int64_t)o->offset,
                             .kind = "outcome_unlinked",
                             .field = "container",
                             .value = o->container,
                             .detail = detail };
    bool inserted = false;
    enum vg_status s = vg__store_finding(c->store, &f, &inserted, c->err);
    c->new_problems += inserted;
    return s;
}

static enum vg_status insert_new(struct ctx *c,
                                 const struct vg_outcome *o,
                                 const uint8_t digest[VG_DIGEST_SIZE],
                                 const struct link_answer *a,
                                 struct vg_outcome_recorded *out)
{
    static const char insp_sql[] =
        "INSERT INTO inspections(inspected_at, method, team, state, created_at, container_id)"
        " VALUES(?1,?2,?3,'done',?4,?5)";
    static const char out_sql[] =
        "INSERT INTO outcomes(inspection_id, container_number, bl_number, port, inspected_at,"
        " result, substance, kg, concealment, method, detection, seal_state, found_at,"
        " destination_port, source, digest, recorded_at, recorded_by, selection, container_id)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20)";
    bool abroad = o->found_at == VG_FOUND_TRANSIT || o->found_at == VG_FOUND_DESTINATION;
    int64_t container_id = a->container_id;
    enum vg_status s = VG_OK;
    if (container_id == 0 && (s = container_id_of(c, o->container, &container_id)) != VG_OK) {
        return s;
    }
    sqlite3_stmt *st = vg__store_stmt(c->store, insp_sql, c->err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, o->inspected_at);
    vg__bind_text(st, 2, o->method);
    vg__bind_text(st, 3, abroad ? "partner" : NULL);
    sqlite3_bind_int64(st, 4, c->now);
    vg__bind_int64_or_null(st, 5, container_id, 0);
    if ((s = step(c, st, "recording an inspection")) != VG_OK) {
        return s;
    }
    int64_t inspection_id = sqlite3_last_insert_rowid(c->store->db);
    if ((st = vg__store_stmt(c->store, out_sql, c->err)) == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, inspection_id);
    vg__bind_text(st, 2, o->container);
    vg__bind_text(st, 3, o->bill_of_lading);
    vg__bind_text(st, 4, o->port);
    sqlite3_bind_int64(st, 5, o->inspected_at);
    vg__bind_text(st, 6, vg_outcome_result_name(o->result));
    vg__bind_text(st, 7, o->substance);
    vg__bind_double_or_null(st, 8, o->kg, !isnan(o->kg));
    vg__bind_text(st, 9, o->concealment);
    vg__bind_text(st, 10, o->method);
    vg__bind_text(st, 11, o->detection);
    vg__bind_text(st, 12, o->seal_state);
    vg__bind_text(st, 13, o->found_at != VG_FOUND_UNKNOWN ? vg_found_at_name(o->found_at) : NULL);
    vg__bind_text(st, 14, o->destination_port[0] != '\0' ? o->destination_port : NULL);
    vg__bind_text(st, 15, c->source);
    sqlite3_bind_blob(st, 16, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    sqlite3_bind_int64(st, 17, c->now);
    vg__bind_text(st, 18, vg_store_actor(c->store));
    vg__bind_text(st, 19, o->selection);
    vg__bind_int64_or_null(st, 20, container_id, 0);
    if ((s = step(c, st, "recording an outcome")) != VG_OK) {
        return s;
    }
    out->outcome_id = sqlite3_last_insert_rowid(c->store->db);
    out->inserted = true;
    c->report->inserted++;
    if (a->trip_id == 0) {
        c->report->unlinked++;
        return note_unlinked(c, o);
    }
    out->trip_id = a->trip_id;
    snprintf(out->link, sizeof(out->link), "%s", a->how);
    c->report->linked++;
    return attach(c, out->outcome_id, inspection_id, a, &out->target_id);
}

/* Records o (new, changed or unchanged). forced: the trip is known (a target's). */
static enum vg_status store_outcome(struct ctx *c,
                                    const struct vg_outcome *o,
                                    const struct link_answer *forced,
                                    struct vg_outcome_recorded *out)
{
    static const char find_sql[] =
        "SELECT id, result, substance, kg, concealment, method, detection, seal_state,"
        " found_at, destination_port, selection, inspection_id FROM outcomes WHERE digest = ?1";
    static const char upd_sql[] =
        "UPDATE outcomes SET result = ?2, substance = ?3, kg = ?4, concealment = ?5,"
        " method = ?6, detection = ?7, seal_state = ?8, found_at = ?9, destination_port = ?10,"
        " selection = ?11 WHERE id = ?1";
    static const char insp_sql[] = "UPDATE inspections SET method = ?2 WHERE id = ?1";
    memset(out, 0, sizeof(*out));
    uint8_t digest[VG_DIGEST_SIZE];
    identity(o, digest);
    sqlite3_stmt *st = vg__store_stmt(c->store, find_sql, c->err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_blob(st, 1, digest, VG_DIGEST_SIZE, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) {
        sqlite3_reset(st);
        vg_hasher_update(&c->hash, digest, sizeof(digest));
        struct link_answer a = { 0 };
        enum vg_status s = VG_OK;
        if (forced != NULL) {
            a = *forced;
        } else {
            struct link_query q = { o->container,    o->bill_of_lading, o->port,
                                    o->inspected_at, o->found_at,       o->destination_port };
            s = vg__outcome_find_trip(c->store, &q, &a, c->err);
        }
        return s == VG_OK ? insert_new(c, o, digest, &a, out) : s;
    }
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return vg__store_error(c->store, rc, "looking up an outcome", c->err);
    }
    out->outcome_id = sqlite3_column_int64(st, 0);
    int64_t inspection_id = sqlite3_column_int64(st, 11);
    const char *found = o->found_at != VG_FOUND_UNKNOWN ? vg_found_at_name(o->found_at) : NULL;
    const char *dest = o->destination_port[0] != '\0' ? o->destination_port : NULL;
    bool kg_same = sqlite3_column_type(st, 3) == SQLITE_NULL
                       ? isnan(o->kg)
                       : (!isnan(o->kg) && fabs(sqlite3_column_double(st, 3) - o->kg) < 1e-9);
    bool same = text_eq(sqlite3_column_text(st, 1), vg_outcome_result_name(o->result)) &&
                text_eq(sqlite3_column_text(st, 2), o->substance) && kg_same &&
                text_eq(sqlite3_column_text(st, 4), o->concealment) &&
                text_eq(sqlite3_column_text(st, 5), o->method) &&
                text_eq(sqlite3_column_text(st, 6), o->detection) &&
                text_eq(sqlite3_column_text(st, 7), o->seal_state) &&
                text_eq(sqlite3_column_text(st, 8), found) &&
                text_eq(sqlite3_column_text(st, 9), dest) &&
                text_eq(sqlite3_column_text(st, 10), o->selection);
    sqlite3_reset(st);
    if (same) {
        c->report->unchanged++;
        return VG_OK;
    }
    vg_hasher_update(&c->hash, digest, sizeof(digest));
    if ((st = vg__store_stmt(c->store, upd_sql, c->err)) == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, out->outcome_id);
    vg__bind_text(st, 2, vg_outcome_result_name(o->result));
    vg__bind_text(st, 3, o->substance);
    vg__bind_double_or_null(st, 4, o->kg, !isnan(o->kg));
    vg__bind_text(st, 5, o->concealment);
    vg__bind_text(st, 6, o->method);
    vg__bind_text(st, 7, o->detection);
    vg__bind_text(st, 8, o->seal_state);
    vg__bind_text(st, 9, found);
    vg__bind_text(st, 10, dest);
    vg__bind_text(st, 11, o->selection);
    enum vg_status s = step(c, st, "updating an outcome");
    if (s == VG_OK && (st = vg__store_stmt(c->store, insp_sql, c->err)) == NULL) {
        s = VG_EDB;
    }
    if (s == VG_OK) {
        sqlite3_bind_int64(st, 1, inspection_id);
        vg__bind_text(st, 2, o->method);
        s = step(c, st, "updating an inspection");
    }
    out->updated = s == VG_OK;
    c->report->updated += s == VG_OK;
    return s;
}

/* Links the outcomes still without a trip whose trip is known now. The ids are read first:
 * the rows change as they are linked. */
static enum vg_status relink(struct ctx *c)
{
    static const char ids_sql[] = "SELECT id FROM outcomes WHERE trip_id IS NULL ORDER BY id";
    static const char sql[] =
        "SELECT inspection_id, container_number, bl_number, port, inspected_at,"
        " coalesce(found_at, ''), destination_port FROM outcomes WHERE id = ?1";
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    sqlite3_stmt *st = vg__store_stmt(c->store, ids_sql, c->err);
    if (st == NULL) {
        return VG_EDB;
    }
    int rc;
    enum vg_status s = VG_OK;
    while (s == VG_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            int64_t *grown = vg_reallocarray(ids, cap, sizeof(*ids));
            if (grown == NULL) {
                s = vg_error_set(c->err, VG_ENOMEM, "out of memory");
                break;
            }
            ids = grown;
        }
        ids[n++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_reset(st);
    if (s == VG_OK && rc != SQLITE_DONE) {
        s = vg__store_error(c->store, rc, "reading unlinked outcomes", c->err);
    }
    int64_t unlinked = 0;
    for (size_t i = 0; s == VG_OK && i < n; i++) {
        if ((st = vg__store_stmt(c->store, sql, c->err)) == NULL) {
            s = VG_EDB;
            break;
        }
        sqlite3_bind_int64(st, 1, ids[i]);
        if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
            sqlite3_reset(st);
            s = vg__store_error(c->store, rc, "reading an outcome", c->err);
            break;
        }
        int64_t inspection_id = sqlite3_column_int64(st, 0);
        struct link_query q = {
            .container = (const char *)sqlite3_column_text(st, 1),
            .bills = (const char *)sqlite3_column_text(st, 2),
            .port = (const char *)sqlite3_column_text(st, 3),
            .at = sqlite3_column_int64(st, 4),
            .destination_port = (const char *)sqlite3_column_text(st, 6),
        };
        vg_found_at_parse((const char *)sqlite3_column_text(st, 5), &q.found_at);
        struct link_answer a;
        s = vg__outcome_find_trip(c->store, &q, &a, c->err);
        sqlite3_reset(st);
        if (s != VG_OK) {
            break;
        }
        if (a.trip_id == 0) {
            unlinked++;
            continue;
        }
        int64_t target_id = 0;
        s = attach(c, ids[i], inspection_id, &a, &target_id);
        vg_hasher_update(&c->hash, &ids[i], sizeof(ids[i]));
        c->report->relinked += s == VG_OK;
    }
    vg_free(ids);
    c->report->unlinked = unlinked;
    return s;
}

/* ---- import --------------------------------------------------------------------------------- */

static enum vg_status on_outcome(void *user, const struct vg_outcome *o)
{
    struct ctx *c = user;
    c->report->records++;
    struct vg_outcome_recorded rec;
    return store_outcome(c, o, NULL, &rec);
}

static enum vg_status
on_reject(void *user, const struct vg_error *reason, const char *excerpt, size_t excerpt_len)
{
    struct ctx *c = user;
    c->report->records++;
    c->report->rejected++;
    if (c->on_problem != NULL) {
        c->on_problem(c->user, true, reason);
    }
    bool inserted = false;
    enum vg_status s = vg__store_reject(c->store, c->file_id, "outcomes-csv", reason, NULL, excerpt,
                                        excerpt_len, &inserted, c->err);
    c->new_problems += inserted;
    return s;
}

static enum vg_status
on_flag(void *user, const struct vg_error *reason, const char *field, const char *value)
{
    struct ctx *c = user;
    c->report->flagged++;
    if (c->on_problem != NULL) {
        c->on_problem(c->user, false, reason);
    }
    char kind[48];
    snprintf(kind, sizeof(kind), "outcome_%s", field);
    struct vg__finding f = { .file_id = c->file_id,
                             .offset = (int64_t)reason->offset,
                             .kind = kind,
                             .field = field,
                             .value = value,
                             .detail = reason->message };
    bool inserted = false;
    enum vg_status s = vg__store_finding(c->store, &f, &inserted, c->err);
    c->new_problems += inserted;
    return s;
}

static enum vg_status finish(struct ctx *c, const char *action, const char *objects)
{
    struct vg_outcome_report *r = c->report;
    if (r->inserted + r->updated + r->relinked == 0 && c->new_problems == 0) {
        vg_store_rollback(c->store); /* nothing new: leave no trace */
        return VG_OK;
    }
    uint8_t digest[VG_DIGEST_SIZE];
    vg_hasher_final(&c->hash, digest);
    enum vg_status s = vg_audit_append(c->store, action, objects, digest, c->err);
    if (s == VG_OK) {
        return vg_store_commit(c->store, c->err);
    }
    vg_store_rollback(c->store);
    return s;
}

static void ctx_init(struct ctx *c,
                     struct vg_store *store,
                     const char *source,
                     struct vg_outcome_report *report,
                     struct vg_error *err)
{
    memset(c, 0, sizeof(*c));
    memset(report, 0, sizeof(*report));
    c->store = store;
    c->now = vg_time_now();
    c->source = source;
    c->report = report;
    c->err = err;
    vg_hasher_init(&c->hash);
}

enum vg_status vg_outcomes_import(struct vg_store *store,
                                  const char *path,
                                  struct vg_outcome_report *report,
                                  vg_problem_fn on_problem,
                                  void *user,
                                  struct vg_error *err)
{
    struct ctx c;
    ctx_init(&c, store, path, report, err);
    c.on_problem = on_problem;
    c.user = user;
    struct vg_file file;
    enum vg_status st = vg_file_open(path, &file, err);
    if (st != VG_OK) {
        return st;
    }
    uint8_t fdigest[VG_DIGEST_SIZE];
    vg_digest(file.data, file.len, fdigest);
    st = vg_store_begin(store, err);
    if (st == VG_OK) {
        st = vg__store_file_register(store, path, fdigest, (int64_t)file.len, "outcomes-csv",
                                     &c.file_id, NULL, NULL, err);
        struct vg_outcome_sink sink = { on_outcome, on_reject, on_flag, &c };
        if (st == VG_OK) {
            st = vg_outcomes_parse_csv(file.data, file.len, path, &sink, err);
        }
        if (st == VG_OK) {
            st = relink(&c);
        }
        if (st == VG_OK) {
            struct vg_buf b;
            vg_buf_init(&b, 1u << 16);
            st = vg_buf_append_cstr(&b, "{\"file\":");
            if (st == VG_OK) {
                st = vg_buf_append_json(&b, path);
            }
            if (st == VG_OK) {
                st = vg_buf_printf(&b,
                                   ",\"inserted\":%lld,\"updated\":%lld,\"rejected\":%lld,"
                                   "\"linked\":%lld,\"relinked\":%lld,\"unlinked\":%lld,"
                                   "\"targets_closed\":%lld}",
                                   (long long)report->inserted, (long long)report->updated,
                                   (long long)report->rejected, (long long)report->linked,
                                   (long long)report->relinked, (long long)report->unlinked,
                                   (long long)report->targets_closed);
            }
            if (st == VG_OK) {
                st = vg_buf_append_char(&b, '\0');
            }
            if (st == VG_OK) {
                st = finish(&c, "outcomes.import", b.data);
            } else {
                vg_store_rollback(store);
                vg_error_set(err, st, "out of memory");
            }
            vg_buf_release(&b);
        } else {
            vg_store_rollback(store);
        }
    }
    vg_file_close(&file);
    vg_log(VG_LOG_INFO, "outcome", "%s: %lld records, %lld new, %lld updated, %lld rejected", path,
           (long long)report->records, (long long)report->inserted, (long long)report->updated,
           (long long)report->rejected);
    if (st == VG_OK && report->rejected > 0) {
        st = vg_error_set(err, VG_EPARTIAL, "%lld record(s) rejected", (long long)report->rejected);
    }
    return st;
}

enum vg_status
vg_outcomes_link(struct vg_store *store, int64_t *linked, int64_t *unlinked, struct vg_error *err)
{
    struct vg_outcome_report report;
    struct ctx c;
    ctx_init(&c, store, NULL, &report, err);
    enum vg_status st = vg_store_begin(store, err);
    if (st == VG_OK) {
        st = relink(&c);
        if (st == VG_OK) {
            char objects[128];
            snprintf(objects, sizeof(objects), "{\"relinked\":%lld,\"unlinked\":%lld}",
                     (long long)report.relinked, (long long)report.unlinked);
            st = finish(&c, "outcomes.link", objects);
        } else {
            vg_store_rollback(store);
        }
    }
    if (linked != NULL) {
        *linked = report.relinked;
    }
    if (unlinked != NULL) {
        *unlinked = report.unlinked;
    }
    return st;
}

/* ---- an officer's record ----------------------------------------------------------------- */

struct target_info {
    int64_t trip_id, container_id;
    char port[6];
    char container[16];
    char reason[16];
};

static enum vg_status load_target(struct ctx *c, int64_t target_id, struct target_info *t)
{
    static const char sql[] =
        "SELECT tg.trip_id, t.container_id, tg.port, c.number, tg.reason FROM targets tg"
        " LEFT JOIN trips t ON t.id = tg.trip_id LEFT JOIN containers c ON c.id = t.container_id"
        " WHERE tg.id = ?1";
    memset(t, 0, sizeof(*t));
    sqlite3_stmt *st = vg__store_stmt(c->store, sql, c->err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, target_id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        t->trip_id = sqlite3_column_int64(st, 0);
        t->container_id = sqlite3_column_int64(st, 1);
        snprintf(t->port, sizeof(t->port), "%s", (const char *)sqlite3_column_text(st, 2));
        const unsigned char *num = sqlite3_column_text(st, 3);
        snprintf(t->container, sizeof(t->container), "%s", num != NULL ? (const char *)num : "");
        snprintf(t->reason, sizeof(t->reason), "%s", (const char *)sqlite3_column_text(st, 4));
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        return vg_error_set(c->err, VG_ENOTFOUND, "no target %lld", (long long)target_id);
    }
    return rc == SQLITE_ROW ? VG_OK : vg__store_error(c->store, rc, "reading a target", c->err);
}

static enum vg_status check_record(const struct vg_outcome *o, struct vg_error *err)
{
    if (o->container[0] == '\0') {
        return vg_error_set(err, VG_EINVAL, "the container is required (or a target)");
    }
    if (o->port[0] == '\0') {
        return vg_error_set(err, VG_EINVAL, "the port of examination is required (or a target)");
    }
    if (o->inspected_at == VG_TIME_NONE) {
        return vg_error_set(err, VG_EINVAL, "the time of the examination is required");
    }
    if (!isnan(o->kg) && (o->kg < 0 || (o->result == VG_RESULT_NEGATIVE && o->kg > 0))) {
        return vg_error_set(err, VG_EINVAL,
                            "kg must be a non-negative number, and only with "
                            "drugs or other");
    }
    if (!vg__outcome_selection_valid(o->selection)) {
        return vg_error_set(err, VG_EINVAL, "selection must be targeted, random or partner");
    }
    return VG_OK;
}

enum vg_status vg_outcome_record(struct vg_store *store,
                                 const struct vg_outcome *given,
                                 int64_t target_id,
                                 struct vg_outcome_recorded *out,
                                 struct vg_error *err)
{
    struct vg_outcome_report report;
    struct ctx c;
    ctx_init(&c, store, "manual", &report, err);
    memset(out, 0, sizeof(*out));
    struct vg_outcome o = *given;
    enum vg_status st = vg_store_begin(store, err);
    if (st != VG_OK) {
        return st;
    }
    struct target_info t = { 0 };
    struct link_answer forced = { 0 };
    if (target_id != 0 && (st = load_target(&c, target_id, &t)) == VG_OK) {
        if (t.trip_id == 0) {
            st = vg_error_set(err, VG_EINVAL,
                              "target %lld is a vessel: record the outcomes of "
                              "its containers",
                              (long long)target_id);
        } else if (o.container[0] != '\0' && strcmp(o.container, t.container) != 0) {
            st = vg_error_set(err, VG_EINVAL, "target %lld is container %s, not %s",
                              (long long)target_id, t.container, o.container);
        } else {
            snprintf(o.container, sizeof(o.container), "%s", t.container);
            if (o.port[0] == '\0') {
                snprintf(o.port, sizeof(o.port), "%s", t.port);
            }
            if (o.selection == NULL) {
                o.selection = strcmp(t.reason, "random") == 0 ? "random" : "targeted";
            }
            forced = (struct link_answer){ .trip_id = t.trip_id,
                                           .container_id = t.container_id,
                                           .origin = strcmp(o.port, t.port) == 0 };
            snprintf(forced.how, sizeof(forced.how), "target");
        }
    }
    if (st == VG_OK) {
        st = check_record(&o, err);
    }
    if (st == VG_OK) {
        st = store_outcome(&c, &o, target_id != 0 ? &forced : NULL, out);
    }
    if (st != VG_OK) {
        vg_store_rollback(store);
        return st;
    }
    struct vg_buf b;
    vg_buf_init(&b, 4096);
    st = vg_buf_printf(&b,
                       "{\"outcome\":%lld,\"container\":\"%s\",\"port\":\"%s\","
                       "\"result\":\"%s\",\"target\":%lld,\"trip\":%lld,\"updated\":%s}",
                       (long long)out->outcome_id, o.container, o.port,
                       vg_outcome_result_name(o.result), (long long)out->target_id,
                       (long long)out->trip_id, out->updated ? "true" : "false");
    if (st == VG_OK) {
        st = vg_buf_append_char(&b, '\0');
    }
    st = st == VG_OK ? finish(&c, "outcomes.record", b.data)
                     : vg_error_set(err, st, "out of memory");
    if (st != VG_OK) {
        vg_store_rollback(store);
    }
    vg_buf_release(&b);
    return st;
}

/* ---- listing ------------------------------------------------------------------------------ */

enum vg_status vg_outcomes_list(struct vg_store *store,
                                const char *container,
                                const char *port,
                                int64_t from,
                                int64_t to,
                                const struct vg_row_sink *sink,
                                struct vg_error *err)
{
    static const char sql[] =
        "SELECT o.id, o.container_number AS container, o.bl_number AS bill_of_lading, o.port,"
        " vg_utc(o.inspected_at) AS inspected_at, o.result, o.substance,"
        " CASE WHEN o.kg IS NULL THEN NULL ELSE printf('%g', o.kg) END AS kg, o.concealment,"
        " o.method, o.detection, o.seal_state, o.found_at, o.destination_port, o.selection,"
        " o.trip_id AS trip, t.port AS trip_port,"
        " vg_utc(coalesce(t.departure_at, t.loaded_at)) AS departure, o.link, i.target_id AS target"
        " FROM outcomes o LEFT JOIN trips t ON t.id = o.trip_id"
        " LEFT JOIN inspections i ON i.id = o.inspection_id"
        " WHERE (?1 IS NULL OR o.container_number = ?1) AND (?2 IS NULL OR o.port = ?2)"
        " AND (?3 IS NULL OR o.inspected_at >= CAST(?3 AS INTEGER))"
        " AND (?4 IS NULL OR o.inspected_at < CAST(?4 AS INTEGER))"
        " ORDER BY o.inspected_at, o.id";
    char a[24], b[24];
    snprintf(a, sizeof(a), "%lld", (long long)from);
    snprintf(b, sizeof(b), "%lld", (long long)to);
    const char *params[4] = { container, port, from == VG_TIME_NONE ? NULL : a,
                              to == VG_TIME_NONE ? NULL : b };
    enum vg_status st = vg__sql_functions(store, err);
    return st == VG_OK ? vg__store_query_rows(store, sql, params, 4, sink, err) : st;
}
