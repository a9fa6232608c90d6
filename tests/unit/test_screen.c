/*
 * Screening: name normalisation, similarity, the watch-list parsers (vigia CSV, OFAC SDN),
 * matching real SDN names under spelling variants and decoys, identifiers, the country
 * qualifier, store imports (counts, idempotence, versions, rejects) and dismissals.
 * ctest-labels: unit golden
 */
#include "screen/screen_int.h"
#include "vg_test.h"

#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/audit.h>
#include <vigia/file.h>
#include <vigia/quality.h>
#include <vigia/screen.h>
#include <vigia/store.h>

/* ---- helpers -------------------------------------------------------------------------- */

static void norm(const char *text, enum vg_name_kind hint, struct vg_name *n)
{
    vg_name_normalize(text, strlen(text), hint, n);
}

static const char *key_of(const char *text)
{
    static char key[VG_NAME_KEY_SIZE];
    vg_name_key(text, strlen(text), VG_NAME_UNKNOWN, key, sizeof(key));
    return key;
}

/* Counts rows handed to a sink. */
struct counter {
    int rows;
    char first[8][256]; /* first row's values */
    size_t ncols;
};

static void count_columns(void *user, size_t n, const char *const *names)
{
    (void)names;
    ((struct counter *)user)->ncols = n;
}

static int count_row(void *user, size_t n, const char *const *values)
{
    struct counter *c = user;
    if (c->rows == 0) {
        for (size_t i = 0; i < n && i < 8; i++) {
            snprintf(c->first[i], sizeof(c->first[i]), "%s", values[i] != NULL ? values[i] : "");
        }
    }
    c->rows++;
    return 0;
}

static int count_audit(struct vg_store *store)
{
    struct counter c = { 0 };
    struct vg_row_sink sink = { .columns = count_columns, .row = count_row, .user = &c };
    assert_int_equal(vg_audit_list(store, 0, &sink, NULL), VG_OK);
    return c.rows;
}

static struct vg_store *open_store(const char *name, const char *actor)
{
    struct vg_store_options opts = { .actor = actor, .create = true };
    struct vg_store *store = NULL;
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_store_open(vg_test_tmpfile(name), &opts, &store, &err);
    assert_status(st, VG_OK, &err);
    return store;
}

/* An index over the real OFAC files in ../shared/data (skips when they are missing). */
struct ofac_files {
    struct vg_file f[3];
    struct vg_watch_file w[3];
    char path[3][1024];
};

static void ofac_open(struct ofac_files *o)
{
    static const char *const names[3] = { "sanctions/ofac/sdn.csv", "sanctions/ofac/alt.csv",
                                          "sanctions/ofac/add.csv" };
    for (int i = 0; i < 3; i++) {
        snprintf(o->path[i], sizeof(o->path[i]), "%s", vg_test_shared(names[i]));
        struct vg_error err;
        vg_error_clear(&err);
        assert_status(vg_file_open(o->path[i], &o->f[i], &err), VG_OK, &err);
        o->w[i] = (struct vg_watch_file){ o->f[i].data, o->f[i].len, o->path[i] };
    }
}

static void ofac_close(struct ofac_files *o)
{
    for (int i = 0; i < 3; i++) {
        vg_file_close(&o->f[i]);
    }
}

static enum vg_status index_entry(void *user, const struct vg_watch_entry *e)
{
    return vg_screen_index_add(user, "OFAC SDN", 0, e);
}

static enum vg_status
fail_reject(void *user, const struct vg_error *reason, const char *excerpt, size_t len)
{
    (void)user;
    (void)excerpt;
    (void)len;
    char buf[600];
    fail_msg("unexpected reject: %s", vg_error_format(reason, buf, sizeof(buf)));
    return VG_OK;
}

static struct vg_screen_index *ofac_index(void)
{
    struct ofac_files o;
    ofac_open(&o);
    struct vg_screen_index *idx = NULL;
    assert_int_equal(vg_screen_index_new(&idx), VG_OK);
    struct vg_watch_sink sink = { index_entry, fail_reject, NULL, idx };
    struct vg_error err;
    vg_error_clear(&err);
    assert_status(vg_watchlist_parse_ofac(&o.w[0], &o.w[1], &o.w[2], &sink, NULL, &err), VG_OK,
                  &err);
    assert_int_equal(vg_screen_index_finish(idx), VG_OK);
    ofac_close(&o);
    return idx;
}

/* The hit on external id ext among the hits of a query, or NULL. */
static const struct vg_screen_hit *screen_for(struct vg_screener *s,
                                              const char *name,
                                              enum vg_watch_type type,
                                              const char *country,
                                              const char *id,
                                              const char *ext,
                                              size_t *nhits)
{
    struct vg_screen_query q = { .name = name, .type = type, .country = country, .identifier = id };
    const struct vg_screen_hit *hits;
    size_t n;
    struct vg_error err;
    vg_error_clear(&err);
    assert_status(vg_screen(s, &q, NULL, &hits, &n, &err), VG_OK, &err);
    if (nhits != NULL) {
        *nhits = n;
    }
    for (size_t i = 0; i < n; i++) {
        assert_true(hits[i].score >= VG_SCREEN_THRESHOLD && hits[i].score <= 1.0);
        assert_non_null(hits[i].explanation);
        if (i > 0) {
            assert_true(hits[i - 1].score >= hits[i].score);
        }
    }
    for (size_t i = 0; i < n; i++) {
        if (strcmp(hits[i].external_id, ext) == 0) {
            return &hits[i];
        }
    }
    return NULL;
}

/* ---- names ---------------------------------------------------------------------------- */

static void test_screen__tables_are_sorted(void **state)
{
    (void)state;
    assert_true(vg__legal_tables_sorted());
    assert_true(vg__country_tables_sorted());
}

static void test_screen__normalizes_case_accents_and_punctuation(void **state)
{
    (void)state;
    assert_string_equal(key_of("Gilberto José Rodríguez Orejuela"),
                        "GILBERTO JOSE RODRIGUEZ OREJUELA");
    /* Full-width letters (NFKC), Ñ, Æ and ø (no decomposition), ß (case folding). */
    assert_string_equal(
        key_of("\xEF\xBC\xAA\xEF\xBD\x8F\xEF\xBD\x93\xC3\xA9 \xC3\x91\xC3\xBA\xC3\xB1"
               "ez \xC3\x86r\xC3\xB8 Stra\xC3\x9F"
               "e"),
        "JOSE NUNEZ AERO STRASSE");
    assert_string_equal(key_of("O'Brien-Smith  &  sons"), "OBRIEN SMITH SONS");
    assert_string_equal(key_of("J.P. Morgan"), "JP MORGAN");
    /* Invalid UTF-8 separates tokens instead of failing. */
    assert_string_equal(key_of("AB\xFF"
                               "CD"),
                        "AB CD");
    assert_string_equal(key_of(""), "");
    assert_string_equal(key_of("  ..,, "), "");
    struct vg_name n;
    norm("Владимир Путин", VG_NAME_UNKNOWN, &n);
    assert_int_equal(n.ntokens, 2);
    assert_false(n.tokens[0].flags & VG_TOKEN_ASCII);
    assert_string_equal(n.key, "владимир путин");
}

