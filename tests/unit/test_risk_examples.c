/* Training examples (vg_risk_examples): exact counts on a small store of one-container
 * calls, the cut-off, the delay rule, boxes never loaded, unlinked outcomes, streams (the
 * outcome's own word, the target its inspection closed, finds abroad), a trip's own
 * outcome left out of its record while a later trip of the same shipper sees it, the
 * selection shares measured from the store, records that outlive the store, and the
 * back-test walking the same trips. */
#include "risk/risk_int.h"
#include "vg_test.h"

#include <math.h>
#include <sqlite3.h>
#include <vigia/alloc.h>
#include <vigia/ident.h>
#include <vigia/ingest.h>
#include <vigia/risk.h>
#include <vigia/store.h>
#include <vigia/time.h>

static int64_t T(const char *iso)
{
    int64_t t;
    assert_int_equal(vg_time_parse_iso8601(vg_slice_from_cstr(iso), NULL, &t, NULL), VG_OK);
    return t;
}

static void exec(struct vg_store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fail_msg("%s: %s", sql, msg);
    }
}

/* A valid container number of owner MSCU and serial n. */
static const char *box(int n, char *out)
{
    char s10[11];
    snprintf(s10, sizeof(s10), "MSCU%06d", n);
    snprintf(out, 12, "%s%d", s10, vg_container_check_digit(s10));
    return out;
}

/* One bill on its own call (voyage V<n>) for container n of shipper, leaving etd; loaded
 * at load (NULL: never loaded, as a seized box). */
static void trip(struct vg_buf *b, int n, const char *shipper, const char *etd, const char *load)
{
    char c[12];
    box(n, c);
    assert_int_equal(
        vg_buf_printf(b,
                      "{\"type\":\"manifest\",\"sender\":\"MSC-PE\",\"document_number\":\"D-%d\","
                      "\"prepared_at\":\"2024-02-01T00:00:00Z\",\"voyage\":{\"vessel\":{\"name\":"
                      "\"MSC ANNA\",\"imo\":\"9074729\"},\"voyage\":\"V%03d\",\"carrier\":\"MSC\","
                      "\"port\":\"PECLL\",\"etd\":\"%s\"},\"consignments\":[{\"bill_of_lading\":"
                      "\"BL%d\",\"places\":{\"loading\":\"PECLL\",\"discharge\":\"NLRTM\"},"
                      "\"parties\":[{\"role\":\"shipper\",\"name\":\"%s\",\"country\":\"PE\"},"
                      "{\"role\":\"consignee\",\"name\":\"Importer %d\",\"country\":\"NL\"}],"
                      "\"equipment\":[{\"container\":\"%s\",\"size_type\":\"45R1\"}],"
                      "\"goods\":[{\"hs_code\":\"080440\",\"description\":\"FRESH AVOCADOS\","
                      "\"packages\":1800,\"package_type\":\"BOXES\",\"gross_kg\":21600,"
                      "\"containers\":[\"%s\"]}]}]}\n",
                      n, n, etd, n, shipper, n, c, c),
        VG_OK);
    if (load != NULL) {
        assert_int_equal(
            vg_buf_printf(b,
                          "{\"type\":\"event\",\"sender\":\"DPW\",\"container\":\"%s\","
                          "\"event\":\"load\",\"time\":\"%s\",\"port\":\"PECLL\",\"terminal\":"
                          "\"DPW\",\"vessel\":{\"name\":\"MSC ANNA\",\"imo\":\"9074729\"},"
                          "\"voyage\":\"V%03d\"}\n",
                          c, load, n),
            VG_OK);
    }
}

/* An outcome of container n: where (origin or destination), when, result, selection
 * (NULL: none recorded). */
