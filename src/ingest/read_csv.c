/*
 * CSV manifests and equipment events (docs/formats.md), for agencies without EDIFACT.
 *
 * Manifest layout: one row per goods line in a container; the rows of one bill of lading
 * (which need not be next to each other) form one document, keyed by (sender, B/L). Event
 * layout: one row per equipment event, each row its own document. Columns are found by
 * header name (any order, case-insensitive); unknown columns are kept as unmapped so
 * nothing is lost. A row that cannot be read is rejected with file, line and reason; the
 * rows around it go through.
 */
#include "ingest/emit.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <vigia/csv.h>
#include <vigia/ident.h>

enum mcol {
    MC_BL, MC_MASTER_BL, MC_CARRIER, MC_VESSEL_NAME, MC_VESSEL_IMO, MC_VESSEL_CALL_SIGN,
    MC_VESSEL_MMSI, MC_VESSEL_FLAG, MC_VOYAGE, MC_POL, MC_POD, MC_POR, MC_PDL, MC_TRANSHIP,
    MC_DEPARTURE, MC_DECLARED, MC_CONTAINER, MC_SIZE_TYPE, MC_SEALS, MC_SEAL_PARTY,
    MC_FULL_EMPTY, MC_CONTAINER_GROSS, MC_HS, MC_DESCRIPTION, MC_PACKAGES, MC_PACKAGE_TYPE,
    MC_GROSS_KG, MC_NET_KG, MC_VALUE, MC_CURRENCY, MC_SENDER, MC_FUNCTION,
    /* events */
    MC_EVENT, MC_TIME, MC_PORT, MC_TERMINAL, MC_STOWAGE, MC_TRANSPORT_MODE, MC_VEHICLE,
    MC_STATUS_CODE,
    MC_COUNT
};

static const char *const mcol_names[MC_COUNT] = {
    "bill_of_lading", "master_bill_of_lading", "carrier", "vessel_name", "vessel_imo",
    "vessel_call_sign", "vessel_mmsi", "vessel_flag", "voyage", "port_of_loading",
    "port_of_discharge", "place_of_receipt", "place_of_delivery", "transhipment_ports",
    "departure", "declared_at", "container", "size_type", "seals", "seal_party", "full_empty",
    "container_gross_kg", "hs_code", "description", "packages", "package_type", "gross_kg",
    "net_kg", "value", "currency", "sender", "function", "event", "time", "port", "terminal",
    "stowage", "transport_mode", "vehicle", "status_code",
};

/* Party columns: <role>_<attribute>. */
static const char *const party_roles[] = { "shipper", "consignee", "notify", "forwarder",
                                           "broker", "manufacturer", "buyer", "seller" };
#define NROLES (sizeof(party_roles) / sizeof(party_roles[0]))
enum pattr { PA_NAME, PA_ID, PA_ID_SCHEME, PA_ADDRESS, PA_CITY, PA_COUNTRY, PA_COUNT };
static const char *const pattr_names[PA_COUNT] = { "name", "id", "id_scheme", "address", "city",
                                                   "country" };

struct csv_layout {
    int col[MC_COUNT];
    int party[NROLES][PA_COUNT];
    bool used[VG_CSV_MAX_FIELDS];
    size_t ncols;
    bool decimal_comma; /* the file's decimal mark is ',' (file_decimal_comma) */
    char header[VG_CSV_MAX_FIELDS][48];
};

/* Whether the header h names the column name: case aside, and with a space, '-' or '.'
 * where the name has '_' ("Bill of Lading", "port-of-loading" are bill_of_lading and
 * port_of_loading, as people write headers in spreadsheets). */
static bool header_is(struct vg_slice h, const char *name)
{
    h = vg_slice_trim(h);
    size_t i = 0;
    for (; i < h.len && name[i] != '\0'; i++) {
        unsigned char c = (unsigned char)h.ptr[i];
        bool same = name[i] == '_' ? c == '_' || c == ' ' || c == '-' || c == '.'
                                   : tolower(c) == (unsigned char)name[i];
        if (!same) {
            return false;
        }
    }
    return i == h.len && name[i] == '\0';
}

