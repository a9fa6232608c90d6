/* Evaluation: precision, recall, lift and ROC AUC on hand-made rankings with values worked
 * out by hand (ties included), the Wilson interval, the truth and ranking readers, and a
 * ranking scored against a hand-written truth file, vessel cases included. */
#include "vg_targeting.h"
#include "vg_test.h"

#include <math.h>
#include <vigia/alloc.h>
#include <vigia/eval.h>
#include <vigia/time.h>

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void test_eval__metrics_on_a_hand_ranking(void **state)
{
    (void)state;
    const double scores[10] = { 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.0 };
    const bool pos[10] = { true, false, true, false, false, false, false, true, false, false };
    const double rates[3] = { 0.1, 0.3, 0.5 };
    struct vg_rank_metrics m;
    assert_int_equal(vg_rank_evaluate(scores, pos, 10, rates, 3, &m), VG_OK);
    assert_int_equal(m.n, 10);
    assert_int_equal(m.positives, 3);
    NEAR(m.base_rate, 0.3);
    /* Positive-over-negative pairs: 7 + 6 + 2 of 3 x 7. */
    NEAR(m.auc, 15.0 / 21.0);
    assert_int_equal(m.at[0].k, 1);
    NEAR(m.at[0].hits, 1);
    NEAR(m.at[0].precision, 1);
    NEAR(m.at[0].recall, 1.0 / 3.0);
    NEAR(m.at[0].lift, 1.0 / 0.3);
    NEAR(m.at[0].best_precision, 1);
    assert_int_equal(m.at[1].k, 3);
    NEAR(m.at[1].precision, 2.0 / 3.0);
    NEAR(m.at[1].recall, 2.0 / 3.0);
    NEAR(m.at[1].lift, (2.0 / 3.0) / 0.3);
    NEAR(m.at[1].relative, 2.0 / 3.0);
    assert_int_equal(m.at[2].k, 5);
    NEAR(m.at[2].precision, 0.4);
    NEAR(m.at[2].best_precision, 0.6);
    NEAR(m.at[2].relative, 0.4 / 0.6);
    /* A perfect and a reversed ranking. */
    const double perfect[4] = { 4, 3, 2, 1 };
    const bool top[4] = { true, true, false, false };
    double auc;
    assert_int_equal(vg_rank_auc(perfect, top, 4, &auc), VG_OK);
    NEAR(auc, 1.0);
    const bool bottom[4] = { false, false, true, true };
    assert_int_equal(vg_rank_auc(perfect, bottom, 4, &auc), VG_OK);
    NEAR(auc, 0.0);
    const bool none[4] = { false, false, false, false };
    assert_int_equal(vg_rank_auc(perfect, none, 4, &auc), VG_OK);
    assert_true(isnan(auc));
    const double bad_rates[1] = { 1.5 };
    assert_int_equal(vg_rank_evaluate(scores, pos, 10, bad_rates, 1, &m), VG_EINVAL);
}

static void test_eval__ties_at_the_cut_count_by_expectation(void **state)
{
    (void)state;
    const double scores[6] = { 1, 0.5, 0.5, 0.5, 0.5, 0 };
    const bool pos[6] = { false, true, false, false, false, true };
    double prob[6];
    assert_int_equal(vg_rank_cut(scores, 6, 3, prob), VG_OK);
    NEAR(prob[0], 1);
    for (int i = 1; i <= 4; i++) {
        NEAR(prob[i], 0.5); /* 2 places for 4 tied trips */
    }
    NEAR(prob[5], 0);
    const double rates[1] = { 0.5 };
    struct vg_rank_metrics m;
    assert_int_equal(vg_rank_evaluate(scores, pos, 6, rates, 1, &m), VG_OK);
    assert_int_equal(m.at[0].k, 3);
    NEAR(m.at[0].hits, 0.5);
    NEAR(m.at[0].precision, 0.5 / 3.0);
    NEAR(m.at[0].recall, 0.25);
    /* The tied positive scores 1.5 of its 4 pairs, the bottom one none: 1.5 / 8. */
    NEAR(m.auc, 0.1875);
    assert_int_equal(vg_rank_cut(scores, 6, -1, prob), VG_EINVAL);
    assert_int_equal(vg_rank_cut(scores, 6, 100, prob), VG_OK);
    NEAR(prob[5], 1);
}

static void test_eval__wilson_interval(void **state)
{
    (void)state;
    struct vg_interval w = vg_wilson(2, 10, 1.96);
    NEAR(w.estimate, 0.2);
    assert_true(fabs(w.low - 0.0567) < 1e-4);
    assert_true(fabs(w.high - 0.5098) < 1e-4);
    w = vg_wilson(0, 20, 1.96);
    NEAR(w.low, 0);
    assert_true(fabs(w.high - 0.1611) < 1e-4);
    w = vg_wilson(0, 0, 1.96);
    assert_true(isnan(w.estimate) && isnan(w.low) && isnan(w.high));
}