static void test_screen__sets_legal_forms_apart(void **state)
{
    (void)state;
    struct vg_name n;
    norm("AGRO NORTE INVERSIONES S.A.C.", VG_NAME_UNKNOWN, &n);
    assert_string_equal(n.key, "AGRO NORTE INVERSIONES");
    assert_string_equal(n.legal_forms, "SAC");
    assert_int_equal(n.noptional, 1);
    assert_true(n.optional[0].flags & VG_TOKEN_LEGAL);
    assert_false(n.person);
    norm("TRANSPORTES Y SERVICIOS S. A. C.", VG_NAME_UNKNOWN, &n);
    assert_string_equal(n.key, "TRANSPORTES SERVICIOS");
    norm("COMERCIAL DEL PERU S.A. DE C.V.", VG_NAME_UNKNOWN, &n);
    assert_string_equal(n.key, "COMERCIAL PERU");
    assert_string_equal(n.legal_forms, "SA DE CV");
    norm("Müller GmbH & Co. KG", VG_NAME_UNKNOWN, &n);
    assert_string_equal(n.key, "MULLER");
    assert_string_equal(n.legal_forms, "GMBH CO KG");
    norm("OOO Romashka", VG_NAME_UNKNOWN, &n);
    assert_string_equal(n.key, "ROMASHKA");
    assert_string_equal(key_of("Peru Total Market E.I.R.L."), "PERU TOTAL MARKET");
    assert_string_equal(key_of("Anglo-Caribbean Co., Ltd."), "ANGLO CARIBBEAN");
    assert_string_equal(key_of("Minera Andina S.R.L."), "MINERA ANDINA");
    assert_string_equal(key_of("Pesquera Sur Ltda."), "PESQUERA SUR");
    assert_string_equal(key_of("Holland Trade B.V."), "HOLLAND TRADE");
    assert_string_equal(key_of("Andes Exports LLC"), "ANDES EXPORTS");
    /* A name that is only a legal form keeps it. */
    assert_string_equal(key_of("S.A."), "SA");
    /* "CECOEX, S.A." is an organisation, not a person called S.A. CECOEX. */
    norm("CECOEX, S.A.", VG_NAME_UNKNOWN, &n);
    assert_false(n.person);
    assert_string_equal(n.key, "CECOEX");
    /* Persons and vessels keep every word. */
    norm("KHUN SA", VG_NAME_PERSON, &n);
    assert_string_equal(n.key, "KHUN SA");
    norm("MAR AZUL SA", VG_NAME_VESSEL, &n);
    assert_string_equal(n.key, "MAR AZUL SA");
    /* A vessel's type designation before its name is set apart, as legal forms are. */
    static const char *const typed[] = { "M/V Sea Star", "MV SEA STAR",  "M.V. Sea Star",
                                         "MT SEA STAR",  "m/n sea star", "B/M SEA STAR",
                                         "MS Sea Star",  "M/S SEA-STAR" };
    for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
        norm(typed[i], VG_NAME_VESSEL, &n);
        assert_string_equal(n.key, "SEA STAR");
        assert_true(n.noptional >= 1);
        assert_true(n.optional[0].flags & VG_TOKEN_TYPE);
    }
    /* Not when nothing with letters would be left (a seal "MS 12345"), not in the middle,
     * not for other kinds of names, not a longer word (MSC). */
    norm("MS 12345", VG_NAME_VESSEL, &n);
    assert_string_equal(n.key, "MS 12345");
    norm("MV", VG_NAME_VESSEL, &n);
    assert_string_equal(n.key, "MV");
    norm("SEA MV STAR", VG_NAME_VESSEL, &n);
    assert_string_equal(n.key, "SEA MV STAR");
    norm("MT SERVICES", VG_NAME_ORGANIZATION, &n);
    assert_string_equal(n.key, "MT SERVICES");
    norm("MSC ANNA", VG_NAME_VESSEL, &n);
    assert_string_equal(n.key, "MSC ANNA");
}

static void test_screen__reads_spanish_person_names(void **state)
{
    (void)state;
    struct vg_name n;
    norm("RODRIGUEZ OREJUELA, Gilberto Jose", VG_NAME_UNKNOWN, &n);
    assert_true(n.person);
    assert_string_equal(n.key, "GILBERTO JOSE RODRIGUEZ OREJUELA");
    assert_int_equal(n.ntokens, 4);
    assert_int_equal(n.tokens[0].role, VG_ROLE_GIVEN);
    assert_int_equal(n.tokens[1].role, VG_ROLE_GIVEN_OTHER);
    assert_int_equal(n.tokens[2].role, VG_ROLE_SURNAME);
    assert_int_equal(n.tokens[3].role, VG_ROLE_SURNAME_OTHER);
    /* Particles between the surnames are set apart, not lost. */
    norm("GONZALES GARBANCHO DE ZEVALLOS, Sara Maria", VG_NAME_PERSON, &n);
    assert_string_equal(n.key, "SARA MARIA GONZALES GARBANCHO ZEVALLOS");
    assert_int_equal(n.noptional, 1);
    assert_string_equal(n.optional[0].text, "DE");
    assert_true(n.optional[0].flags & VG_TOKEN_PARTICLE);
    assert_int_equal(n.tokens[4].role, VG_ROLE_SURNAME_OTHER);
    /* "José de Jesús" and "Jose Jesus" are the same fingerprint. */
    assert_string_equal(key_of("AMEZCUA, José de Jesús"), key_of("Jose Jesus Amezcua"));
    /* Organisations never split on a comma. */
    norm("BANCO DEL SUR, SUCURSAL LIMA", VG_NAME_ORGANIZATION, &n);
    assert_false(n.person);
    assert_string_equal(n.key, "BANCO SUR SUCURSAL LIMA");
    /* Without a comma the structure is unknown. */
    norm("Gilberto Rodriguez", VG_NAME_UNKNOWN, &n);
    assert_false(n.person);
    assert_int_equal(n.tokens[0].role, VG_ROLE_NONE);
    /* An initial is flagged. */
    norm("Gilberto Rodriguez O.", VG_NAME_UNKNOWN, &n);
    assert_int_equal(n.ntokens, 3);
    assert_true(n.tokens[2].flags & VG_TOKEN_INITIAL);
}

static void test_screen__similarity_and_phonetic_keys(void **state)
{
    (void)state;
    /* Winkler's published examples. */
    assert_float_equal(vg_jaro_winkler("MARTHA", 6, "MARHTA", 6), 0.961, 0.001);
    assert_float_equal(vg_jaro_winkler("DWAYNE", 6, "DUANE", 5), 0.840, 0.001);
    assert_float_equal(vg_jaro_winkler("DIXON", 5, "DICKSONX", 8), 0.813, 0.001);
    assert_float_equal(vg_jaro_winkler("ABC", 3, "ABC", 3), 1.0, 1e-9);
    assert_float_equal(vg_jaro_winkler("ABC", 3, "", 0), 0.0, 1e-9);
    assert_float_equal(vg_jaro_winkler("ABC", 3, "XYZ", 3), 0.0, 1e-9);
    static const char *const same[][2] = {
        { "VELASQUEZ", "VELAZQUEZ" },     { "HERNANDEZ", "ERNANDEZ" }, { "GONZALEZ", "GONSALES" },
        { "RODRIGUEZ", "RODRIGES" },      { "QUISPE", "KISPE" },       { "IBARRA", "YBARRA" },
        { "CEVALLOS", "ZEVALLOS" },       { "JIMENEZ", "GIMENEZ" },    { "GUILLERMO", "GILLERMO" },
        { "BALLESTEROS", "VALLESTEROS" }, { "CHAVEZ", "CHABES" },      { "PHILIPS", "FILIPS" },
    };
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        char a[64], b[64];
        vg_phonetic_key(same[i][0], strlen(same[i][0]), a, sizeof(a));
        vg_phonetic_key(same[i][1], strlen(same[i][1]), b, sizeof(b));
        if (strcmp(a, b) != 0) {
            fail_msg("%s -> %s but %s -> %s", same[i][0], a, same[i][1], b);
        }
    }
    static const char *const different[][2] = {
        { "MARIA", "MARIO" },
        { "MARIA", "MORA" },
        { "ROJAS", "ROSAS" },
        { "PEREZ", "PARDO" },
    };
    for (size_t i = 0; i < sizeof(different) / sizeof(different[0]); i++) {
        char a[64], b[64];
        vg_phonetic_key(different[i][0], strlen(different[i][0]), a, sizeof(a));
        vg_phonetic_key(different[i][1], strlen(different[i][1]), b, sizeof(b));
        assert_string_not_equal(a, b);
    }
    char k[64];
    assert_int_equal(vg_phonetic_key("AB1", 3, k, sizeof(k)), 0);
    assert_int_equal(vg_phonetic_key("VELASQUEZ", 9, k, sizeof(k)), 8);
    assert_string_equal(k, "BELASKES");
}