static void layout_from_header(struct csv_layout *l, const struct vg_csv_reader *r)
{
    memset(l, 0, sizeof(*l));
    for (int c = 0; c < MC_COUNT; c++) {
        l->col[c] = -1;
    }
    for (size_t i = 0; i < NROLES; i++) {
        for (int a = 0; a < PA_COUNT; a++) {
            l->party[i][a] = -1;
        }
    }
    l->ncols = r->nfields;
    for (size_t f = 0; f < r->nfields; f++) {
        struct vg_slice h = vg_slice_trim(r->fields[f]);
        vg_slice_copy(h, l->header[f], sizeof(l->header[f]));
        for (int c = 0; c < MC_COUNT; c++) {
            if (header_is(h, mcol_names[c]) && l->col[c] < 0) {
                l->col[c] = (int)f;
                l->used[f] = true;
            }
        }
        for (size_t i = 0; i < NROLES; i++) {
            for (int a = 0; a < PA_COUNT; a++) {
                char name[48];
                snprintf(name, sizeof(name), "%s_%s", party_roles[i], pattr_names[a]);
                if (header_is(h, name) && l->party[i][a] < 0) {
                    l->party[i][a] = (int)f;
                    l->used[f] = true;
                }
            }
        }
    }
}

/* The field separators spreadsheets write: ',' and, where the decimal mark is a comma
 * (Peru, Spain), ';'; a tab in their "text" exports. */
static const char delimiters[] = { ',', ';', '\t' };

/* The layout of the header of data read with delimiter; NULL when it is none of them. */
static const char *layout_with(const char *data, size_t len, char delimiter)
{
    struct vg_csv_reader r;
    vg_csv_init(&r, data, len > 65536 ? 65536 : len, delimiter);
    const char *layout = NULL;
    if (vg_csv_next(&r, NULL) == VG_OK) {
        struct csv_layout l;
        layout_from_header(&l, &r);
        if (l.col[MC_BL] >= 0 && l.col[MC_CONTAINER] >= 0 && l.col[MC_POL] >= 0) {
            layout = "csv-manifest";
        } else if (l.col[MC_CONTAINER] >= 0 && l.col[MC_EVENT] >= 0 && l.col[MC_TIME] >= 0 &&
                   l.col[MC_PORT] >= 0) {
            layout = "csv-events";
        }
    }
    vg_csv_release(&r);
    return layout;
}

/* The columns that hold numbers. */
static const int number_columns[] = { MC_CONTAINER_GROSS, MC_PACKAGES, MC_GROSS_KG, MC_NET_KG,
                                      MC_VALUE };

/* The records the decimal mark of a file is looked for in. */
#define DECIMAL_SCAN_RECORDS 10000

/* Whether the decimal mark of the file whose header r has just read is ',': the one its
 * numbers show (vg__ing_decimal_hint) in its first DECIMAL_SCAN_RECORDS records when
 * they show one only, else ',' when ';' separates the fields (where spreadsheets write
 * it). */
static bool file_decimal_comma(const struct vg_csv_reader *r, const struct csv_layout *l)
{
    struct vg_csv_reader scan;
    vg_csv_init(&scan, r->data + r->pos, r->len - r->pos, r->delimiter);
    size_t comma = 0, point = 0;
    for (int n = 0; n < DECIMAL_SCAN_RECORDS; n++) {
        enum vg_status st = vg_csv_next(&scan, NULL);
        if (st == VG_ENOTFOUND || st == VG_ENOMEM) {
            break;
        }
        if (st != VG_OK) {
            continue;
        }
        for (size_t c = 0; c < sizeof(number_columns) / sizeof(number_columns[0]); c++) {
            int col = l->col[number_columns[c]];
            int hint =
                col < 0 ? 0 : vg__ing_decimal_hint(vg_slice_trim(vg_csv_field(&scan, (size_t)col)));
            comma += hint > 0;
            point += hint < 0;
        }
    }
    vg_csv_release(&scan);
    return comma > 0 && point == 0 ? true : point > 0 && comma == 0 ? false : r->delimiter == ';';
}

/* The first field separator with which data's header is a layout's, into *delimiter. */
static bool sniff(const char *data, size_t len, const char **layout, char *delimiter)
{
    for (size_t i = 0; i < sizeof(delimiters); i++) {
        *layout = layout_with(data, len, delimiters[i]);
        if (*layout != NULL) {
            *delimiter = delimiters[i];
            return true;
        }
    }
    return false;
}

bool vg__ing_csv_sniff(const char *data, size_t len, const char **layout)
{
    char delimiter;
    return sniff(data, len, layout, &delimiter);
}

/* The byte offset of a position at offset in f->data: for a worksheet, in the text made of
 * its workbook (f->base on), so that rejects and findings of its sheets stay apart. */
static uint64_t at_byte(const struct ing_file *f, uint64_t offset)
{
    return f->base + offset;
}

/* A field of the current record as a document string (NULL when empty or no column). */
static const char *field(struct ing_document *doc, const struct vg_csv_reader *r, int col,
                         bool *oom)
{
    if (col < 0) {
        return NULL;
    }
    return vg__ing_str(doc, vg_csv_field(r, (size_t)col), oom);
}

