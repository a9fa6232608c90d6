/* Outcomes: the outcomes CSV parser (rejects with line and reason, flags), idempotent
 * import, linking at origin and of finds abroad back to the trip that left, late trips
 * linked on the next run, targets closed as inspected, an officer's record. */
#include "vg_targeting.h"
#include "vg_test.h"

#include <math.h>
#include <stdlib.h>
#include <vigia/alloc.h>
#include <vigia/ingest.h>
#include <vigia/outcome.h>
#include <vigia/target.h>
#include <vigia/time.h>

struct seen {
    int outcomes, rejects, flags;
    uint32_t reject_lines[16];
    char reject_msgs[16][VG_ERROR_MESSAGE_MAX];
    char flag_fields[16][32];
    struct {
        char container[16];
        char bl[32];
        char port[6];
        int64_t at;
        enum vg_outcome_result result;
        double kg;
        enum vg_found_at found;
        char selection[16];
        uint32_t line;
    } o[16];
};

static enum vg_status on_outcome(void *user, const struct vg_outcome *o)
{
    struct seen *s = user;
    if (s->outcomes < 16) {
        snprintf(s->o[s->outcomes].container, 16, "%s", o->container);
        snprintf(s->o[s->outcomes].bl, 32, "%s", o->bill_of_lading ? o->bill_of_lading : "");
        snprintf(s->o[s->outcomes].port, 6, "%s", o->port);
        snprintf(s->o[s->outcomes].selection, 16, "%s", o->selection ? o->selection : "");
        s->o[s->outcomes].at = o->inspected_at;
        s->o[s->outcomes].result = o->result;
        s->o[s->outcomes].kg = o->kg;
        s->o[s->outcomes].found = o->found_at;
        s->o[s->outcomes].line = o->line;
    }
    s->outcomes++;
    return VG_OK;
}

static enum vg_status on_reject(void *user, const struct vg_error *r, const char *ex, size_t n)
{
    struct seen *s = user;
    (void)ex;
    (void)n;
    if (s->rejects < 16) {
        s->reject_lines[s->rejects] = r->line;
        snprintf(s->reject_msgs[s->rejects], VG_ERROR_MESSAGE_MAX, "%s", r->message);
    }
    s->rejects++;
    return VG_OK;
}

static enum vg_status
on_flag(void *user, const struct vg_error *r, const char *field, const char *value)
{
    struct seen *s = user;
    (void)r;
    (void)value;
    if (s->flags < 16) {
        snprintf(s->flag_fields[s->flags], 32, "%s", field);
    }
    s->flags++;
    return VG_OK;
}

static enum vg_status parse_text(const char *text, struct seen *s, struct vg_error *e)
{
    memset(s, 0, sizeof(*s));
    struct vg_outcome_sink sink = { on_outcome, on_reject, on_flag, s };
    vg_error_clear(e);
    return vg_outcomes_parse_csv(text, strlen(text), "t.csv", &sink, e);
}

static const char *fixture(void)
{
    static char path[1024];
    snprintf(path, sizeof(path), "%s", vg_test_source("tests/data/targeting/outcomes.csv"));
    return path;
}

static void test_outcome__parser_takes_good_rows_and_refuses_bad_ones(void **state)
{
    (void)state;
    size_t len;
    char *text = vg_test_read_file(fixture(), &len);
    struct seen *s = calloc(1, sizeof(*s));
    struct vg_error e;
    assert_status(parse_text(text, s, &e), VG_OK, &e);
    assert_int_equal(s->outcomes, 5);
    assert_int_equal(s->rejects, 5);
    assert_int_equal(s->flags, 2);
    /* Local 10:00 in Callao is 15:00 UTC. */
    assert_string_equal(s->o[0].container, "TGTU1000020");
    assert_int_equal(s->o[0].at, 1714748400);
    assert_int_equal(s->o[0].result, VG_RESULT_NEGATIVE);
    assert_true(isnan(s->o[0].kg));
    assert_int_equal(s->o[0].found, VG_FOUND_ORIGIN);
    assert_string_equal(s->o[0].selection, "targeted");
    assert_int_equal(s->o[1].at, vg_time_from_civil(2024, 6, 28, 8, 0, 0));
    assert_int_equal(s->o[1].found, VG_FOUND_DESTINATION);
    assert_true(s->o[1].kg == 300);
    assert_string_equal(s->o[2].bl, "");
    assert_true(s->o[3].kg == 45.5); /* decimal comma */
    assert_string_equal(s->o[3].selection, "random");
    assert_string_equal(s->o[4].container, "TGTU1000016");
    assert_int_equal(s->o[4].line, 10);
    const uint32_t lines[5] = { 6, 7, 8, 9, 11 };
    for (int i = 0; i < 5; i++) {
        assert_int_equal(s->reject_lines[i], lines[i]);
    }
    assert_non_null(strstr(s->reject_msgs[0], "result 'positive'"));
    assert_non_null(strstr(s->reject_msgs[1], "inspected_at 'not a time'"));
    assert_non_null(strstr(s->reject_msgs[2], "kg 'abc'"));
    assert_non_null(strstr(s->reject_msgs[3], "container is empty"));
    assert_non_null(strstr(s->reject_msgs[4], "negative result"));
    assert_string_equal(s->flag_fields[0], "container");
    assert_string_equal(s->flag_fields[1], "method");
    free(s);
    vg_free(text);
}

