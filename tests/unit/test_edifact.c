/* EDIFACT syntax layer: tokenizer, envelopes, values, character sets.
 * ctest-labels: unit golden */
#include "vg_test.h"

#include <stdlib.h>
#include <string.h>

#include <vigia/alloc.h>
#include <vigia/edifact.h>
#include <vigia/file.h>
#include <vigia/time.h>

#include "edifact/edifact_int.h" /* the lexer's scalar switch, for the fast-scan test */

/* ---- a handler that records what the reader reports ------------------------------------ */

#define MAX_SEEN 32
#define MAX_EQD 700

struct seen_issue {
    char kind[32];
    enum vg_edifact_scope scope;
    struct vg_error err;
    char msg_ref[VG_EDIFACT_REF_SIZE];
    size_t excerpt_len;
    char value[40];
    char expected[40];
};

struct seen_msg {
    char ref[VG_EDIFACT_REF_SIZE];
    char type[VG_EDIFACT_CODE_SIZE];
    char association[VG_EDIFACT_CODE_SIZE];
    char charset[16];
    size_t nsegments;
    uint32_t line;
    uint64_t offset;
    size_t raw_len;
    uint32_t number;
    bool in_interchange;
    bool in_group;
    uint8_t digest[VG_DIGEST_SIZE];
};

struct collect {
    struct seen_msg msgs[MAX_SEEN];
    size_t nmsgs;
    struct seen_issue rejects[MAX_SEEN];
    size_t nrejects;
    struct seen_issue notes[MAX_SEEN];
    size_t nnotes;
    /* Filled by the optional per-test inspection of each message. */
    enum vg_status (*inspect)(struct collect *c, const struct vg_edifact_message *m);
    char eqd[MAX_EQD][16];
    size_t neqd;
    double weights[MAX_EQD];
    char stow[MAX_EQD][16];
    char text[512];
    struct vg_edifact_interchange ic;
    struct vg_edifact_group group;
};

static enum vg_status on_message(void *user, const struct vg_edifact_message *m)
{
    struct collect *c = user;
    assert_true(c->nmsgs < MAX_SEEN);
    struct seen_msg *s = &c->msgs[c->nmsgs++];
    snprintf(s->ref, sizeof(s->ref), "%s", m->ref);
    snprintf(s->type, sizeof(s->type), "%s", m->type);
    snprintf(s->association, sizeof(s->association), "%s", m->association);
    snprintf(s->charset, sizeof(s->charset), "%s", m->charset != NULL ? m->charset : "");
    s->nsegments = m->nsegments;
    s->line = m->line;
    s->offset = m->offset;
    s->raw_len = m->raw.len;
    s->number = m->number;
    s->in_interchange = m->interchange->present;
    s->in_group = m->group != NULL;
    vg_edifact_message_digest(m, s->digest);
    /* Every message starts with its UNH and ends with its UNT, numbered 1..n. */
    assert_true(vg_edifact_is(&m->segments[0], "UNH"));
    assert_true(vg_edifact_is(&m->segments[m->nsegments - 1], "UNT"));
    for (size_t i = 0; i < m->nsegments; i++) {
        assert_int_equal(m->segments[i].number, i + 1);
    }
    assert_memory_equal(m->raw.ptr, "UNH", 3);
    c->ic = *m->interchange;
    if (m->group != NULL) {
        c->group = *m->group;
    }
    return c->inspect != NULL ? c->inspect(c, m) : VG_OK;
}

static void record_issue(struct seen_issue *s, const struct vg_edifact_issue *i)
{
    snprintf(s->kind, sizeof(s->kind), "%s", i->kind);
    s->scope = i->scope;
    s->err = *i->error;
    snprintf(s->msg_ref, sizeof(s->msg_ref), "%s", i->message != NULL ? i->message->ref : "");
    s->excerpt_len = i->excerpt.len;
    snprintf(s->value, sizeof(s->value), "%s", i->value != NULL ? i->value : "");
    snprintf(s->expected, sizeof(s->expected), "%s", i->expected != NULL ? i->expected : "");
}

static enum vg_status on_reject(void *user, const struct vg_edifact_issue *i)
{
    struct collect *c = user;
    assert_true(c->nrejects < MAX_SEEN);
    assert_true(i->error->code != VG_OK);
    record_issue(&c->rejects[c->nrejects++], i);
    return VG_OK;
}

static enum vg_status on_note(void *user, const struct vg_edifact_issue *i)
{
    struct collect *c = user;
    assert_true(c->nnotes < MAX_SEEN);
    assert_int_equal(i->error->code, VG_OK);
    record_issue(&c->notes[c->nnotes++], i);
    return VG_OK;
}

static void parse_buf(const char *data, size_t len, unsigned flags, struct collect *c,
                      struct vg_edifact_stats *stats)
{
    struct vg_edifact_handler h = { on_message, on_reject, on_note, c };
    struct vg_edifact_options o = { .flags = flags };
    struct vg_error err;
    vg_error_clear(&err);
    assert_status(vg_edifact_parse(data, len, "test.edi", &o, &h, stats, &err), VG_OK, &err);
}

static void parse_str(const char *text, unsigned flags, struct collect *c,
                      struct vg_edifact_stats *stats)
{
    parse_buf(text, strlen(text), flags, c, stats);
}

static char *read_shared(const char *rel, size_t *len)
{
    return vg_test_read_file(vg_test_shared(rel), len);
}

static void parse_shared(const char *rel, unsigned flags, struct collect *c,
                         struct vg_edifact_stats *stats)
{
    size_t len;
    char *data = read_shared(rel, &len);
    parse_buf(data, len, flags, c, stats);
    vg_free(data);
}

static struct collect *new_collect(void)
{
    struct collect *c = calloc(1, sizeof(*c));
    assert_non_null(c);
    return c;
}

/* ---- every shared sample ---------------------------------------------------------------- */

struct sample {
    const char *file;
    uint64_t interchanges, messages, accepted, rejected, envelope_errors, notes, segments;
    size_t first_msg_segments; /* segments of the first accepted message, 0 when none */
};

/* Strict mode. Five samples carry a UNT segment count that is wrong (hand-edited test
 * files, a truncated sample and the demo bay plan): they are rejected. d00b_iftsta's UNZ
 * reference differs from its UNB reference (an envelope reject; its message goes in). */
static const struct sample strict_samples[] = {
    { "edifact/apimeister-edifact-types/d00b_iftsta.edi", 1, 1, 1, 0, 1, 0, 33, 31 },
    { "edifact/apimeister-edifact-types/d04b_baplie.edi", 1, 1, 1, 0, 0, 0, 21, 19 },
    { "edifact/apimeister-edifact-types/d95b_coprar.edi", 0, 1, 0, 1, 0, 0, 29, 0 },
    { "edifact/edifact-cuscar-tools/cuscar_simple.edi", 1, 1, 0, 1, 0, 0, 32, 0 },
    { "edifact/parse-baplie/demo_v22.edi", 1, 1, 0, 1, 0, 0, 6026, 0 },
    { "edifact/php-edifact/D95BBAPLIE.edi", 1, 1, 1, 0, 0, 0, 32, 30 },
    { "edifact/php-edifact/D95BCOARRI.edi", 1, 2, 2, 0, 0, 0, 272, 33 },
    { "edifact/php-edifact/D96ADESADV.edi", 1, 1, 1, 0, 0, 0, 23, 21 },
    { "edifact/php-edifact/example.edi", 1, 1, 1, 0, 0, 0, 15, 13 },
    { "edifact/php-edifact/exampleMulti.edi", 1, 2, 2, 0, 0, 0, 28, 13 },
    { "edifact/php-edifact/example_multiline.edi", 1, 1, 0, 1, 0, 0, 9, 0 },
    { "edifact/php-edifact/example_release_character.edi", 1, 1, 0, 1, 0, 0, 25, 0 },
    { "edifact/php-edifact/example_utf8.edi", 1, 1, 1, 0, 0, 1, 23, 21 },
    { "edifact/php-edifact/example_wrapped.edi", 1, 1, 1, 0, 0, 0, 15, 13 },
    { "edifact/pydifact/invoice_with_colon_at_end.edi", 1, 1, 1, 0, 0, 0, 26, 24 },
    { "edifact/pydifact/wikipedia_en.edi", 1, 1, 1, 0, 0, 0, 15, 13 },
    { "edifact/smooks-unedifact/PAXLST_D03B_message_01.edi", 1, 1, 1, 0, 0, 0, 20, 16 },
};

static void test_edifact__every_shared_sample_parses(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(strict_samples) / sizeof(strict_samples[0]); i++) {
        const struct sample *s = &strict_samples[i];
        struct collect *c = new_collect();
        struct vg_edifact_stats st;
        parse_shared(s->file, 0, c, &st);
        print_message("%s\n", s->file);
        assert_int_equal(st.interchanges, s->interchanges);
        assert_int_equal(st.messages, s->messages);
        assert_int_equal(st.accepted, s->accepted);
        assert_int_equal(st.rejected, s->rejected);
        assert_int_equal(st.envelope_errors, s->envelope_errors);
        assert_int_equal(st.notes, s->notes);
        assert_int_equal(st.segments, s->segments);
        assert_int_equal(c->nmsgs, s->accepted);
        assert_int_equal(c->nrejects, s->rejected + s->envelope_errors);
        if (s->first_msg_segments != 0) {
            assert_int_equal(c->msgs[0].nsegments, s->first_msg_segments);
        }
        for (size_t k = 0; k < c->nrejects; k++) {
            /* The only rejected messages are UNT count mismatches. */
            if (c->rejects[k].scope == VG_EDIFACT_SCOPE_MESSAGE) {
                assert_string_equal(c->rejects[k].kind, "unt-mismatch");
            }
        }
        /* With counts tolerated, every message goes in; the count becomes a note. */
        struct collect *t = new_collect();
        struct vg_edifact_stats tst;
        parse_shared(s->file, VG_EDIFACT_TOLERATE_COUNTS, t, &tst);
        assert_int_equal(tst.accepted, s->messages);
        assert_int_equal(tst.rejected, 0);
        assert_int_equal(tst.notes, s->notes + s->rejected);
        free(t);
        free(c);
    }
}