/* Parses a number column; records a note when present but not a number. */
static double number_field(struct ing_document *doc,
                           const struct vg_csv_reader *r,
                           const struct csv_layout *l,
                           int col,
                           const struct ing_source *src,
                           const char *name,
                           bool *oom)
{
    if (col < 0) {
        return NAN;
    }
    struct vg_slice v = vg_slice_trim(vg_csv_field(r, (size_t)col));
    if (v.len == 0) {
        return NAN;
    }
    double d;
    if (!vg__ing_number_text(v, l->decimal_comma, &d)) {
        char value[64];
        vg_slice_copy(v, value, sizeof(value));
        if (vg__ing_note(doc, src, "malformed_number", name, value,
                         l->decimal_comma ? "a number, decimal comma" : "a number, decimal point",
                         "not a number; left empty") != VG_OK) {
            *oom = true;
        }
        return NAN;
    }
    return d;
}

static int64_t integer(struct ing_document *doc,
                       const struct vg_csv_reader *r,
                       const struct csv_layout *l,
                       int col,
                       const struct ing_source *src,
                       const char *name,
                       bool *oom)
{
    double d = number_field(doc, r, l, col, src, name, oom);
    return isnan(d) ? -1 : (int64_t)d;
}

/* Parses a time column in the zone of port (when the text has no zone of its own). */
static int64_t when(struct ing_document *doc, const struct vg_csv_reader *r, int col,
                    const char *port, const struct ing_source *src, const char *name, bool *oom)
{
    if (col < 0) {
        return VG_TIME_NONE;
    }
    struct vg_slice v = vg_slice_trim(vg_csv_field(r, (size_t)col));
    if (v.len == 0) {
        return VG_TIME_NONE;
    }
    struct vg_zone zone;
    vg_zone_for_locode(port, &zone);
    int64_t t;
    struct vg_error e;
    if (vg__ing_time_text(v, &zone, &t, &e) != VG_OK) {
        char value[64];
        vg_slice_copy(v, value, sizeof(value));
        if (vg__ing_note(doc, src, "malformed_time", name, value,
                         "a date and time, ISO 8601 or day first", e.message) != VG_OK) {
            *oom = true;
        }
        return VG_TIME_NONE;
    }
    return t;
}

/* Keeps the columns no mapping used. */
static enum vg_status keep_unmapped(struct ing_document *doc, const struct csv_layout *l,
                                    const struct vg_csv_reader *r)
{
    for (size_t f = 0; f < r->nfields && f < VG_CSV_MAX_FIELDS; f++) {
        struct vg_slice v = vg_slice_trim(r->fields[f]);
        if ((f < l->ncols && l->used[f]) || v.len == 0) {
            continue;
        }
        char line[600];
        int n = snprintf(line, sizeof(line), "%s=%.*s", f < l->ncols ? l->header[f] : "?",
                         (int)(v.len > 500 ? 500 : v.len), v.ptr);
        enum vg_status st = vg__ing_unmapped(doc, vg_slice_make(line, (size_t)n));
        if (st != VG_OK) {
            return st;
        }
    }
    return VG_OK;
}

static enum ing_function parse_function(const char *f)
{
    if (f == NULL) {
        return ING_FN_UPSERT;
    }
    if (strcmp(f, "original") == 0 || strcmp(f, "9") == 0) {
        return ING_FN_ORIGINAL;
    }
    if (strcmp(f, "replace") == 0 || strcmp(f, "5") == 0) {
        return ING_FN_REPLACE;
    }
    if (strcmp(f, "cancel") == 0 || strcmp(f, "1") == 0) {
        return ING_FN_CANCEL;
    }
    return ING_FN_UPSERT;
}

/* Appends seals "A;B" with their party. */
static enum vg_status add_seals(struct ing_document *doc, struct ing_vec *seals, const char *list,
                                const char *party)
{
    if (list == NULL) {
        return VG_OK;
    }
    const char *p = list;
    while (*p != '\0') {
        const char *end = strchr(p, ';');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        bool oom = false;
        const char *num = vg__ing_str(doc, vg_slice_make(p, n), &oom);
        if (oom) {
            return VG_ENOMEM;
        }
        if (num != NULL) {
            bool dup = false;
            for (size_t i = 0; i < seals->n; i++) {
                dup |= strcmp(ING_AT(*seals, struct ing_seal, i)->number, num) == 0;
            }
            if (!dup) {
                struct ing_seal *s = vg__ing_push(doc->arena, seals, sizeof(*s));
                if (s == NULL) {
                    return VG_ENOMEM;
                }
                s->number = num;
                s->party = party;
            }
        }
        if (end == NULL) {
            break;
        }
        p = end + 1;
    }
    return VG_OK;
}