static void read_truth(struct vg_truth *t)
{
    size_t len;
    char *text = vg_test_read_file(vg_test_source("tests/data/targeting/truth.json"), &len);
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_truth_parse(text, len, "truth.json", t, &e), VG_OK, &e);
    vg_free(text);
}

static void read_ranking(struct vg_ranking *r)
{
    size_t len;
    char *text = vg_test_read_file(vg_test_source("tests/data/targeting/ranking.csv"), &len);
    struct vg_error e;
    vg_error_clear(&e);
    vg_ranking_init(r);
    assert_status(vg_ranking_parse_csv(text, len, "ranking.csv", r, NULL, NULL, &e), VG_OK, &e);
    vg_free(text);
}

static void test_eval__truth_and_ranking_readers(void **state)
{
    (void)state;
    struct vg_truth t;
    read_truth(&t);
    assert_int_equal(t.ncases, 5);
    assert_string_equal(t.world, "test");
    assert_int_equal(t.seed, 3);
    assert_int_equal(t.eval_from, vg_time_from_civil(2024, 5, 3, 5, 0, 0));
    assert_int_equal(t.eval_to, vg_time_from_civil(2024, 5, 5, 5, 0, 0));
    assert_string_equal(t.cases[0].container, "TGTU1000020");
    assert_string_equal(t.cases[0].pattern, "rip_on");
    assert_false(t.cases[0].vessel);
    assert_true(t.cases[4].vessel);
    assert_int_equal(t.cases[4].imo, 9074729);
    assert_int_equal(t.cases[4].mmsi, 311000001);
    assert_string_equal(t.cases[4].voyage, "FA123E");
    vg_truth_release(&t);
    struct vg_ranking r;
    read_ranking(&r);
    assert_int_equal(r.n, 12);
    assert_int_equal(r.rejected, 1);
    assert_string_equal(r.rows[2].bills, "TGT0003;TGT0013");
    NEAR(r.rows[2].score, 70);
    vg_ranking_release(&r);
    /* Refused files. */
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_truth_parse("{\"cases\": []}", 13, "x", &t, &e), VG_EFORMAT, &e);
    assert_status(vg_truth_parse("[1,", 3, "x", &t, &e), VG_EPARSE, &e);
    const char *bad = "{\"history\":{\"from\":\"2024-05-01\",\"to\":\"2024-05-02\"},"
                      "\"evaluation\":{\"from\":\"2024-05-02\",\"to\":\"2024-05-03\"},"
                      "\"cases\":[{\"id\":\"K1\",\"pattern\":\"rip_on\",\"unit\":\"trip\","
                      "\"port\":\"PECLL\",\"departure\":\"2024-05-02T10:00:00Z\"}]}";
    assert_status(vg_truth_parse(bad, strlen(bad), "x", &t, &e), VG_EPARSE, &e);
    assert_non_null(strstr(e.message, "K1"));
    vg_ranking_init(&r);
    assert_status(vg_ranking_parse_csv("container,score\nX,1\n", 20, "x", &r, NULL, NULL, &e),
                  VG_EFORMAT, &e);
    vg_ranking_release(&r);
}

static void add_event(struct vg_store *s, const char *kind, const char *voyage, double conf)
{
    char sql[640];
    snprintf(sql, sizeof(sql),
             "INSERT INTO vessel_events(kind, mmsi, vessel_id, start_at, end_at, confidence,"
             " explanation, port_call_id, created_at) SELECT '%s', 311000001, pc.vessel_id,"
             " 1714810000, 1714813600, %.2f, 'test event', pc.id, 0 FROM port_calls pc WHERE"
             " pc.voyage = '%s'",
             kind, conf, voyage);
    vg_tt_exec(s, sql);
}

