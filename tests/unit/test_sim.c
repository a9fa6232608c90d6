/* The demo world (vigia sim): determinism, valid identifiers and control counts in every
 * feed, NMEA checksums and encoding, the truth file against the data, case and inspection
 * rates, the history/evaluation split, configuration errors.
 *
 * The feeds are read back with small independent readers written here (EDIFACT segments
 * with the release character, NMEA sentences and six-bit payloads), not with the
 * generator's own code. Worlds are small (a few days, a fraction of the volume). */
#include "vg_targeting.h"
#include "vg_test.h"

#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include <vigia/alloc.h>
#include <vigia/ident.h>
#include <vigia/sim.h>
#include <vigia/time.h>

#include "sim/sim_int.h"

/* ---- helpers --------------------------------------------------------------------------- */

static const char *world_dir(const char *name)
{
    static char path[4][700];
    static unsigned n;
    char *p = path[n++ % 4];
    snprintf(p, 700, "%s/%s", vg_test_tmpdir(), name);
    return p;
}

/* A configuration with high case rates, so that a small world holds every pattern. */
static const char *dense_config(void)
{
    static const char text[] =
        "{\"extends\": \"peru\",\n"
        " \"patterns\": {\n"
        "  \"rip_on\": {\"rate_per_1000\": 12},\n"
        "  \"front_company\": {\"rate_per_1000\": 10},\n"
        "  \"contamination\": {\"rate_per_1000\": 10},\n"
        "  \"watchlist_party\": {\"rate_per_1000\": 8},\n"
        "  \"unusual_transhipment\": {\"rate_per_1000\": 8},\n"
        "  \"cloned_container\": {\"rate_per_1000\": 8},\n"
        "  \"identity_hijack\": {\"rate_per_1000\": 8},\n"
        "  \"at_sea_transfer\": {\"rate_per_departure\": 0.6}},\n"
        " \"confounders\": {\"innocent_encounter\": {\"rate\": 0.3},\n"
        "                   \"slow_night_offshore\": {\"rate\": 0.3}}}\n";
    const char *path = world_dir("dense.json");
    vg_test_write_file(path, text, sizeof(text) - 1);
    return path;
}

struct flist {
    char **path;
    size_t n, cap;
};

static void list_files(const char *dir, const char *rel, struct flist *out)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s%s%s", dir, rel[0] ? "/" : "", rel);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') {
            continue;
        }
        char sub[1024];
        snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
        char full[1100];
        snprintf(full, sizeof(full), "%s/%s", dir, sub);
        struct stat sb;
        assert_int_equal(stat(full, &sb), 0);
        if (S_ISDIR(sb.st_mode)) {
            list_files(dir, sub, out);
        } else {
            if (out->n == out->cap) {
                out->cap = out->cap ? out->cap * 2 : 64;
                out->path = realloc(out->path, out->cap * sizeof(char *));
                assert_non_null(out->path);
            }
            out->path[out->n++] = strdup(sub);
        }
    }
    closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void flist_sorted(const char *dir, struct flist *out)
{
    memset(out, 0, sizeof(*out));
    list_files(dir, "", out);
    qsort(out->path, out->n, sizeof(char *), cmp_str);
}

static void flist_free(struct flist *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->path[i]);
    }
    free(f->path);
}

static const char *find_bytes(const char *hay, size_t n, const char *needle, size_t m)
{
    for (size_t i = 0; m <= n && i + m <= n; i++) {
        if (memcmp(hay + i, needle, m) == 0) {
            return hay + i;
        }
    }
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static char *read_rel(const char *dir, const char *rel, size_t *len)
{
    char path[1100];
    snprintf(path, sizeof(path), "%s/%s", dir, rel);
    return vg_test_read_file(path, len);
}

static json_t *load_truth(const char *dir)
{
    char path[1100];
    snprintf(path, sizeof(path), "%s/truth.json", dir);
    json_error_t je;
    json_t *t = json_load_file(path, 0, &je);
    if (t == NULL) {
        fail_msg("truth.json: %s at line %d", je.text, je.line);
    }
    return t;
}

/* ---- a small EDIFACT reader (independent of src/sim) --------------------------------------- */

#define MAX_EL 16
#define MAX_CO 8

struct seg {
    char tag[4];
    int nel;
    int nco[MAX_EL];
    char val[MAX_EL][MAX_CO][96];
};

/* Splits the next segment of data[*pos..len) (release character '?'); false at the end. */
static bool next_seg(const char *data, size_t len, size_t *pos, struct seg *s)
{
    memset(s, 0, sizeof(*s));
    size_t i = *pos;
    while (i < len && (data[i] == '\n' || data[i] == '\r' || data[i] == ' ')) {
        i++;
    }
    if (i >= len) {
        *pos = i;
        return false;
    }
    if (len - i >= 3 && memcmp(data + i, "UNA", 3) == 0) {
        i += 9; /* the service string advice has a fixed length */
        while (i < len && (data[i] == '\n' || data[i] == '\r')) {
            i++;
        }
    }
    int el = 0, co = 0;
    size_t k = 0;
    char tag[8] = "";
    size_t tk = 0;
    bool in_tag = true;
    for (; i < len; i++) {
        char c = data[i];
        if (c == '?' && i + 1 < len) {
            c = data[++i];
        } else if (c == '\'') {
            i++;
            break;
        } else if (c == '+' || c == ':') {
            if (in_tag) {
                in_tag = false;
            }
            if (c == '+') {
                if (el > 0 || tk > 0) {
                    s->nco[el] = co + 1;
                }
                el++;
                co = 0;
            } else {
                co++;
            }
            k = 0;
            if (el >= MAX_EL || co >= MAX_CO) {
                continue;
            }
            continue;
        }
        if (in_tag) {
            if (tk < 3) {
                tag[tk++] = c;
            }
            continue;
        }
        if (el < MAX_EL && co < MAX_CO && k + 1 < sizeof(s->val[0][0])) {
            s->val[el][co][k++] = c;
        }
    }
    memcpy(s->tag, tag, 3);
    s->nel = el;
    if (el < MAX_EL) {
        s->nco[el] = co + 1;
    }
    *pos = i;
    return true;
}

static const char *E(const struct seg *s, int el, int co)
{
    if (el > s->nel || el >= MAX_EL || co >= MAX_CO) {
        return "";
    }
    return s->val[el][co];
}

/* ---- a small NMEA/AIS reader ------------------------------------------------------------------ */

static unsigned xor_sum(const char *s, size_t n)
{
    unsigned x = 0;
    for (size_t i = 0; i < n; i++) {
        x ^= (unsigned char)s[i];
    }
    return x;
}

struct nmea {
    long long t;
    int total, num;
    char payload[100];
    int fill;
    bool tag_ok, body_ok;
};

static bool parse_nmea(const char *line, size_t len, struct nmea *out)
{
    memset(out, 0, sizeof(*out));
    if (len < 10 || line[0] != '\\') {
        return false;
    }
    const char *star = memchr(line + 1, '*', len - 1);
    const char *end_tag = star ? memchr(star, '\\', (size_t)(line + len - star)) : NULL;
    if (star == NULL || end_tag == NULL) {
        return false;
    }
    unsigned cs = (unsigned)strtoul(star + 1, NULL, 16);
    out->tag_ok = xor_sum(line + 1, (size_t)(star - line - 1)) == cs;
    if (sscanf(line + 1, "c:%lld", &out->t) != 1) {
        return false;
    }
    const char *body = end_tag + 1;
    size_t blen = (size_t)(line + len - body);
    const char *bstar = memchr(body, '*', blen);
    if (body[0] != '!' || bstar == NULL) {
        return false;
    }
    unsigned bcs = (unsigned)strtoul(bstar + 1, NULL, 16);
    out->body_ok = xor_sum(body + 1, (size_t)(bstar - body - 1)) == bcs;
    char chan;
    char seq[8];
    (void)seq;
    int n = sscanf(body, "!AIVDM,%d,%d,", &out->total, &out->num);
    if (n != 2) {
        return false;
    }
    /* payload is field 5 (0-based after the talker): skip 5 commas */
    const char *p = body;
    for (int c = 0; c < 5; c++) {
        p = memchr(p, ',', (size_t)(bstar - p));
        if (p == NULL) {
            return false;
        }
        p++;
    }
    const char *comma = memchr(p, ',', (size_t)(bstar - p));
    if (comma == NULL || (size_t)(comma - p) >= sizeof(out->payload)) {
        return false;
    }
    memcpy(out->payload, p, (size_t)(comma - p));
    out->payload[comma - p] = '\0';
    out->fill = comma[1] - '0';
    (void)chan;
    return true;
}

static uint64_t bits(const char *payload, unsigned start, unsigned width)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < width; i++) {
        unsigned pos = start + i;
        unsigned c = (unsigned char)payload[pos / 6] - 48;
        if (c > 40) {
            c -= 8;
        }
        v = (v << 1) | ((c >> (5 - pos % 6)) & 1);
    }
    return v;
}

