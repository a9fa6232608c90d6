/*
 * The outcomes CSV (docs/formats.md, "Outcomes CSV"): RFC 4180 with a header naming at
 * least container, bill_of_lading, port, inspected_at, result, substance, kg and
 * concealment, and optionally method, detection, seal_state, found_at, destination_port
 * and selection, in any order. One record per examination.
 *
 * Refused: broken CSV, no container or an unreadable one, no port or one that is not a
 * UN/LOCODE, an unreadable time, a result, found_at or selection outside their words, kg
 * that is not a non-negative number, kg with a negative result, an over-long field.
 * Taken with a flag: a container check digit that fails, an unknown method or seal state,
 * a destination port that is not a UN/LOCODE (left out).
 */
#include "outcome/outcome_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <vigia/arena.h>
#include <vigia/charset.h>
#include <vigia/csv.h>
#include <vigia/ident.h>
#include <vigia/time.h>

enum {
    COL_CONTAINER,
    COL_BL,
    COL_PORT,
    COL_AT,
    COL_RESULT,
    COL_SUBSTANCE,
    COL_KG,
    COL_CONCEALMENT,
    COL_REQUIRED, /* the columns above are required */
    COL_METHOD = COL_REQUIRED,
    COL_DETECTION,
    COL_SEAL,
    COL_FOUND,
    COL_DEST,
    COL_SELECTION,
    COL_COUNT
};

static const char *const column_names[COL_COUNT] = {
    "container",        "bill_of_lading", "port",       "inspected_at",
    "result",           "substance",      "kg",         "concealment",
    "method",           "detection",      "seal_state", "found_at",
    "destination_port", "selection",
};

static const char *const result_names[] = { "negative", "drugs", "other" };
static const char *const found_names[] = { "", "origin", "transit", "destination" };
static const char *const methods[] = { "scan", "tailgate", "full", "k9", NULL };
static const char *const seal_states[] = { "intact", "replaced", "broken", "missing", NULL };
static const char *const selections[] = { "targeted", "random", "partner", NULL };

const char *vg_outcome_result_name(enum vg_outcome_result r)
{
    return (unsigned)r < 3 ? result_names[r] : "negative";
}

const char *vg_found_at_name(enum vg_found_at f)
{
    return (unsigned)f < 4 ? found_names[f] : "";
}

bool vg_outcome_result_parse(const char *text, enum vg_outcome_result *out)
{
    for (int i = 0; i < 3; i++) {
        if (text != NULL && strcmp(text, result_names[i]) == 0) {
            *out = (enum vg_outcome_result)i;
            return true;
        }
    }
    return false;
}

bool vg_found_at_parse(const char *text, enum vg_found_at *out)
{
    for (int i = 0; i < 4; i++) {
        if (text != NULL && strcmp(text, found_names[i]) == 0) {
            *out = (enum vg_found_at)i;
            return true;
        }
    }
    return false;
}

static bool in_list(const char *text, const char *const *list)
{
    for (int i = 0; list[i] != NULL; i++) {
        if (strcmp(text, list[i]) == 0) {
            return true;
        }
    }
    return false;
}

bool vg__outcome_selection_valid(const char *text)
{
    return text == NULL || in_list(text, selections);
}

struct parser {
    const struct vg_outcome_sink *sink;
    struct vg_csv_table *t; /* the table being read (set by each callback) */
    int col[COL_COUNT];
};

/* Field `which` of the record, trimmed and lower-cased when asked, as a NUL-terminated copy
 * ("" when the column is absent or empty); NULL when out of memory. */
static const char *get(struct parser *p, int which, bool lower)
{
    if (p->col[which] < 0) {
        return "";
    }
    struct vg_slice f;
    if (vg_csv_table_text(p->t, p->col[which], &f) != VG_OK) {
        return NULL;
    }
    char *s = vg_arena_strndup(&p->t->fields, f.ptr, f.len);
    for (char *c = s; lower && c != NULL && *c != '\0'; c++) {
        if (*c >= 'A' && *c <= 'Z') {
            *c = (char)(*c - 'A' + 'a');
        }
    }
    return s;
}

static void
position(struct parser *p, struct vg_error *e, enum vg_status code, const char *fmt, va_list ap)
    VG_PRINTF(4, 0);