static void test_outcome__header_must_name_the_required_columns(void **state)
{
    (void)state;
    struct seen *s = calloc(1, sizeof(*s));
    struct vg_error e;
    assert_status(parse_text("container,port,inspected_at,result\nTGTU1000020,PECLL,2024-05-03,"
                             "negative\n",
                             s, &e),
                  VG_EFORMAT, &e);
    assert_non_null(strstr(e.message, "bill_of_lading"));
    assert_int_equal(s->outcomes, 0);
    assert_status(parse_text("", s, &e), VG_EFORMAT, &e);
    /* Columns in another order and case; unknown ones ignored; CRLF; a quoted field with a
     * line break is one field. */
    assert_status(parse_text("KG,Result,Port,Container,Inspected_At,Bill_Of_Lading,Substance,"
                             "Concealment,Remark\r\n12,drugs,PE CLL,tgtu 100002-0,"
                             "2024-05-03T10:00:00Z,A;B,cocaine,\"in\r\ncargo\",x\r\n",
                             s, &e),
                  VG_OK, &e);
    assert_int_equal(s->outcomes, 1);
    assert_string_equal(s->o[0].container, "TGTU1000020");
    assert_string_equal(s->o[0].port, "PECLL");
    assert_string_equal(s->o[0].bl, "A;B");
    assert_int_equal(s->o[0].found, VG_FOUND_UNKNOWN);
    /* An unterminated quote is a reject, the rows before it go through. */
    assert_status(parse_text("container,bill_of_lading,port,inspected_at,result,substance,kg,"
                             "concealment\nTGTU1000020,A,PECLL,2024-05-03,negative,,,\n"
                             "TGTU1000020,\"A,PECLL,2024-05-04,negative,,,\n",
                             s, &e),
                  VG_OK, &e);
    assert_int_equal(s->outcomes, 1);
    assert_int_equal(s->rejects, 1);
    assert_int_equal(s->reject_lines[0], 3);
    free(s);
}

static enum vg_status import(struct vg_store *s, const char *path, struct vg_outcome_report *r)
{
    struct vg_error e;
    vg_error_clear(&e);
    return vg_outcomes_import(s, path, r, NULL, NULL, &e);
}

static int64_t outcome_trip(struct vg_store *s, const char *container, const char *port)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT coalesce(trip_id, 0) FROM outcomes WHERE container_number = '%s' AND"
             " port = '%s'",
             container, port);
    return vg_tt_int(s, sql);
}