static void outcome(struct vg_store *s,
                    int n,
                    const char *found_at,
                    const char *when,
                    const char *result,
                    const char *selection)
{
    char c[12], sql[600];
    box(n, c);
    snprintf(sql, sizeof(sql),
             "INSERT INTO outcomes(container_number, bl_number, port, inspected_at, result,"
             " found_at, selection, digest, recorded_at) VALUES('%s', 'BL%d', '%s', %lld, '%s',"
             " '%s', %s%s%s, randomblob(32), 0)",
             c, n, strcmp(found_at, "origin") == 0 ? "PECLL" : "NLRTM", (long long)T(when), result,
             found_at, selection != NULL ? "'" : "", selection != NULL ? selection : "NULL",
             selection != NULL ? "'" : "");
    exec(s, sql);
}

/* The store of the tests (cut-off 2024-05-01, delay 20 days: labels final for trips that
 * left by 2024-04-11):
 *   1 A  loads 03-01  examined at origin, targeted, clean            targeted negative
 *   2 B  loads 03-02  examined at origin, clean, no selection word;  random negative
 *                     its inspection closed a random target
 *   3 C  loads 03-03  found at destination 03-25, no selection word  partner positive
 *   4 D  loads 03-04  examined at origin clean 03-03, found abroad   targeted positive
 *                     03-28 (the examination missed it)
 *   5 E  loads 03-05  random, clean; found abroad 05-10, after the   random negative
 *                     cut-off
 *   6 H  never loaded (call leaves 03-06): seized at origin 03-05    left out (not loaded)
 *   7 L  loads 03-10 after drugs were found at origin 03-08          targeted positive
 *                     (a controlled delivery), shipper "Seized Co"
 *   8 Q  loads 03-20  shipper "Seized Co", targeted, clean           targeted negative
 *   9 J  loads 03-15  never examined; targeted by vigia (a rule)     not an example
 *  10 F  loads 04-20  targeted, clean 04-19                          left out (late)
 *  11 G  loads 04-22  found abroad 04-28                             left out (late find)
 *     and an outcome of a container the store has never seen         unlinked */