static enum vg_status add_place(struct ing_document *doc, struct ing_consignment *c,
                                enum ing_place_kind kind, const char *code,
                                const struct ing_source *src)
{
    if (code == NULL) {
        return VG_OK;
    }
    struct ing_place *p = vg__ing_push(doc->arena, &c->places, sizeof(*p));
    if (p == NULL) {
        return VG_ENOMEM;
    }
    p->kind = kind;
    p->locode = code;
    p->src = *src;
    return VG_OK;
}

/* ---- manifests ------------------------------------------------------------------------ */

struct bl_group {
    struct ing_vec rows; /* size_t record offsets */
    struct ing_vec lines; /* uint32_t lines */
};

/* Adds one manifest row to the document (the first row also sets the header parts). */
static enum vg_status manifest_row(struct ing_document *doc,
                                   const struct csv_layout *l,
                                   const struct vg_csv_reader *r,
                                   const struct ing_source *src,
                                   bool first)
{
    bool oom = false;
    struct ing_consignment *c;
    if (first) {
        doc->sender = field(doc, r, l->col[MC_SENDER], &oom);
        doc->function = parse_function(field(doc, r, l->col[MC_FUNCTION], &oom));
        doc->has_voyage = true;
        struct ing_voyage *v = &doc->voyage;
        v->vessel.name = field(doc, r, l->col[MC_VESSEL_NAME], &oom);
        v->vessel.imo = field(doc, r, l->col[MC_VESSEL_IMO], &oom);
        v->vessel.call_sign = field(doc, r, l->col[MC_VESSEL_CALL_SIGN], &oom);
        v->vessel.mmsi = field(doc, r, l->col[MC_VESSEL_MMSI], &oom);
        v->vessel.flag = field(doc, r, l->col[MC_VESSEL_FLAG], &oom);
        v->voyage = field(doc, r, l->col[MC_VOYAGE], &oom);
        v->carrier = field(doc, r, l->col[MC_CARRIER], &oom);
        v->port = field(doc, r, l->col[MC_POL], &oom);
        v->etd = when(doc, r, l->col[MC_DEPARTURE], v->port, src, "departure", &oom);
        v->src = *src;
        c = vg__ing_push(doc->arena, &doc->consignments, sizeof(*c));
        if (c == NULL) {
            return VG_ENOMEM;
        }
        c->src = *src;
        c->bl = field(doc, r, l->col[MC_BL], &oom);
        c->master_bl = field(doc, r, l->col[MC_MASTER_BL], &oom);
        c->carrier = v->carrier;
        c->declared_at = when(doc, r, l->col[MC_DECLARED], v->port, src, "declared_at", &oom);
        c->total_packages = -1;
        c->gross_kg = NAN;
        doc->doc_number = c->bl;
        doc->prepared_at = c->declared_at;
        enum vg_status st = VG_OK;
        const struct {
            enum mcol col;
            enum ing_place_kind kind;
        } places[] = { { MC_POR, ING_PLACE_RECEIPT }, { MC_POL, ING_PLACE_LOADING },
                       { MC_POD, ING_PLACE_DISCHARGE }, { MC_PDL, ING_PLACE_DELIVERY } };
        for (size_t i = 0; i < sizeof(places) / sizeof(places[0]) && st == VG_OK; i++) {
            st = add_place(doc, c, places[i].kind, field(doc, r, l->col[places[i].col], &oom), src);
        }
        const char *ts = field(doc, r, l->col[MC_TRANSHIP], &oom);
        for (const char *p = ts; p != NULL && *p != '\0' && st == VG_OK;) {
            const char *end = strchr(p, ';');
            size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
            st = add_place(doc, c, ING_PLACE_TRANSHIPMENT, vg__ing_str(doc, vg_slice_make(p, n), &oom),
                           src);
            p = end != NULL ? end + 1 : NULL;
        }
        for (size_t i = 0; i < NROLES && st == VG_OK; i++) {
            const char *name = field(doc, r, l->party[i][PA_NAME], &oom);
            const char *id = field(doc, r, l->party[i][PA_ID], &oom);
            if (name == NULL && id == NULL) {
                continue;
            }
            struct ing_party *p = vg__ing_push(doc->arena, &c->parties, sizeof(*p));
            if (p == NULL) {
                return VG_ENOMEM;
            }
            p->role = party_roles[i];
            p->name = name;
            p->id = id;
            p->id_scheme = field(doc, r, l->party[i][PA_ID_SCHEME], &oom);
            p->address = field(doc, r, l->party[i][PA_ADDRESS], &oom);
            p->city = field(doc, r, l->party[i][PA_CITY], &oom);
            p->country = field(doc, r, l->party[i][PA_COUNTRY], &oom);
            p->src = *src;
        }
        if (st != VG_OK) {
            return st;
        }
    } else {
        c = ING_AT(doc->consignments, struct ing_consignment, 0);
    }
    /* The container of this row (once per container). */
    const char *cnum = field(doc, r, l->col[MC_CONTAINER], &oom);
    if (cnum != NULL) {
        struct ing_equipment *e = NULL;
        for (size_t i = 0; i < c->equipment.n; i++) {
            struct ing_equipment *x = ING_AT(c->equipment, struct ing_equipment, i);
            if (strcmp(x->number, cnum) == 0) {
                e = x;
            }
        }
        if (e == NULL) {
            e = vg__ing_push(doc->arena, &c->equipment, sizeof(*e));
            if (e == NULL) {
                return VG_ENOMEM;
            }
            e->number = cnum;
            e->size_type = field(doc, r, l->col[MC_SIZE_TYPE], &oom);
            const char *fe = field(doc, r, l->col[MC_FULL_EMPTY], &oom);
            e->full_empty = fe == NULL ? NULL : (fe[0] == 'E' || fe[0] == 'e') ? "empty" : "full";
            e->gross_kg = number_field(doc, r, l, l->col[MC_CONTAINER_GROSS], src,
                                       "container_gross_kg", &oom);
            e->tare_kg = e->vgm_kg = NAN;
            e->src = *src;
        }
        enum vg_status st = add_seals(doc, &e->seals, field(doc, r, l->col[MC_SEALS], &oom),
                                      field(doc, r, l->col[MC_SEAL_PARTY], &oom));
        if (st != VG_OK) {
            return st;
        }
    }
    const char *hs = field(doc, r, l->col[MC_HS], &oom);
    const char *desc = field(doc, r, l->col[MC_DESCRIPTION], &oom);
    if (hs != NULL || desc != NULL) {
        struct ing_goods *g = vg__ing_push(doc->arena, &c->goods, sizeof(*g));
        if (g == NULL) {
            return VG_ENOMEM;
        }
        g->seq = (int)c->goods.n;
        g->hs = hs;
        g->description = desc;
        g->packages = integer(doc, r, l, l->col[MC_PACKAGES], src, "packages", &oom);
        g->package_type = field(doc, r, l->col[MC_PACKAGE_TYPE], &oom);
        g->gross_kg = number_field(doc, r, l, l->col[MC_GROSS_KG], src, "gross_kg", &oom);
        g->net_kg = number_field(doc, r, l, l->col[MC_NET_KG], src, "net_kg", &oom);
        g->volume_m3 = NAN;
        g->value = number_field(doc, r, l, l->col[MC_VALUE], src, "value", &oom);
        g->currency = field(doc, r, l->col[MC_CURRENCY], &oom);
        g->src = *src;
        if (cnum != NULL) {
            struct ing_placement *pl = vg__ing_push(doc->arena, &g->placements, sizeof(*pl));
            if (pl == NULL) {
                return VG_ENOMEM;
            }
            pl->container = cnum;
            pl->packages = g->packages;
            pl->gross_kg = g->gross_kg;
        }
        if (c->goods_description == NULL) {
            c->goods_description = desc;
        }
    }
    if (oom) {
        return VG_ENOMEM;
    }
    return keep_unmapped(doc, l, r);
}