static void test_screen__country_codes_and_names(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        const char *code;
    } cases[] = {
        { "PE", "PE" },
        { "pe", "PE" },
        { "Peru", "PE" },
        { "Perú", "PE" },
        { "Korea, North", "KP" },
        { "Cote d Ivoire", "CI" },
        { "Côte d'Ivoire", "CI" },
        { "Bosnia and Herzegovina", "BA" },
        { "Burma", "MM" },
        { "Region: Gaza", "PS" },
        { "United States", "US" },
        { " Colombia ", "CO" },
        { "Man, Isle of", "IM" },
        { "Kosovo", "XK" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char code[3];
        if (!vg_country_code(cases[i].text, strlen(cases[i].text), code)) {
            fail_msg("'%s' not recognised", cases[i].text);
        }
        assert_string_equal(code, cases[i].code);
    }
    char code[3];
    assert_false(vg_country_code("Narnia", 6, code));
    assert_false(vg_country_code("XX", 2, code));
    assert_false(vg_country_code("", 0, code));
}

/* ---- parsers -------------------------------------------------------------------------- */

struct collected {
    int entries, rejects, flags;
    char names[16][128];
    char ids[16][128];
    char ext[16][128];
    uint32_t reject_lines[16];
    char reject_msgs[16][256];
};

static enum vg_status collect_entry(void *user, const struct vg_watch_entry *e)
{
    struct collected *c = user;
    if (c->entries < 16) {
        snprintf(c->names[c->entries], 128, "%s", e->name);
        snprintf(c->ids[c->entries], 128, "%s", e->identifiers);
        snprintf(c->ext[c->entries], 128, "%s", e->external_id);
    }
    c->entries++;
    return VG_OK;
}

static enum vg_status
collect_reject(void *user, const struct vg_error *reason, const char *ex, size_t len)
{
    (void)ex;
    (void)len;
    struct collected *c = user;
    if (c->rejects < 16) {
        c->reject_lines[c->rejects] = reason->line;
        snprintf(c->reject_msgs[c->rejects], 256, "%s", reason->message);
    }
    c->rejects++;
    return VG_OK;
}

static enum vg_status
collect_flag(void *user, const struct vg_error *reason, const char *field, const char *value)
{
    (void)reason;
    (void)field;
    (void)value;
    ((struct collected *)user)->flags++;
    return VG_OK;
}

static const char bad_csv[] =
    "name,type,country,source,note,identifier,aliases\n"
    "\"INVERSIONES AGRO NORTE S.A.C.\",party,PE,DEVIDA,front company,20100070970,"
    "AGRO NORTE;AGRONORTE INVERSIONES\n"
    ",party,PE,x,empty name,,\n"
    "MAR DEL SUR,vessel,PE,PNP,,IMO 9321484,\n" /* bad check digit: flagged */
    "SOMETHING,spaceship,PE,x,,,\n"
    "\"BROKEN,party,PE\n";

static void test_screen__csv_parser_rejects_and_flags(void **state)
{
    (void)state;
    struct collected c = { 0 };
    struct vg_watch_sink sink = { collect_entry, collect_reject, collect_flag, &c };
    struct vg_error err;
    vg_error_clear(&err);
    assert_status(vg_watchlist_parse_csv(bad_csv, sizeof(bad_csv) - 1, "list.csv", &sink, &err),
                  VG_OK, &err);
    assert_int_equal(c.entries, 2);
    assert_string_equal(c.names[0], "INVERSIONES AGRO NORTE S.A.C.");
    assert_string_equal(c.ids[0], "20100070970");
    assert_string_equal(c.ext[0], "party:INVERSIONES AGRO NORTE:20100070970");
    assert_string_equal(c.names[1], "MAR DEL SUR");
    assert_int_equal(c.rejects, 3);
    assert_int_equal(c.reject_lines[0], 3);
    assert_string_equal(c.reject_msgs[0], "name is empty");
    assert_int_equal(c.reject_lines[1], 5);
    assert_non_null(strstr(c.reject_msgs[1], "'spaceship'"));
    assert_int_equal(c.reject_lines[2], 6);
    assert_int_equal(c.flags, 1);
    /* A file without the required columns is not a watch list. */
    static const char no_header[] = "nombre,tipo\nX,party\n";
    memset(&c, 0, sizeof(c));
    assert_int_equal(vg_watchlist_parse_csv(no_header, sizeof(no_header) - 1, "x.csv", &sink, &err),
                     VG_EFORMAT);
    assert_int_equal(c.entries, 0);
    assert_int_equal(vg_watchlist_parse_csv("", 0, "empty.csv", &sink, &err), VG_EFORMAT);
}

struct ofac_probe {
    int entries;
    bool seen_4107, seen_15036, seen_8244;
};

static enum vg_status probe_entry(void *user, const struct vg_watch_entry *e)
{
    struct ofac_probe *p = user;
    p->entries++;
    if (strcmp(e->external_id, "4107") == 0) {
        p->seen_4107 = true;
        assert_string_equal(e->name, "RODRIGUEZ OREJUELA, Gilberto Jose");
        assert_int_equal(e->type, VG_WATCH_PERSON);
        assert_string_equal(e->weak_aliases, "THE CHESS PLAYER;LUCAS");
        assert_non_null(strstr(e->identifiers, "CEDULA 6068015"));
        assert_non_null(strstr(e->identifiers, "PASSPORT T321642"));
        assert_non_null(strstr(e->countries, "CO"));
        assert_non_null(strstr(e->note, "SDNT"));
    } else if (strcmp(e->external_id, "15036") == 0) {
        p->seen_15036 = true;
        assert_int_equal(e->type, VG_WATCH_VESSEL);
        assert_non_null(strstr(e->identifiers, "IMO 9187629"));
        assert_non_null(strstr(e->identifiers, "MMSI 572469210"));
        assert_non_null(strstr(e->identifiers, "CALLSIGN T2EU4"));
        /* A vessel's former name is an alias. */
        assert_non_null(strstr(e->aliases, "ALPHA"));
        assert_string_equal(e->countries, "IR");
    } else if (strcmp(e->external_id, "8244") == 0) {
        p->seen_8244 = true;
        assert_int_equal(e->type, VG_WATCH_ORGANIZATION);
        assert_non_null(strstr(e->identifiers, "RUC 20108363101"));
        assert_non_null(strstr(e->countries, "PE"));
    } else if (strcmp(e->external_id, "6703") == 0) {
        /* Aliases from alt.csv, joined on ent_num, in file order. */
        assert_string_equal(e->aliases, "AMESCUA, Chuey;AMEZCUA, Chuy;AMEZCUA CONTRERAS, Jesus;"
                                        "AMEZCUA, Jose de Jesus;HERNANDEZ, Adan");
    }
    return VG_OK;
}