static int64_t sbits(const char *payload, unsigned start, unsigned width)
{
    uint64_t v = bits(payload, start, width);
    if (v & (1ULL << (width - 1))) {
        return (int64_t)(v | ~((1ULL << width) - 1));
    }
    return (int64_t)v;
}

struct fix {
    long long t;
    uint32_t mmsi;
    double lat, lon, sog;
};

/* Reads every position report (types 1, 3, 18) of a world's AIS files. */
static struct fix *read_fixes(const char *dir, size_t *n, size_t *bad_checksums)
{
    struct flist fl;
    flist_sorted(dir, &fl);
    size_t cap = 1 << 16, count = 0;
    struct fix *fx = malloc(cap * sizeof(*fx));
    assert_non_null(fx);
    *bad_checksums = 0;
    for (size_t i = 0; i < fl.n; i++) {
        if (!ends_with(fl.path[i], ".nmea")) {
            continue;
        }
        size_t len;
        char *data = read_rel(dir, fl.path[i], &len);
        for (char *line = data; line < data + len;) {
            char *nl = memchr(line, '\n', (size_t)(data + len - line));
            size_t ll = nl ? (size_t)(nl - line) : (size_t)(data + len - line);
            struct nmea m;
            assert_true(parse_nmea(line, ll, &m));
            assert_true(m.tag_ok);
            if (!m.body_ok) {
                (*bad_checksums)++;
            }
            if (m.total == 1 && m.body_ok) {
                unsigned type = (unsigned)bits(m.payload, 0, 6);
                if (type == 1 || type == 3 || type == 18) {
                    if (count == cap) {
                        cap *= 2;
                        fx = realloc(fx, cap * sizeof(*fx));
                        assert_non_null(fx);
                    }
                    struct fix *f = &fx[count++];
                    f->t = m.t;
                    f->mmsi = (uint32_t)bits(m.payload, 8, 30);
                    unsigned base = type == 18 ? 57 : 61;
                    f->sog = (double)bits(m.payload, type == 18 ? 46 : 50, 10) / 10.0;
                    f->lon = (double)sbits(m.payload, base, 28) / 600000.0;
                    f->lat = (double)sbits(m.payload, base + 28, 27) / 600000.0;
                }
            }
            line = nl ? nl + 1 : data + len;
        }
        vg_free(data);
    }
    flist_free(&fl);
    *n = count;
    return fx;
}

static double nm_between(double lat1, double lon1, double lat2, double lon2)
{
    double r = 3.14159265358979 / 180;
    double dlat = (lat2 - lat1) * r, dlon = (lon2 - lon1) * r;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * r) * cos(lat2 * r) * sin(dlon / 2) * sin(dlon / 2);
    return 2 * 3440.065 * asin(sqrt(a));
}

/* ---- determinism ------------------------------------------------------------------------------ */

static void assert_same_tree(const char *a, const char *b, bool expect_same)
{
    struct flist fa, fb;
    flist_sorted(a, &fa);
    flist_sorted(b, &fb);
    bool same = fa.n == fb.n;
    for (size_t i = 0; same && i < fa.n; i++) {
        same = strcmp(fa.path[i], fb.path[i]) == 0;
        if (!same) {
            break;
        }
        size_t la, lb;
        char *da = read_rel(a, fa.path[i], &la);
        char *db = read_rel(b, fb.path[i], &lb);
        same = la == lb && memcmp(da, db, la) == 0;
        if (!same && expect_same) {
            print_error("differs: %s\n", fa.path[i]);
        }
        vg_free(da);
        vg_free(db);
    }
    assert_true(fa.n > 10);
    flist_free(&fa);
    flist_free(&fb);
    assert_int_equal(same, expect_same);
}

static void test_sim__same_seed_same_bytes(void **state)
{
    (void)state;
    const char *a = world_dir("a"), *b = world_dir("b");
    struct vg_sim_report ra, rb;
    vg_tt_sim_run(a, 42, 4, 0.15, NULL, 0, &ra);
    vg_tt_sim_run(b, 42, 4, 0.15, NULL, 0, &rb);
    assert_true(ra.trips > 100);
    assert_int_equal(ra.bytes, rb.bytes);
    assert_string_equal(ra.config_digest, rb.config_digest);
    assert_same_tree(a, b, true);
}

static void test_sim__different_seed_different_world(void **state)
{
    (void)state;
    const char *a = world_dir("a"), *b = world_dir("b");
    vg_tt_sim_run(a, 1, 3, 0.1, NULL, 0, NULL);
    vg_tt_sim_run(b, 2, 3, 0.1, NULL, 0, NULL);
    assert_same_tree(a, b, false);
    /* And a non-empty directory is refused unless asked to overwrite. */
    struct vg_sim_options o;
    vg_sim_options_init(&o);
    o.out_dir = a;
    o.days = 1;
    o.scale = 0.05;
    struct vg_error err;
    assert_int_equal(vg_sim_run(&o, NULL, &err), VG_ECONFLICT);
    o.flags = VG_SIM_OVERWRITE;
    assert_status(vg_sim_run(&o, NULL, &err), VG_OK, &err);
    /* A file of someone else's stops an overwrite. */
    char other[800];
    snprintf(other, sizeof(other), "%s/notes.txt", a);
    vg_test_write_file(other, "x", 1);
    assert_int_equal(vg_sim_run(&o, NULL, &err), VG_ECONFLICT);
}

/* ---- EDIFACT: control counts, identifiers ------------------------------------------------------ */

static bool is_fault_value(json_t *truth, const char *kind, const char *value)
{
    json_t *arr = json_object_get(truth, "faults"), *f;
    size_t i;
    json_array_foreach(arr, i, f) {
        if (strcmp(json_string_value(json_object_get(f, "kind")), kind) == 0 &&
            strcmp(json_string_value(json_object_get(f, "value")), value) == 0) {
            return true;
        }
    }
    return false;
}

static size_t fault_count(json_t *truth, const char *kind)
{
    json_t *arr = json_object_get(truth, "faults"), *f;
    size_t i, n = 0;
    json_array_foreach(arr, i, f) {
        n += strcmp(json_string_value(json_object_get(f, "kind")), kind) == 0;
    }
    return n;
}

static bool is_truncated_file(json_t *truth, const char *rel)
{
    json_t *arr = json_object_get(truth, "faults"), *f;
    size_t i;
    json_array_foreach(arr, i, f) {
        if (strcmp(json_string_value(json_object_get(f, "kind")), "truncated_message") == 0 &&
            strcmp(json_string_value(json_object_get(f, "file")), rel) == 0) {
            return true;
        }
    }
    return false;
}