static enum vg_status read_manifest(struct ing_emit *e,
                                    const struct ing_file *f,
                                    struct vg_csv_reader *r,
                                    const struct csv_layout *l,
                                    struct vg_error *err)
{
    /* Pass 1: group record offsets by bill of lading, in order of first appearance. */
    struct vg_arena groups_arena;
    vg_arena_init(&groups_arena, 1 << 16, 0);
    struct vg_map index;
    vg_map_init(&index);
    struct ing_vec groups = { 0 };
    enum vg_status st = VG_OK;
    for (;;) {
        struct vg_error rerr;
        vg_error_clear(&rerr);
        enum vg_status rs = vg_csv_next(r, &rerr);
        if (rs == VG_ENOTFOUND) {
            break;
        }
        if (rs == VG_EPARSE || rs == VG_ELIMIT) {
            vg_error_at(&rerr, f->path, rerr.line, 0, at_byte(f, rerr.offset), rerr.item);
            size_t end = r->pos;
            st = vg__ing_emit_reject(e, &rerr, "csv-manifest", NULL, f->data + r->record_offset,
                                     end - r->record_offset);
            if (st != VG_OK) {
                break;
            }
            continue;
        }
        if (rs != VG_OK) {
            st = vg_error_set(err, rs, "out of memory reading CSV");
            break;
        }
        struct vg_slice bl = vg_slice_trim(vg_csv_field(r, (size_t)l->col[MC_BL]));
        if (bl.len == 0) {
            struct vg_error rej;
            vg_error_clear(&rej);
            vg_error_at(&rej, f->path, r->record_line, 0, at_byte(f, r->record_offset), r->record);
            vg_error_set(&rej, VG_EPARSE, "row without a bill_of_lading");
            st = vg__ing_emit_reject(e, &rej, "csv-manifest", NULL, f->data + r->record_offset,
                                     r->pos - r->record_offset);
            if (st != VG_OK) {
                break;
            }
            continue;
        }
        bool existed = false;
        uint64_t gi = groups.n;
        if ((st = vg_map_put(&index, bl.ptr, bl.len, groups.n, &existed, &gi)) != VG_OK) {
            break;
        }
        if (!existed && vg__ing_push(&groups_arena, &groups, sizeof(struct bl_group)) == NULL) {
            st = VG_ENOMEM;
            break;
        }
        struct bl_group *g = ING_AT(groups, struct bl_group, gi);
        size_t *row = vg__ing_push(&groups_arena, &g->rows, sizeof(size_t));
        uint32_t *line = vg__ing_push(&groups_arena, &g->lines, sizeof(uint32_t));
        if (row == NULL || line == NULL) {
            st = VG_ENOMEM;
            break;
        }
        *row = r->record_offset;
        *line = r->record_line;
    }
    /* Pass 2: one document per bill of lading. */
    struct vg_buf raw;
    vg_buf_init(&raw, 0);
    for (size_t gi = 0; gi < groups.n && st == VG_OK; gi++) {
        struct bl_group *g = ING_AT(groups, struct bl_group, gi);
        vg_buf_reset(&raw);
        struct ing_document *doc = vg__ing_emit_begin(e);
        if (doc == NULL) {
            st = ING_EMIT_STOPPED;
            break;
        }
        doc->kind = ING_DOC_MANIFEST;
        doc->format = "CSV";
        doc->msg_type = "manifest.csv";
        for (size_t k = 0; k < g->rows.n && st == VG_OK; k++) {
            size_t off = *ING_AT(g->rows, size_t, k);
            struct vg_csv_reader row;
            vg_csv_init(&row, f->data + off, f->len - off, r->delimiter);
            if (vg_csv_next(&row, NULL) != VG_OK) {
                vg_csv_release(&row);
                continue;
            }
            struct ing_source src = { (int32_t)k + 1, (int64_t)at_byte(f, off),
                                      *ING_AT(g->lines, uint32_t, k), "row" };
            if (k == 0) {
                doc->offset = (int64_t)at_byte(f, off);
                doc->line = src.line;
            }
            st = vg_buf_append(&raw, f->data + off, row.pos);
            if (st == VG_OK) {
                st = manifest_row(doc, l, &row, &src, k == 0);
            }
            vg_csv_release(&row);
        }
        if (st == VG_OK) {
            char ref[32];
            snprintf(ref, sizeof(ref), "line %u", doc->line);
            doc->msg_ref = vg_arena_strndup(doc->arena, ref, strlen(ref));
            doc->raw = raw.data;
            doc->raw_len = raw.len;
            st = doc->msg_ref != NULL ? vg__ing_emit_doc(e, NULL) : VG_ENOMEM;
        }
        vg__ing_emit_drop(e); /* what is left open after an error */
    }
    vg_buf_release(&raw);
    vg_map_release(&index);
    vg_arena_release(&groups_arena);
    if (st == VG_ENOMEM && err != NULL && err->code != VG_ENOMEM) {
        vg_error_set(err, st, "out of memory reading CSV");
    }
    return st;
}