static void test_screen__ofac_parse_counts_and_fields(void **state)
{
    (void)state;
    struct ofac_files o;
    ofac_open(&o);
    struct ofac_probe p = { 0 };
    struct vg_watch_sink sink = { probe_entry, fail_reject, NULL, &p };
    struct vg_ofac_stats stats;
    struct vg_error err;
    vg_error_clear(&err);
    assert_status(vg_watchlist_parse_ofac(&o.w[0], &o.w[1], &o.w[2], &sink, &stats, &err), VG_OK,
                  &err);
    /* SOURCES.md: 14,965 entries; alt.csv has 19,486 rows of which 18,018 name an entry of
     * this (older) sdn.csv. */
    assert_int_equal(p.entries, 14965);
    assert_int_equal(stats.entries, 14965);
    assert_int_equal(stats.aliases, 18018);
    assert_int_equal(stats.orphan_aliases, 1468);
    assert_true(stats.identifiers > 10000);
    assert_true(p.seen_4107 && p.seen_15036 && p.seen_8244);
    ofac_close(&o);
}

static void test_screen__ofac_bad_records_are_rejected(void **state)
{
    (void)state;
    static const char sdn[] =
        "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        "x7,\"BAD NUMBER\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        "38,\"TOO FEW\",-0- \r\n"
        "39,-0- ,-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        "40,\"CAF\xC9 LATINO\",-0- ,\"SDNT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"RUC # 20108363101 (Peru).\"\r\n"
        /* A NUL byte (found by fuzzing) must not cut the name short. */
        "41,\"\0NUL\0NAME\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        /* The same ent_num again (found by fuzzing: it took entry 36's aliases twice). */
        "36,\"ARTAVIL\",\"vessel\",\"IRAN\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"
        "\x1a";
    static const char alt[] =
        "36,12,\"aka\",\"AERO-CARIBBEAN\",-0- \r\n99,13,\"aka\",\"GHOST\",-0- \r\n";
    struct vg_watch_file s = { sdn, sizeof(sdn) - 1, "sdn.csv" };
    struct vg_watch_file a = { alt, sizeof(alt) - 1, "alt.csv" };
    struct collected c = { 0 };
    struct vg_watch_sink sink = { collect_entry, collect_reject, NULL, &c };
    struct vg_ofac_stats stats;
    struct vg_error err;
    vg_error_clear(&err);
    assert_status(vg_watchlist_parse_ofac(&s, &a, NULL, &sink, &stats, &err), VG_OK, &err);
    assert_int_equal(c.entries, 3);
    assert_string_equal(c.names[1], "CAF\xC3\x89 LATINO"); /* Latin-1 read as such */
    assert_string_equal(c.ids[1], "RUC 20108363101");
    assert_string_equal(c.names[2], "NUL NAME");
    assert_int_equal(c.rejects, 4);
    assert_int_equal(c.reject_lines[0], 2);
    assert_int_equal(c.reject_lines[1], 3);
    assert_int_equal(c.reject_lines[2], 4);
    assert_string_equal(c.reject_msgs[2], "SDN_Name is empty");
    assert_int_equal(c.reject_lines[3], 7);
    assert_string_equal(c.reject_msgs[3], "ent_num 36 repeats the record at line 1");
    assert_int_equal(stats.aliases, 1);
    assert_int_equal(stats.orphan_aliases, 1);
}

/* ---- matching ------------------------------------------------------------------------- */

static void test_screen__matches_sdn_names_under_spelling_variants(void **state)
{
    (void)state;
    struct vg_screen_index *idx = ofac_index();
    struct vg_screener *s = NULL;
    assert_int_equal(vg_screener_new(idx, &s), VG_OK);
    static const struct {
        const char *query;
        const char *ext;
        double min;
        const char *says; /* part of the explanation */
    } cases[] = {
        { "Gilberto José Rodríguez Orejuela", "4107", 1.0, "same name once normalised" },
        { "RODRIGUEZ OREJUELA GILBERTO JOSE", "4107", 0.99, "GILBERTO=GILBERTO" },
        { "RODRIGUEZ OREJUELA, GILBERTO", "4107", 0.90, "missing JOSE (other given name)" },
        { "Gilberto J. Rodriguez Orejuela", "4107", 0.90, "J~JOSE (initial)" },
        { "GILBERTO RODRIGUEZ O.", "4107", 0.75, "O~OREJUELA (initial)" },
        { "GILBERTO RODRIGES OREJUELA", "4107", 0.90, "RODRIGES~RODRIGUEZ (sounds alike" },
        { "Gilberto Rodríguez Orejuella", "4107", 0.90, "OREJUELLA~OREJUELA" },
        { "GILBERTO JOSE RODRIGUEZ", "4107", 0.75, "missing OREJUELA (second surname)" },
        { "Miguel Angel Rodriguez Orejuela", "4108", 1.0, NULL },
        { "ZEVALLOS GONZALEZ FERNANDO", "8243", 0.95, NULL },
        { "Aero Continente S.A.C.", "8244", 1.0, "legal forms SAC, SA ignored" },
        { "Vuela Perú SAC", "11421", 1.0, NULL },
        { "LUCERO IMPORT SRL", "11412", 1.0, NULL },
        { "Empresa de Transportes Chulucanas 2000 S.A.", "11405", 1.0, NULL },
        { "PERUVIAN PRECIOUS METAL SAC", "11406", 0.80, "METAL~METALS" },
        { "Quispe Palomino Victor", "17003", 1.0, NULL },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct vg_screen_hit *h =
            screen_for(s, cases[i].query, VG_WATCH_ANY, NULL, NULL, cases[i].ext, NULL);
        if (h == NULL) {
            fail_msg("'%s' did not hit SDN %s", cases[i].query, cases[i].ext);
        }
        if (h->score < cases[i].min - 1e-9) {
            fail_msg("'%s' hit SDN %s at %.3f, expected at least %.2f: %s", cases[i].query,
                     cases[i].ext, h->score, cases[i].min, h->explanation);
        }
        if (cases[i].says != NULL && strstr(h->explanation, cases[i].says) == NULL) {
            fail_msg("'%s': explanation lacks '%s': %s", cases[i].query, cases[i].says,
                     h->explanation);
        }
        assert_string_equal(h->list, "OFAC SDN");
        assert_true(h->name_score > 0.0);
    }
    /* The brief's example, in shape: every token matched, order differs, legal form noted. */
    struct vg_screen_index *mini = NULL;
    assert_int_equal(vg_screen_index_new(&mini), VG_OK);
    struct vg_watch_entry e = { .external_id = "12345",
                                .name = "AGRO NORTE INVERSIONES SAC",
                                .type = VG_WATCH_ORGANIZATION,
                                .countries = "PE",
                                .identifiers = "",
                                .aliases = "",
                                .weak_aliases = "",
                                .note = "",
                                .source = "test" };
    assert_int_equal(vg_screen_index_add(mini, "OFAC SDN", 0, &e), VG_OK);
    assert_int_equal(vg_screen_index_finish(mini), VG_OK);
    struct vg_screener *ms = NULL;
    assert_int_equal(vg_screener_new(mini, &ms), VG_OK);
    const struct vg_screen_hit *h =
        screen_for(ms, "INVERSIONES AGRO NORTE", VG_WATCH_ANY, NULL, NULL, "12345", NULL);
    assert_non_null(h);
    assert_float_equal(h->score, 0.97, 0.001);
    assert_string_equal(
        h->explanation,
        "\"INVERSIONES AGRO NORTE\" ~ \"AGRO NORTE INVERSIONES SAC\" (OFAC SDN "
        "12345): tokens AGRO=AGRO, NORTE=NORTE, INVERSIONES=INVERSIONES; word order "
        "differs; legal form SAC ignored; score 0.97");
    vg_screener_free(ms);
    vg_screen_index_free(mini);
    vg_screener_free(s);
    vg_screen_index_free(idx);
}