static void test_sim__edifact_control_counts_and_identifiers(void **state)
{
    (void)state;
    const char *dir = world_dir("w");
    struct vg_sim_report rep;
    vg_tt_sim_run(dir, 7, 5, 0.2, NULL, VG_SIM_NO_AIS, &rep);
    json_t *truth = load_truth(dir);
    struct flist fl;
    flist_sorted(dir, &fl);
    size_t messages = 0, unt_wrong = 0, truncated = 0, containers = 0, rucs = 0, imos = 0;
    size_t bad_containers = 0, bad_rucs = 0, bad_imos = 0, bad_locodes = 0, unknown = 0;
    for (size_t i = 0; i < fl.n; i++) {
        if (!ends_with(fl.path[i], ".edi")) {
            continue;
        }
        size_t len, pos = 0;
        char *data = read_rel(dir, fl.path[i], &len);
        assert_true(len > 9 && memcmp(data, "UNA:+.? '", 9) == 0);
        struct seg s;
        int in_msg = 0, nmsg = 0;
        bool unz = false;
        char ref[32] = "";
        while (next_seg(data, len, &pos, &s)) {
            if (strcmp(s.tag, "UNB") == 0) {
                assert_string_equal(E(&s, 1, 0), "UNOC");
                assert_string_equal(E(&s, 1, 1), "3");
                snprintf(ref, sizeof(ref), "%s", E(&s, 5, 0));
            } else if (strcmp(s.tag, "UNH") == 0) {
                assert_int_equal(in_msg, 0);
                in_msg = 1;
                nmsg++;
            } else if (strcmp(s.tag, "UNT") == 0) {
                in_msg++;
                if (atoi(E(&s, 1, 0)) != in_msg) {
                    unt_wrong++;
                }
                in_msg = 0;
                messages++;
            } else if (strcmp(s.tag, "UNZ") == 0) {
                assert_int_equal(atoi(E(&s, 1, 0)), nmsg);
                assert_string_equal(E(&s, 2, 0), ref);
                unz = true;
            } else if (in_msg) {
                in_msg++;
                if (strcmp(s.tag, "EQD") == 0) {
                    struct vg_container_number cn;
                    enum vg_status st = vg_container_parse(vg_slice_from_cstr(E(&s, 2, 0)), &cn, NULL);
                    containers++;
                    if (st != VG_OK) {
                        assert_true(is_fault_value(truth, "bad_container_check_digit", E(&s, 2, 0)));
                        bad_containers++;
                    }
                    struct vg_size_type stype;
                    assert_int_equal(vg_size_type_parse(vg_slice_from_cstr(E(&s, 3, 0)), &stype, NULL),
                                     VG_OK);
                } else if (strcmp(s.tag, "NAD") == 0 && strcmp(E(&s, 2, 1), "RUC") == 0) {
                    struct vg_ruc ruc;
                    rucs++;
                    if (vg_ruc_parse(vg_slice_from_cstr(E(&s, 2, 0)), &ruc, NULL) != VG_OK) {
                        assert_true(is_fault_value(truth, "bad_ruc_check_digit", E(&s, 2, 0)));
                        bad_rucs++;
                    }
                } else if (strcmp(s.tag, "TDT") == 0 && strcmp(E(&s, 8, 1), "146") == 0) {
                    uint32_t imo;
                    imos++;
                    if (vg_imo_parse(vg_slice_from_cstr(E(&s, 8, 0)), &imo, NULL) != VG_OK) {
                        assert_true(is_fault_value(truth, "bad_imo_check_digit", E(&s, 8, 0)));
                        bad_imos++;
                    }
                } else if (strcmp(s.tag, "LOC") == 0 && strcmp(E(&s, 1, 0), "147") != 0) {
                    char out[6];
                    if (vg_locode_parse(vg_slice_from_cstr(E(&s, 2, 0)), out, NULL) != VG_OK) {
                        bad_locodes++;
                    }
                    if (is_fault_value(truth, "unknown_locode", E(&s, 2, 0))) {
                        unknown++;
                    }
                } else if (strcmp(s.tag, "PIA") == 0) {
                    struct vg_hs_code hs;
                    assert_int_equal(vg_hs_parse(vg_slice_from_cstr(E(&s, 2, 0)), &hs, NULL), VG_OK);
                } else if (strcmp(s.tag, "DTM") == 0) {
                    int64_t t;
                    assert_int_equal(atoi(E(&s, 1, 2)), 203);
                    assert_int_equal(vg_time_parse_edifact(203, vg_slice_from_cstr(E(&s, 1, 1)), NULL,
                                                           &t, NULL),
                                     VG_OK);
                }
            }
        }
        if (!unz) {
            assert_true(is_truncated_file(truth, fl.path[i]));
            truncated++;
        }
        vg_free(data);
    }
    assert_int_equal(messages + truncated, rep.messages);
    assert_int_equal(unt_wrong, fault_count(truth, "wrong_unt_count"));
    assert_int_equal(truncated, fault_count(truth, "truncated_message"));
    assert_int_equal(bad_containers, fault_count(truth, "bad_container_check_digit"));
    assert_int_equal(bad_rucs, fault_count(truth, "bad_ruc_check_digit"));
    assert_int_equal(bad_imos, fault_count(truth, "bad_imo_check_digit"));
    assert_int_equal(unknown, fault_count(truth, "unknown_locode"));
    assert_int_equal(bad_locodes, 0);
    /* The configured faults were all planted. */
    assert_int_equal(fault_count(truth, "wrong_unt_count"), 2);
    assert_int_equal(fault_count(truth, "bad_container_check_digit"), 3);
    assert_true(containers > rep.trips);
    assert_true(rucs > 100 && imos > 5);
    json_decref(truth);
    flist_free(&fl);
}

/* Every UN/LOCODE the default world writes exists in the published code list. */
static void test_sim__locodes_exist_in_unlocode(void **state)
{
    (void)state;
    const char *parts[3] = { "unlocode/2015-1/2015-1_UNLOCODE_CodeListPart1.csv",
                             "unlocode/2015-1/2015-1_UNLOCODE_CodeListPart2.csv",
                             "unlocode/2015-1/2015-1_UNLOCODE_CodeListPart3.csv" };
    char *lists[3];
    size_t lens[3];
    for (int i = 0; i < 3; i++) {
        lists[i] = vg_test_read_file(vg_test_shared(parts[i]), &lens[i]);
    }
    const char *dir = world_dir("w");
    vg_tt_sim_run(dir, 11, 6, 0.2, NULL, VG_SIM_NO_AIS, NULL);
    json_t *truth = load_truth(dir);
    struct flist fl;
    flist_sorted(dir, &fl);
    int checked = 0;
    char seen[256][6];
    int nseen = 0;
    for (size_t i = 0; i < fl.n; i++) {
        if (!ends_with(fl.path[i], ".edi")) {
            continue;
        }
        size_t len, pos = 0;
        char *data = read_rel(dir, fl.path[i], &len);
        struct seg s;
        while (next_seg(data, len, &pos, &s)) {
            if (strcmp(s.tag, "LOC") != 0 || strcmp(E(&s, 1, 0), "147") == 0) {
                continue;
            }
            const char *code = E(&s, 2, 0);
            bool known = false;
            for (int k = 0; k < nseen && !known; k++) {
                known = strcmp(seen[k], code) == 0;
            }
            if (known || is_fault_value(truth, "unknown_locode", code)) {
                continue;
            }
            char needle[16];
            snprintf(needle, sizeof(needle), "\"%.2s\",\"%.3s\"", code, code + 2);
            bool found = false;
            for (int p = 0; p < 3 && !found; p++) {
                found = find_bytes(lists[p], lens[p], needle, strlen(needle)) != NULL;
            }
            if (!found) {
                fail_msg("%s (in %s) is not in UN/LOCODE 2015-1", code, fl.path[i]);
            }
            if (nseen < 256) {
                memcpy(seen[nseen++], code, 6);
            }
            checked++;
        }
        vg_free(data);
    }
    assert_true(checked > 15);
    for (int i = 0; i < 3; i++) {
        vg_free(lists[i]);
    }
    json_decref(truth);
    flist_free(&fl);
}