/* ---- events --------------------------------------------------------------------------- */

static const char *event_kind(const char *v)
{
    static const char *const kinds[] = {
        ING_EV_GATE_IN, ING_EV_GATE_OUT, ING_EV_LOAD, ING_EV_DISCHARGE, ING_EV_STUFFING,
        ING_EV_STRIPPING, ING_EV_SEAL_CHANGE, ING_EV_INSPECTION, ING_EV_STATUS,
        ING_EV_STOWAGE, ING_EV_SHIFT,
    };
    char norm[32];
    size_t n = 0;
    for (const char *p = v; *p != '\0' && n + 1 < sizeof(norm); p++) {
        char c = *p;
        if (c == '-' || c == ' ') {
            c = '_';
        }
        norm[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    norm[n] = '\0';
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        if (strcmp(norm, kinds[i]) == 0) {
            return kinds[i];
        }
    }
    return NULL;
}

static enum vg_status read_events(struct ing_emit *e,
                                  const struct ing_file *f,
                                  struct vg_csv_reader *r,
                                  const struct csv_layout *l,
                                  struct vg_error *err)
{
    enum vg_status st = VG_OK;
    for (;;) {
        struct vg_error rerr;
        vg_error_clear(&rerr);
        enum vg_status rs = vg_csv_next(r, &rerr);
        if (rs == VG_ENOTFOUND) {
            break;
        }
        size_t start = r->record_offset;
        if (rs == VG_EPARSE || rs == VG_ELIMIT) {
            vg_error_at(&rerr, f->path, rerr.line, 0, at_byte(f, rerr.offset), rerr.item);
            st = vg__ing_emit_reject(e, &rerr, "csv-events", NULL, f->data + start, r->pos - start);
            if (st != VG_OK) {
                break;
            }
            continue;
        }
        if (rs != VG_OK) {
            st = vg_error_set(err, rs, "out of memory reading CSV");
            break;
        }
        struct ing_document *doc = vg__ing_emit_begin(e);
        if (doc == NULL) {
            st = ING_EMIT_STOPPED;
            break;
        }
        doc->kind = ING_DOC_EVENTS;
        doc->format = "CSV";
        doc->msg_type = "events.csv";
        doc->function = ING_FN_ORIGINAL;
        doc->offset = (int64_t)at_byte(f, start);
        doc->line = r->record_line;
        doc->raw = f->data + start;
        doc->raw_len = r->pos - start;
        struct ing_source src = { 1, (int64_t)at_byte(f, start), r->record_line, "row" };
        bool oom = false;
        doc->sender = field(doc, r, l->col[MC_SENDER], &oom);
        const char *kind_text = field(doc, r, l->col[MC_EVENT], &oom);
        const char *kind = kind_text != NULL ? event_kind(kind_text) : NULL;
        const char *container = field(doc, r, l->col[MC_CONTAINER], &oom);
        const char *port = field(doc, r, l->col[MC_PORT], &oom);
        const char *why = kind == NULL ? "unknown or missing event kind (gate_in, gate_out, load, "
                                         "discharge, stuffing, stripping, seal_change, "
                                         "inspection, status, stowage, shift)"
                          : container == NULL ? "row without a container"
                          : port == NULL ? "row without a port"
                                         : NULL;
        int64_t t = when(doc, r, l->col[MC_TIME], port, &src, "time", &oom);
        if (oom) {
            /* A field lost to an allocation failure is not a missing field: the row is
             * not rejected, the run stops (and a re-run reads it). */
            vg__ing_emit_drop(e);
            st = vg_error_set(err, VG_ENOMEM, "out of memory reading CSV");
            break;
        }
        if (why == NULL && t == VG_TIME_NONE) {
            why =
                "row without a readable time (ISO 8601, 2024-05-03T10:20, or day first, 03/05/2024 10:20)";
        }
        if (why != NULL) {
            struct vg_error rej;
            vg_error_clear(&rej);
            vg_error_at(&rej, f->path, r->record_line, 0, at_byte(f, start), r->record);
            vg_error_set(&rej, VG_EPARSE, "%s", why);
            vg__ing_emit_drop(e);
            st = vg__ing_emit_reject(e, &rej, "csv-events", NULL, f->data + start, r->pos - start);
            if (st != VG_OK) {
                break;
            }
            continue;
        }
        struct ing_event *ev = vg__ing_push(doc->arena, &doc->events, sizeof(*ev));
        if (ev == NULL) {
            oom = true;
        } else {
            ev->kind = kind;
            ev->container = container;
            ev->time = t;
            ev->place = port;
            ev->terminal = field(doc, r, l->col[MC_TERMINAL], &oom);
            ev->size_type = field(doc, r, l->col[MC_SIZE_TYPE], &oom);
            ev->bl = field(doc, r, l->col[MC_BL], &oom);
            const char *fe = field(doc, r, l->col[MC_FULL_EMPTY], &oom);
            ev->full_empty = fe == NULL ? NULL : (fe[0] == 'E' || fe[0] == 'e') ? "empty" : "full";
            ev->gross_kg = number_field(doc, r, l, l->col[MC_GROSS_KG], &src, "gross_kg", &oom);
            ev->stowage = field(doc, r, l->col[MC_STOWAGE], &oom);
            ev->transport_mode = field(doc, r, l->col[MC_TRANSPORT_MODE], &oom);
            ev->vehicle = field(doc, r, l->col[MC_VEHICLE], &oom);
            ev->status_code = field(doc, r, l->col[MC_STATUS_CODE], &oom);
            ev->src = src;
            struct ing_voyage *v = &ev->voyage;
            v->eta = v->etd = v->ata = v->atd = VG_TIME_NONE;
            v->vessel.name = field(doc, r, l->col[MC_VESSEL_NAME], &oom);
            v->vessel.imo = field(doc, r, l->col[MC_VESSEL_IMO], &oom);
            v->vessel.call_sign = field(doc, r, l->col[MC_VESSEL_CALL_SIGN], &oom);
            v->voyage = field(doc, r, l->col[MC_VOYAGE], &oom);
            v->port = port;
            v->src = src;
            ev->has_voyage = v->vessel.name != NULL || v->vessel.imo != NULL ||
                             v->vessel.call_sign != NULL || v->voyage != NULL;
            if (add_seals(doc, &ev->seals, field(doc, r, l->col[MC_SEALS], &oom),
                          field(doc, r, l->col[MC_SEAL_PARTY], &oom)) != VG_OK) {
                oom = true;
            }
        }
        if (!oom && keep_unmapped(doc, l, r) != VG_OK) {
            oom = true;
        }
        if (oom) {
            vg__ing_emit_drop(e);
            st = vg_error_set(err, VG_ENOMEM, "out of memory reading CSV");
            break;
        }
        char ref[32];
        snprintf(ref, sizeof(ref), "line %u", doc->line);
        doc->msg_ref = vg_arena_strndup(doc->arena, ref, strlen(ref));
        if (doc->msg_ref == NULL) {
            vg__ing_emit_drop(e);
            st = vg_error_set(err, VG_ENOMEM, "out of memory reading CSV");
            break;
        }
        st = vg__ing_emit_doc(e, NULL);
        if (st != VG_OK) {
            break;
        }
    }
    if (st == VG_ENOMEM && err != NULL && err->code != VG_ENOMEM) {
        vg_error_set(err, st, "out of memory reading CSV");
    }
    return st;
}

enum vg_status vg__ing_read_csv(struct ing_emit *e, const struct ing_file *f, struct vg_error *err)
{
    const char *layout = NULL;
    char delimiter = ',';
    (void)sniff(f->data, f->len, &layout, &delimiter);
    bool manifest = layout != NULL && strcmp(layout, "csv-manifest") == 0;
    /* Lines that are not UTF-8 are read as Windows-1252 (what spreadsheets on Windows
     * write for "CSV"); the file's positions are then those of the converted text. */
    struct vg_buf utf8;
    vg_buf_init(&utf8, f->len * 4 + 16); /* what the conversion reserves */
    size_t converted = 0;
    uint32_t first_line = 0;
    enum vg_status st = vg__ing_csv_utf8(f->data, f->len, &utf8, &converted, &first_line);
    if (st != VG_OK) {
        vg_buf_release(&utf8);
        return vg_error_set(err, st, "out of memory converting %s to UTF-8", f->path);
    }
    struct ing_file text = *f;
    if (converted > 0) {
        text.data = utf8.data;
        text.len = utf8.len;
        char detail[160];
        snprintf(detail, sizeof(detail),
                 "%zu line%s not valid UTF-8 (the first: line %u), read as Windows-1252", converted,
                 converted == 1 ? "" : "s", (unsigned)first_line);
        struct ing_source src = { 0, 0, first_line, NULL };
        st = vg__ing_emit_note(e, &src, "charset_mismatch", "encoding", "not UTF-8", "UTF-8",
                               detail);
    }
    struct vg_csv_reader r;
    vg_csv_init(&r, text.data, text.len, delimiter);
    if (f->first_line > 1) {
        r.line = f->first_line; /* a worksheet read from its header row */
    }
    bool header = false;
    if (st == VG_OK) {
        st = vg_csv_next(&r, err);
        header = st == VG_OK;
        st = st == VG_ENOTFOUND ? VG_OK : st; /* an empty file */
    }
    if (header) {
        struct csv_layout l;
        layout_from_header(&l, &r);
        l.decimal_comma = file_decimal_comma(&r, &l);
        if (manifest) {
            st = read_manifest(e, &text, &r, &l, err);
        } else {
            st = read_events(e, &text, &r, &l, err);
        }
    }
    vg_csv_release(&r);
    vg_buf_release(&utf8);
    return st;
}