static struct vg_store *store_of_examples(const char *name)
{
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct vg_store *s = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_store_open(vg_test_tmpfile(name), &o, &s, &e), VG_OK, &e);
    struct vg_buf b;
    vg_buf_init(&b, 0);
    trip(&b, 1, "Agro Uno SAC", "2024-03-01T20:00:00Z", "2024-03-01T10:00:00Z");
    trip(&b, 2, "Agro Dos SAC", "2024-03-02T20:00:00Z", "2024-03-02T10:00:00Z");
    trip(&b, 3, "Agro Tres SAC", "2024-03-03T20:00:00Z", "2024-03-03T10:00:00Z");
    trip(&b, 4, "Agro Cuatro SAC", "2024-03-04T20:00:00Z", "2024-03-04T10:00:00Z");
    trip(&b, 5, "Agro Cinco SAC", "2024-03-05T20:00:00Z", "2024-03-05T10:00:00Z");
    trip(&b, 6, "Agro Seis SAC", "2024-03-06T20:00:00Z", NULL);
    trip(&b, 7, "Seized Co SAC", "2024-03-10T20:00:00Z", "2024-03-10T10:00:00Z");
    trip(&b, 8, "Seized Co SAC", "2024-03-20T20:00:00Z", "2024-03-20T10:00:00Z");
    trip(&b, 9, "Agro Nueve SAC", "2024-03-15T20:00:00Z", "2024-03-15T10:00:00Z");
    trip(&b, 10, "Agro Diez SAC", "2024-04-20T20:00:00Z", "2024-04-20T10:00:00Z");
    trip(&b, 11, "Agro Once SAC", "2024-04-22T20:00:00Z", "2024-04-22T10:00:00Z");
    struct vg_ingest_report r;
    assert_status(vg_ingest_buffer(s, "trips.json", b.data, b.len, NULL, &r, &e), VG_OK, &e);
    vg_buf_release(&b);
    outcome(s, 1, "origin", "2024-02-29T12:00:00Z", "negative", "targeted");
    outcome(s, 2, "origin", "2024-03-01T12:00:00Z", "negative", NULL);
    outcome(s, 3, "destination", "2024-03-25T12:00:00Z", "drugs", NULL);
    outcome(s, 4, "origin", "2024-03-03T12:00:00Z", "negative", "targeted");
    outcome(s, 4, "destination", "2024-03-28T12:00:00Z", "drugs", "partner");
    outcome(s, 5, "origin", "2024-03-04T12:00:00Z", "negative", "random");
    outcome(s, 5, "destination", "2024-05-10T12:00:00Z", "drugs", "partner");
    outcome(s, 6, "origin", "2024-03-05T12:00:00Z", "drugs", "targeted");
    outcome(s, 7, "origin", "2024-03-08T12:00:00Z", "drugs", "targeted");
    outcome(s, 8, "origin", "2024-03-19T12:00:00Z", "negative", "targeted");
    outcome(s, 10, "origin", "2024-04-19T12:00:00Z", "negative", "targeted");
    outcome(s, 11, "destination", "2024-04-28T12:00:00Z", "drugs", "partner");
    exec(s, "INSERT INTO outcomes(container_number, port, inspected_at, result, found_at,"
            " selection, digest, recorded_at) VALUES('TGHU1234560', 'NLRTM', 1711000000,"
            " 'drugs', 'destination', 'partner', randomblob(32), 0)");
    /* vigia's targets: A and J by a rule, B at random (its inspection closed it). */
    char sql[800];
    static const int targeted[][2] = { { 1, 0 }, { 9, 0 }, { 2, 1 } };
    for (size_t i = 0; i < 3; i++) {
        char c[12];
        snprintf(sql, sizeof(sql),
                 "INSERT INTO targets(trip_id, port, target_date, rank, reason, selected_at,"
                 " state) SELECT t.id, 'PECLL', '2024-03-01', %zu, '%s', 0, 'selected' FROM"
                 " trips t JOIN containers k ON k.id = t.container_id WHERE k.number = '%s'",
                 i + 1, targeted[i][1] ? "random" : "rule", box(targeted[i][0], c));
        exec(s, sql);
    }
    exec(s, "INSERT INTO inspections(id, target_id, inspected_at, state, created_at)"
            " SELECT 77, id, 0, 'inspected', 0 FROM targets WHERE reason = 'random'");
    char c2[12];
    snprintf(sql, sizeof(sql),
             "UPDATE outcomes SET inspection_id = 77 WHERE container_number = '%s'", box(2, c2));
    exec(s, sql);
    return s;
}

static int64_t trip_id(struct vg_store *s, int n)
{
    char c[12], sql[300];
    snprintf(sql, sizeof(sql),
             "SELECT t.id FROM trips t JOIN containers k ON k.id = t.container_id"
             " WHERE k.number = '%s'",
             box(n, c));
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t id = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return id;
}

/* The example of container n, or NULL. */
static const struct vg_model_example *
example_of(struct vg_store *s, const struct vg_risk_examples *ex, int n)
{
    int64_t id = trip_id(s, n);
    for (size_t i = 0; i < ex->n; i++) {
        if (ex->trips[i] == id) {
            return &ex->items[i];
        }
    }
    return NULL;
}

static void examples(struct vg_store *s,
                     const char *until,
                     int delay_days,
                     bool keep_late,
                     struct vg_risk_examples *ex)
{
    struct vg_risk_examples_options o = { .until = T(until),
                                          .delay_days = delay_days,
                                          .keep_late_positives = keep_late };
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_risk_examples(s, &o, ex, &e), VG_OK, &e);
}