static void
position(struct parser *p, struct vg_error *e, enum vg_status code, const char *fmt, va_list ap)
{
    char msg[VG_ERROR_MESSAGE_MAX];
    vsnprintf(msg, sizeof(msg), fmt, ap);
    vg_error_clear(e);
    vg_error_at(e, p->t->source, p->t->csv.record_line, 0, p->t->csv.record_offset,
                p->t->csv.record);
    vg_error_set(e, code, "%s", msg);
}

static enum vg_status reject(struct parser *p, const char *fmt, ...) VG_PRINTF(2, 3);

static enum vg_status reject(struct parser *p, const char *fmt, ...)
{
    struct vg_error e;
    va_list ap;
    va_start(ap, fmt);
    position(p, &e, VG_EPARSE, fmt, ap);
    va_end(ap);
    if (p->sink->reject == NULL) {
        return VG_OK;
    }
    struct vg_slice ex = vg_csv_table_excerpt(p->t, 512);
    return p->sink->reject(p->sink->user, &e, ex.ptr, ex.len);
}

static enum vg_status
flag(struct parser *p, const char *field, const char *value, const char *fmt, ...) VG_PRINTF(4, 5);

static enum vg_status
flag(struct parser *p, const char *field, const char *value, const char *fmt, ...)
{
    if (p->sink->flag == NULL) {
        return VG_OK;
    }
    struct vg_error e;
    va_list ap;
    va_start(ap, fmt);
    position(p, &e, VG_ECHECK, fmt, ap);
    va_end(ap);
    return p->sink->flag(p->sink->user, &e, field, value);
}

static bool locode(const char *text, char out[6])
{
    enum vg_status st = vg_locode_parse(vg_slice_from_cstr(text), out, NULL);
    return st == VG_OK || st == VG_ECHECK;
}

static const char *or_null(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : NULL;
}