/* ---- NMEA ---------------------------------------------------------------------------------- */

static void test_sim__nmea_checksums_and_identities(void **state)
{
    (void)state;
    const char *dir = world_dir("w");
    struct vg_sim_report rep;
    vg_tt_sim_run(dir, 5, 3, 0.2, NULL, 0, &rep);
    json_t *truth = load_truth(dir);
    size_t n, bad;
    struct fix *fx = read_fixes(dir, &n, &bad);
    assert_true(n > 1000);
    assert_int_equal(bad, fault_count(truth, "bad_nmea_checksum"));
    assert_int_equal(bad, 3);
    for (size_t i = 0; i < n; i++) {
        struct vg_mmsi m;
        assert_int_equal(vg_mmsi_classify(fx[i].mmsi, &m, NULL), VG_OK);
        assert_int_equal(m.kind, VG_MMSI_SHIP);
        assert_true(fabs(fx[i].lat) <= 90 && fabs(fx[i].lon) <= 180 && fx[i].sog < 60);
        /* The world is Peru's coast and the Amazon. */
        assert_true(fx[i].lat > -20 && fx[i].lat < 3 && fx[i].lon > -90 && fx[i].lon < -68);
        if (i > 0) {
            assert_true(fx[i].t >= fx[i - 1].t - 1 || fx[i].t < fx[i - 1].t - 20000);
        }
    }
    free(fx);
    json_decref(truth);
}

static int cmp_fix(const void *a, const void *b)
{
    const struct fix *x = a, *y = b;
    if (x->mmsi != y->mmsi) {
        return x->mmsi < y->mmsi ? -1 : 1;
    }
    return x->t < y->t ? -1 : (x->t > y->t);
}

/* Regression: a ship delayed at anchor was also reported at its next port, and two
 * tramp calls or two bunkerings shared one ship. No ship may be in two places at once. */
static void test_sim__ais_tracks_are_physically_possible(void **state)
{
    (void)state;
    const char *dir = world_dir("w");
    vg_tt_sim_run(dir, 1, 20, 0.4, NULL, 0, NULL);
    size_t n, bad;
    struct fix *fx = read_fixes(dir, &n, &bad);
    qsort(fx, n, sizeof(*fx), cmp_fix);
    size_t jumps = 0, pairs = 0;
    for (size_t i = 1; i < n; i++) {
        if (fx[i].mmsi != fx[i - 1].mmsi) {
            continue;
        }
        pairs++;
        double d = nm_between(fx[i - 1].lat, fx[i - 1].lon, fx[i].lat, fx[i].lon);
        double h = (double)(fx[i].t - fx[i - 1].t) / 3600.0;
        if (d > 3 && (h <= 0 || d / h > 30)) {
            print_error("MMSI %u jumps %.1f nm in %.0f s\n", fx[i].mmsi, d, h * 3600);
            jumps++;
        }
    }
    assert_true(pairs > 100000);
    assert_int_equal(jumps, 0);
    free(fx);
}

static void test_sim__ais_encoding_round_trip(void **state)
{
    (void)state;
    struct sim_ais_pos p = { .mmsi = 760123456, .lat = -12.0481, .lon = -77.1462, .sog = 12.3,
                             .cog = 301.5, .heading = 300, .nav = 0, .second = 41, .type = 1 };
    char out[512];
    size_t len = 0;
    assert_int_equal(vg__sim_ais_position(&p, 1714971600, 'A', false, out, &len), 1);
    assert_true(len > 30 && out[len - 1] == '\n');
    struct nmea m;
    assert_true(parse_nmea(out, len - 1, &m));
    assert_true(m.tag_ok && m.body_ok);
    assert_int_equal(m.t, 1714971600);
    assert_int_equal(strlen(m.payload), 28); /* 168 bits */
    assert_int_equal(m.fill, 0);
    assert_int_equal(bits(m.payload, 0, 6), 1);
    assert_int_equal(bits(m.payload, 8, 30), 760123456);
    assert_int_equal(bits(m.payload, 50, 10), 123);
    assert_int_equal(sbits(m.payload, 61, 28), (int64_t)llround(-77.1462 * 600000));
    assert_int_equal(sbits(m.payload, 89, 27), (int64_t)llround(-12.0481 * 600000));
    assert_int_equal(bits(m.payload, 116, 12), 3015);
    assert_int_equal(bits(m.payload, 128, 9), 300);
    assert_int_equal(bits(m.payload, 137, 6), 41);
    /* Class B position: type 18 with the carrier-sense and band flags set. */
    p.type = 18;
    assert_int_equal(vg__sim_ais_position(&p, 1714971600, 'B', false, out, &len), 1);
    assert_true(parse_nmea(out, len - 1, &m));
    assert_int_equal(bits(m.payload, 0, 6), 18);
    assert_int_equal(bits(m.payload, 46, 10), 123);
    assert_int_equal(sbits(m.payload, 57, 28), (int64_t)llround(-77.1462 * 600000));
    assert_int_equal(bits(m.payload, 124, 9), 300);
    assert_int_equal(bits(m.payload, 141, 1), 1);
    assert_int_equal(bits(m.payload, 144, 1), 1);
    assert_int_equal(bits(m.payload, 142, 2), 0);
    p.type = 1;
    /* A planted bad checksum breaks only the sentence checksum. */
    assert_int_equal(vg__sim_ais_position(&p, 1714971600, 'A', true, out, &len), 1);
    assert_true(parse_nmea(out, len - 1, &m));
    assert_true(m.tag_ok && !m.body_ok);
    /* Class B static data and class A voyage data. */
    struct sim_ais_static s = { .mmsi = 760123456, .imo = 9074729, .call_sign = "OA1234",
                                .name = "DOÑA ANITA", .destination = "PECLL", .ship_type = 70,
                                .bow = 150, .stern = 50, .port = 16, .starboard = 16,
                                .draught = 11.2, .eta_month = 5, .eta_day = 6, .eta_hour = 12 };
    assert_int_equal(vg__sim_ais_static5(&s, 1714971600, 'B', 3, out, &len), 2);
    char *second = strchr(out, '\n') + 1;
    struct nmea a, b;
    assert_true(parse_nmea(out, (size_t)(second - out - 1), &a));
    assert_true(parse_nmea(second, strlen(second) - 1, &b));
    assert_true(a.body_ok && b.body_ok && a.total == 2 && a.num == 1 && b.num == 2);
    assert_int_equal(strlen(a.payload) + strlen(b.payload), 71); /* 424 bits + 2 fill */
    assert_int_equal(b.fill, 2);
    char all[128];
    snprintf(all, sizeof(all), "%s%s", a.payload, b.payload);
    assert_int_equal(bits(all, 0, 6), 5);
    assert_int_equal(bits(all, 40, 30), 9074729);
    assert_int_equal(bits(all, 294, 8), 112); /* draught in tenths */
    /* Six-bit text: 'O' = 15, 'A' = 1, '1' = 49. */
    assert_int_equal(bits(all, 70, 6), 15);
    assert_int_equal(bits(all, 76, 6), 1);
    assert_int_equal(bits(all, 82, 6), 49);
    assert_int_equal(vg__sim_ais_static24(&s, 1714971600, 'A', out, &len), 2);
    assert_true(parse_nmea(out, (size_t)(strchr(out, '\n') - out), &a));
    assert_int_equal(bits(a.payload, 0, 6), 24);
    assert_int_equal(bits(a.payload, 38, 2), 0);
}