static void test_risk_examples__exact_counts_streams_and_labels(void **state)
{
    (void)state;
    struct vg_store *s = store_of_examples("x.db");
    struct vg_risk_examples ex;
    examples(s, "2024-05-01T00:00Z", 20, false, &ex);
    assert_int_equal(ex.n, 7);
    assert_int_equal(ex.positives, 3);
    assert_int_equal(ex.streams[VG_MODEL_TARGETED].examples, 4);
    assert_int_equal(ex.streams[VG_MODEL_TARGETED].positives, 2);
    assert_int_equal(ex.streams[VG_MODEL_RANDOM].examples, 2);
    assert_int_equal(ex.streams[VG_MODEL_RANDOM].positives, 0);
    assert_int_equal(ex.streams[VG_MODEL_PARTNER].examples, 1);
    assert_int_equal(ex.streams[VG_MODEL_PARTNER].positives, 1);
    assert_int_equal(ex.late_negatives, 1);
    assert_int_equal(ex.late_positives, 1);
    assert_int_equal(ex.not_loaded, 1);
    assert_int_equal(ex.not_loaded_positives, 1);
    assert_int_equal(ex.after_until, 1);
    assert_int_equal(ex.unlinked, 1);
    assert_int_equal(ex.delay_days, 20);
    assert_true(ex.from == T("2024-03-01T10:00Z"));
    assert_true(ex.to == T("2024-03-20T10:00Z"));

    /* Each trip: its stream, its label, its time (the loading). */
    static const struct {
        int n;
        enum vg_model_selection sel;
        bool positive;
        const char *time;
    } want[] = {
        { 1, VG_MODEL_TARGETED, false, "2024-03-01T10:00Z" },
        { 2, VG_MODEL_RANDOM, false, "2024-03-02T10:00Z" },
        { 3, VG_MODEL_PARTNER, true, "2024-03-03T10:00Z" },
        { 4, VG_MODEL_TARGETED, true, "2024-03-04T10:00Z" },
        { 5, VG_MODEL_RANDOM, false, "2024-03-05T10:00Z" },
        { 7, VG_MODEL_TARGETED, true, "2024-03-10T10:00Z" },
        { 8, VG_MODEL_TARGETED, false, "2024-03-20T10:00Z" },
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        const struct vg_model_example *x = example_of(s, &ex, want[i].n);
        assert_non_null(x);
        assert_int_equal(x->selection, want[i].sel);
        assert_int_equal(x->positive, want[i].positive);
        assert_true(x->time == T(want[i].time));
        assert_true(x->weight == 1);
        assert_non_null(x->record);
    }
    /* Never examined, never loaded, late: not examples. */
    assert_null(example_of(s, &ex, 6));
    assert_null(example_of(s, &ex, 9));
    assert_null(example_of(s, &ex, 10));
    assert_null(example_of(s, &ex, 11));
    vg_risk_examples_release(&ex);
    vg_store_close(s);
}

/* Presumed negatives: the loaded trips nobody examined that left between the first example
 * and the cut-off less the delay (J alone here), sampled at the share that gives the
 * ratio asked for (1 per example: all of the one eligible), weighed by 1 / that share. */
static void test_risk_examples__presumed_negatives_from_the_unexamined(void **state)
{
    (void)state;
    struct vg_store *s = store_of_examples("u.db");
    struct vg_risk_examples_options o = { .until = T("2024-05-01T00:00Z"),
                                          .delay_days = 20,
                                          .unexamined_ratio = 1 };
    struct vg_risk_examples ex;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_risk_examples(s, &o, &ex, &e), VG_OK, &e);
    assert_int_equal(ex.n, 8);
    assert_int_equal(ex.positives, 3);
    assert_int_equal(ex.unexamined_eligible, 1);
    assert_int_equal(ex.streams[VG_MODEL_UNEXAMINED].examples, 1);
    assert_int_equal(ex.streams[VG_MODEL_UNEXAMINED].positives, 0);
    assert_true(ex.shares.unexamined == 1);
    const struct vg_model_example *j = example_of(s, &ex, 9);
    assert_non_null(j);
    assert_int_equal(j->selection, VG_MODEL_UNEXAMINED);
    assert_false(j->positive);
    assert_true(j->time == T("2024-03-15T10:00Z"));
    assert_non_null(j->record);
    /* Late, never loaded or examined trips are never presumed negatives. */
    assert_null(example_of(s, &ex, 10));
    assert_null(example_of(s, &ex, 11));
    assert_null(example_of(s, &ex, 6));
    /* The examined trips keep their own streams. */
    assert_int_equal(example_of(s, &ex, 1)->selection, VG_MODEL_TARGETED);
    vg_risk_examples_release(&ex);
    /* A ratio of 0.1: a share of 7 x 0.1 / 1 eligible; the trip's own draw decides. */
    o.unexamined_ratio = 0.1;
    assert_status(vg_risk_examples(s, &o, &ex, &e), VG_OK, &e);
    assert_true(fabs(ex.shares.unexamined - 0.7) < 1e-12);
    assert_true(ex.streams[VG_MODEL_UNEXAMINED].examples <= 1);
    assert_int_equal(ex.n, 7 + ex.streams[VG_MODEL_UNEXAMINED].examples);
    vg_risk_examples_release(&ex);
    vg_store_close(s);
}

