/*
 * A ranking scored against the truth of a simulated world (vigia/eval.h): which trips of
 * the window carry a case, the metrics at the inspection rates, recall per pattern, and
 * the vessel cases (at-sea transfers) scored as vessel targets from the store's vessel
 * events, exactly as vigia targets would select them.
 */
#include "store/store_int.h"
#include "target/target_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/eval.h>
#include <vigia/time.h>

#define MATCH_SECONDS (2 * 86400)

struct keyed_row {
    const char *container;
    size_t row;
};

struct by_container {
    const struct vg_ranking *r;
    struct keyed_row *idx; /* rows of the window sorted by container */
    size_t n;
};

static int cmp_rows(const void *a, const void *b)
{
    const struct keyed_row *x = a, *y = b;
    int c = strcmp(x->container, y->container);
    return c != 0 ? c : (x->row < y->row ? -1 : (x->row > y->row));
}

static int64_t gap(int64_t a, int64_t b)
{
    return a > b ? a - b : b - a;
}

/* The row of the case: same container and port, departing within two days or carrying its
 * B/L; the nearest in time. -1 when none. */
static long
find_row(const struct by_container *bc, const bool *in_window, const struct vg_truth_case *c)
{
    size_t lo = 0, hi = bc->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(bc->idx[mid].container, c->container) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    long best = -1;
    for (size_t i = lo; i < bc->n && strcmp(bc->idx[i].container, c->container) == 0; i++) {
        size_t k = bc->idx[i].row;
        const struct vg_rank_row *row = &bc->r->rows[k];
        if (!in_window[k] || strcmp(row->port, c->port) != 0) {
            continue;
        }
        bool near = gap(row->departure, c->departure) <= MATCH_SECONDS;
        bool bl = vg__lists_share(row->bills, c->bills);
        if ((near || bl) && (best < 0 || gap(row->departure, c->departure) <
                                             gap(bc->r->rows[best].departure, c->departure))) {
            best = (long)k;
        }
    }
    return best;
}

static struct vg_eval_pattern *pattern_of(struct vg_eval_report *out, const char *name)
{
    for (size_t i = 0; i < out->npatterns; i++) {
        if (strcmp(out->patterns[i].name, name) == 0) {
            return &out->patterns[i];
        }
    }
    if (out->npatterns == VG_EVAL_MAX_PATTERNS) {
        return NULL;
    }
    struct vg_eval_pattern *p = &out->patterns[out->npatterns++];
    snprintf(p->name, sizeof(p->name), "%s", name);
    return p;
}

/* ---- vessels ------------------------------------------------------------------------------ */

struct voyage {
    int64_t id, departure;
    uint32_t imo, mmsi;
    char port[6];
    char voyage[16];
    double score;
    bool positive;
};

struct voyages {
    struct voyage *v;
    size_t n, cap;
    enum vg_status st;
};

static int score_voyage(void *user, const struct vg__vessel_candidate *c)
{
    struct voyages *vs = user;
    for (size_t i = 0; i < vs->n; i++) {
        if (vs->v[i].id == c->port_call_id) {
            vs->v[i].score = c->score;
            break;
        }
    }
    return 0;
}

static enum vg_status load_voyages(
    struct vg_store *store, int64_t from, int64_t to, struct voyages *vs, struct vg_error *err)
{
    static const char sql[] =
        "SELECT pc.id, coalesce(pc.atd, pc.etd), coalesce(v.imo, 0), coalesce(v.mmsi, 0),"
        " pc.port, pc.voyage FROM port_calls pc LEFT JOIN vessels v ON v.id = pc.vessel_id"
        " WHERE coalesce(pc.atd, pc.etd) >= ?1 AND coalesce(pc.atd, pc.etd) < ?2 ORDER BY pc.id";
    sqlite3_stmt *st = vg__store_stmt(store, sql, err);
    if (st == NULL) {
        return VG_EDB;
    }
    sqlite3_bind_int64(st, 1, from);
    sqlite3_bind_int64(st, 2, to);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (vs->n == vs->cap) {
            size_t cap = vs->cap ? 2 * vs->cap : 64;
            struct voyage *grown = vg_reallocarray(vs->v, cap, sizeof(*grown));
            if (grown == NULL) {
                sqlite3_reset(st);
                return vg_error_set(err, VG_ENOMEM, "out of memory");
            }
            vs->v = grown;
            vs->cap = cap;
        }
        struct voyage *v = &vs->v[vs->n++];
        memset(v, 0, sizeof(*v));
        v->id = sqlite3_column_int64(st, 0);
        v->departure = sqlite3_column_int64(st, 1);
        v->imo = (uint32_t)sqlite3_column_int64(st, 2);
        v->mmsi = (uint32_t)sqlite3_column_int64(st, 3);
        snprintf(v->port, sizeof(v->port), "%s", (const char *)sqlite3_column_text(st, 4));
        snprintf(v->voyage, sizeof(v->voyage), "%s", (const char *)sqlite3_column_text(st, 5));
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(store, rc, "reading port calls", err);
    }
    return vg__vessel_candidates(store, NULL, from, to, score_voyage, vs, err);
}