/* ---- EDIFACT syntax details ---------------------------------------------------------------------- */

static void test_sim__edifact_release_and_latin1(void **state)
{
    (void)state;
    struct sim_edi e;
    vg__sim_edi_init(&e);
    vg__sim_edi_seg(&e, "NAD");
    vg__sim_edi_el(&e, "CZ");
    vg__sim_edi_el(&e, "D'ANGELO+SONS: ¿QUÉ? ÑANDÚ Łódź");
    vg__sim_edi_end(&e);
    /* Latin-1 bytes; Ł has no Latin-1 base letter (becomes "?", released), ź becomes z. */
    const char want[] = "NAD+CZ+D?'ANGELO?+SONS?: \xbfQU\xc9?? \xd1" "AND\xda ??\xf3" "dz'\n";
    assert_int_equal(e.st, VG_OK);
    assert_int_equal(e.nseg, 1);
    assert_int_equal(e.buf.len, sizeof(want) - 1);
    assert_memory_equal(e.buf.data, want, sizeof(want) - 1);
    char d[13];
    struct vg_zone z;
    vg_zone_for_locode("PECLL", &z);
    vg__sim_edi_dtm203(1714971600, &z, d);
    assert_string_equal(d, "202405060000");
    vg__sim_edi_release(&e);
}

/* ---- the truth file against the data -------------------------------------------------------------- */

struct box_ev {
    char kind[8];     /* cuscar codeco coarri baplie */
    char bgm[4];
    char port[6], place[8];
    long long t;      /* DTM+7 / DTM+203, local minutes since epoch-ish (YYYYMMDDHHMM) */
    char seals[4][20];
    int nseals;
    char type[5];
    double kg;
    char hubs[2][6];
    int nhubs;
    char parties[6][200];
    int nparties;
    bool delivery; /* the bill names a place of delivery (LOC+7) */
};

struct box_index {
    char num[12];
    struct box_ev *ev;
    int n, cap;
};

static struct box_index *find_box(struct box_index **idx, size_t *n, const char *num, bool add)
{
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*idx)[i].num, num) == 0) {
            return &(*idx)[i];
        }
    }
    if (!add) {
        return NULL;
    }
    *idx = realloc(*idx, (*n + 1) * sizeof(**idx));
    assert_non_null(*idx);
    struct box_index *b = &(*idx)[(*n)++];
    memset(b, 0, sizeof(*b));
    snprintf(b->num, sizeof(b->num), "%s", num);
    return b;
}

/* Indexes the events of a set of containers across every EDIFACT file. */
static struct box_index *index_boxes(const char *dir, json_t *cases, size_t *nidx)
{
    struct box_index *idx = NULL;
    *nidx = 0;
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c) {
        json_t *num = json_object_get(c, "container");
        if (num != NULL) {
            find_box(&idx, nidx, json_string_value(num), true);
        }
    }
    struct flist fl;
    flist_sorted(dir, &fl);
    for (size_t f = 0; f < fl.n; f++) {
        if (!ends_with(fl.path[f], ".edi")) {
            continue;
        }
        char kind[8];
        snprintf(kind, sizeof(kind), "%.6s", fl.path[f] + 6);
        size_t len, pos = 0;
        char *data = read_rel(dir, fl.path[f], &len);
        struct seg s;
        struct box_ev cur;
        memset(&cur, 0, sizeof(cur));
        struct box_index *box = NULL;
        struct box_ev *last = NULL;
        char hubs[2][6];
        int nhubs = 0;
        char parties[6][200];
        int nparties = 0;
        bool delivery = false;
        char port[6] = "", place[8] = "", bgm[4] = "";
        while (next_seg(data, len, &pos, &s)) {
            if (strcmp(s.tag, "UNH") == 0) {
                nhubs = 0;
                nparties = 0;
                delivery = false;
                port[0] = place[0] = bgm[0] = '\0';
                box = NULL;
                last = NULL;
            } else if (strcmp(s.tag, "BGM") == 0) {
                snprintf(bgm, sizeof(bgm), "%s", E(&s, 1, 0));
            } else if (strcmp(s.tag, "LOC") == 0) {
                const char *q = E(&s, 1, 0);
                if (strcmp(q, "165") == 0 || (strcmp(q, "9") == 0 && port[0] == '\0')) {
                    snprintf(port, sizeof(port), "%s", E(&s, 2, 0));
                    snprintf(place, sizeof(place), "%s", E(&s, 3, 0));
                } else if (strcmp(q, "13") == 0 && nhubs < 2) {
                    snprintf(hubs[nhubs++], 6, "%s", E(&s, 2, 0));
                } else if (strcmp(q, "7") == 0) {
                    delivery = true;
                }
            } else if (strcmp(s.tag, "NAD") == 0 && nparties < 6) {
                snprintf(parties[nparties++], 200, "%s%s", E(&s, 4, 0), E(&s, 4, 1));
            } else if (strcmp(s.tag, "EQD") == 0) {
                box = find_box(&idx, nidx, E(&s, 2, 0), false);
                last = NULL;
                if (box != NULL) {
                    if (box->n == box->cap) {
                        box->cap = box->cap ? box->cap * 2 : 8;
                        box->ev = realloc(box->ev, (size_t)box->cap * sizeof(*box->ev));
                        assert_non_null(box->ev);
                    }
                    last = &box->ev[box->n++];
                    memset(last, 0, sizeof(*last));
                    snprintf(last->kind, sizeof(last->kind), "%s", kind);
                    snprintf(last->bgm, sizeof(last->bgm), "%s", bgm);
                    snprintf(last->port, sizeof(last->port), "%s", port);
                    snprintf(last->place, sizeof(last->place), "%s", place);
                    snprintf(last->type, sizeof(last->type), "%.4s", E(&s, 3, 0));
                    memcpy(last->hubs, hubs, sizeof(hubs));
                    last->nhubs = nhubs;
                    memcpy(last->parties, parties, sizeof(parties));
                    last->nparties = nparties;
                    last->delivery = delivery;
                }
            } else if (last != NULL && strcmp(s.tag, "SEL") == 0 && last->nseals < 4) {
                snprintf(last->seals[last->nseals++], 20, "%s", E(&s, 1, 0));
            } else if (last != NULL && strcmp(s.tag, "MEA") == 0) {
                last->kg = atof(strchr(E(&s, 3, 0), ':') ? strchr(E(&s, 3, 0), ':') + 1
                                                          : E(&s, 3, 1));
                if (last->kg == 0) {
                    last->kg = atof(E(&s, 3, 1));
                }
            } else if (last != NULL && strcmp(s.tag, "DTM") == 0 &&
                       (strcmp(E(&s, 1, 0), "7") == 0 || strcmp(E(&s, 1, 0), "203") == 0)) {
                last->t = atoll(E(&s, 1, 1));
            }
        }
        vg_free(data);
    }
    flist_free(&fl);
    return idx;
}

/* True when the case shows the indicator, as one of its pattern's or incidentally. */
static bool has_indicator(json_t *c, const char *name)
{
    static const char *const lists[2] = { "indicators", "other_indicators" };
    for (int l = 0; l < 2; l++) {
        json_t *arr = json_object_get(c, lists[l]), *v;
        size_t i;
        json_array_foreach(arr, i, v) {
            if (strcmp(json_string_value(v), name) == 0) {
                return true;
            }
        }
    }
    return false;
}