static void test_eval__ranking_against_the_truth(void **state)
{
    (void)state;
    struct vg_truth t;
    read_truth(&t);
    struct vg_ranking r;
    read_ranking(&r);
    struct vg_store *s = vg_tt_store("eval.db");
    add_event(s, "encounter", "FA123E", 0.8);
    add_event(s, "loitering", "PP1", 0.7);
    add_event(s, "port_visit", "ZZ1", 0.9); /* not a suspect kind */
    const double rates[3] = { 0.1, 0.5, 0.75 };
    struct vg_eval_report rep;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_eval_run(&t, &r, s, VG_TIME_NONE, VG_TIME_NONE, rates, 3, &rep, &e), VG_OK,
                  &e);
    assert_int_equal(rep.rows, 12);
    assert_int_equal(rep.trips, 11);
    assert_int_equal(rep.cases, 3);
    assert_int_equal(rep.cases_missing, 1);
    /* Population: 11 ranked trips and the missing case at the bottom; positives at 80, 20
     * and the bottom. Pairs won: 8 + 3 + 0 of 3 x 9. */
    assert_int_equal(rep.metrics.n, 12);
    assert_int_equal(rep.metrics.positives, 3);
    NEAR(rep.metrics.auc, 11.0 / 27.0);
    assert_int_equal(rep.metrics.at[0].k, 2);
    NEAR(rep.metrics.at[0].precision, 0.5);
    NEAR(rep.metrics.at[0].recall, 1.0 / 3.0);
    NEAR(rep.metrics.at[0].lift, 2.0);
    assert_int_equal(rep.metrics.at[1].k, 6);
    NEAR(rep.metrics.at[1].precision, 1.0 / 6.0);
    assert_int_equal(rep.metrics.at[2].k, 9);
    NEAR(rep.metrics.at[2].recall, 2.0 / 3.0);
    assert_int_equal(rep.npatterns, 2);
    assert_string_equal(rep.patterns[0].name, "rip_on");
    assert_int_equal(rep.patterns[0].cases, 2);
    assert_int_equal(rep.patterns[0].ranked, 1);
    NEAR(rep.patterns[0].recall[0], 0.5);
    NEAR(rep.patterns[0].recall[2], 0.5);
    assert_string_equal(rep.patterns[1].name, "front_company");
    NEAR(rep.patterns[1].recall[0], 0.0);
    NEAR(rep.patterns[1].recall[2], 1.0);
    /* Vessels: three voyages leave in the window, two with suspect events, one a case. */
    assert_true(rep.vessels_evaluated);
    assert_int_equal(rep.voyages, 3);
    assert_int_equal(rep.voyages_flagged, 2);
    assert_int_equal(rep.vessel_cases, 1);
    assert_int_equal(rep.vessel_cases_flagged, 1);
    NEAR(rep.vessel_precision, 0.5);
    NEAR(rep.vessel_recall, 1.0);
    NEAR(rep.vessel_auc, 1.0);
    /* Without a store the vessels are not evaluated; another window. */
    assert_status(vg_eval_run(&t, &r, NULL, vg_time_from_civil(2024, 5, 4, 10, 0, 0), VG_TIME_NONE,
                              NULL, 0, &rep, &e),
                  VG_OK, &e);
    assert_false(rep.vessels_evaluated);
    assert_int_equal(rep.trips, 1);
    assert_int_equal(rep.cases, 1);
    assert_int_equal(rep.metrics.nrates, 4);
    vg_store_close(s);
    vg_ranking_release(&r);
    vg_truth_release(&t);
}

static void test_eval__ranking_from_the_store(void **state)
{
    (void)state;
    struct vg_store *s = vg_tt_store("rank.db");
    struct vg_ranking r;
    vg_ranking_init(&r);
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_ranking_from_store(s, vg_time_from_civil(2024, 5, 3, 5, 0, 0),
                                        vg_time_from_civil(2024, 5, 5, 5, 0, 0), &r, &e),
                  VG_OK, &e);
    assert_int_equal(r.n, 13);
    int unassessed = 0;
    for (size_t i = 0; i < r.n; i++) {
        unassessed += !r.rows[i].assessed;
        if (strcmp(r.rows[i].container, "TGTU1000036") == 0) {
            assert_string_equal(r.rows[i].bills, "TGT0003;TGT0013");
            NEAR(r.rows[i].score, 70);
        }
    }
    assert_int_equal(unassessed, 4);
    vg_ranking_release(&r);
    vg_store_close(s);
}

struct texts {
    char *truth, *ranking;
    size_t truth_len, ranking_len;
};

static enum vg_status eval_op(void *ctx)
{
    const struct texts *x = ctx;
    struct vg_truth t;
    struct vg_ranking r;
    struct vg_error e;
    vg_error_clear(&e);
    vg_ranking_init(&r);
    enum vg_status st = vg_truth_parse(x->truth, x->truth_len, "truth.json", &t, &e);
    if (st != VG_OK) {
        return st;
    }
    st = vg_ranking_parse_csv(x->ranking, x->ranking_len, "ranking.csv", &r, NULL, NULL, &e);
    struct vg_eval_report rep;
    if (st == VG_OK) {
        st = vg_eval_run(&t, &r, NULL, VG_TIME_NONE, VG_TIME_NONE, NULL, 0, &rep, &e);
    }
    if (st == VG_OK && rep.cases != 3) {
        st = VG_EINVAL;
    }
    vg_ranking_release(&r);
    vg_truth_release(&t);
    return st;
}

static void test_eval__without_memory_fails_cleanly(void **state)
{
    (void)state;
    struct texts x;
    x.truth = vg_test_read_file(vg_test_source("tests/data/targeting/truth.json"), &x.truth_len);
    x.ranking =
        vg_test_read_file(vg_test_source("tests/data/targeting/ranking.csv"), &x.ranking_len);
    assert_true(vg_test_oom_loop(eval_op, NULL, &x, 200) > 3);
    vg_free(x.truth);
    vg_free(x.ranking);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_eval__metrics_on_a_hand_ranking),
    cmocka_unit_test(test_eval__ties_at_the_cut_count_by_expectation),
    cmocka_unit_test(test_eval__wilson_interval),
    cmocka_unit_test(test_eval__truth_and_ranking_readers),
    cmocka_unit_test(test_eval__ranking_against_the_truth),
    cmocka_unit_test(test_eval__ranking_from_the_store),
    cmocka_unit_test(test_eval__without_memory_fails_cleanly),
};

VG_TEST_MAIN(tests)