static void test_outcome__import_links_origin_and_finds_abroad(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("link.db");
    vg_tt_select(s);
    struct vg_outcome_report r;
    assert_int_equal(import(s, fixture(), &r), VG_EPARTIAL);
    assert_int_equal(r.records, 10);
    assert_int_equal(r.inserted, 5);
    assert_int_equal(r.rejected, 5);
    assert_int_equal(r.flagged, 2);
    assert_int_equal(r.linked, 4);
    assert_int_equal(r.unlinked, 1);
    assert_int_equal(r.relinked, 0);
    /* At origin: the May trip; TGTU1000020 was a target, now inspected. */
    assert_int_equal(outcome_trip(s, "TGTU1000020", "PECLL"),
                     vg_tt_trip(s, "TGTU1000020", "FA123E"));
    assert_int_equal(outcome_trip(s, "TGTU1000041", "PECLL"),
                     vg_tt_trip(s, "TGTU1000041", "FA123E"));
    char buf[64];
    assert_string_equal(vg_tt_text(s,
                                   "SELECT link FROM outcomes WHERE container_number ="
                                   " 'TGTU1000020'",
                                   buf, sizeof(buf)),
                        "container+bl+date");
    assert_string_equal(vg_tt_text(s,
                                   "SELECT tg.state FROM targets tg JOIN trips t ON t.id ="
                                   " tg.trip_id JOIN containers c ON c.id = t.container_id"
                                   " WHERE c.number = 'TGTU1000020'",
                                   buf, sizeof(buf)),
                        "inspected");
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM inspections i JOIN targets tg ON tg.id ="
                                  " i.target_id WHERE i.state = 'done'"),
                     r.targets_closed);
    assert_true(r.targets_closed >= 1);
    /* Antwerp in June: the June trip carrying B/L TGT0040, not the May one. */
    assert_int_equal(outcome_trip(s, "TGTU1000015", "BEANR"),
                     vg_tt_trip(s, "TGTU1000015", "FA124E"));
    /* Rotterdam in May without a B/L: the only trip of the 60 days before. */
    assert_int_equal(outcome_trip(s, "TGTU1000015", "NLRTM"),
                     vg_tt_trip(s, "TGTU1000015", "FA123E"));
    assert_string_equal(
        vg_tt_text(s, "SELECT link FROM outcomes WHERE port = 'NLRTM'", buf, sizeof(buf)),
        "container+date");
    assert_string_equal(vg_tt_text(s,
                                   "SELECT team FROM inspections i JOIN outcomes o ON"
                                   " o.inspection_id = i.id WHERE o.port = 'BEANR'",
                                   buf, sizeof(buf)),
                        "partner");
    /* A find abroad does not close the origin target. */
    assert_string_equal(vg_tt_text(s,
                                   "SELECT tg.state FROM targets tg JOIN trips t ON t.id ="
                                   " tg.trip_id JOIN containers c ON c.id = t.container_id"
                                   " WHERE c.number = 'TGTU1000015'",
                                   buf, sizeof(buf)),
                        "selected");
    /* The unknown container stays unlinked, with a finding; rejects are kept. */
    assert_int_equal(outcome_trip(s, "TGTU1000016", "PECLL"), 0);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'outcome_unlinked'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind ="
                                  " 'outcome_container'"),
                     1);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM rejects WHERE format = 'outcomes-csv'"), 5);
    assert_int_equal(vg_tt_int(s, "SELECT group_concat(line) FROM (SELECT line FROM rejects"
                                  " ORDER BY line) WHERE line = 6"),
                     6);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log WHERE action ="
                                  " 'outcomes.import'"),
                     1);
    assert_string_equal(vg_tt_text(s,
                                   "SELECT selection FROM outcomes WHERE container_number ="
                                   " 'TGTU1000041'",
                                   buf, sizeof(buf)),
                        "random");
    vg_store_close(s);
}

static void test_outcome__import_twice_changes_nothing_and_changes_update(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("twice.db");
    struct vg_outcome_report r;
    assert_int_equal(import(s, fixture(), &r), VG_EPARTIAL);
    int64_t audit = vg_tt_int(s, "SELECT count(*) FROM audit_log");
    assert_int_equal(import(s, fixture(), &r), VG_EPARTIAL);
    assert_int_equal(r.inserted, 0);
    assert_int_equal(r.unchanged, 5);
    assert_int_equal(r.updated, 0);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log"), audit);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM outcomes"), 5);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM inspections"), 5);
    /* The weight corrected: the same examination, updated. */
    const char *text =
        "container,bill_of_lading,port,inspected_at,result,substance,kg,concealment\n"
        "TGTU1000015,TGT0040,BEANR,2024-06-28T08:00:00Z,drugs,cocaine,310,"
        "door_end_bags\n";
    const char *path = vg_test_tmpfile("fix.csv");
    vg_test_write_file(path, text, strlen(text));
    assert_int_equal(import(s, path, &r), VG_OK);
    assert_int_equal(r.updated, 1);
    assert_int_equal(r.inserted, 0);
    assert_int_equal(vg_tt_int(s, "SELECT kg FROM outcomes WHERE port = 'BEANR'"), 310);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log"), audit + 1);
    vg_store_close(s);
}