static void test_screen__decoys_stay_below_threshold(void **state)
{
    (void)state;
    struct vg_screen_index *idx = ofac_index();
    struct vg_screener *s = NULL;
    assert_int_equal(vg_screener_new(idx, &s), VG_OK);
    /* Names that share words with SDN entries but are other people and companies. */
    static const struct {
        const char *query;
        const char *not_ext; /* must not hit this entry */
    } decoys[] = {
        { "GILBERTO RODRIGUEZ PEREZ", "4107" },  /* another second surname */
        { "MIGUEL RODRIGUEZ OREJUELA", "4107" }, /* the brother, not Gilberto */
        { "Jorge Rodriguez Orejuela", "4108" },
        { "QUISPE PALOMINO, Jorge Luis", "17003" }, /* Victor's brother is 17121 */
        { "LUCERO EXPORT SAC", "11412" },           /* IMPORT against EXPORT */
        { "PERU TOTAL EXPORT SAC", "11411" },       /* MARKET against EXPORT */
        { "AERO ANDINA SAC", "8244" },
        { "Servicios Generales Silsa Norte SAC", "11407" },
        { "MARIO ZEVALLOS GONZALES", "8243" },
    };
    for (size_t i = 0; i < sizeof(decoys) / sizeof(decoys[0]); i++) {
        const struct vg_screen_hit *h =
            screen_for(s, decoys[i].query, VG_WATCH_ANY, NULL, NULL, decoys[i].not_ext, NULL);
        if (h != NULL) {
            fail_msg("decoy '%s' hit SDN %s: %s", decoys[i].query, decoys[i].not_ext,
                     h->explanation);
        }
    }
    /* Common Peruvian company and person names hit nothing at all. */
    static const char *const clean[] = {
        "INVERSIONES AGRO NORTE S.A.C.",    "AGRICOLA SAN JUAN SAC",
        "JUAN CARLOS QUISPE MAMANI",        "EXPORTADORA DE FRUTAS DEL NORTE EIRL",
        "TRANSPORTES CHULUCANAS NORTE SAC", "Camposol S.A.",
        "Danper Trujillo S.A.C.",           "MARIA ELENA FLORES HUAMAN",
    };
    for (size_t i = 0; i < sizeof(clean) / sizeof(clean[0]); i++) {
        size_t n;
        screen_for(s, clean[i], VG_WATCH_ANY, NULL, NULL, "-", &n);
        if (n != 0) {
            struct vg_screen_query q = { .name = clean[i] };
            const struct vg_screen_hit *hits;
            assert_int_equal(vg_screen(s, &q, NULL, &hits, &n, NULL), VG_OK);
            fail_msg("'%s' hit: %s", clean[i], hits[0].explanation);
        }
    }
    vg_screener_free(s);
    vg_screen_index_free(idx);
}

static void test_screen__identifiers_match_exactly(void **state)
{
    (void)state;
    struct vg_screen_index *idx = ofac_index();
    struct vg_screener *s = NULL;
    assert_int_equal(vg_screener_new(idx, &s), VG_OK);
    /* The IMO number of SDN vessel ARTAVIL (15036) under another name. */
    const struct vg_screen_hit *h =
        screen_for(s, "OCEAN STAR", VG_WATCH_VESSEL, "PE", "IMO 9187629", "15036", NULL);
    assert_non_null(h);
    assert_float_equal(h->score, 0.95, 1e-6);
    assert_float_equal(h->identifier_score, 0.95, 1e-6);
    assert_float_equal(h->qualifiers, 0.0, 1e-9); /* no country penalty against an IMO match */
    assert_string_equal(h->matched_name, "");
    assert_non_null(strstr(h->explanation, "IMO 9187629 = IMO 9187629 of \"ARTAVIL\""));
    /* Its MMSI, written bare. */
    h = screen_for(s, NULL, VG_WATCH_ANY, NULL, "572469210", "15036", NULL);
    assert_non_null(h);
    assert_float_equal(h->score, 0.95, 1e-6);
    /* The Peruvian RUC of AERO CONTINENTE S.A (8244). */
    h = screen_for(s, "TRANSPORTES XYZ", VG_WATCH_PARTY, NULL, "20108363101", "8244", NULL);
    assert_non_null(h);
    assert_non_null(strstr(h->explanation, "RUC 20108363101"));
    /* A national id matches as a weaker identifier. */
    h = screen_for(s, NULL, VG_WATCH_ANY, NULL, "Cedula 6068015", "4107", NULL);
    assert_non_null(h);
    assert_float_equal(h->score, 0.85, 1e-6);
    /* The right name with another IMO: the disjoint identifier lowers it. */
    h = screen_for(s, "ARTAVIL", VG_WATCH_VESSEL, NULL, "IMO 9321483", "15036", NULL);
    assert_non_null(h);
    assert_float_equal(h->score, 0.80, 1e-6);
    assert_non_null(strstr(h->explanation, "differs from listed 9187629: -0.20"));
    /* Type awareness: a party named like a vessel is not that vessel. */
    assert_null(screen_for(s, "ARTAVIL", VG_WATCH_PARTY, NULL, NULL, "15036", NULL));
    vg_screener_free(s);
    vg_screen_index_free(idx);
}

static void test_screen__country_is_a_qualifier(void **state)
{
    (void)state;
    struct vg_screen_index *idx = ofac_index();
    struct vg_screener *s = NULL;
    assert_int_equal(vg_screener_new(idx, &s), VG_OK);
    /* MAR AZUL (4238) flies the Cuban flag. */
    const struct vg_screen_hit *h =
        screen_for(s, "MAR AZUL", VG_WATCH_VESSEL, NULL, NULL, "4238", NULL);
    assert_non_null(h);
    assert_float_equal(h->score, 1.0, 1e-6);
    h = screen_for(s, "MAR AZUL", VG_WATCH_VESSEL, "Cuba", NULL, "4238", NULL);
    assert_non_null(h);
    assert_float_equal(h->score, 1.0, 1e-6);
    assert_non_null(strstr(h->explanation, "country CU matches"));
    /* As a manifest names it, with its type designation: the same vessel (0.77-0.83 when
     * M and V counted as extra words). */
    h = screen_for(s, "M/V Mar Azul", VG_WATCH_VESSEL, "Cuba", NULL, "4238", NULL);
    assert_non_null(h);
    assert_float_equal(h->score, 1.0, 1e-6);
    h = screen_for(s, "MAR AZUL", VG_WATCH_VESSEL, "PE", NULL, "4238", NULL);
    assert_non_null(h);
    assert_float_equal(h->score, 0.80, 1e-6);
    assert_float_equal(h->qualifiers, -0.20, 1e-6);
    assert_non_null(strstr(h->explanation, "country PE not among CU: -0.20"));
    /* A weaker name match drops below the threshold with the wrong country. */
    h = screen_for(s, "GILBERTO RODRIGUEZ O.", VG_WATCH_PERSON, NULL, NULL, "4107", NULL);
    assert_non_null(h);
    assert_null(screen_for(s, "GILBERTO RODRIGUEZ O.", VG_WATCH_PERSON, "PE", NULL, "4107", NULL));
    assert_non_null(
        screen_for(s, "GILBERTO RODRIGUEZ O.", VG_WATCH_PERSON, "CO", NULL, "4107", NULL));
    vg_screener_free(s);
    vg_screen_index_free(idx);
}