static void test_risk_examples__cut_off_and_delay(void **state)
{
    (void)state;
    struct vg_store *s = store_of_examples("d.db");
    struct vg_risk_examples ex;
    /* After E's find abroad: E becomes a positive (still of the random stream). */
    examples(s, "2024-05-15T00:00Z", 30, false, &ex);
    assert_int_equal(ex.after_until, 0);
    assert_true(example_of(s, &ex, 5)->positive);
    assert_int_equal(example_of(s, &ex, 5)->selection, VG_MODEL_RANDOM);
    /* 04-15 is the new limit: F (04-20) and G (04-22) are still within the delay. */
    assert_int_equal(ex.late_negatives, 1);
    assert_int_equal(ex.late_positives, 1);
    assert_int_equal(ex.n, 7);
    assert_int_equal(ex.positives, 4);
    vg_risk_examples_release(&ex);

    /* A late find is kept when asked; the late clean trip never is. */
    examples(s, "2024-05-01T00:00Z", 20, true, &ex);
    assert_int_equal(ex.n, 8);
    assert_int_equal(ex.positives, 4);
    assert_non_null(example_of(s, &ex, 11));
    assert_int_equal(example_of(s, &ex, 11)->selection, VG_MODEL_PARTNER);
    assert_null(example_of(s, &ex, 10));
    assert_int_equal(ex.late_negatives, 1);
    assert_int_equal(ex.late_positives, 0);
    vg_risk_examples_release(&ex);

    /* No delay: F is a negative, G a positive. */
    examples(s, "2024-05-01T00:00Z", -1, false, &ex);
    assert_int_equal(ex.delay_days, 0);
    assert_int_equal(ex.n, 9);
    assert_int_equal(ex.late_negatives + ex.late_positives, 0);
    assert_false(example_of(s, &ex, 10)->positive);
    assert_true(example_of(s, &ex, 11)->positive);
    vg_risk_examples_release(&ex);

    /* The default delay (45 days before 05-01 is 03-17): Q (03-20) is late too. */
    examples(s, "2024-05-01T00:00Z", 0, false, &ex);
    assert_int_equal(ex.delay_days, VG_RISK_DELAY_DAYS);
    assert_int_equal(ex.n, 6);
    assert_null(example_of(s, &ex, 8));
    assert_int_equal(ex.late_negatives, 2);
    vg_risk_examples_release(&ex);

    /* Before any outcome: nothing to learn from. */
    examples(s, "2024-02-01T00:00Z", 20, false, &ex);
    assert_int_equal(ex.n, 0);
    assert_int_equal(ex.positives, 0);
    assert_true(ex.from == VG_TIME_NONE);
    assert_int_equal(ex.after_until, 13);
    assert_true(ex.shares.random == 1 && ex.shares.targeted == 1 && ex.shares.partner == 1);
    vg_risk_examples_release(&ex);
    vg_store_close(s);
}