static bool seal_sets_differ(const struct box_index *b, const char *port)
{
    const char *first = NULL;
    char firstset[128] = "";
    for (int i = 0; i < b->n; i++) {
        const struct box_ev *e = &b->ev[i];
        if (e->nseals == 0 || strcmp(e->kind, "baplie") == 0 ||
            (port && e->port[0] && strcmp(e->port, port) != 0)) {
            continue;
        }
        char set[128] = "";
        /* order-insensitive: sort the (up to 4) seals */
        char tmp[4][20];
        memcpy(tmp, e->seals, sizeof(tmp));
        for (int x = 0; x < e->nseals; x++) {
            for (int y = x + 1; y < e->nseals; y++) {
                if (strcmp(tmp[x], tmp[y]) > 0) {
                    char t2[20];
                    memcpy(t2, tmp[x], 20);
                    memcpy(tmp[x], tmp[y], 20);
                    memcpy(tmp[y], t2, 20);
                }
            }
            strcat(set, tmp[x]);
            strcat(set, ";");
        }
        if (first == NULL) {
            first = "x";
            memcpy(firstset, set, sizeof(set));
        } else if (strcmp(set, firstset) != 0) {
            return true;
        }
    }
    return false;
}

static void test_sim__truth_matches_feeds(void **state)
{
    (void)state;
    const char *dir = world_dir("w");
    struct vg_sim_report rep;
    vg_tt_sim_run(dir, 3, 8, 0.3, dense_config(), 0, &rep);
    json_t *truth = load_truth(dir);
    json_t *cases = json_object_get(truth, "cases");
    assert_true(json_array_size(cases) >= 20);
    size_t nidx;
    struct box_index *idx = index_boxes(dir, cases, &nidx);
    size_t wl_len;
    char *wl = read_rel(dir, "watchlist.csv", &wl_len);
    int patterns_seen[SIM_PATTERNS] = { 0 };
    int checked[2] = { 0 };
    size_t fixes_n = 0, bad;
    struct fix *fx = read_fixes(dir, &fixes_n, &bad);
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c) {
        const char *pattern = json_string_value(json_object_get(c, "pattern"));
        const char *unit = json_string_value(json_object_get(c, "unit"));
        json_t *inds = json_object_get(c, "indicators");
        assert_true(json_array_size(inds) >= 1); /* every case shows something */
        for (int p = 1; p < SIM_PATTERNS; p++) {
            patterns_seen[p] += strcmp(pattern, vg__sim_pattern_names[p]) == 0;
        }
        if (strcmp(unit, "trip") == 0) {
            const char *num = json_string_value(json_object_get(c, "container"));
            const char *port = json_string_value(json_object_get(c, "port"));
            struct box_index *b = find_box(&idx, &nidx, num, false);
            assert_non_null(b);
            int cuscar = 0, gate_in = 0, gate_out_full = 0, places = 0;
            char place_seen[8][16];
            bool has_hub = false, has_delivery = false;
            for (int k = 0; k < b->n; k++) {
                const struct box_ev *e = &b->ev[k];
                cuscar += strcmp(e->kind, "cuscar") == 0;
                if (strcmp(e->kind, "codeco") == 0) {
                    bool here = strcmp(e->port, port) == 0;
                    if (here && strcmp(e->bgm, "34") == 0 && e->kg > 5000) {
                        gate_in++;
                    }
                    if (here && strcmp(e->bgm, "36") == 0 && e->kg > 5000) {
                        gate_out_full++;
                    }
                    char key[16];
                    snprintf(key, sizeof(key), "%s/%s", e->port, e->place);
                    bool known = false;
                    for (int q = 0; q < places && !known; q++) {
                        known = strcmp(place_seen[q], key) == 0;
                    }
                    if (!known && places < 8 && strstr(e->place, "DEP") == NULL) {
                        snprintf(place_seen[places++], 16, "%s", key);
                    }
                }
                has_hub |= strcmp(e->kind, "cuscar") == 0 && e->nhubs > 0;
                has_delivery |= strcmp(e->kind, "cuscar") == 0 && e->delivery;
            }
            assert_true(cuscar >= 1);
            /* (a planted truncation may cut a case's gate-in: the only fault allowed on it) */
            bool cut = false;
            json_t *fl, *fv;
            size_t fi;
            fl = json_object_get(truth, "faults");
            json_array_foreach(fl, fi, fv) {
                cut |= strstr(json_string_value(json_object_get(fv, "value")), num) != NULL;
            }
            bool missing = json_is_true(json_object_get(c, "in_missing_feed"));
            assert_true(gate_in >= 1 || cut || missing);
            if (missing) {
                continue; /* a missing feed hides what the gate saw: nothing more to check */
            }
            if (has_indicator(c, "gate_out_reentry")) {
                assert_true(gate_in >= 2 && gate_out_full >= 1);
            }
            if (strcmp(pattern, "cloned_container") != 0) {
                /* Seals: a change in the data exactly when truth says so. */
                assert_int_equal(seal_sets_differ(b, port), has_indicator(c, "seal_changed"));
                if (!has_indicator(c, "gate_out_reentry") &&
                    !json_is_true(json_object_get(c, "seized"))) {
                    assert_int_equal(gate_out_full, 0);
                }
            }
            if (has_indicator(c, "duplicate_number")) {
                assert_true(places >= 2); /* seen at two terminals or ports */
            }
            if (has_indicator(c, "unusual_route") || has_indicator(c, "multiple_transhipments")) {
                assert_true(has_hub);
            }
            if (has_indicator(c, "delivery_redirect")) {
                assert_true(has_delivery);
            }
            if (has_indicator(c, "watchlisted_party")) {
                const char *listed = json_string_value(json_object_get(c, "listed_as"));
                assert_non_null(listed);
                assert_non_null(find_bytes(wl, wl_len, listed, strlen(listed)));
            }
            checked[0]++;
        } else {
            /* A vessel case: check the AIS against the event. */
            const char *mmsi_s = json_string_value(json_object_get(json_object_get(c, "vessel"), "mmsi"));
            uint32_t mmsi = (uint32_t)strtoul(mmsi_s, NULL, 10);
            json_t *ev = json_object_get(c, "event");
            int64_t t0, t1;
            assert_int_equal(vg_time_parse_iso8601(vg_slice_from_cstr(json_string_value(json_object_get(ev, "start"))), NULL, &t0, NULL), VG_OK);
            assert_int_equal(vg_time_parse_iso8601(vg_slice_from_cstr(json_string_value(json_object_get(ev, "end"))), NULL, &t1, NULL), VG_OK);
            int slow = 0, in_window = 0, before = 0, after = 0;
            for (size_t k = 0; k < fixes_n; k++) {
                if (fx[k].mmsi != mmsi) {
                    continue;
                }
                if (fx[k].t >= t0 && fx[k].t <= t1) {
                    in_window++;
                    slow += fx[k].sog < 2.0;
                } else if (fx[k].t < t0 && fx[k].t > t0 - 6 * 3600) {
                    before++;
                } else if (fx[k].t > t1 && fx[k].t < t1 + 12 * 3600) {
                    after++;
                }
            }
            assert_true(before > 0 && after > 0);
            if (has_indicator(c, "loitering")) {
                assert_true(slow >= 3);
            }
            if (has_indicator(c, "ais_gap")) {
                json_t *gap = json_object_get(ev, "ais_gap");
                int64_t g0, g1;
                assert_int_equal(vg_time_parse_iso8601(vg_slice_from_cstr(json_string_value(json_object_get(gap, "start"))), NULL, &g0, NULL), VG_OK);
                assert_int_equal(vg_time_parse_iso8601(vg_slice_from_cstr(json_string_value(json_object_get(gap, "end"))), NULL, &g1, NULL), VG_OK);
                assert_true(g1 - g0 >= 3600);
                for (size_t k = 0; k < fixes_n; k++) {
                    assert_false(fx[k].mmsi == mmsi && fx[k].t >= g0 && fx[k].t < g1);
                }
            } else {
                assert_true(in_window > 0);
            }
            if (has_indicator(c, "encounter")) {
                json_t *craft = json_object_get(ev, "small_craft");
                uint32_t cm = (uint32_t)strtoul(json_string_value(json_object_get(craft, "mmsi")), NULL, 10);
                int close = 0;
                for (size_t k = 0; k < fixes_n; k++) {
                    if (fx[k].mmsi != cm || fx[k].t < t0 || fx[k].t > t1) {
                        continue;
                    }
                    for (size_t q = 0; q < fixes_n; q++) {
                        if (fx[q].mmsi == mmsi && llabs(fx[q].t - fx[k].t) < 400 &&
                            nm_between(fx[q].lat, fx[q].lon, fx[k].lat, fx[k].lon) < 0.27) {
                            close++;
                            break;
                        }
                    }
                }
                assert_true(close >= 3);
            }
            checked[1]++;
        }
    }
    for (int p = 1; p < SIM_PATTERNS; p++) {
        if (patterns_seen[p] == 0) {
            fail_msg("no case of pattern %s in the dense world", vg__sim_pattern_names[p]);
        }
    }
    assert_true(checked[0] > 20 && checked[1] >= 1);
    for (size_t k = 0; k < nidx; k++) {
        free(idx[k].ev);
    }
    free(idx);
    free(fx);
    vg_free(wl);
    json_decref(truth);
}