static void test_screen__weak_aliases_match_literally(void **state)
{
    (void)state;
    struct vg_screen_index *idx = ofac_index();
    struct vg_screener *s = NULL;
    assert_int_equal(vg_screener_new(idx, &s), VG_OK);
    const struct vg_screen_hit *h =
        screen_for(s, "The Chess Player", VG_WATCH_ANY, NULL, NULL, "4107", NULL);
    assert_non_null(h);
    assert_true(h->weak_alias);
    assert_float_equal(h->score, 0.80, 1e-6);
    assert_non_null(strstr(h->explanation, "weak alias \"THE CHESS PLAYER\""));
    /* Never fuzzily, never as a part. */
    assert_null(screen_for(s, "The Chess Players Club", VG_WATCH_ANY, NULL, NULL, "4107", NULL));
    assert_null(screen_for(s, "LUCAS MARTINEZ", VG_WATCH_ANY, NULL, NULL, "4107", NULL));
    vg_screener_free(s);
    vg_screen_index_free(idx);
}

/* ---- the store ------------------------------------------------------------------------ */

static const char list_v1[] =
    "name,type,country,source,note,identifier,aliases\n"
    "INVERSIONES AGRO NORTE S.A.C.,party,PE,DEVIDA,front company,20100070970,AGRONORTE SAC\n"
    "\"PEREZ QUISPE, Juan Carlos\",person,PE,PNP,courier,,\n"
    "MAR DEL SUR,vessel,EC,PNP,,IMO 9321483,\n"
    "MSCU1234566,container,,PNP,cloned number,,\n";

/* v2: a note changed (PEREZ QUISPE), MAR DEL SUR gone, a new seal. */
static const char list_v2[] =
    "name,type,country,source,note,identifier,aliases\n"
    "INVERSIONES AGRO NORTE S.A.C.,party,PE,DEVIDA,front company,20100070970,AGRONORTE SAC\n"
    "\"PEREZ QUISPE, Juan Carlos\",person,PE,PNP,courier; seen at Paita,,\n"
    "MSCU1234566,container,,PNP,cloned number,,\n"
    "SL-889911,seal,,SUNAT,reused seal,,\n";

static void import_list(struct vg_store *store,
                        const char *path,
                        const char *text,
                        enum vg_status expected,
                        struct vg_watchlist_report *rep)
{
    vg_test_write_file(path, text, strlen(text));
    struct vg_error err;
    vg_error_clear(&err);
    assert_status(vg_watchlist_import_csv(store, path, "national", rep, NULL, NULL, &err), expected,
                  &err);
}

static void test_screen__csv_import_is_idempotent_and_versioned(void **state)
{
    (void)state;
    struct vg_store *store = open_store("wl.db", "alice");
    const char *path = vg_test_tmpfile("national.csv");
    int audit0 = count_audit(store);
    struct vg_watchlist_report r;
    import_list(store, path, list_v1, VG_OK, &r);
    assert_int_equal(r.records, 4);
    assert_int_equal(r.inserted, 4);
    assert_int_equal(r.rejected, 0);
    assert_int_equal(count_audit(store), audit0 + 1);
    /* The same file again: nothing changes, nothing is appended to the audit trail. */
    import_list(store, path, list_v1, VG_OK, &r);
    assert_int_equal(r.inserted, 0);
    assert_int_equal(r.unchanged, 4);
    assert_int_equal(r.changed + r.removed, 0);
    assert_int_equal(count_audit(store), audit0 + 1);
    /* A new version of the list. */
    import_list(store, path, list_v2, VG_OK, &r);
    assert_int_equal(r.inserted, 1);
    assert_int_equal(r.changed, 1);
    assert_int_equal(r.unchanged, 2);
    assert_int_equal(r.removed, 1);
    assert_int_equal(count_audit(store), audit0 + 2);
    struct counter active = { 0 }, all = { 0 };
    struct vg_row_sink sa = { .columns = count_columns, .row = count_row, .user = &active };
    struct vg_row_sink sb = { .columns = count_columns, .row = count_row, .user = &all };
    assert_int_equal(vg_watchlist_entries_list(store, "national", false, &sa, NULL), VG_OK);
    assert_int_equal(vg_watchlist_entries_list(store, "national", true, &sb, NULL), VG_OK);
    assert_int_equal(active.rows, 4);
    assert_int_equal(all.rows, 6); /* the old PEREZ QUISPE version and MAR DEL SUR are kept */
    struct counter lists = { 0 };
    struct vg_row_sink sl = { .columns = count_columns, .row = count_row, .user = &lists };
    assert_int_equal(vg_watchlists_list(store, &sl, NULL), VG_OK);
    assert_int_equal(lists.rows, 1);
    assert_string_equal(lists.first[0], "national");
    assert_string_equal(lists.first[3], "4");
    assert_string_equal(lists.first[4], "2");
    /* Going back to v1 brings the old rows back instead of adding copies. */
    import_list(store, path, list_v1, VG_OK, &r);
    assert_int_equal(r.changed, 1);
    assert_int_equal(r.inserted, 1);
    assert_int_equal(r.removed, 1);
    all.rows = 0;
    assert_int_equal(vg_watchlist_entries_list(store, "national", true, &sb, NULL), VG_OK);
    assert_int_equal(all.rows, 6);
    /* The index built from the store screens the list: persons, containers, vessels. */
    struct vg_screen_index *idx = NULL;
    assert_int_equal(vg_screen_index_new(&idx), VG_OK);
    struct vg_error err;
    vg_error_clear(&err);
    assert_status(vg_screen_index_load(idx, store, NULL, &err), VG_OK, &err);
    assert_int_equal(vg_screen_index_finish(idx), VG_OK);
    struct vg_screen_index_stats st;
    vg_screen_index_stats(idx, &st);
    assert_int_equal(st.entries, 4);
    struct vg_screener *s = NULL;
    assert_int_equal(vg_screener_new(idx, &s), VG_OK);
    const struct vg_screen_hit *h = screen_for(s, "Juan Carlos Pérez Quispe", VG_WATCH_PARTY, "PE",
                                               NULL, "person:JUAN CARLOS PEREZ QUISPE", NULL);
    assert_non_null(h);
    assert_float_equal(h->score, 1.0, 1e-6);
    assert_true(h->entry_id > 0);
    assert_non_null(strstr(h->explanation, "(national entry "));
    h = screen_for(s, "mscu 123456-6", VG_WATCH_CONTAINER, NULL, NULL, "container:MSCU1234566",
                   NULL);
    assert_non_null(h);
    assert_float_equal(h->score, 0.95, 1e-6);
    h = screen_for(s, "AGRONORTE", VG_WATCH_PARTY, NULL, NULL,
                   "party:INVERSIONES AGRO NORTE:20100070970", NULL);
    assert_non_null(h);
    assert_string_equal(h->matched_name, "AGRONORTE SAC");
    vg_screener_free(s);
    vg_screen_index_free(idx);
    struct vg_audit_report ar;
    assert_int_equal(vg_audit_verify(store, &ar, NULL), VG_OK);
    assert_true(ar.ok);
    vg_store_close(store);
}