static enum vg_status take_record(struct parser *p)
{
    const char *f[COL_COUNT];
    for (int i = 0; i < COL_COUNT; i++) {
        bool lower = i == COL_RESULT || i == COL_FOUND || i == COL_SELECTION || i == COL_METHOD ||
                     i == COL_SEAL;
        f[i] = get(p, i, lower);
        if (f[i] == NULL) {
            return VG_ENOMEM;
        }
        if (strlen(f[i]) > VG_OUTCOME_TEXT_MAX) {
            return reject(p, "%s is longer than 200 bytes", column_names[i]);
        }
    }
    struct vg_outcome o;
    memset(&o, 0, sizeof(o));
    o.kg = NAN;
    o.line = p->t->csv.record_line;
    o.offset = p->t->csv.record_offset;
    if (f[COL_CONTAINER][0] == '\0') {
        return reject(p, "container is empty");
    }
    struct vg_container_number cn;
    enum vg_status cs = vg_container_parse(vg_slice_from_cstr(f[COL_CONTAINER]), &cn, NULL);
    if (cs != VG_OK && cs != VG_ECHECK) {
        return reject(p, "container '%.40s' is not an ISO 6346 number", f[COL_CONTAINER]);
    }
    snprintf(o.container, sizeof(o.container), "%s", cn.text);
    o.container_valid = cs == VG_OK;
    if (!locode(f[COL_PORT], o.port)) {
        return reject(p, "port '%.40s' is not a UN/LOCODE", f[COL_PORT]);
    }
    struct vg_zone zone;
    vg_zone_for_locode(o.port, &zone);
    if (f[COL_AT][0] == '\0' || vg_time_parse_iso8601(vg_slice_from_cstr(f[COL_AT]), &zone,
                                                      &o.inspected_at, NULL) != VG_OK) {
        return reject(p, "inspected_at '%.40s' is not an ISO 8601 time", f[COL_AT]);
    }
    if (!vg_outcome_result_parse(f[COL_RESULT], &o.result)) {
        return reject(p, "result '%.40s' is not negative, drugs or other", f[COL_RESULT]);
    }
    if (f[COL_KG][0] != '\0') {
        char kg[64];
        snprintf(kg, sizeof(kg), "%s", f[COL_KG]);
        for (char *c = kg; *c != '\0'; c++) {
            *c = *c == ',' ? '.' : *c;
        }
        if (vg_slice_to_double(vg_slice_from_cstr(kg), &o.kg) != VG_OK || !isfinite(o.kg) ||
            o.kg < 0) {
            return reject(p, "kg '%.40s' is not a non-negative number", f[COL_KG]);
        }
        if (o.result == VG_RESULT_NEGATIVE && o.kg > 0) {
            return reject(p, "kg '%.40s' given for a negative result", f[COL_KG]);
        }
    }
    if (!vg_found_at_parse(f[COL_FOUND], &o.found_at)) {
        return reject(p, "found_at '%.40s' is not origin, transit or destination", f[COL_FOUND]);
    }
    if (f[COL_SELECTION][0] != '\0' && !in_list(f[COL_SELECTION], selections)) {
        return reject(p, "selection '%.40s' is not targeted, random or partner", f[COL_SELECTION]);
    }
    enum vg_status st = VG_OK;
    if (!o.container_valid) {
        st = flag(p, "container", o.container,
                  "container %s: the check digit does not hold; taken as sent", o.container);
    }
    if (st == VG_OK && f[COL_METHOD][0] != '\0' && !in_list(f[COL_METHOD], methods)) {
        st = flag(p, "method", f[COL_METHOD],
                  "method '%.40s' is not scan, tailgate, full or k9; kept as written",
                  f[COL_METHOD]);
    }
    if (st == VG_OK && f[COL_SEAL][0] != '\0' && !in_list(f[COL_SEAL], seal_states)) {
        st = flag(p, "seal_state", f[COL_SEAL],
                  "seal state '%.40s' is not intact, replaced, broken or missing; kept as written",
                  f[COL_SEAL]);
    }
    if (st == VG_OK && f[COL_DEST][0] != '\0' && !locode(f[COL_DEST], o.destination_port)) {
        o.destination_port[0] = '\0';
        st = flag(p, "destination_port", f[COL_DEST],
                  "destination port '%.40s' is not a UN/LOCODE; left out", f[COL_DEST]);
    }
    if (st != VG_OK) {
        return st;
    }
    o.bill_of_lading = or_null(f[COL_BL]);
    o.substance = or_null(f[COL_SUBSTANCE]);
    o.concealment = or_null(f[COL_CONCEALMENT]);
    o.method = or_null(f[COL_METHOD]);
    o.detection = or_null(f[COL_DETECTION]);
    o.seal_state = or_null(f[COL_SEAL]);
    o.selection = or_null(f[COL_SELECTION]);
    return p->sink->outcome(p->sink->user, &o);
}

static enum vg_status read_header(void *user, struct vg_csv_table *t, struct vg_error *err)
{
    struct parser *p = user;
    p->t = t;
    for (int i = 0; i < COL_COUNT; i++) {
        p->col[i] = vg_csv_find_column(&t->csv, column_names[i]);
    }
    for (int i = 0; i < COL_REQUIRED; i++) {
        if (p->col[i] < 0) {
            vg_error_at(err, t->source, t->csv.record_line, 0, t->csv.record_offset, 1);
            return vg_error_set(err, VG_EFORMAT,
                                "not an outcomes CSV: the header lacks the column %s (required: "
                                "container, bill_of_lading, port, inspected_at, result, "
                                "substance, kg, concealment)",
                                column_names[i]);
        }
    }
    return VG_OK;
}

static enum vg_status read_row(void *user, struct vg_csv_table *t)
{
    struct parser *p = user;
    p->t = t;
    return take_record(p);
}

static enum vg_status refuse_record(void *user, struct vg_csv_table *t, const char *reason)
{
    struct parser *p = user;
    p->t = t;
    return reject(p, "%s", reason);
}

enum vg_status vg_outcomes_parse_csv(const char *data,
                                     size_t len,
                                     const char *source,
                                     const struct vg_outcome_sink *sink,
                                     struct vg_error *err)
{
    static const struct vg_csv_table_ops ops = { "naming the outcome columns", read_header,
                                                 read_row, refuse_record };
    struct parser p;
    memset(&p, 0, sizeof(p));
    p.sink = sink;
    for (int i = 0; i < COL_COUNT; i++) {
        p.col[i] = -1;
    }
    return vg_csv_table_read(data, len, source, &ops, &p, err);
}