static void test_risk_examples__own_outcome_never_counts(void **state)
{
    (void)state;
    struct vg_store *s = store_of_examples("o.db");
    struct vg_risk_examples ex;
    examples(s, "2024-05-01T00:00Z", 20, false, &ex);
    /* L was loaded after its own seizure (03-08): the seizure is not a fact about L... */
    const struct vg_model_example *l = example_of(s, &ex, 7);
    assert_non_null(l);
    assert_int_equal(l->record[VG_F_PRIOR_SEIZURE_PARTY].kind, VG_VALUE_BOOL);
    assert_false(l->record[VG_F_PRIOR_SEIZURE_PARTY].as.boolean);
    assert_false(l->record[VG_F_PRIOR_SEIZURE_CONTAINER].as.boolean);
    /* ...but it is one about Q, the same shipper's next trip. */
    const struct vg_model_example *q = example_of(s, &ex, 8);
    assert_non_null(q);
    assert_int_equal(q->record[VG_F_PRIOR_SEIZURE_PARTY].kind, VG_VALUE_BOOL);
    assert_true(q->record[VG_F_PRIOR_SEIZURE_PARTY].as.boolean);
    vg_risk_examples_release(&ex);
    vg_store_close(s);
}

static void test_risk_examples__records_outlive_the_store(void **state)
{
    (void)state;
    struct vg_store *s = store_of_examples("r.db");
    struct vg_risk_examples ex;
    examples(s, "2024-05-01T00:00Z", 20, false, &ex);
    int64_t a = trip_id(s, 1);
    vg_store_close(s);
    size_t i = 0;
    while (i < ex.n && ex.trips[i] != a) {
        i++;
    }
    assert_true(i < ex.n);
    const struct vg_value *rec = ex.items[i].record;
    assert_int_equal(rec[VG_F_PORT].kind, VG_VALUE_STRING);
    assert_true(vg_slice_eq(rec[VG_F_PORT].as.string, vg_slice_from_cstr("PECLL")));
    assert_int_equal(rec[VG_F_DISCHARGE_PORT].kind, VG_VALUE_STRING);
    assert_true(vg_slice_eq(rec[VG_F_DISCHARGE_PORT].as.string, vg_slice_from_cstr("NLRTM")));
    /* Every string of every record points into the examples' own storage. */
    for (size_t k = 0; k < ex.n; k++) {
        for (size_t f = 0; f < VG_F_COUNT; f++) {
            const struct vg_value *v = &ex.items[k].record[f];
            if (v->kind == VG_VALUE_STRING && v->as.string.len > 0) {
                uint64_t at;
                assert_true(vg_map_get(&ex.strings, v->as.string.ptr, v->as.string.len, &at));
                assert_ptr_equal((const char *)(uintptr_t)at, v->as.string.ptr);
            }
        }
    }
    vg_risk_examples_release(&ex);
    vg_risk_examples_release(&ex); /* released twice: harmless */
    vg_risk_examples_release(NULL);
}

static void test_risk_examples__shares_measured_from_the_store(void **state)
{
    (void)state;
    struct vg_store *s = store_of_examples("s.db");
    struct vg_risk_examples ex;
    examples(s, "2024-05-01T00:00Z", 20, false, &ex);
    /* The window: the first example (03-01 10:00) to the last one (03-20 10:00), which is
     * before the cut-off less the delay (04-11). Trips there: 1-9 (H by its call's
     * departure); random examinations: B and E; vigia's own targets: A (examined) and J
     * (not): B's random target does not count. */
    assert_true(ex.share_from == T("2024-03-01T10:00Z"));
    assert_true(ex.share_to == T("2024-03-20T10:00Z"));
    assert_int_equal(ex.window_trips, 9);
    assert_int_equal(ex.random_examined, 2);
    assert_true(ex.random_measured);
    assert_true(fabs(ex.shares.random - 2.0 / 9.0) < 1e-12);
    assert_int_equal(ex.targets, 2);
    assert_int_equal(ex.targets_examined, 1);
    assert_true(ex.targeted_measured);
    assert_true(fabs(ex.shares.targeted - 0.5) < 1e-12);
    assert_true(ex.shares.partner == 1);
    vg_risk_examples_release(&ex);

    /* Without vigia's targets, the targeted share is not measured. */
    exec(s, "DELETE FROM targets WHERE reason = 'rule'");
    examples(s, "2024-05-01T00:00Z", 20, false, &ex);
    assert_false(ex.targeted_measured);
    assert_true(ex.shares.targeted == 1);
    vg_risk_examples_release(&ex);

    /* One port only: this store has one. */
    struct vg_risk_examples_options o = { .until = T("2024-05-01T00:00Z"),
                                          .delay_days = 20,
                                          .port = "PEPAI" };
    assert_status(vg_risk_examples(s, &o, &ex, NULL), VG_OK, NULL);
    assert_int_equal(ex.n, 0);
    vg_risk_examples_release(&ex);
    o.port = "PECLL";
    assert_status(vg_risk_examples(s, &o, &ex, NULL), VG_OK, NULL);
    assert_int_equal(ex.n, 7);
    vg_risk_examples_release(&ex);
    assert_status(vg_risk_examples(s, &o, NULL, NULL), VG_EINVAL, NULL);
    vg_store_close(s);
}