/* Every indicator a pattern uses also shows on innocent trips (no give-aways). */
static void test_sim__indicators_occur_in_innocent_trips(void **state)
{
    (void)state;
    const char *dir = world_dir("w");
    vg_tt_sim_run(dir, 9, 14, 0.5, NULL, VG_SIM_NO_AIS, NULL);
    json_t *truth = load_truth(dir);
    json_t *counts = json_object_get(truth, "counts");
    json_t *inn = json_object_get(counts, "innocent_trips_showing");
    double full = (double)json_integer_value(json_object_get(counts, "innocent_full_trips"));
    assert_true(full > 3000);
    const char *k;
    json_t *v;
    json_object_foreach(inn, k, v) {
        if (json_integer_value(v) == 0) {
            fail_msg("no innocent trip shows %s", k);
        }
        /* ...and none is so common that it means nothing, save the inherent ones. */
        if (strcmp(k, "freight_prepaid") != 0 && strcmp(k, "house_bl") != 0 &&
            strcmp(k, "odd_hour_move") != 0) {
            assert_true(json_integer_value(v) / full < 0.12);
        }
    }
    json_t *conf = json_object_get(counts, "confounders_by_kind");
    json_object_foreach(conf, k, v) {
        if (strcmp(k, "innocent_encounter") == 0 || strcmp(k, "slow_night_offshore") == 0 ||
            strcmp(k, "ais_gap_legit") == 0) {
            continue; /* rare per call: checked in the dense world */
        }
        if (json_integer_value(v) == 0) {
            fail_msg("no confounder %s in a two-week world", k);
        }
    }
    json_decref(truth);
}

/* ---- rates and the split -------------------------------------------------------------------------- */

struct outcome_row {
    char container[12], bl[24], at[24], result[12], selection[12], found_at[16];
};

static void test_sim__rates_and_history_split(void **state)
{
    (void)state;
    const char *dir = world_dir("w");
    struct vg_sim_report rep;
    vg_tt_sim_run(dir, 21, 20, 0.5, NULL, VG_SIM_NO_AIS, &rep);
    json_t *truth = load_truth(dir);
    json_t *counts = json_object_get(truth, "counts");
    double full = (double)rep.full_trips;
    double per_1000 = 1000.0 * (double)rep.case_trips / full;
    assert_true(full > 8000);
    assert_true(per_1000 > 1.5 && per_1000 < 7.0);
    /* Inspections: a few percent of full trips, a random part of ~8%. */
    double insp = (double)json_integer_value(json_object_get(counts, "inspections"));
    assert_true(insp / full > 0.02 && insp / full < 0.045);
    int64_t split, end;
    assert_int_equal(vg_time_parse_iso8601(vg_slice_from_cstr(json_string_value(json_object_get(json_object_get(truth, "history"), "to"))), NULL, &split, NULL), VG_OK);
    assert_int_equal(vg_time_parse_iso8601(vg_slice_from_cstr(json_string_value(json_object_get(truth, "end"))), NULL, &end, NULL), VG_OK);
    /* Departures of every bill (CUSCAR DTM+133), to place each outcome in its window. */
    struct flist fl;
    flist_sorted(dir, &fl);
    json_t *bl_dep = json_object();
    for (size_t i = 0; i < fl.n; i++) {
        if (strncmp(fl.path[i], "feeds/cuscar/", 13) != 0) {
            continue;
        }
        size_t len, pos = 0;
        char *data = read_rel(dir, fl.path[i], &len);
        struct seg s;
        char dep[16] = "";
        while (next_seg(data, len, &pos, &s)) {
            if (strcmp(s.tag, "DTM") == 0 && strcmp(E(&s, 1, 0), "133") == 0) {
                snprintf(dep, sizeof(dep), "%s", E(&s, 1, 1));
            } else if (strcmp(s.tag, "CNI") == 0) {
                int64_t t;
                struct vg_zone z;
                vg_zone_for_locode("PE", &z);
                assert_int_equal(vg_time_parse_edifact(203, vg_slice_from_cstr(dep), &z, &t, NULL), VG_OK);
                json_object_set_new(bl_dep, E(&s, 2, 0), json_integer(t));
            }
        }
        vg_free(data);
    }
    size_t len;
    char *csv = read_rel(dir, "outcomes.csv", &len);
    assert_int_equal(strncmp(csv, "container,bill_of_lading,port,inspected_at,result,substance,kg,"
                                  "concealment,method,detection,seal_state,found_at,destination_port,"
                                  "selection\r\n", 124), 0);
    int rows = 0, random = 0, origin = 0, drugs = 0, abroad = 0;
    char *line = strstr(csv, "\r\n") + 2;
    while (line < csv + len) {
        char *eol = strstr(line, "\r\n");
        assert_non_null(eol);
        *eol = '\0';
        char *f[16] = { 0 };
        int nf = 0;
        for (char *p = line; nf < 16;) {
            f[nf++] = p;
            char *comma = strchr(p, ',');
            if (comma == NULL) {
                break;
            }
            *comma = '\0';
            p = comma + 1;
        }
        assert_int_equal(nf, 14);
        struct vg_container_number cn;
        assert_int_equal(vg_container_parse(vg_slice_from_cstr(f[0]), &cn, NULL), VG_OK);
        json_t *dep = json_object_get(bl_dep, f[1]);
        assert_non_null(dep);
        /* Outcomes only for history trips, known before the world ends. */
        assert_true(json_integer_value(dep) < split);
        int64_t at;
        assert_int_equal(vg_time_parse_iso8601(vg_slice_from_cstr(f[3]), NULL, &at, NULL), VG_OK);
        assert_true(at < end);
        assert_true(strcmp(f[4], "negative") == 0 || strcmp(f[4], "drugs") == 0 ||
                    strcmp(f[4], "other") == 0);
        assert_true(strcmp(f[11], "origin") == 0 || strcmp(f[11], "transit") == 0 ||
                    strcmp(f[11], "destination") == 0);
        random += strcmp(f[13], "random") == 0;
        origin += strcmp(f[11], "origin") == 0;
        abroad += strcmp(f[11], "origin") != 0;
        drugs += strcmp(f[4], "drugs") == 0;
        if (strcmp(f[4], "drugs") == 0) {
            assert_true(atoi(f[6]) > 0 && f[7][0] != '\0');
        } else {
            assert_string_equal(f[6], "");
        }
        rows++;
        line = eol + 2;
    }
    assert_true(rows > 100);
    double rshare = (double)random / origin;
    assert_true(rshare > 0.03 && rshare < 0.16);
    /* Every seizure row is a case truth knows as found in the history, and the reverse. */
    int known = 0;
    json_t *c;
    size_t i;
    json_array_foreach(json_object_get(truth, "cases"), i, c) {
        const char *win = json_string_value(json_object_get(c, "window"));
        json_t *num = json_object_get(c, "container");
        json_t *found = json_object_get(c, "found");
        if (strcmp(win, "evaluation") == 0) {
            /* Cases of the evaluation window have no outcome rows. */
            if (num != NULL) {
                assert_null(strstr(csv, json_string_value(num)));
            }
            continue;
        }
        if (found != NULL) {
            int64_t at;
            assert_int_equal(vg_time_parse_iso8601(vg_slice_from_cstr(json_string_value(found)), NULL, &at, NULL), VG_OK);
            known += at < end;
        }
    }
    assert_int_equal(drugs, known);
    (void)abroad;
    vg_free(csv);
    json_decref(bl_dep);
    json_decref(truth);
    flist_free(&fl);
}