static void test_screen__csv_import_rejects_bad_records_and_keeps_good(void **state)
{
    (void)state;
    struct vg_store *store = open_store("bad.db", "alice");
    const char *path = vg_test_tmpfile("national.csv");
    struct vg_watchlist_report r;
    import_list(store, path, list_v1, VG_OK, &r);
    /* Conflicting duplicate, a bad type and a broken quote; MAR DEL SUR is missing. */
    static const char bad[] =
        "name,type,country,source,note,identifier,aliases\n"
        "INVERSIONES AGRO NORTE S.A.C.,party,PE,DEVIDA,front company,20100070970,AGRONORTE SAC\n"
        "\"PEREZ QUISPE, Juan Carlos\",person,PE,PNP,courier,,\n"
        "\"PEREZ QUISPE, Juan Carlos\",person,PE,PNP,other note,,\n"
        "MSCU1234566,container,,PNP,cloned number,,\n"
        "MSCU1234566,container,,PNP,cloned number,,\n"
        "ZZZ,submarine,PE,x,,,\n"
        "NUEVA EMPRESA SAC,party,Atlantis,x,,,\n"
        "\"BROKEN,party\n";
    import_list(store, path, bad, VG_EPARTIAL, &r);
    assert_int_equal(r.rejected, 3);
    assert_int_equal(r.duplicates, 1);
    assert_int_equal(r.inserted, 1); /* NUEVA EMPRESA */
    assert_int_equal(r.flagged, 1);  /* its unknown country */
    assert_int_equal(r.removed, 0);  /* MAR DEL SUR kept: records were rejected */
    assert_true(r.removals_skipped);
    struct counter rejects = { 0 };
    struct vg_row_sink sink = { .columns = count_columns, .row = count_row, .user = &rejects };
    assert_int_equal(vg_rejects_list(store, &sink, NULL), VG_OK);
    assert_int_equal(rejects.rows, 3);
    struct counter findings = { 0 };
    struct vg_row_sink fs = { .columns = count_columns, .row = count_row, .user = &findings };
    assert_int_equal(vg_findings_list(store, "watchlist_country", &fs, NULL), VG_OK);
    assert_int_equal(findings.rows, 1);
    /* Not a watch list at all. */
    const char *other = vg_test_tmpfile("other.csv");
    vg_test_write_file(other, "a,b\n1,2\n", 8);
    struct vg_error err;
    vg_error_clear(&err);
    assert_int_equal(vg_watchlist_import_csv(store, other, NULL, &r, NULL, NULL, &err), VG_EFORMAT);
    assert_int_equal(
        vg_watchlist_import_csv(store, vg_test_tmpfile("missing.csv"), NULL, &r, NULL, NULL, &err),
        VG_ENOTFOUND);
    vg_store_close(store);
}

static void test_screen__ofac_import_counts_and_is_idempotent(void **state)
{
    (void)state;
    struct ofac_files o;
    ofac_open(&o);
    ofac_close(&o);
    struct vg_store *store = open_store("ofac.db", "alice");
    struct vg_watchlist_report r;
    struct vg_error err;
    vg_error_clear(&err);
    assert_status(vg_watchlist_import_ofac(store, o.path[0], o.path[1], o.path[2], NULL, &r, NULL,
                                           NULL, &err),
                  VG_OK, &err);
    assert_int_equal(r.records, 14965);
    assert_int_equal(r.inserted, 14965);
    assert_int_equal(r.aliases, 18018);
    assert_int_equal(r.orphan_aliases, 1468);
    int audit = count_audit(store);
    assert_status(vg_watchlist_import_ofac(store, o.path[0], o.path[1], o.path[2], NULL, &r, NULL,
                                           NULL, &err),
                  VG_OK, &err);
    assert_int_equal(r.unchanged, 14965);
    assert_int_equal(r.inserted + r.changed + r.removed, 0);
    assert_int_equal(count_audit(store), audit);
    /* The screening index from the store finds what the file index finds. */
    struct vg_screen_index *idx = NULL;
    assert_int_equal(vg_screen_index_new(&idx), VG_OK);
    assert_status(vg_screen_index_load(idx, store, "OFAC SDN", &err), VG_OK, &err);
    assert_int_equal(vg_screen_index_finish(idx), VG_OK);
    struct vg_screen_index_stats st;
    vg_screen_index_stats(idx, &st);
    assert_int_equal(st.entries, 14965);
    struct vg_screener *s = NULL;
    assert_int_equal(vg_screener_new(idx, &s), VG_OK);
    const struct vg_screen_hit *h =
        screen_for(s, "GILBERTO RODRIGUEZ O.", VG_WATCH_ANY, NULL, NULL, "4107", NULL);
    assert_non_null(h);
    assert_true(h->entry_id > 0);
    h = screen_for(s, "Amescua Chuey", VG_WATCH_PERSON, NULL, NULL, "6703", NULL);
    assert_non_null(h);
    assert_string_equal(h->matched_name, "AMESCUA, Chuey");
    vg_screener_free(s);
    vg_screen_index_free(idx);
    vg_store_close(store);
}

static struct vg_screen_hit first_hit_of(struct vg_store *store, const char *name, const char *ext)
{
    struct vg_screen_index *idx = NULL;
    assert_int_equal(vg_screen_index_new(&idx), VG_OK);
    assert_int_equal(vg_screen_index_load(idx, store, NULL, NULL), VG_OK);
    assert_int_equal(vg_screen_index_finish(idx), VG_OK);
    struct vg_screener *s = NULL;
    assert_int_equal(vg_screener_new(idx, &s), VG_OK);
    const struct vg_screen_hit *h = screen_for(s, name, VG_WATCH_ANY, NULL, NULL, ext, NULL);
    assert_non_null(h);
    struct vg_screen_hit copy = *h;
    copy.explanation = NULL;
    copy.list = copy.external_id = copy.entry_name = copy.matched_name = copy.countries = NULL;
    vg_screener_free(s);
    vg_screen_index_free(idx);
    return copy;
}

static int64_t entry_id_of(struct vg_store *store, const char *name, const char *ext)
{
    return first_hit_of(store, name, ext).entry_id;
}

static void test_screen__dismissal_needs_a_second_person_and_lapses(void **state)
{
    (void)state;
    const char *db = "dismiss.db";
    const char *path = vg_test_tmpfile("national.csv");
    const char *ext = "party:INVERSIONES AGRO NORTE:20100070970";
    struct vg_store *alice = open_store(db, "alice");
    struct vg_watchlist_report r;
    import_list(alice, path, list_v1, VG_OK, &r);
    int64_t entry = entry_id_of(alice, "Inversiones Agro Norte", ext);
    struct vg_error err;
    vg_error_clear(&err);
    /* A reason is required. */
    int64_t d = 0;
    assert_int_equal(vg_watchlist_dismiss(alice, entry, "Inversiones Agro Norte", "no", &d, &err),
                     VG_EINVAL);
    assert_int_equal(vg_watchlist_dismiss(alice, 999999, "Inversiones Agro Norte",
                                          "different RUC, checked at SUNAT", &d, &err),
                     VG_ENOTFOUND);
    int audit = count_audit(alice);
    assert_status(vg_watchlist_dismiss(alice, entry, "Inversiones Agro Norte",
                                       "different RUC, checked at SUNAT", &d, &err),
                  VG_OK, &err);
    assert_true(d > 0);
    assert_int_equal(count_audit(alice), audit + 1);
    /* The same dismissal twice is refused. */
    assert_int_equal(vg_watchlist_dismiss(alice, entry, "INVERSIONES AGRO NORTE SAC",
                                          "different RUC, checked at SUNAT", NULL, &err),
                     VG_ECONFLICT);
    /* Pending is not dismissed. */
    assert_false(first_hit_of(alice, "Inversiones Agro Norte", ext).dismissed);
    /* The requester cannot approve. */
    assert_int_equal(vg_watchlist_approve(alice, d, &err), VG_EDENIED);
    vg_store_close(alice);
    struct vg_store *alice_upper = open_store(db, "ALICE");
    assert_int_equal(vg_watchlist_approve(alice_upper, d, &err), VG_EDENIED);
    vg_store_close(alice_upper);
    struct vg_store *bob = open_store(db, "bob");
    assert_status(vg_watchlist_approve(bob, d, &err), VG_OK, &err);
    assert_int_equal(vg_watchlist_approve(bob, d, &err), VG_ECONFLICT); /* not pending now */
    struct vg_screen_hit h = first_hit_of(bob, "INVERSIONES AGRO NORTE S.A.C.", ext);
    assert_true(h.dismissed);
    assert_int_equal(h.dismissal_id, d);
    /* Another subject is not covered. */
    assert_false(first_hit_of(bob, "AGRONORTE", ext).dismissed);
    /* The entry changes: the dismissal lapses and the hit is live again. */
    static const char changed[] =
        "name,type,country,source,note,identifier,aliases\n"
        "INVERSIONES AGRO NORTE S.A.C.,party,PE,DEVIDA,front company; new RUC seen,20100070970,"
        "AGRONORTE SAC\n"
        "\"PEREZ QUISPE, Juan Carlos\",person,PE,PNP,courier,,\n"
        "MAR DEL SUR,vessel,EC,PNP,,IMO 9321483,\n"
        "MSCU1234566,container,,PNP,cloned number,,\n";
    import_list(bob, path, changed, VG_OK, &r);
    assert_int_equal(r.changed, 1);
    assert_int_equal(r.lapsed, 1);
    h = first_hit_of(bob, "INVERSIONES AGRO NORTE S.A.C.", ext);
    assert_false(h.dismissed);
    struct counter lapsed = { 0 };
    struct vg_row_sink sink = { .columns = count_columns, .row = count_row, .user = &lapsed };
    assert_int_equal(vg_watchlist_dismissals_list(bob, "lapsed", &sink, NULL), VG_OK);
    assert_int_equal(lapsed.rows, 1);
    /* A request whose entry changes before approval lapses at approval. */
    int64_t entry2 =
        entry_id_of(bob, "Juan Carlos Perez Quispe", "person:JUAN CARLOS PEREZ QUISPE");
    int64_t d2 = 0;
    assert_status(vg_watchlist_dismiss(bob, entry2, "Juan Carlos Perez Quispe",
                                       "another person, different DNI", &d2, &err),
                  VG_OK, &err);
    import_list(bob, path, list_v2, VG_OK, &r);
    assert_int_equal(r.lapsed, 1);
    vg_store_close(bob);
    struct vg_store *carol = open_store(db, "carol");
    assert_int_equal(vg_watchlist_approve(carol, d2, &err), VG_ECONFLICT);
    struct vg_audit_report ar;
    assert_int_equal(vg_audit_verify(carol, &ar, NULL), VG_OK);
    assert_true(ar.ok);
    vg_store_close(carol);
}