static void rows_columns(void *user, size_t n, const char *const *names)
{
    (void)user;
    (void)n;
    (void)names;
}

static int rows_row(void *user, size_t n, const char *const *values)
{
    char(*total)[2][16] = user;
    if (n >= 10 && strcmp(values[0], "*") == 0) {
        snprintf((*total)[0], 16, "%s", values[4]);
        snprintf((*total)[1], 16, "%s", values[9]);
    }
    return 0;
}

static void test_risk_examples__backtest_walks_every_examined_trip(void **state)
{
    (void)state;
    struct vg_store *s = store_of_examples("b.db");
    size_t len;
    const char *text = vg_risk_default_rules(&len);
    struct vg_rule_set *set = NULL;
    assert_status(
        vg_rules_compile(text, len, "default.rules", vg_feature_catalog(), NULL, NULL, &set, NULL),
        VG_OK, NULL);
    char total[2][16] = { "", "" };
    struct vg_row_sink sink = { .columns = rows_columns, .row = rows_row, .user = &total };
    assert_status(vg_risk_backtest(s, set, &sink, NULL), VG_OK, NULL);
    /* No cut-off and no delay: the ten examined trips (H too), six with a find (C, D, E,
     * H, L, G). */
    assert_string_equal(total[0], "10");
    assert_string_equal(total[1], "0.6000");
    vg_rules_free(set);
    vg_store_close(s);
}

struct oom_ctx {
    struct vg_store *store;
    struct vg_risk_examples ex;
};

static enum vg_status examples_op(void *user)
{
    struct oom_ctx *c = user;
    struct vg_risk_examples_options o = { .until = T("2024-05-01T00:00Z"), .delay_days = 20 };
    return vg_risk_examples(c->store, &o, &c->ex, NULL);
}

static void examples_cleanup(void *user)
{
    vg_risk_examples_release(&((struct oom_ctx *)user)->ex);
}

static void test_risk_examples__out_of_memory_fails_cleanly(void **state)
{
    (void)state;
    struct oom_ctx c = { .store = store_of_examples("m.db") };
    int runs = vg_test_oom_loop(examples_op, examples_cleanup, &c, 100000);
    assert_true(runs > 10);
    /* The run that succeeded found what a run that never failed finds. */
    assert_status(examples_op(&c), VG_OK, NULL);
    assert_int_equal(c.ex.n, 7);
    assert_int_equal(c.ex.positives, 3);
    examples_cleanup(&c);
    vg_store_close(c.store);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_risk_examples__exact_counts_streams_and_labels),
    cmocka_unit_test(test_risk_examples__cut_off_and_delay),
    cmocka_unit_test(test_risk_examples__presumed_negatives_from_the_unexamined),
    cmocka_unit_test(test_risk_examples__own_outcome_never_counts),
    cmocka_unit_test(test_risk_examples__records_outlive_the_store),
    cmocka_unit_test(test_risk_examples__shares_measured_from_the_store),
    cmocka_unit_test(test_risk_examples__backtest_walks_every_examined_trip),
    cmocka_unit_test(test_risk_examples__out_of_memory_fails_cleanly),
};

VG_TEST_MAIN(tests)