static enum vg_status eval_vessels(const struct vg_truth *truth,
                                   struct vg_store *store,
                                   struct vg_eval_report *out,
                                   struct vg_error *err)
{
    struct voyages vs = { 0 };
    enum vg_status st = load_voyages(store, out->from, out->to, &vs, err);
    if (st != VG_OK) {
        vg_free(vs.v);
        return st;
    }
    out->vessels_evaluated = true;
    out->voyages = (int64_t)vs.n;
    int64_t missing = 0;
    for (size_t i = 0; i < truth->ncases; i++) {
        const struct vg_truth_case *c = &truth->cases[i];
        if (!c->vessel || c->departure < out->from || c->departure >= out->to) {
            continue;
        }
        out->vessel_cases++;
        struct voyage *best = NULL;
        for (size_t k = 0; k < vs.n; k++) {
            struct voyage *v = &vs.v[k];
            bool same_ship =
                (c->imo != 0 && v->imo == c->imo) || (c->mmsi != 0 && v->mmsi == c->mmsi);
            bool same_call = strcmp(v->port, c->port) == 0 &&
                             ((c->voyage[0] != '\0' && strcmp(v->voyage, c->voyage) == 0) ||
                              gap(v->departure, c->departure) <= 86400);
            if (same_ship && same_call &&
                (best == NULL ||
                 gap(v->departure, c->departure) < gap(best->departure, c->departure))) {
                best = v;
            }
        }
        if (best == NULL) {
            missing++;
            continue;
        }
        out->vessel_cases_found++;
        out->vessel_cases_flagged += best->score > 0 && !best->positive;
        best->positive = true;
    }
    size_t n = vs.n + (size_t)missing;
    double *scores = vg_calloc(n ? n : 1, sizeof(*scores));
    bool *pos = vg_calloc(n ? n : 1, sizeof(*pos));
    if (scores == NULL || pos == NULL) {
        st = vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    for (size_t k = 0; st == VG_OK && k < n; k++) {
        scores[k] = k < vs.n ? vs.v[k].score : -1;
        pos[k] = k < vs.n ? vs.v[k].positive : true;
        out->voyages_flagged += k < vs.n && vs.v[k].score > 0;
    }
    if (st == VG_OK) {
        st = vg_rank_auc(scores, pos, n, &out->vessel_auc);
    }
    out->vessel_precision = out->voyages_flagged > 0
                                ? (double)out->vessel_cases_flagged / (double)out->voyages_flagged
                                : NAN;
    out->vessel_recall =
        out->vessel_cases > 0 ? (double)out->vessel_cases_flagged / (double)out->vessel_cases : NAN;
    vg_free(scores);
    vg_free(pos);
    vg_free(vs.v);
    return st;
}

/* ---- trips -------------------------------------------------------------------------------- */

enum vg_status vg_eval_run(const struct vg_truth *truth,
                           const struct vg_ranking *ranking,
                           struct vg_store *store,
                           int64_t from,
                           int64_t to,
                           const double *rates,
                           size_t nrates,
                           struct vg_eval_report *out,
                           struct vg_error *err)
{
    memset(out, 0, sizeof(*out));
    if (rates == NULL) {
        rates = vg_eval_default_rates;
        nrates = 4;
    }
    if (nrates == 0 || nrates > VG_EVAL_MAX_RATES) {
        return vg_error_set(err, VG_EINVAL, "between 1 and %d rates", VG_EVAL_MAX_RATES);
    }
    out->from = from != VG_TIME_NONE ? from : truth->eval_from;
    out->to = to != VG_TIME_NONE ? to : truth->eval_to;
    out->rows = (int64_t)ranking->n;
    out->vessel_precision = out->vessel_recall = out->vessel_auc = NAN;
    size_t ncases = 0;
    for (size_t i = 0; i < truth->ncases; i++) {
        const struct vg_truth_case *c = &truth->cases[i];
        ncases += !c->vessel && c->departure >= out->from && c->departure < out->to;
    }
    size_t rows = ranking->n, cap = rows + ncases;
    bool *in_window = vg_calloc(rows ? rows : 1, sizeof(*in_window));
    size_t *pos_of = vg_calloc(rows ? rows : 1, sizeof(*pos_of)); /* row -> population index */
    double *scores = vg_calloc(cap ? cap : 1, sizeof(*scores));
    bool *positive = vg_calloc(cap ? cap : 1, sizeof(*positive));
    double *prob = vg_calloc(cap ? cap : 1, sizeof(*prob));
    long *case_pop = vg_calloc(ncases ? ncases : 1, sizeof(*case_pop));
    const struct vg_truth_case **case_of = vg_calloc(ncases ? ncases : 1, sizeof(*case_of));
    struct by_container bc = { ranking, vg_calloc(rows ? rows : 1, sizeof(struct keyed_row)), 0 };
    enum vg_status st = VG_OK;
    if (in_window == NULL || pos_of == NULL || scores == NULL || positive == NULL || prob == NULL ||
        case_pop == NULL || case_of == NULL || bc.idx == NULL) {
        st = vg_error_set(err, VG_ENOMEM, "out of memory evaluating");
    }
    size_t n = 0;
    for (size_t k = 0; st == VG_OK && k < rows; k++) {
        const struct vg_rank_row *row = &ranking->rows[k];
        if (row->departure < out->from || row->departure >= out->to) {
            continue;
        }
        in_window[k] = true;
        pos_of[k] = n;
        scores[n] = row->assessed ? row->score : -1;
        out->unassessed += !row->assessed;
        bc.idx[bc.n++] = (struct keyed_row){ row->container, k };
        n++;
    }
    out->trips = (int64_t)n;
    if (st == VG_OK) {
        qsort(bc.idx, bc.n, sizeof(*bc.idx), cmp_rows);
    }
    /* Cases: their rows become positive; cases missing from the ranking are added at the
     * bottom, as missed. */
    size_t nc = 0;
    for (size_t i = 0; st == VG_OK && i < truth->ncases; i++) {
        const struct vg_truth_case *c = &truth->cases[i];
        if (c->vessel || c->departure < out->from || c->departure >= out->to) {
            continue;
        }
        long row = find_row(&bc, in_window, c);
        if (row >= 0) {
            case_pop[nc] = (long)pos_of[row];
        } else {
            case_pop[nc] = (long)n;
            scores[n] = -2;
            n++;
            out->cases_missing++;
        }
        positive[case_pop[nc]] = true;
        case_of[nc++] = c;
        struct vg_eval_pattern *p = pattern_of(out, c->pattern);
        if (p != NULL) {
            p->cases++;
            p->ranked += row >= 0;
        }
    }
    out->cases = (int64_t)nc;
    if (st == VG_OK) {
        st = vg_rank_evaluate(scores, positive, n, rates, nrates, &out->metrics);
        if (st != VG_OK) {
            vg_error_set(err, st, "%s",
                         st == VG_ENOMEM ? "out of memory evaluating" : "rates must be in (0, 1]");
        }
    }
    for (size_t r = 0; st == VG_OK && r < nrates; r++) {
        st = vg_rank_cut(scores, n, out->metrics.at[r].k, prob);
        for (size_t j = 0; st == VG_OK && j < nc; j++) {
            struct vg_eval_pattern *p = pattern_of(out, case_of[j]->pattern);
            if (p != NULL && p->cases > 0) {
                p->recall[r] += prob[case_pop[j]] / (double)p->cases;
            }
        }
    }
    if (st == VG_OK && store != NULL) {
        st = eval_vessels(truth, store, out, err);
    }
    vg_free(in_window);
    vg_free(pos_of);
    vg_free(scores);
    vg_free(positive);
    vg_free(prob);
    vg_free(case_pop);
    vg_free(case_of);
    vg_free(bc.idx);
    return st;
}