/* ---- out of memory ------------------------------------------------------------------- */

struct oom_ctx {
    struct vg_screen_index *idx;
    struct vg_screener *s;
};

static enum vg_status oom_op(void *p)
{
    struct oom_ctx *c = p;
    enum vg_status st = vg_screen_index_new(&c->idx);
    static const struct vg_watch_entry entries[] = {
        { "4107", "RODRIGUEZ OREJUELA, Gilberto Jose", VG_WATCH_PERSON, "CO", "CEDULA 6068015",
          "RODRIGUEZ, Gilberto", "LUCAS", "", "OFAC", 1 },
        { "15036", "ARTAVIL", VG_WATCH_VESSEL, "IR", "IMO 9187629;MMSI 572469210", "ALPHA", "", "",
          "OFAC", 2 },
        { "x", "AGRO NORTE INVERSIONES S.A.C.", VG_WATCH_ORGANIZATION, "PE", "RUC 20100070970", "",
          "", "", "", 3 },
    };
    for (size_t i = 0; st == VG_OK && i < 3; i++) {
        st = vg_screen_index_add(c->idx, "L", 0, &entries[i]);
    }
    if (st == VG_OK) {
        st = vg_screen_index_finish(c->idx);
    }
    if (st == VG_OK) {
        st = vg_screener_new(c->idx, &c->s);
    }
    static const struct vg_screen_query queries[] = {
        { "GILBERTO RODRIGES O.", VG_WATCH_ANY, "CO", NULL },
        { "X", VG_WATCH_VESSEL, NULL, "IMO 9187629" },
        { "LUCAS", VG_WATCH_ANY, NULL, NULL },
    };
    for (size_t i = 0; st == VG_OK && i < 3; i++) {
        const struct vg_screen_hit *hits;
        size_t n;
        st = vg_screen(c->s, &queries[i], NULL, &hits, &n, NULL);
        if (st == VG_OK && n == 0) {
            return VG_EINVAL; /* every query must hit */
        }
    }
    return st;
}

static void oom_cleanup(void *p)
{
    struct oom_ctx *c = p;
    vg_screener_free(c->s);
    vg_screen_index_free(c->idx);
    c->s = NULL;
    c->idx = NULL;
}

static void test_screen__out_of_memory_fails_cleanly(void **state)
{
    (void)state;
    struct oom_ctx c = { 0 };
    int runs = vg_test_oom_loop(oom_op, oom_cleanup, &c, 5000);
    assert_true(runs > 20);
}

struct oom_import {
    const char *csv;
    struct vg_store *store;
};

static enum vg_status oom_import_op(void *p)
{
    struct oom_import *c = p;
    struct vg_store_options opts = { .actor = "alice", .create = true };
    enum vg_status st = vg_store_open(vg_test_tmpfile("oom.db"), &opts, &c->store, NULL);
    struct vg_watchlist_report r;
    if (st == VG_OK) {
        st = vg_watchlist_import_csv(c->store, c->csv, "national", &r, NULL, NULL, NULL);
    }
    if (st == VG_OK && r.inserted + r.unchanged != 4) {
        return VG_EINVAL;
    }
    struct vg_screen_index *idx = NULL;
    if (st == VG_OK) {
        st = vg_screen_index_new(&idx);
    }
    if (st == VG_OK) {
        st = vg_screen_index_load(idx, c->store, NULL, NULL);
    }
    if (st == VG_OK) {
        st = vg_screen_index_finish(idx);
    }
    vg_screen_index_free(idx);
    return st;
}

static void oom_import_cleanup(void *p)
{
    struct oom_import *c = p;
    vg_store_close(c->store);
    c->store = NULL;
}

static void test_screen__out_of_memory_in_imports_fails_cleanly(void **state)
{
    (void)state;
    struct oom_import c = { vg_test_tmpfile("oom.csv"), NULL };
    char path[1024];
    snprintf(path, sizeof(path), "%s", c.csv);
    c.csv = path;
    vg_test_write_file(path, list_v1, strlen(list_v1));
    int runs = vg_test_oom_loop(oom_import_op, oom_import_cleanup, &c, 5000);
    assert_true(runs > 10);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_screen__tables_are_sorted),
    cmocka_unit_test(test_screen__normalizes_case_accents_and_punctuation),
    cmocka_unit_test(test_screen__sets_legal_forms_apart),
    cmocka_unit_test(test_screen__reads_spanish_person_names),
    cmocka_unit_test(test_screen__similarity_and_phonetic_keys),
    cmocka_unit_test(test_screen__country_codes_and_names),
    cmocka_unit_test(test_screen__csv_parser_rejects_and_flags),
    cmocka_unit_test(test_screen__ofac_parse_counts_and_fields),
    cmocka_unit_test(test_screen__ofac_bad_records_are_rejected),
    cmocka_unit_test(test_screen__matches_sdn_names_under_spelling_variants),
    cmocka_unit_test(test_screen__decoys_stay_below_threshold),
    cmocka_unit_test(test_screen__identifiers_match_exactly),
    cmocka_unit_test(test_screen__country_is_a_qualifier),
    cmocka_unit_test(test_screen__weak_aliases_match_literally),
    cmocka_unit_test(test_screen__csv_import_is_idempotent_and_versioned),
    cmocka_unit_test(test_screen__csv_import_rejects_bad_records_and_keeps_good),
    cmocka_unit_test(test_screen__ofac_import_counts_and_is_idempotent),
    cmocka_unit_test(test_screen__dismissal_needs_a_second_person_and_lapses),
    cmocka_unit_test(test_screen__out_of_memory_fails_cleanly),
    cmocka_unit_test(test_screen__out_of_memory_in_imports_fails_cleanly),
};

VG_TEST_MAIN(tests)