static void test_outcome__outcomes_before_their_trips_are_linked_later(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_empty("late.db");
    struct vg_outcome_report r;
    assert_int_equal(import(s, fixture(), &r), VG_EPARTIAL);
    assert_int_equal(r.linked, 0);
    assert_int_equal(r.unlinked, 5);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM findings WHERE kind = 'outcome_unlinked'"),
                     5);
    /* The manifests arrive afterwards. */
    const char *paths[1] = { vg_test_source("tests/data/targeting/manifest.csv") };
    struct vg_ingest_options io = { .default_sender = "test" };
    struct vg_ingest_report ir;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_ingest_paths(s, paths, 1, &io, &ir, &e), VG_OK, &e);
    int64_t linked = 0, unlinked = 0;
    assert_status(vg_outcomes_link(s, &linked, &unlinked, &e), VG_OK, &e);
    assert_int_equal(linked, 4);
    assert_int_equal(unlinked, 1);
    assert_int_equal(outcome_trip(s, "TGTU1000015", "BEANR"),
                     vg_tt_trip(s, "TGTU1000015", "FA124E"));
    assert_int_equal(outcome_trip(s, "TGTU1000020", "PECLL"),
                     vg_tt_trip(s, "TGTU1000020", "FA123E"));
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM inspections WHERE trip_id IS NOT NULL"), 4);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log WHERE action = 'outcomes.link'"),
                     1);
    /* Nothing more to link: nothing written. */
    assert_status(vg_outcomes_link(s, &linked, &unlinked, &e), VG_OK, &e);
    assert_int_equal(linked, 0);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log WHERE action = 'outcomes.link'"),
                     1);
    /* An import also retries: a second file finds the earlier outcome still unlinked. */
    assert_int_equal(import(s, fixture(), &r), VG_EPARTIAL);
    assert_int_equal(r.relinked, 0);
    assert_int_equal(r.unlinked, 1);
    vg_store_close(s);
}

static struct vg_outcome officer(const char *container, enum vg_outcome_result result)
{
    struct vg_outcome o;
    memset(&o, 0, sizeof(o));
    snprintf(o.container, sizeof(o.container), "%s", container);
    o.inspected_at = vg_time_from_civil(2024, 5, 3, 16, 0, 0);
    o.result = result;
    o.kg = NAN;
    return o;
}

static void test_outcome__officer_records_against_a_target(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("officer.db");
    vg_tt_select(s);
    struct vg_error e;
    vg_error_clear(&e);
    int64_t target = vg_tt_int(s, "SELECT min(id) FROM targets"); /* TGTU1000015, the hold */
    struct vg_outcome o = officer("", VG_RESULT_DRUGS);
    o.kg = 250;
    o.substance = "cocaine";
    o.concealment = "door_end_bags";
    o.method = "full";
    struct vg_outcome_recorded rec;
    assert_status(vg_outcome_record(s, &o, target, &rec, &e), VG_OK, &e);
    assert_true(rec.inserted);
    assert_int_equal(rec.target_id, target);
    assert_int_equal(rec.trip_id, vg_tt_trip(s, "TGTU1000015", "FA123E"));
    assert_string_equal(rec.link, "target");
    char buf[64];
    assert_string_equal(vg_tt_text(s,
                                   "SELECT state FROM targets WHERE id = (SELECT min(id) FROM"
                                   " targets)",
                                   buf, sizeof(buf)),
                        "inspected");
    assert_string_equal(vg_tt_text(s,
                                   "SELECT port || ' ' || selection || ' ' || source FROM"
                                   " outcomes",
                                   buf, sizeof(buf)),
                        "PECLL targeted manual");
    int64_t audit = vg_tt_int(s, "SELECT count(*) FROM audit_log");
    assert_status(vg_outcome_record(s, &o, target, &rec, &e), VG_OK, &e);
    assert_false(rec.inserted);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log"), audit);
    /* Refused: another container than the target's, weight with a negative result. */
    struct vg_outcome bad = officer("TGTU1000020", VG_RESULT_NEGATIVE);
    assert_status(vg_outcome_record(s, &bad, target, &rec, &e), VG_EINVAL, &e);
    bad.kg = 3;
    assert_status(vg_outcome_record(s, &bad, 0, &rec, &e), VG_EINVAL, &e);
    assert_status(vg_outcome_record(s, &bad, 4242, &rec, &e), VG_ENOTFOUND, &e);
    /* Without a target: the port is needed, and the trip is found by container and date. */
    struct vg_outcome plain = officer("TGTU1000020", VG_RESULT_NEGATIVE);
    assert_status(vg_outcome_record(s, &plain, 0, &rec, &e), VG_EINVAL, &e);
    snprintf(plain.port, sizeof(plain.port), "PECLL");
    assert_status(vg_outcome_record(s, &plain, 0, &rec, &e), VG_OK, &e);
    assert_int_equal(rec.trip_id, vg_tt_trip(s, "TGTU1000020", "FA123E"));
    assert_string_equal(rec.link, "container+port+date");
    assert_true(rec.target_id != 0); /* TGTU1000020 was selected by rule */
    vg_store_close(s);
}