/* ---- configuration ---------------------------------------------------------------------------- */

static void expect_config_error(const char *text, const char *fragment)
{
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_sim_config_check(text, strlen(text), "test.json", &err);
    assert_int_equal(st, VG_EPARSE);
    if (strstr(err.message, fragment) == NULL) {
        fail_msg("error '%s' lacks '%s'", err.message, fragment);
    }
}

static void test_sim__config_errors_name_the_key(void **state)
{
    (void)state;
    size_t len;
    const char *def = vg_sim_default_config(&len);
    assert_true(len > 10000 && def[len] == '\0');
    struct vg_error err;
    assert_status(vg_sim_config_check(def, len, "peru.json", &err), VG_OK, &err);
    /* Syntax: the JSON position. */
    vg_error_clear(&err);
    assert_int_equal(vg_sim_config_check("{\"name\": }", 10, "x.json", &err), VG_EPARSE);
    assert_int_equal(err.line, 1);
    assert_true(err.column >= 9);
    expect_config_error("{\"extends\": \"peru\", \"patterns\": {\"rip_on\": {\"rate_per_100\": 1}}}",
                        "patterns.rip_on.rate_per_100: unknown key");
    expect_config_error("{\"extends\": \"peru\", \"patterns\": {\"rip_on\": {\"rate_per_1000\": -1}}}",
                        "patterns.rip_on.rate_per_1000: -1 is out of range");
    expect_config_error("{\"extends\": \"peru\", \"flags\": {\"PA\": {\"mids\": [760]}}}",
                        "flags.PA.mids: element 0 is not a MID allocated to PA");
    expect_config_error("{\"extends\": \"peru\", \"commodities\": {\"avocado\": {\"hs\": \"08044\"}}}",
                        "commodities.avocado.hs");
    expect_config_error("{\"extends\": \"peru\", \"commodities\": {\"avocado\": {\"equipment\": {\"45X9\": 1}}}}",
                        "unknown size-type '45X9'");
    expect_config_error("{\"extends\": \"peru\", \"services\": {\"EUA\": {\"carriers\": {\"NOPE\": 1}}}}",
                        "services.EUA.carriers: unknown carrier 'NOPE'");
    expect_config_error("{\"extends\": \"peru\", \"patterns\": {\"smuggling\": {}}}",
                        "patterns.smuggling: unknown pattern");
    expect_config_error("{\"extends\": \"elsewhere\"}", "only the built-in");
    expect_config_error("{\"extends\": \"peru\", \"carriers\": {\"MSCU\": {\"prefixes\": [\"MSC1\"]}}}",
                        "'MSC1' is not an ISO 6346 owner code");
}

static enum vg_status config_oom_op(void *ctx)
{
    (void)ctx;
    static const char text[] = "{\"extends\": \"peru\", \"patterns\": {\"rip_on\": {\"rate_per_1000\": 3}}}";
    return vg_sim_config_check(text, sizeof(text) - 1, "oom.json", NULL);
}

static void test_sim__config_survives_allocation_failures(void **state)
{
    (void)state;
    int runs = vg_test_oom_loop(config_oom_op, NULL, NULL, 2000);
    assert_true(runs > 1);
}

static void test_sim__variant_config_makes_another_world(void **state)
{
    (void)state;
    const char *variant = vg_test_source("sim/variant-north.json");
    size_t len;
    char *text = vg_test_read_file(variant, &len);
    struct vg_error err;
    assert_status(vg_sim_config_check(text, len, variant, &err), VG_OK, &err);
    vg_free(text);
    const char *a = world_dir("peru"), *b = world_dir("north");
    struct vg_sim_report ra, rb;
    vg_tt_sim_run(a, 4, 3, 0.2, NULL, VG_SIM_NO_AIS, &ra);
    vg_tt_sim_run(b, 4, 3, 0.2, variant, VG_SIM_NO_AIS, &rb);
    assert_string_not_equal(ra.config_digest, rb.config_digest);
    assert_string_equal(rb.config_name, "north");
    assert_true(rb.trips > 100);
}

/* Regression: a consignee created while a consignment was being made moved the party
 * table under a pointer still in use (found at --scale 700). Many new consignees force
 * the table to grow inside that code; ASan catches a stale pointer. */
static void test_sim__party_table_growth_is_safe(void **state)
{
    (void)state;
    static const char text[] = "{\"extends\": \"peru\", \"confounders\": {\"new_consignee\": "
                               "{\"rate\": 0.95}}}";
    const char *cfg = world_dir("growth.json");
    vg_test_write_file(cfg, text, sizeof(text) - 1);
    const char *a = world_dir("a"), *b = world_dir("b");
    struct vg_sim_report ra, rb;
    vg_tt_sim_run(a, 8, 6, 0.4, cfg, VG_SIM_NO_AIS, &ra);
    vg_tt_sim_run(b, 8, 6, 0.4, cfg, VG_SIM_NO_AIS, &rb);
    json_t *truth = load_truth(a);
    json_t *counts = json_object_get(truth, "counts");
    assert_true(json_integer_value(json_object_get(json_object_get(counts, "confounders_by_kind"),
                                                   "new_consignee")) > 1000);
    json_decref(truth);
    assert_same_tree(a, b, true);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_sim__same_seed_same_bytes),
    cmocka_unit_test(test_sim__different_seed_different_world),
    cmocka_unit_test(test_sim__edifact_control_counts_and_identifiers),
    cmocka_unit_test(test_sim__locodes_exist_in_unlocode),
    cmocka_unit_test(test_sim__nmea_checksums_and_identities),
    cmocka_unit_test(test_sim__ais_tracks_are_physically_possible),
    cmocka_unit_test(test_sim__ais_encoding_round_trip),
    cmocka_unit_test(test_sim__edifact_release_and_latin1),
    cmocka_unit_test(test_sim__truth_matches_feeds),
    cmocka_unit_test(test_sim__indicators_occur_in_innocent_trips),
    cmocka_unit_test(test_sim__rates_and_history_split),
    cmocka_unit_test(test_sim__config_errors_name_the_key),
    cmocka_unit_test(test_sim__config_survives_allocation_failures),
    cmocka_unit_test(test_sim__variant_config_makes_another_world),
    cmocka_unit_test(test_sim__party_table_growth_is_safe),
};

VG_TEST_MAIN(tests)