static void test_edifact__iftsta_unz_reference_mismatch_is_an_envelope_reject(void **state)
{
    (void)state;
    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_shared("edifact/apimeister-edifact-types/d00b_iftsta.edi", 0, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(c->msgs[0].ref, "2805567");
    assert_string_equal(c->msgs[0].type, "IFTSTA");
    assert_int_equal(c->nrejects, 1);
    struct seen_issue *r = &c->rejects[0];
    assert_string_equal(r->kind, "unz-mismatch");
    assert_int_equal(r->scope, VG_EDIFACT_SCOPE_INTERCHANGE);
    assert_int_equal(r->err.code, VG_ECONFLICT);
    assert_string_equal(r->err.message,
                        "UNZ reference '2805570' does not match UNB reference '2803570'");
    assert_int_equal(r->err.line, 33);
    assert_int_equal(r->err.item, 33);
    assert_int_equal(r->err.offset, 953);
    assert_string_equal(r->value, "2805570");
    assert_string_equal(r->expected, "2803570");
    free(c);
}

/* ---- golden values ---------------------------------------------------------------------- */

static enum vg_status collect_equipment(struct collect *c, const struct vg_edifact_message *m)
{
    for (size_t i = 0; i < m->nsegments; i++) {
        const struct vg_edifact_segment *s = &m->segments[i];
        if (vg_edifact_is(s, "EQD")) {
            assert_true(c->neqd < MAX_EQD);
            assert_int_equal(vg_edifact_str(s, 2, 0, c->eqd[c->neqd], 16), VG_OK);
            c->weights[c->neqd] = -1;
            c->stow[c->neqd][0] = '\0';
            c->neqd++;
        } else if (c->neqd > 0 && vg_edifact_is(s, "MEA")) {
            char q[8];
            assert_int_equal(vg_edifact_str(s, 2, 0, q, sizeof(q)), VG_OK);
            if (strcmp(q, "EGW") == 0) {
                assert_int_equal(vg_edifact_decimal(s, 3, 1, &c->weights[c->neqd - 1]), VG_OK);
            }
        } else if (vg_edifact_is(s, "LOC")) {
            int64_t q = 0;
            if (vg_edifact_int(s, 1, 0, &q) == VG_OK && q == 147) {
                /* COARRI stows after EQD, BAPLIE before it: keep it for the next slot. */
                assert_int_equal(vg_edifact_str(s, 2, 0, c->text, sizeof(c->text)), VG_OK);
                if (c->neqd > 0 && c->stow[c->neqd - 1][0] == '\0' &&
                    strcmp(m->type, "COARRI") == 0) {
                    snprintf(c->stow[c->neqd - 1], 16, "%s", c->text);
                }
            }
        }
    }
    return VG_OK;
}

static void test_edifact__coarri_containers_stowage_and_weights(void **state)
{
    (void)state;
    struct collect *c = new_collect();
    c->inspect = collect_equipment;
    struct vg_edifact_stats st;
    parse_shared("edifact/php-edifact/D95BCOARRI.edi", 0, c, &st);
    assert_int_equal(c->nmsgs, 2);
    assert_string_equal(c->msgs[0].ref, "1452515553811");
    assert_string_equal(c->msgs[1].ref, "1452515553819");
    assert_string_equal(c->msgs[0].association, "ITG13");
    assert_int_equal(c->msgs[0].nsegments, 33);
    assert_int_equal(c->msgs[1].nsegments, 237);
    assert_int_equal(c->msgs[1].line, 35);
    assert_int_equal(c->msgs[1].number, 2);
    assert_string_equal(c->ic.sender, "ITGOAVTE");
    assert_string_equal(c->ic.recipient, "COSCO");
    assert_string_equal(c->ic.control_ref, "1452515554132");
    assert_string_equal(c->ic.syntax_id, "UNOA");
    assert_int_equal(c->ic.syntax_version, 2);
    /* 160204:1728 -> 2016-02-04T17:28:00Z */
    assert_true(c->ic.prepared_at == vg_time_from_civil(2016, 2, 4, 17, 28, 0));
    assert_int_equal(c->neqd, 21);
    static const struct {
        const char *eqd, *stow;
        double egw;
    } want[] = {
        { "FCIU9908030", "380886", 8914 },  { "MAGU5591240", "380686", 9528 },
        { "CBHU6192031", "261386", 21500 }, { "CBHU8671943", "261588", 8200 },
        { "TEMU7359214", "261486", 24000 }, { "CBHU6292344", "261086", 28500 },
        { "CBHU9515082", "261684", 29450 }, { "TRLU8132090", "261288", 11000 },
        { "CBHU6411248", "101682", 25000 }, { "TTNU4873285", "261384", 30000 },
        { "FSCU8710190", "101786", 25638 }, { "UETU4004602", "261586", 25550 },
        { "CBHU6351154", "261584", 27040 }, { "TEMU3412100", "091384", 28300 },
        { "FSCU8459470", "261482", 29000 }, { "SEGU4658302", "261682", 29000 },
        { "BSIU9567158", "101784", 29000 }, { "TRLU7321376", "261484", 29000 },
        { "CBHU8131755", "261686", 24583 }, { "FSCU5025633", "261388", 23500 },
        { "CAXU3190016", "091386", 17300 },
    };
    double total = 0;
    for (size_t i = 0; i < 21; i++) {
        assert_string_equal(c->eqd[i], want[i].eqd);
        assert_string_equal(c->stow[i], want[i].stow);
        assert_true(c->weights[i] == want[i].egw);
        total += c->weights[i];
    }
    assert_true(total == 484003);
    free(c);
}

static void test_edifact__baplie_bay_plan_609_containers_and_blank_lines(void **state)
{
    (void)state;
    /* Strict: UNT says 6020 segments, the message has 6024 (its blank lines are fine). */
    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_shared("edifact/parse-baplie/demo_v22.edi", 0, c, &st);
    assert_int_equal(c->nmsgs, 0);
    assert_int_equal(c->nrejects, 1);
    assert_string_equal(c->rejects[0].kind, "unt-mismatch");
    assert_string_equal(c->rejects[0].msg_ref, "495");
    assert_string_equal(c->rejects[0].err.message,
                        "UNT segment count 006020 does not match the 6024 segments of the "
                        "message");
    assert_int_equal(c->rejects[0].err.line, 6029);
    assert_int_equal(c->rejects[0].err.item, 6024);
    size_t len;
    char *data = read_shared("edifact/parse-baplie/demo_v22.edi", &len);
    const char *unh = strstr(data, "UNH+495+");
    const char *unt = strstr(data, "UNT+006020+495'");
    assert_non_null(unh);
    assert_non_null(unt);
    assert_int_equal(c->rejects[0].excerpt_len, (size_t)(unt + 15 - unh)); /* UNH..UNT' */
    assert_int_equal(c->rejects[0].err.offset, (uint64_t)(unt - data));
    vg_free(data);
    free(c);

    /* Counts tolerated: the bay plan goes in with a note. */
    c = new_collect();
    c->inspect = collect_equipment;
    parse_shared("edifact/parse-baplie/demo_v22.edi", VG_EDIFACT_TOLERATE_COUNTS, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_int_equal(c->nrejects, 0);
    assert_int_equal(c->nnotes, 1);
    assert_string_equal(c->notes[0].kind, "unt-count");
    assert_string_equal(c->notes[0].value, "006020");
    assert_string_equal(c->notes[0].expected, "6024");
    assert_string_equal(c->msgs[0].type, "BAPLIE");
    assert_string_equal(c->msgs[0].association, "SMDG22");
    assert_int_equal(c->msgs[0].nsegments, 6024);
    assert_int_equal(c->neqd, 609);
    assert_string_equal(c->eqd[0], "LMCU1049946");
    assert_string_equal(c->eqd[608], "CRXU1753460");
    assert_string_equal(c->ic.sender, "ADTKP01");
    assert_true(c->ic.prepared_at == vg_time_from_civil(2017, 11, 20, 8, 24, 0));
    free(c);
}

/* One row of example_release_character.expected.tsv. */
struct tsv_row {
    int segment, element, component; /* component -1: the simple element as a whole */
    char raw[80];
    char want[80];
};

static size_t load_tsv(const char *rel, struct tsv_row *rows, size_t max)
{
    size_t len;
    char *data = read_shared(rel, &len);
    size_t n = 0;
    bool header = true;
    for (char *line = strtok(data, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (line[0] == '#') {
            continue;
        }
        if (header) {
            header = false;
            continue;
        }
        char *f[5];
        char *p = line;
        for (int k = 0; k < 5; k++) {
            f[k] = p;
            p = strchr(p, '\t');
            if (k < 4) {
                assert_non_null(p);
                *p++ = '\0';
            }
        }
        assert_true(n < max);
        rows[n].segment = atoi(f[0]);
        rows[n].element = atoi(f[1]);
        rows[n].component = f[2][0] == '\0' ? -1 : atoi(f[2]);
        snprintf(rows[n].raw, sizeof(rows[n].raw), "%s", f[3]);
        snprintf(rows[n].want, sizeof(rows[n].want), "%s", f[4]);
        n++;
    }
    vg_free(data);
    return n;
}

static void test_edifact__release_character_matches_expected_tsv(void **state)
{
    (void)state;
    struct tsv_row rows[32];
    size_t nrows = load_tsv("edifact/php-edifact/example_release_character.expected.tsv", rows, 32);
    assert_int_equal(nrows, 15);
    size_t len;
    char *data = read_shared("edifact/php-edifact/example_release_character.edi", &len);
    struct vg_edifact_lexer *lx = NULL;
    assert_int_equal(vg_edifact_lexer_new(data, len, "rel.edi", 0, &lx), VG_OK);
    const struct vg_edifact_segment *seg;
    struct vg_error err;
    int index = 0;
    size_t checked = 0;
    struct vg_buf b;
    vg_buf_init(&b, 0);
    while (vg_edifact_lexer_next(lx, &seg, &err) == VG_OK) {
        for (size_t i = 0; i < nrows; i++) {
            if (rows[i].segment != index) {
                continue;
            }
            /* The raw segment as in the file, terminator included. */
            char raw[96];
            snprintf(raw, sizeof(raw), "%.*s'", (int)seg->text.len, seg->text.ptr);
            assert_string_equal(raw, rows[i].raw);
            size_t comp = rows[i].component < 0 ? 0 : (size_t)rows[i].component;
            if (rows[i].component < 0) {
                assert_int_equal(vg_edifact_components(seg, (size_t)rows[i].element), 1);
            }
            vg_buf_reset(&b);
            assert_int_equal(vg_edifact_text(seg, (size_t)rows[i].element, comp, &b), VG_OK);
            assert_string_equal(b.data, rows[i].want);
            char s[80];
            assert_int_equal(vg_edifact_str(seg, (size_t)rows[i].element, comp, s, sizeof(s)),
                             VG_OK);
            assert_string_equal(s, rows[i].want);
            checked++;
        }
        index++;
    }
    assert_int_equal(index, 25); /* UNB .. UNZ, the UNA not counted */
    assert_int_equal(checked, 15);
    const struct vg_edifact_syntax *sx = vg_edifact_lexer_syntax(lx);
    assert_int_equal(sx->release, '?');
    assert_true(sx->advised);
    vg_buf_release(&b);
    vg_edifact_lexer_free(lx);
    vg_free(data);
}

static enum vg_status inspect_paxlst(struct collect *c, const struct vg_edifact_message *m)
{
    for (size_t i = 0; i < m->nsegments; i++) {
        const struct vg_edifact_segment *s = &m->segments[i];
        if (vg_edifact_is(s, "NAD")) {
            assert_int_equal(s->elements, 8);
            char v[64];
            assert_int_equal(vg_edifact_str(s, 1, 0, v, sizeof(v)), VG_OK);
            assert_string_equal(v, "VW");
            assert_int_equal(vg_edifact_str(s, 2, 0, v, sizeof(v)), VG_OK);
            assert_string_equal(v, "0000041153");
            assert_int_equal(vg_edifact_str(s, 2, 1, v, sizeof(v)), VG_OK);
            assert_string_equal(v, "109");
            assert_int_equal(vg_edifact_components(s, 3), 1);
            assert_int_equal(vg_edifact_raw(s, 3, 0).len, 0);
            assert_int_equal(vg_edifact_components(s, 4), 6);
            assert_int_equal(vg_edifact_str(s, 4, 0, v, sizeof(v)), VG_OK);
            assert_string_equal(v, "AOMAD");
            assert_int_equal(vg_edifact_str(s, 4, 1, v, sizeof(v)), VG_OK);
            assert_string_equal(v, "CHRIS");
            assert_int_equal(vg_edifact_str(s, 4, 5, v, sizeof(v)), VG_OK);
            assert_string_equal(v, "1");
            assert_int_equal(vg_edifact_str(s, 5, 0, v, sizeof(v)), VG_OK);
            assert_string_equal(v, "11107 SUNSET HILL'S ROAD");
            assert_true(vg_slice_eq_cstr(vg_edifact_raw(s, 5, 0), "11107 SUNSET HILL?'S ROAD"));
            assert_int_equal(vg_edifact_str(s, 6, 0, v, sizeof(v)), VG_OK);
            assert_string_equal(v, "RESTON");
            assert_int_equal(vg_edifact_str(s, 7, 2, v, sizeof(v)), VG_OK);
            assert_string_equal(v, "5");
            assert_int_equal(vg_edifact_str(s, 8, 0, v, sizeof(v)), VG_OK);
            assert_string_equal(v, "20190");
            snprintf(c->text, sizeof(c->text), "NAD seen");
        } else if (vg_edifact_is(s, "ATT")) {
            /* Syntax version 4: '*' is the repetition separator. The expected XML (smooks)
             * keeps the element whole, "M*M*M*M*M", which is its raw text. */
            assert_true(vg_slice_eq_cstr(vg_edifact_element_raw(s, 3), "M*M*M*M*M"));
            assert_int_equal(vg_edifact_repetitions(s, 3), 5);
            for (size_t r = 0; r < 5; r++) {
                assert_true(vg_slice_eq_cstr(vg_edifact_raw_rep(s, 3, r, 0), "M"));
            }
            assert_int_equal(vg_edifact_raw_rep(s, 3, 5, 0).len, 0);
            assert_int_equal(vg_edifact_repetitions(s, 2), 1);
            assert_int_equal(vg_edifact_repetitions(s, 9), 0);
        } else if (vg_edifact_is(s, "DTM") && s->number == 5) {
            int64_t d;
            assert_int_equal(vg_edifact_int(s, 1, 1, &d), VG_OK);
            assert_int_equal(d, 20041230);
        }
    }
    return VG_OK;
}

static void test_edifact__paxlst_group_escapes_and_repetitions(void **state)
{
    (void)state;
    struct collect *c = new_collect();
    c->inspect = inspect_paxlst;
    struct vg_edifact_stats st;
    parse_shared("edifact/smooks-unedifact/PAXLST_D03B_message_01.edi", 0, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_int_equal(c->nrejects, 0);
    assert_string_equal(c->text, "NAD seen");
    /* Values from PAXLST_D03B_expected_01.xml. */
    assert_string_equal(c->ic.syntax_id, "UNOA");
    assert_int_equal(c->ic.syntax_version, 4);
    assert_int_equal(c->ic.syntax.repetition, '*');
    assert_false(c->ic.syntax.advised);
    assert_string_equal(c->ic.sender, "LOCK");
    assert_string_equal(c->ic.sender_qualifier, "02");
    assert_string_equal(c->ic.recipient, "CBP-ACE-TEST");
    assert_string_equal(c->ic.recipient_qualifier, "02");
    assert_string_equal(c->ic.date, "041013");
    assert_string_equal(c->ic.time, "1901");
    assert_string_equal(c->ic.control_ref, "16");
    assert_string_equal(c->ic.application_ref, "ACE");
    assert_true(c->msgs[0].in_group);
    assert_string_equal(c->group.id, "PAXLST");
    assert_string_equal(c->group.sender, "LOCK");
    assert_string_equal(c->group.sender_qualifier, "02");
    assert_string_equal(c->group.recipient, "CBP-A+CE-TEST");
    assert_string_equal(c->group.recipient_qualifier, "02");
    assert_string_equal(c->group.date, "041013");
    assert_string_equal(c->group.time, "1901");
    assert_string_equal(c->group.ref, "16");
    assert_string_equal(c->group.agency, "UN");
    assert_string_equal(c->group.version, "D");
    assert_string_equal(c->group.release, "03B");
    assert_int_equal(c->group.messages, 1);
    assert_string_equal(c->msgs[0].ref, "PAXLST16");
    assert_string_equal(c->msgs[0].type, "PAXLST");
    assert_int_equal(c->msgs[0].nsegments, 16);
    assert_int_equal(st.groups, 1);
    free(c);
}

/* ---- rejects ---------------------------------------------------------------------------- */

static void test_edifact__cuscar_count_rejected_good_message_goes_through(void **state)
{
    (void)state;
    size_t len;
    char *data = read_shared("edifact/edifact-cuscar-tools/cuscar_simple.edi", &len);
    /* The sample's UNT says 313 segments; its UNT reference equals the UNH reference
     * (MREF123456; DOCREF1234 is the BGM document number). */
    const char *unh = strstr(data, "UNH+");
    const char *unt = strstr(data, "UNT+313+MREF123456'");
    const char *unz = strstr(data, "UNZ+1+SRC-000001'");
    assert_non_null(unh);
    assert_non_null(unt);
    assert_non_null(unz);
    /* Build an interchange: the sample's message, then a corrected copy of it. */
    struct vg_buf b;
    vg_buf_init(&b, 0);
    const char *unt_end = unt + strlen("UNT+313+MREF123456'");
    assert_int_equal(vg_buf_append(&b, data, (size_t)(unz - data)), VG_OK);
    assert_int_equal(vg_buf_append_cstr(&b, "UNH+MREF2+"), VG_OK);
    const char *after_ref = unh + strlen("UNH+MREF123456+");
    assert_int_equal(vg_buf_append(&b, after_ref, (size_t)(unt - after_ref)), VG_OK);
    assert_int_equal(vg_buf_append_cstr(&b, "UNT+30+MREF2'\nUNZ+2+SRC-000001'\n"), VG_OK);
    (void)unt_end;

    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_buf(b.data, b.len, 0, c, &st);
    assert_int_equal(st.messages, 2);
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(c->msgs[0].ref, "MREF2");
    assert_string_equal(c->msgs[0].type, "CUSCAR");
    assert_string_equal(c->msgs[0].association, "LOT10");
    assert_int_equal(c->msgs[0].nsegments, 30);
    assert_int_equal(c->msgs[0].number, 2);
    assert_int_equal(c->nrejects, 1); /* the UNZ count of 2 is right */
    struct seen_issue *r = &c->rejects[0];
    assert_string_equal(r->kind, "unt-mismatch");
    assert_int_equal(r->scope, VG_EDIFACT_SCOPE_MESSAGE);
    assert_int_equal(r->err.code, VG_ECONFLICT);
    assert_string_equal(r->msg_ref, "MREF123456");
    assert_string_equal(r->err.message,
                        "UNT segment count 313 does not match the 30 segments of the message");
    assert_string_equal(r->err.source, "test.edi");
    assert_int_equal(r->err.line, 31);
    assert_int_equal(r->err.column, 1);
    assert_int_equal(r->err.item, 30);
    assert_int_equal(r->err.offset, (uint64_t)(unt - data));
    assert_int_equal(r->excerpt_len, (size_t)(unt_end - unh)); /* the whole message */
    free(c);

    /* A wrong reference as well: both reasons in one reject. */
    char *p = strstr(b.data, "UNT+313+MREF123456'");
    memcpy(p, "UNT+313+DOCREF1234'", strlen("UNT+313+DOCREF1234'"));
    c = new_collect();
    parse_buf(b.data, b.len, VG_EDIFACT_TOLERATE_COUNTS, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_int_equal(c->nrejects, 1);
    assert_string_equal(c->rejects[0].err.message,
                        "UNT segment count 313 does not match the 30 segments of the message; "
                        "UNT reference 'DOCREF1234' does not match UNH reference 'MREF123456'");
    free(c);
    vg_buf_release(&b);
    vg_free(data);
}

#define UNB_A "UNB+UNOA:3+SENDER:ZZ+RECEIVER:ZZ+240503:1020+IC1'"
#define MSG(ref, body, n) "UNH+" ref "+CODECO:D:95B:UN'" body "UNT+" n "+" ref "'"

static void test_edifact__cut_off_message_rejected_next_one_kept(void **state)
{
    (void)state;
    const char *text = UNB_A "\n"
                       "UNH+M1+CODECO:D:95B:UN'\nBGM+34+DOC1+9'\nEQD+CN+MSKU3054383'\n"
                       "UNH+M2+CODECO:D:95B:UN'\nBGM+36+DOC2+9'\nEQD+CN+TGHU1234560'\n"
                       "UNT+4+M2'\nUNZ+2+IC1'\n";
    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_str(text, 0, c, &st);
    assert_int_equal(st.messages, 2);
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(c->msgs[0].ref, "M2");
    assert_int_equal(c->msgs[0].nsegments, 4);
    assert_int_equal(c->msgs[0].line, 5);
    assert_int_equal(c->msgs[0].number, 2);
    assert_int_equal(c->nrejects, 1);
    struct seen_issue *r = &c->rejects[0];
    assert_string_equal(r->kind, "message-cut-off");
    assert_int_equal(r->err.code, VG_ETRUNC);
    assert_string_equal(r->msg_ref, "M1");
    assert_string_equal(r->err.message, "message 'M1' (UNH at line 2) cut off: UNH found where "
                                        "its UNT was expected");
    assert_int_equal(r->err.line, 5);
    assert_int_equal(r->err.item, 4);
    assert_int_equal(r->err.offset, (uint64_t)(strstr(text, "UNH+M2") - text));
    /* The excerpt is the cut-off message, UNH to its last segment. */
    assert_int_equal(r->excerpt_len, strlen("UNH+M1+CODECO:D:95B:UN'\nBGM+34+DOC1+9'\n"
                                            "EQD+CN+MSKU3054383'"));
    free(c);

    /* Cut off by the end of the input, and by the UNZ. */
    c = new_collect();
    parse_str(UNB_A "UNH+M1+CODECO:D:95B:UN'BGM+34+DOC1+9'", 0, c, &st);
    assert_int_equal(c->nrejects, 2);
    assert_string_equal(c->rejects[0].kind, "message-cut-off");
    assert_string_equal(c->rejects[0].err.message,
                        "message 'M1' (UNH at line 1) cut off: the input ends before its UNT");
    assert_string_equal(c->rejects[1].kind, "unz-missing");
    free(c);
    c = new_collect();
    parse_str(UNB_A "UNH+M1+CODECO:D:95B:UN'BGM+34+DOC1+9'UNZ+1+IC1'", 0, c, &st);
    assert_int_equal(c->nrejects, 1);
    assert_string_equal(c->rejects[0].kind, "message-cut-off");
    assert_non_null(strstr(c->rejects[0].err.message, "UNZ found where its UNT was expected"));
    free(c);
}

static void test_edifact__missing_unz_keeps_the_messages(void **state)
{
    (void)state;
    const char *text = UNB_A MSG("M1", "BGM+34+DOC1+9'", "3") MSG("M2", "BGM+36+DOC2+9'", "3");
    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_str(text, 0, c, &st);
    assert_int_equal(c->nmsgs, 2);
    assert_int_equal(c->nrejects, 1);
    assert_string_equal(c->rejects[0].kind, "unz-missing");
    assert_int_equal(c->rejects[0].scope, VG_EDIFACT_SCOPE_INTERCHANGE);
    assert_int_equal(c->rejects[0].err.code, VG_ETRUNC);
    assert_string_equal(c->rejects[0].err.message,
                        "interchange 'IC1' (line 1) is not closed by a UNZ before the end of "
                        "the input");
    assert_int_equal(c->rejects[0].excerpt_len, strlen(text));
    free(c);

    /* A second UNB also ends the first interchange. */
    c = new_collect();
    char two[1024];
    snprintf(two, sizeof(two), "%s%s", text, UNB_A MSG("M3", "", "2") "UNZ+1+IC1'");
    parse_str(two, 0, c, &st);
    assert_int_equal(c->nmsgs, 3);
    assert_int_equal(st.interchanges, 2);
    assert_int_equal(c->nrejects, 1);
    assert_non_null(strstr(c->rejects[0].err.message, "not closed by a UNZ before UNB"));
    free(c);
}

static void test_edifact__wrong_unz_count_and_reference(void **state)
{
    (void)state;
    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_str(UNB_A MSG("M1", "BGM+34+DOC1+9'", "3") "UNZ+3+IC9'", 0, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_int_equal(c->nrejects, 1);
    assert_string_equal(c->rejects[0].kind, "unz-mismatch");
    assert_string_equal(c->rejects[0].err.message,
                        "UNZ control count '3' does not match the 1 messages in it; UNZ "
                        "reference 'IC9' does not match UNB reference 'IC1'");
    assert_int_equal(c->rejects[0].err.item, 5);
    assert_string_equal(c->rejects[0].value, "3");
    assert_string_equal(c->rejects[0].expected, "1");
    free(c);
}

static void test_edifact__groups_are_counted_and_closed(void **state)
{
    (void)state;
    const char *text = UNB_A "UNG+CODECO+SENDER+RECEIVER+240503:1020+G1+UN+D:95B'"
                       MSG("M1", "", "2") MSG("M2", "", "2") "UNE+3+G1'"
                       "UNG+CODECO+SENDER+RECEIVER+240503:1020+G2+UN+D:95B'"
                       MSG("M3", "", "2") "UNZ+2+IC1'";
    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_str(text, 0, c, &st);
    assert_int_equal(c->nmsgs, 3);
    assert_true(c->msgs[2].in_group);
    assert_int_equal(st.groups, 2);
    assert_int_equal(c->nrejects, 2);
    assert_string_equal(c->rejects[0].kind, "une-mismatch");
    assert_int_equal(c->rejects[0].scope, VG_EDIFACT_SCOPE_GROUP);
    assert_string_equal(c->rejects[0].err.message,
                        "UNE control count '3' does not match the 2 messages in it");
    assert_string_equal(c->rejects[1].kind, "une-missing");
    assert_non_null(strstr(c->rejects[1].err.message, "group 'G2'"));
    free(c);
}

static void test_edifact__syntax_errors_reject_only_their_message(void **state)
{
    (void)state;
    const char *text = UNB_A "\n"
                       "UNH+M1+CODECO:D:95B:UN'\nbgm+34'\nEQD+CN+X'\nUNT+4+M1'\n"
                       "FTX+AAA+++STRAY'\n"
                       "UNH+M2+CODECO:D:95B:UN'\nBGM+36+DOC2+9''\nUNT+4+M2'\n"
                       "UNH+M3+CODECO:D:95B:UN'\nUNT+2+M3'\n"
                       "UNT+2+M9'\n"
                       "UNZ+3+IC1'\n";
    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_str(text, 0, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(c->msgs[0].ref, "M3");
    assert_int_equal(st.rejected, 2);
    assert_int_equal(st.envelope_errors, 2);
    assert_int_equal(c->nrejects, 4);
    assert_string_equal(c->rejects[0].kind, "segment-syntax");
    assert_string_equal(c->rejects[0].msg_ref, "M1");
    assert_string_equal(c->rejects[0].err.message,
                        "segment tag 'bgm' is not 3 upper-case letters or digits");
    assert_int_equal(c->rejects[0].err.line, 3);
    assert_int_equal(c->rejects[0].err.item, 2);
    assert_string_equal(c->rejects[1].kind, "outside-message");
    assert_string_equal(c->rejects[1].err.message,
                        "segment FTX outside a message: expected UNH before it");
    assert_int_equal(c->rejects[1].err.line, 6);
    assert_string_equal(c->rejects[2].kind, "segment-syntax");
    assert_string_equal(c->rejects[2].msg_ref, "M2");
    assert_non_null(strstr(c->rejects[2].err.message, "empty segment"));
    assert_string_equal(c->rejects[3].kind, "outside-message");
    assert_string_equal(c->rejects[3].err.message, "UNT without a UNH: no message is open");
    free(c);
}

static void test_edifact__unb_without_sender_rejects_its_messages(void **state)
{
    (void)state;
    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_str("UNB+UNOA:3++RECEIVER+240503:1020+IC1'" MSG("M1", "", "2") "UNZ+1+IC1'"
              MSG("M2", "", "2"), 0, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(c->msgs[0].ref, "M2");
    assert_false(c->msgs[0].in_interchange);
    assert_int_equal(c->nrejects, 2);
    assert_string_equal(c->rejects[0].kind, "unb-syntax");
    assert_string_equal(c->rejects[1].kind, "interchange-rejected");
    assert_string_equal(c->rejects[1].msg_ref, "M1");
    assert_string_equal(c->rejects[0].err.message, "UNB at line 1 has no sender (S002 0004): "
                                                   "the messages of this interchange are "
                                                   "rejected");
    assert_string_equal(c->rejects[1].err.message, "message 'M1' is in an interchange whose "
                                                   "header is unusable: UNB at line 1 has no "
                                                   "sender (S002 0004)");
    free(c);
}

static void test_edifact__limits_reject_long_messages_and_segments(void **state)
{
    (void)state;
    char text[4096];
    char big[600];
    memset(big, 'X', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    snprintf(text, sizeof(text),
             UNB_A "UNH+M1+CODECO:D:95B:UN'FTX+AAA+++%s'FTX+AAA+++%s'UNT+4+M1'"
                   "UNH+M2+CODECO:D:95B:UN'FTX+AAA+++%s'UNT+3+M2'" MSG("M3", "", "2")
                   "UNZ+3+IC1'",
             big, big, big);
    struct vg_edifact_handler h;
    struct collect *c = new_collect();
    h = (struct vg_edifact_handler){ on_message, on_reject, on_note, c };
    struct vg_edifact_options o = { .max_message = 1000, .max_segment = 700 };
    struct vg_edifact_stats st;
    struct vg_error err;
    assert_int_equal(vg_edifact_parse(text, strlen(text), "t", &o, &h, &st, &err), VG_OK);
    assert_int_equal(c->nmsgs, 2);
    assert_string_equal(c->msgs[0].ref, "M2");
    assert_string_equal(c->msgs[1].ref, "M3");
    assert_int_equal(c->nrejects, 1);
    assert_string_equal(c->rejects[0].kind, "message-too-long");
    assert_int_equal(c->rejects[0].err.code, VG_ELIMIT);
    assert_int_equal(c->rejects[0].err.item, 3);
    free(c);

    /* Too many segments, and too many separators for the byte limit. */
    c = new_collect();
    h.user = c;
    o = (struct vg_edifact_options){ .max_segments = 2 };
    assert_int_equal(vg_edifact_parse(text, strlen(text), "t", &o, &h, &st, &err), VG_OK);
    assert_int_equal(c->nmsgs, 2);
    assert_string_equal(c->rejects[0].err.message, "message 'M1' has more than 2 segments");
    free(c);
    c = new_collect();
    h.user = c;
    o = (struct vg_edifact_options){ .max_message = 60 };
    const char *dense = "UNH+1+A:B:C:D'FTX++++++++++++++++++++'UNT+3+1'";
    assert_int_equal(vg_edifact_parse(dense, strlen(dense), "t", &o, &h, &st, &err), VG_OK);
    assert_int_equal(c->nmsgs, 0);
    assert_string_equal(c->rejects[0].err.message, "message '1' has more than 15 separators");
    free(c);

    c = new_collect();
    h.user = c;
    o.max_segment = 300;
    assert_int_equal(vg_edifact_parse(text, strlen(text), "t", &o, &h, &st, &err), VG_OK);
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(c->msgs[0].ref, "M3");
    assert_int_equal(c->nrejects, 2);
    assert_string_equal(c->rejects[0].kind, "segment-too-long");
    assert_string_equal(c->rejects[0].err.message,
                        "segment 'FTX' is 609 bytes long, more than 300");
    assert_string_equal(c->rejects[1].kind, "segment-too-long");
    free(c);
}

static void test_edifact__input_ending_inside_a_segment(void **state)
{
    (void)state;
    struct vg_edifact_lexer *lx;
    /* An exact-size copy, not NUL-terminated, so that ASan sees any read past the end
     * (the error message once did, through "%.20s"). */
    static const char lit[] = "UNH+1+X:D:95B:UN'BGM+34?";
    char *text = vg_malloc(sizeof(lit) - 1);
    assert_non_null(text);
    memcpy(text, lit, sizeof(lit) - 1);
    assert_int_equal(vg_edifact_lexer_new(text, sizeof(lit) - 1, "t", 0, &lx), VG_OK);
    const struct vg_edifact_segment *seg;
    struct vg_error err;
    assert_int_equal(vg_edifact_lexer_next(lx, &seg, &err), VG_OK);
    assert_int_equal(vg_edifact_lexer_next(lx, &seg, &err), VG_ETRUNC);
    assert_non_null(seg);
    assert_string_equal(seg->tag, "BGM");
    assert_string_equal(err.message, "input ends inside segment 'BGM+34?': no segment "
                                     "terminator '\''");
    assert_int_equal(err.offset, 17);
    assert_int_equal(err.item, 2);
    assert_int_equal(vg_edifact_lexer_next(lx, &seg, &err), VG_ENOTFOUND);
    assert_null(seg);
    vg_edifact_lexer_free(lx);
    vg_free(text);
}

/* ---- service characters and layouts ----------------------------------------------------- */

static enum vg_status inspect_unusual(struct collect *c, const struct vg_edifact_message *m)
{
    const struct vg_edifact_segment *s = &m->segments[1];
    assert_true(vg_edifact_is(s, "MEA"));
    double w;
    assert_int_equal(vg_edifact_decimal(s, 3, 1, &w), VG_OK);
    assert_true(w == 12345.5);
    s = &m->segments[2];
    assert_true(vg_edifact_is(s, "FTX"));
    assert_int_equal(vg_edifact_str(s, 4, 0, c->text, sizeof(c->text)), VG_OK);
    return VG_OK;
}

static void test_edifact__una_with_unusual_service_characters(void **state)
{
    (void)state;
    /* component '|', element '^', decimal ',', release '!', repetition '~'
     * (syntax 4), terminator '#'. */
    const char *text = "UNA|^,!~#UNB^UNOC|4^ME^YOU^240503|1020^7#\r\n"
                       "UNH^1^CUSCAR|D|95B|UN#MEA^AAE^G^KGM|12345,5#"
                       "FTX^AAA^^^A!^B!|C!#D!!E!~F~G#UNT^4^1#UNZ^1^7#";
    struct collect *c = new_collect();
    c->inspect = inspect_unusual;
    struct vg_edifact_stats st;
    parse_str(text, 0, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_int_equal(c->nrejects, 0);
    assert_string_equal(c->text, "A^B|C#D!E~F");
    assert_int_equal(c->ic.syntax.component, '|');
    assert_int_equal(c->ic.syntax.element, '^');
    assert_int_equal(c->ic.syntax.decimal, ',');
    assert_int_equal(c->ic.syntax.release, '!');
    assert_int_equal(c->ic.syntax.repetition, '~');
    assert_int_equal(c->ic.syntax.terminator, '#');
    assert_true(c->ic.syntax.advised);
    assert_int_equal(c->ic.offset, 0);
    assert_int_equal(c->msgs[0].line, 2);
    free(c);
}

static void test_edifact__bad_una_skips_its_interchange(void **state)
{
    (void)state;
    const char *text = "UNA::.? 'UNB+UNOA:3+A+B+240503:1020+1'" MSG("M1", "", "2") "UNZ+1+1'\n"
                       UNB_A MSG("M2", "", "2") "UNZ+1+IC1'";
    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_str(text, 0, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(c->msgs[0].ref, "M2");
    assert_int_equal(c->nrejects, 1);
    assert_string_equal(c->rejects[0].kind, "una-syntax");
    assert_int_equal(c->rejects[0].scope, VG_EDIFACT_SCOPE_INTERCHANGE);
    assert_string_equal(c->rejects[0].err.message,
                        "UNA service string advice 'UNA::.? '': the element separator (0x3A) "
                        "is also used for another service function; the interchange that "
                        "follows is skipped");
    assert_int_equal(c->rejects[0].excerpt_len, (size_t)(strstr(text, "\nUNB") + 1 - text));
    free(c);

    /* A bad UNA in the middle of a message ends the message and its interchange. */
    const char *mid = UNB_A "UNH+M1+CODECO:D:95B:UN'BGM+34+D1+9'\nUNA::.? 'UNB+X'";
    c = new_collect();
    parse_str(mid, 0, c, &st);
    assert_int_equal(c->nmsgs, 0);
    assert_int_equal(c->nrejects, 3);
    assert_string_equal(c->rejects[0].kind, "message-cut-off");
    assert_string_equal(c->rejects[0].err.message,
                        "message 'M1' (UNH at line 1) cut off: a UNA comes before its UNT");
    assert_int_equal(c->rejects[0].err.line, 2);
    assert_int_equal(c->rejects[0].err.offset, (uint64_t)(strstr(mid, "UNA") - mid));
    assert_string_equal(c->rejects[1].kind, "unz-missing");
    assert_string_equal(c->rejects[1].err.message,
                        "interchange 'IC1' (line 1) is not closed by a UNZ before a UNA");
    assert_string_equal(c->rejects[2].kind, "una-syntax");
    free(c);
}

static void test_edifact__crlf_lf_and_no_line_breaks_read_alike(void **state)
{
    (void)state;
    const char *layouts[] = {
        UNB_A "\n" "UNH+M1+CODECO:D:95B:UN'\n" "EQD+CN+MSKU3054383'\n" "UNT+3+M1'\n"
        "UNZ+1+IC1'\n",
        UNB_A "\r\n" "UNH+M1+CODECO:D:95B:UN'\r\n" "EQD+CN+MSKU3054383'\r\n"
        "UNT+3+M1'\r\n" "UNZ+1+IC1'\r\n",
        UNB_A "UNH+M1+CODECO:D:95B:UN'EQD+CN+MSKU3054383'UNT+3+M1'UNZ+1+IC1'",
        "\n\n  " UNB_A "\n\n\n" "UNH+M1+CODECO:D:95B:UN'\n  \t\n" "EQD+CN+MSKU3054383'\r\n\r\n"
        "UNT+3+M1'\n" "UNZ+1+IC1'\n\n\x1A",
    };
    const uint32_t lines[] = { 2, 2, 1, 6 };
    uint8_t first_digest[VG_DIGEST_SIZE];
    for (size_t i = 0; i < 4; i++) {
        struct collect *c = new_collect();
        struct vg_edifact_stats st;
        parse_str(layouts[i], 0, c, &st);
        assert_int_equal(c->nmsgs, 1);
        assert_int_equal(c->nrejects, 0);
        assert_int_equal(c->msgs[0].nsegments, 3);
        assert_int_equal(c->msgs[0].line, lines[i]);
        if (i == 0) {
            memcpy(first_digest, c->msgs[0].digest, VG_DIGEST_SIZE);
        } else {
            assert_memory_equal(first_digest, c->msgs[0].digest, VG_DIGEST_SIZE);
        }
        free(c);
    }
}

static enum vg_status inspect_wrapped(struct collect *c, const struct vg_edifact_message *m)
{
    for (size_t i = 0; i < m->nsegments; i++) {
        const struct vg_edifact_segment *s = &m->segments[i];
        if (vg_edifact_is(s, "FTX") && s->number == 6) {
            char a[128], b[128];
            assert_int_equal(vg_edifact_str(s, 4, 0, a, sizeof(a)), VG_OK);
            assert_int_equal(vg_edifact_str(s, 4, 1, b, sizeof(b)), VG_OK);
            snprintf(c->text, sizeof(c->text), "%s|%s", a, b);
            assert_int_equal(s->line, 7);
        }
    }
    return VG_OK;
}

static void test_edifact__segment_continued_on_next_line(void **state)
{
    (void)state;
    struct collect *c = new_collect();
    c->inspect = inspect_wrapped;
    struct vg_edifact_stats st;
    parse_shared("edifact/php-edifact/example_multiline.edi", VG_EDIFACT_TOLERATE_COUNTS, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(c->text, "THE SHIPPER SHALL NOT BE RESPONSIBLE FOR ANY COSTS/DELAYS "
                                 "OCCUR|DUE TO INTERVENTION OF CUSTOMS.");
    free(c);
}

static void test_edifact__byte_order_mark_and_sniff(void **state)
{
    (void)state;
    const char *text = "\xEF\xBB\xBF" UNB_A MSG("M1", "", "2") "UNZ+1+IC1'";
    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_str(text, 0, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_int_equal(c->ic.offset, 3);
    assert_int_equal(c->msgs[0].offset, 3 + strlen(UNB_A));
    free(c);
    assert_true(vg_edifact_sniff(text, strlen(text)));
    assert_true(vg_edifact_sniff("  \r\nUNA:+.? 'UNB", 16));
    assert_true(vg_edifact_sniff("UNH+1+COPRAR:D:95B:UN'", 22));
    assert_false(vg_edifact_sniff("UNHAPPY CUSTOMERS", 17));
    assert_false(vg_edifact_sniff("UNA:", 4));
    assert_false(vg_edifact_sniff("container,weight\n", 17));
    assert_false(vg_edifact_sniff("", 0));
    assert_false(vg_edifact_sniff("UNB", 3));
}

static void test_edifact__bare_coprar_without_interchange(void **state)
{
    (void)state;
    struct collect *c = new_collect();
    c->inspect = collect_equipment;
    struct vg_edifact_stats st;
    parse_shared("edifact/apimeister-edifact-types/d95b_coprar.edi", VG_EDIFACT_TOLERATE_COUNTS,
                 c, &st);
    assert_int_equal(st.interchanges, 0);
    assert_int_equal(c->nmsgs, 1);
    assert_false(c->msgs[0].in_interchange);
    assert_string_equal(c->msgs[0].ref, "638");
    assert_string_equal(c->msgs[0].type, "COPRAR");
    assert_int_equal(c->msgs[0].nsegments, 29);
    assert_int_equal(c->neqd, 2);
    assert_string_equal(c->eqd[0], "MSTI6415664");
    assert_int_equal(c->nrejects, 0); /* no UNZ expected without a UNB */
    free(c);
}

static enum vg_status inspect_ftx(struct collect *c, const struct vg_edifact_message *m)
{
    for (size_t i = 0; i < m->nsegments; i++) {
        const struct vg_edifact_segment *s = &m->segments[i];
        if (vg_edifact_is(s, "FTX") || vg_edifact_is(s, "IMD") || vg_edifact_is(s, "NAD")) {
            size_t e = vg_edifact_is(s, "NAD") ? 4 : vg_edifact_is(s, "IMD") ? 3 : 4;
            size_t comp = vg_edifact_is(s, "IMD") ? 3 : 0;
            char v[64];
            assert_int_equal(vg_edifact_str(s, e, comp, v, sizeof(v)), VG_OK);
            if (v[0] != '\0' && c->text[0] == '\0') {
                snprintf(c->text, sizeof(c->text), "%s", v);
            }
        }
    }
    return VG_OK;
}

static void test_edifact__version4_repetition_without_una(void **state)
{
    (void)state;
    struct vg_edifact_lexer *lx;
    const char text[] = "UNB+UNOC:4+A+B+20240503:1020+1'ATT+2++M*F'UNB+UNOC:3+A+B+240503:1020+2'"
                        "ATT+2++M*F'";
    assert_int_equal(vg_edifact_lexer_new(text, sizeof(text) - 1, "t", 0, &lx), VG_OK);
    const struct vg_edifact_segment *seg;
    struct vg_error err;
    assert_int_equal(vg_edifact_lexer_next(lx, &seg, &err), VG_OK);
    assert_int_equal(vg_edifact_lexer_syntax(lx)->repetition, '*');
    assert_int_equal(vg_edifact_lexer_next(lx, &seg, &err), VG_OK);
    assert_int_equal(vg_edifact_repetitions(seg, 3), 2);
    assert_true(vg_slice_eq_cstr(vg_edifact_raw_rep(seg, 3, 1, 0), "F"));
    assert_int_equal(vg_edifact_lexer_next(lx, &seg, &err), VG_OK);
    assert_int_equal(vg_edifact_lexer_syntax(lx)->repetition, 0);
    assert_int_equal(vg_edifact_lexer_next(lx, &seg, &err), VG_OK);
    assert_int_equal(vg_edifact_repetitions(seg, 3), 1);
    assert_true(vg_slice_eq_cstr(vg_edifact_raw(seg, 3, 0), "M*F"));
    assert_int_equal(seg->number, 4);
    vg_edifact_lexer_free(lx);

    /* CCYYMMDD dates in syntax version 4. */
    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_str("UNB+UNOC:4+A+B+20240503:1020+1'UNZ+0+1'", 0, c, &st);
    assert_int_equal(c->nrejects, 0);
    free(c);
}

static void test_edifact__level_b_information_separators(void **state)
{
    (void)state;
    const char text[] = "UNB\x1DUNOB\x1F" "3\x1D" "A\x1D" "B\x1D" "240503\x1F" "1020\x1D" "1\x1C"
                        "UNH\x1D" "1\x1D" "IFTSTA\x1F" "D\x1F" "00B\x1F" "UN\x1C"
                        "UNT\x1D" "2\x1D" "1\x1C" "UNZ\x1D" "1\x1D" "1\x1C";
    struct collect *c = new_collect();
    struct vg_edifact_stats st;
    parse_buf(text, sizeof(text) - 1, 0, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_int_equal(c->nrejects, 0);
    assert_string_equal(c->msgs[0].type, "IFTSTA");
    assert_int_equal(c->ic.syntax.terminator, 0x1C);
    assert_int_equal(c->ic.syntax.release, 0);
    assert_true(vg_edifact_sniff(text, sizeof(text) - 1));
    free(c);
}

/* ---- character sets --------------------------------------------------------------------- */

static void test_edifact__utf8_under_unoc_is_taken_and_noted(void **state)
{
    (void)state;
    struct collect *c = new_collect();
    c->inspect = inspect_ftx;
    struct vg_edifact_stats st;
    parse_shared("edifact/php-edifact/example_utf8.edi", 0, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(c->text, "MUNCI\xC3\x8B THE MIDDLE");
    assert_string_equal(c->msgs[0].charset, "UTF-8");
    assert_int_equal(c->nnotes, 1);
    struct seen_issue *n = &c->notes[0];
    assert_string_equal(n->kind, "charset-utf8");
    assert_int_equal(n->scope, VG_EDIFACT_SCOPE_MESSAGE);
    assert_string_equal(n->msg_ref, "142");
    assert_string_equal(n->value, "UNOC");
    assert_string_equal(n->expected, "UTF-8");
    assert_int_equal(n->err.line, 13);
    assert_int_equal(n->err.item, 11);
    assert_int_equal(n->err.offset, 272);
    assert_string_equal(n->err.message, "the text is UTF-8 although the interchange declares "
                                        "UNOC (ISO-8859-1); read as UTF-8");
    free(c);

    /* The same bytes in Latin-1 (D96ADESADV.edi spells it without the diaeresis; write it
     * by hand): converted, no note. */
    c = new_collect();
    c->inspect = inspect_ftx;
    parse_str("UNB+UNOC:3+A+B+240503:1020+1'UNH+1+DESADV:D:96A:UN'"
              "IMD+F+81+:::MUNCI\xCB THE MIDDLE'UNT+3+1'UNZ+1+1'",
              0, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_int_equal(c->nnotes, 0);
    assert_string_equal(c->text, "MUNCI\xC3\x8B THE MIDDLE");
    assert_string_equal(c->msgs[0].charset, "ISO-8859-1");
    free(c);
}

static void test_edifact__other_declared_sets_are_converted(void **state)
{
    (void)state;
    struct collect *c = new_collect();
    c->inspect = inspect_ftx;
    struct vg_edifact_stats st;
    /* UNOD is ISO 8859-2: 0xA3 is L with stroke, 0xF3 o acute, 0xBC z acute. */
    parse_str("UNB+UNOD:3+A+B+240503:1020+1'UNH+1+CUSCAR:D:95B:UN'"
              "FTX+AAA+++\xA3\xF3" "d\xBC PORT'UNT+3+1'UNZ+1+1'", 0, c, &st);
    assert_int_equal(c->nmsgs, 1);
    assert_string_equal(c->text, "\xC5\x81\xC3\xB3" "d\xC5\xBA PORT");
    assert_string_equal(c->msgs[0].charset, "ISO-8859-2");
    free(c);

    /* UNOW declared but Latin-1 bytes: read as ISO 8859-1, noted. */
    c = new_collect();
    c->inspect = inspect_ftx;
    parse_str("UNB+UNOW:4+A+B+20240503:1020+1'UNH+1+CUSCAR:D:95B:UN'"
              "FTX+AAA+++CALLAO PER\xDA'UNT+3+1'UNZ+1+1'", 0, c, &st);
    assert_string_equal(c->text, "CALLAO PER\xC3\x9A");
    assert_int_equal(c->nnotes, 1);
    assert_string_equal(c->notes[0].kind, "charset-not-utf8");
    free(c);

    /* UNOA is 7-bit: high bytes are noted and read as UTF-8 when they are. */
    c = new_collect();
    c->inspect = inspect_ftx;
    parse_str("UNB+UNOA:3+A+B+240503:1020+1'UNH+1+CUSCAR:D:95B:UN'"
              "FTX+AAA+++CAF\xC3\x89'UNT+3+1'UNZ+1+1'", 0, c, &st);
    assert_string_equal(c->text, "CAF\xC3\x89");
    assert_string_equal(c->notes[0].kind, "charset-repertoire");
    free(c);

    /* No UNB at all. */
    c = new_collect();
    c->inspect = inspect_ftx;
    parse_str("UNH+1+CUSCAR:D:95B:UN'FTX+AAA+++CAF\xC9'UNT+3+1'", 0, c, &st);
    assert_string_equal(c->text, "CAF\xC3\x89");
    assert_string_equal(c->notes[0].kind, "charset-unknown");
    free(c);
}

/* ---- values ----------------------------------------------------------------------------- */

static void test_edifact__values_numbers_text_and_zero_copy(void **state)
{
    (void)state;
    const char text[] = "MEA+AAE+G+KGM: 1234,50 :-7:12.5.1:abc:1e3:?+4::00012'"
                        "FTX+AAA+++  PADDED VALUE  :TWO??:R?+:\xC3\x89T\xC3\x89'"
                        "LOC+147+0110382::5'";
    struct vg_edifact_lexer *lx;
    assert_int_equal(vg_edifact_lexer_new(text, sizeof(text) - 1, "t", 0, &lx), VG_OK);
    const struct vg_edifact_segment *s;
    struct vg_error err;
    assert_int_equal(vg_edifact_lexer_next(lx, &s, &err), VG_OK);
    assert_int_equal(s->elements, 3);
    assert_int_equal(vg_edifact_components(s, 3), 9);
    double d = 0;
    int64_t i = 0;
    assert_int_equal(vg_edifact_decimal(s, 3, 1, &d), VG_OK);
    assert_true(d == 1234.5);
    assert_int_equal(vg_edifact_int(s, 3, 2, &i), VG_OK);
    assert_int_equal(i, -7);
    assert_int_equal(vg_edifact_decimal(s, 3, 2, &d), VG_OK);
    assert_true(d == -7);
    assert_int_equal(vg_edifact_decimal(s, 3, 3, &d), VG_EPARSE);
    assert_int_equal(vg_edifact_decimal(s, 3, 4, &d), VG_EPARSE);
    assert_int_equal(vg_edifact_decimal(s, 3, 5, &d), VG_EPARSE); /* no exponents */
    assert_int_equal(vg_edifact_int(s, 3, 6, &i), VG_EPARSE);     /* no plus sign */
    assert_int_equal(vg_edifact_int(s, 3, 7, &i), VG_ENOTFOUND);  /* empty */
    assert_int_equal(vg_edifact_int(s, 3, 20, &i), VG_ENOTFOUND); /* absent */
    assert_int_equal(vg_edifact_int(s, 3, 8, &i), VG_OK);
    assert_int_equal(i, 12);
    assert_int_equal(vg_edifact_decimal(s, 1, 0, &d), VG_EPARSE);
    assert_true(d == -7);
    char scratch[8];
    struct vg_slice v = vg_edifact_unescaped(s, vg_edifact_raw(s, 3, 6), scratch, sizeof(scratch));
    assert_ptr_equal(v.ptr, scratch);
    assert_true(vg_slice_eq_cstr(v, "+4"));
    assert_true(vg_slice_eq_cstr(vg_edifact_element_raw(s, 3),
                                 "KGM: 1234,50 :-7:12.5.1:abc:1e3:?+4::00012"));
    assert_int_equal(vg_edifact_element_raw(s, 4).len, 0);
    assert_int_equal(vg_edifact_components(s, 4), 0);
    assert_true(vg_slice_eq_cstr(vg_edifact_raw(s, 0, 0), "MEA"));

    assert_int_equal(vg_edifact_lexer_next(lx, &s, &err), VG_OK);
    char buf[64];
    assert_int_equal(vg_edifact_str(s, 4, 0, buf, sizeof(buf)), VG_OK);
    assert_string_equal(buf, "PADDED VALUE");
    assert_int_equal(vg_edifact_str(s, 4, 1, buf, sizeof(buf)), VG_OK);
    assert_string_equal(buf, "TWO?");
    assert_int_equal(vg_edifact_str(s, 4, 2, buf, sizeof(buf)), VG_OK);
    assert_string_equal(buf, "R+");
    v = vg_edifact_unescaped(s, vg_edifact_raw(s, 4, 2), scratch, sizeof(scratch));
    assert_ptr_equal(v.ptr, scratch);
    assert_true(vg_slice_eq_cstr(v, "R+"));
    /* Truncation: cut at a character boundary, never inside one. */
    assert_int_equal(vg_edifact_str(s, 4, 0, buf, 7), VG_ELIMIT);
    assert_string_equal(buf, "PADDED");
    assert_int_equal(vg_edifact_str(s, 4, 3, buf, 5), VG_ELIMIT);
    assert_string_equal(buf, "\xC3\x89T");
    assert_int_equal(vg_edifact_str(s, 4, 3, buf, 6), VG_OK);
    assert_string_equal(buf, "\xC3\x89T\xC3\x89");
    assert_int_equal(vg_edifact_str(s, 4, 1, buf, 5), VG_OK);
    assert_string_equal(buf, "TWO?");
    assert_int_equal(vg_edifact_str(s, 4, 1, buf, 4), VG_ELIMIT);
    assert_string_equal(buf, "TWO");
    assert_int_equal(vg_edifact_str(s, 4, 1, buf, 0), VG_EINVAL);
    assert_int_equal(vg_edifact_str(s, 9, 9, buf, sizeof(buf)), VG_OK);
    assert_string_equal(buf, "");
    /* No release character in this segment: the value is the input itself. */
    assert_int_equal(vg_edifact_lexer_next(lx, &s, &err), VG_OK);
    v = vg_edifact_unescaped(s, vg_edifact_raw(s, 2, 0), scratch, sizeof(scratch));
    assert_ptr_equal(v.ptr, strstr(text, "0110382"));
    assert_int_equal(v.len, 7);
    assert_int_equal(vg_edifact_raw(s, 2, 1).len, 0);
    assert_true(vg_slice_eq_cstr(vg_edifact_raw(s, 2, 2), "5"));
    assert_int_equal(vg_edifact_components(s, 2), 3);
    assert_int_equal(vg_edifact_lexer_next(lx, &s, &err), VG_ENOTFOUND);
    vg_edifact_lexer_free(lx);
}

/* ---- the fast scan against the byte loop ------------------------------------------------ */

static uint64_t xorshift(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Tokenizes data twice, with and without the 16-byte scan, and compares everything. */
static void compare_scans(const char *data, size_t len, size_t max_segment)
{
    struct vg_edifact_lexer *a, *b;
    assert_int_equal(vg_edifact_lexer_new(data, len, "a", max_segment, &a), VG_OK);
    assert_int_equal(vg_edifact_lexer_new(data, len, "b", max_segment, &b), VG_OK);
    b->scalar_only = true;
    for (;;) {
        const struct vg_edifact_segment *x, *y;
        struct vg_error ex, ey;
        vg_error_clear(&ex);
        vg_error_clear(&ey);
        enum vg_status sa = vg_edifact_lexer_next(a, &x, &ex);
        enum vg_status sb = vg_edifact_lexer_next(b, &y, &ey);
        assert_int_equal(sa, sb);
        assert_string_equal(ex.message, ey.message);
        assert_int_equal(ex.offset, ey.offset);
        assert_int_equal(a->line, b->line);
        assert_int_equal(a->line_start, b->line_start);
        if (sa == VG_ENOTFOUND || (x == NULL && y == NULL)) {
            if (sa == VG_ENOTFOUND) {
                break;
            }
            continue;
        }
        assert_non_null(x);
        assert_non_null(y);
        assert_int_equal(x->offset, y->offset);
        assert_int_equal(x->text.len, y->text.len);
        assert_int_equal(x->line, y->line);
        assert_int_equal(x->column, y->column);
        assert_int_equal(x->elements, y->elements);
        assert_int_equal(x->flags_, y->flags_);
        assert_int_equal(x->marks_, y->marks_);
        assert_memory_equal(a->marks + x->first_mark_, b->marks + y->first_mark_,
                            x->marks_ * sizeof(uint32_t));
        assert_string_equal(x->tag, y->tag);
    }
    vg_edifact_lexer_free(a);
    vg_edifact_lexer_free(b);
}

static void test_edifact__fast_scan_matches_byte_loop(void **state)
{
    (void)state;
    /* Bytes rich in service characters, line breaks, high bytes and release sequences,
     * with and without a UNA that changes them. */
    static const char alphabet[] = "ABCUNT0123 :+?'*\n\r\xC3\x89|^!#~.,";
    uint64_t seed = 0x2545F4914F6CDD1Dull;
    char buf[600];
    for (int round = 0; round < 3000; round++) {
        size_t len = 0;
        if (round % 3 == 1) {
            memcpy(buf, "UNA|^,!~#", 9);
            len = 9;
        } else if (round % 3 == 2) {
            memcpy(buf, "UNB+UNOC:4+A+B+20240503:1020+1'", 31);
            len = 31;
        }
        size_t n = 16 + xorshift(&seed) % 500;
        while (len < n) {
            /* Runs of ordinary text between special bytes, of varied lengths. */
            if (xorshift(&seed) % 3 == 0) {
                size_t run = xorshift(&seed) % 40;
                for (size_t k = 0; k < run && len < n; k++) {
                    buf[len++] = (char)('A' + xorshift(&seed) % 26);
                }
            } else {
                buf[len++] = alphabet[xorshift(&seed) % (sizeof(alphabet) - 1)];
            }
        }
        compare_scans(buf, len, 0);
        compare_scans(buf, len, 20); /* the segment limit inside the fast scan */
    }
    /* And the real samples. */
    static const char *const files[] = { "edifact/parse-baplie/demo_v22.edi",
                                         "edifact/php-edifact/example_release_character.edi",
                                         "edifact/php-edifact/example_utf8.edi",
                                         "edifact/php-edifact/example_multiline.edi",
                                         "edifact/smooks-unedifact/PAXLST_D03B_message_01.edi" };
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        size_t len;
        char *data = read_shared(files[i], &len);
        compare_scans(data, len, 0);
        vg_free(data);
    }
}

/* ---- allocation failure ----------------------------------------------------------------- */

struct oom_ctx {
    char *data;
    size_t len;
    struct collect *c;
};

static enum vg_status inspect_convert(struct collect *c, const struct vg_edifact_message *m)
{
    struct vg_buf b;
    vg_buf_init(&b, 0);
    enum vg_status st = VG_OK;
    for (size_t i = 0; i < m->nsegments && st == VG_OK; i++) {
        st = vg_edifact_text(&m->segments[i], 1, 0, &b);
    }
    if (st == VG_OK) {
        snprintf(c->text, sizeof(c->text), "%zu", b.len);
    }
    vg_buf_release(&b);
    return st;
}

static enum vg_status oom_parse(void *ctx)
{
    struct oom_ctx *o = ctx;
    memset(o->c, 0, sizeof(*o->c));
    o->c->inspect = inspect_convert;
    struct vg_edifact_handler h = { on_message, on_reject, on_note, o->c };
    struct vg_error err;
    return vg_edifact_parse(o->data, o->len, "oom.edi", NULL, &h, NULL, &err);
}

static void test_edifact__out_of_memory_fails_cleanly(void **state)
{
    (void)state;
    struct oom_ctx o;
    o.c = new_collect();
    size_t len;
    char *coarri = read_shared("edifact/php-edifact/D95BCOARRI.edi", &len);
    /* COARRI, then an ISO 8859-2 message whose text goes through iconv. */
    const char extra[] = "UNB+UNOD:3+A+B+240503:1020+1'UNH+1+CUSCAR:D:95B:UN'"
                         "FTX+\xA3\xF3" "d\xBC'UNT+3+1'UNZ+1+1'";
    o.len = len + sizeof(extra) - 1;
    o.data = vg_malloc(o.len);
    assert_non_null(o.data);
    memcpy(o.data, coarri, len);
    memcpy(o.data + len, extra, sizeof(extra) - 1);
    int runs = vg_test_oom_loop(oom_parse, NULL, &o, 200);
    assert_true(runs > 3);
    assert_int_equal(o.c->nmsgs, 3);
    vg_free(o.data);
    vg_free(coarri);
    free(o.c);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_edifact__every_shared_sample_parses),
    cmocka_unit_test(test_edifact__iftsta_unz_reference_mismatch_is_an_envelope_reject),
    cmocka_unit_test(test_edifact__coarri_containers_stowage_and_weights),
    cmocka_unit_test(test_edifact__baplie_bay_plan_609_containers_and_blank_lines),
    cmocka_unit_test(test_edifact__release_character_matches_expected_tsv),
    cmocka_unit_test(test_edifact__paxlst_group_escapes_and_repetitions),
    cmocka_unit_test(test_edifact__cuscar_count_rejected_good_message_goes_through),
    cmocka_unit_test(test_edifact__cut_off_message_rejected_next_one_kept),
    cmocka_unit_test(test_edifact__missing_unz_keeps_the_messages),
    cmocka_unit_test(test_edifact__wrong_unz_count_and_reference),
    cmocka_unit_test(test_edifact__groups_are_counted_and_closed),
    cmocka_unit_test(test_edifact__syntax_errors_reject_only_their_message),
    cmocka_unit_test(test_edifact__unb_without_sender_rejects_its_messages),
    cmocka_unit_test(test_edifact__limits_reject_long_messages_and_segments),
    cmocka_unit_test(test_edifact__input_ending_inside_a_segment),
    cmocka_unit_test(test_edifact__una_with_unusual_service_characters),
    cmocka_unit_test(test_edifact__bad_una_skips_its_interchange),
    cmocka_unit_test(test_edifact__crlf_lf_and_no_line_breaks_read_alike),
    cmocka_unit_test(test_edifact__segment_continued_on_next_line),
    cmocka_unit_test(test_edifact__byte_order_mark_and_sniff),
    cmocka_unit_test(test_edifact__bare_coprar_without_interchange),
    cmocka_unit_test(test_edifact__version4_repetition_without_una),
    cmocka_unit_test(test_edifact__level_b_information_separators),
    cmocka_unit_test(test_edifact__utf8_under_unoc_is_taken_and_noted),
    cmocka_unit_test(test_edifact__other_declared_sets_are_converted),
    cmocka_unit_test(test_edifact__values_numbers_text_and_zero_copy),
    cmocka_unit_test(test_edifact__fast_scan_matches_byte_loop),
    cmocka_unit_test(test_edifact__out_of_memory_fails_cleanly),
};

VG_TEST_MAIN(tests)