static int count_row(void *user, size_t n, const char *const *values)
{
    (void)n;
    (void)values;
    (*(int *)user)++;
    return 0;
}

static void test_outcome__listing_filters(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("list.db");
    struct vg_outcome_report r;
    assert_int_equal(import(s, fixture(), &r), VG_EPARTIAL);
    int n = 0;
    struct vg_row_sink sink = { .columns = NULL, .row = count_row, .user = &n };
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_outcomes_list(s, NULL, NULL, VG_TIME_NONE, VG_TIME_NONE, &sink, &e), VG_OK,
                  &e);
    assert_int_equal(n, 5);
    n = 0;
    assert_status(vg_outcomes_list(s, "TGTU1000015", NULL, VG_TIME_NONE, VG_TIME_NONE, &sink, &e),
                  VG_OK, &e);
    assert_int_equal(n, 2);
    n = 0;
    assert_status(vg_outcomes_list(s, NULL, "PECLL", vg_time_from_civil(2024, 5, 3, 14, 30, 0),
                                   VG_TIME_NONE, &sink, &e),
                  VG_OK, &e);
    assert_int_equal(n, 2); /* 15:00Z and 17:00Z at Callao */
    vg_store_close(s);
}

static enum vg_status parse_op(void *ctx)
{
    const char *text = ctx;
    struct seen *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        return VG_ENOMEM;
    }
    struct vg_error e;
    enum vg_status st = parse_text(text, s, &e);
    if (st == VG_OK && (s->outcomes != 5 || s->rejects != 5)) {
        st = VG_EINVAL;
    }
    free(s);
    return st;
}

static void test_outcome__parser_without_memory_fails_cleanly(void **state)
{
    (void)state;
    size_t len;
    char *text = vg_test_read_file(fixture(), &len);
    assert_true(vg_test_oom_loop(parse_op, NULL, text, 200) > 1);
    vg_free(text);
}

static enum vg_status import_op(void *ctx)
{
    struct vg_outcome_report r;
    struct vg_error e;
    vg_error_clear(&e);
    enum vg_status st = vg_outcomes_import(ctx, fixture(), &r, NULL, NULL, &e);
    return st == VG_EPARTIAL ? VG_OK : st;
}

static void test_outcome__import_without_memory_leaves_nothing(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("oom.db");
    int64_t audit = vg_tt_int(s, "SELECT count(*) FROM audit_log");
    assert_true(vg_test_oom_loop(import_op, NULL, s, 400) > 1);
    /* Only the successful run wrote. */
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM outcomes"), 5);
    assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM audit_log"), audit + 1);
    vg_store_close(s);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_outcome__parser_takes_good_rows_and_refuses_bad_ones),
    cmocka_unit_test(test_outcome__header_must_name_the_required_columns),
    cmocka_unit_test(test_outcome__import_links_origin_and_finds_abroad),
    cmocka_unit_test(test_outcome__import_twice_changes_nothing_and_changes_update),
    cmocka_unit_test(test_outcome__outcomes_before_their_trips_are_linked_later),
    cmocka_unit_test(test_outcome__officer_records_against_a_target),
    cmocka_unit_test(test_outcome__listing_filters),
    cmocka_unit_test(test_outcome__parser_without_memory_fails_cleanly),
    cmocka_unit_test(test_outcome__import_without_memory_leaves_nothing),
};

VG_TEST_MAIN(tests)
