/*
 * Scoring: rules, graded evidence and an optional model combined into points, a 0-100
 * score and a band; reasons in plain words that cite the messages and segments they rest
 * on; assessments written as versions (docs/scoring.md).
 *
 * A run loads the store once (rk_ctx), then for every trip: the first assessment as of its
 * loading (or of the run's instant when it is not loaded yet), then, when the run's instant
 * is later, a re-score as of it (a trip first assessed after the re-score window: as of
 * its departure instead). A version is written only when its digest (the evidence in
 * the feature record, the rule set, the model) differs from the trip's latest.
 */
#include "risk/risk_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <vigia/alloc.h>
#include <vigia/audit.h>

double vg_risk_score_of(double points)
{
    if (!(points > 0)) {
        return 0;
    }
    return 100.0 * (1.0 - exp(-points / VG_RISK_SCALE));
}

const char *vg_risk_band(double score, bool hold)
{
    if (hold || score >= VG_RISK_RED) {
        return "red";
    }
    return score >= VG_RISK_AMBER ? "amber" : "green";
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- graded evidence -------------------------------------------------------------------- */

struct graded_part {
    int feature;
    double points;
};

static double num(const struct vg_value *rec, int f, bool *known)
{
    *known = rec[f].kind == VG_VALUE_NUMBER && !isnan(rec[f].as.number);
    return *known ? rec[f].as.number : 0;
}

/* Continuous evidence below the rules' thresholds, less than VG_RISK_GRADED_MAX points in
 * all, so that trips firing the same rules are still told apart (docs/scoring.md). */
static double graded(const struct vg_value *rec, struct graded_part *parts, size_t *nparts)
{
    double total = 0;
    *nparts = 0;
    bool k;
    double x;
#define PART(f, pts)               \
 do {                              \
  double p_ = (pts);               \
  if (p_ > 0.0005) {               \
   parts[*nparts].feature = (f);   \
   parts[(*nparts)++].points = p_; \
   total += p_;                    \
  }                                \
 } while (0)
    x = num(rec, VG_F_WATCHLIST_PARTY_SCORE, &k);
    if (k && x > 0.5) {
        PART(VG_F_WATCHLIST_PARTY_SCORE, 0.35 * fmin(1.0, (x - 0.5) / 0.5));
    }
    x = num(rec, VG_F_PRIOR_SEIZURE_SHARE, &k);
    if (k) {
        PART(VG_F_PRIOR_SEIZURE_SHARE, 0.2 * tanh(fmax(0.0, x) / 0.2));
    }
    x = num(rec, VG_F_KG_PER_PACKAGE_Z, &k);
    if (k) {
        PART(VG_F_KG_PER_PACKAGE_Z, 0.25 * tanh(fabs(x) / 4.0));
    }
    x = num(rec, VG_F_WEIGHT_MISMATCH_Z, &k);
    if (k) {
        PART(VG_F_WEIGHT_MISMATCH_Z, 0.2 * tanh(fabs(x) / 5.0));
    }
    x = num(rec, VG_F_DWELL_Z, &k);
    if (k) {
        PART(VG_F_DWELL_Z, 0.2 * tanh(fmax(0.0, x) / 3.0));
    }
    x = num(rec, VG_F_INLAND_TRANSIT_Z, &k);
    if (k) {
        PART(VG_F_INLAND_TRANSIT_Z, 0.2 * tanh(fmax(0.0, x) / 3.0));
    }
    x = num(rec, VG_F_ROUTE_SHARE, &k);
    if (k) {
        PART(VG_F_ROUTE_SHARE, 0.2 * (1.0 - tanh(fmax(0.0, x) / 0.05)));
    }
    x = num(rec, VG_F_ODD_HOUR_ACTIVITY, &k);
    if (k) {
        PART(VG_F_ODD_HOUR_ACTIVITY, 0.1 * fmax(0.0, 1.0 - x));
    }
    x = num(rec, VG_F_SHIPPER_SHIPMENTS, &k);
    if (k) {
        PART(VG_F_SHIPPER_SHIPMENTS, 0.2 * (1.0 - tanh(x / 5.0)));
    }
#undef PART
    return total;
}

/* ---- the scorer --------------------------------------------------------------------------- */

/* Reasons are inserted this many rows per statement (one VALUES list): a run writes about
 * five per assessment, and one statement per row costs more than its row. */
#define RK_REASON_BATCH 32

struct pending_reason {
    int64_t aid;
    int seq;
    const char *kind, *code; /* static, or alive for the whole run (rule set, strings) */
    double weight;
    bool has_weight, has_evidence;
    size_t text, text_len, evidence, evidence_len; /* in pend_text */
};

struct scorer {
    struct rk_ctx *c;
    struct vg_store *store;
    const struct vg_rule_set *set;
    int64_t rule_set_id;
    const struct vg_risk_model *model;
    size_t nrules;
    struct vg_rule_result *results;
    struct vg_arena arena;
    struct vg_buf packed, text, why, model_ev, evidence_buf;
    struct rk_citer citer;
    struct vg_value rec[VG_F_COUNT];
    struct rk_src src[VG_F_COUNT][2];
    struct rk_trip_hits hits;
    /* Result of the last evaluation. */
    struct vg_rules_summary sum;
    double points, score, graded_points, model_p, model_points;
    /* Consignment evidence: the weights of fired rules resting on consignment features
     * alone (shared), the rules (indexes; up to 16 named), the bill's boxes, the discount. */
    double shared_points, shared_discount, bill_containers;
    uint32_t shared_rules[16];
    size_t nshared;
    struct graded_part parts[12];
    size_t nparts;
    uint8_t digest[VG_DIGEST_SIZE];
    bool evidence;
    /* Reasons waiting to be inserted RK_REASON_BATCH at a time; their text and evidence in
     * pend_text (offsets: the buffer moves as it grows). */
    struct pending_reason pend[RK_REASON_BATCH];
    size_t npend;
    struct vg_buf pend_text;
};

/* The fired rules whose evidence is consignment features alone, and what the bill's other
 * boxes take off their weight (consignment.c). Only bills of two or more boxes are read. */
static enum vg_status consignment_evidence(struct scorer *sc, struct vg_error *err)
{
    sc->shared_points = 0;
    sc->shared_discount = 0;
    sc->nshared = 0;
    const struct vg_value *n = &sc->rec[VG_F_BILL_CONTAINERS];
    sc->bill_containers = n->kind == VG_VALUE_NUMBER ? n->as.number : NAN;
    if (!(sc->bill_containers >= 2)) {
        return VG_OK;
    }
    for (size_t i = 0; i < sc->nrules; i++) {
        if (sc->results[i].outcome != VG_RULE_FIRED || !(sc->results[i].weight > 0)) {
            continue;
        }
        uint32_t feats[16];
        size_t nf = 0;
        enum vg_status s = vg_rules_evidence(sc->set, i, sc->rec, VG_F_COUNT, feats, 16, &nf, NULL);
        if (s != VG_OK) {
            return vg_error_set(err, s, "reading the evidence of a rule");
        }
        bool shared = nf > 0 && nf <= 16;
        for (size_t k = 0; k < nf && shared; k++) {
            shared = rk_feature_of_consignment(feats[k], &sc->rec[feats[k]]);
        }
        if (shared) {
            sc->shared_points += sc->results[i].weight;
            if (sc->nshared < sizeof(sc->shared_rules) / sizeof(sc->shared_rules[0])) {
                sc->shared_rules[sc->nshared++] = (uint32_t)i;
            }
        }
    }
    sc->shared_discount = rk_consignment_discount(sc->bill_containers, sc->shared_points);
    return VG_OK;
}

static enum vg_status
evaluate(struct scorer *sc, uint32_t trip, int64_t as_of, struct vg_error *err)
{
    vg_arena_reset(&sc->arena);
    enum vg_status s = rk_compute(sc->c, trip, as_of, &sc->arena, sc->rec, sc->src, &sc->hits, err);
    if (s != VG_OK) {
        return s;
    }
    sc->evidence = sc->rec[VG_F_BL_COUNT].kind == VG_VALUE_NUMBER || sc->hits.evidence;
    if ((s = vg_rules_eval(sc->set, sc->rec, VG_F_COUNT, as_of, sc->results, &sc->sum)) != VG_OK) {
        return vg_error_set(err, s, "evaluating the rules");
    }
    if ((s = consignment_evidence(sc, err)) != VG_OK) {
        return s;
    }
    sc->graded_points = graded(sc->rec, sc->parts, &sc->nparts);
    sc->model_p = NAN;
    sc->model_points = 0;
    sc->points = sc->sum.weight - sc->shared_discount + sc->graded_points;
    sc->score = vg_risk_score_of(sc->points);
    uint8_t rd[VG_DIGEST_SIZE];
    rk_record_digest(sc->rec, (const struct rk_src(*)[2])sc->src, rd);
    struct vg_hasher h;
    vg_hasher_init(&h);
    vg_hasher_update(&h, rd, sizeof(rd));
    vg_hasher_update(&h, &sc->rule_set_id, sizeof(sc->rule_set_id));
    if (sc->model != NULL && sc->model->version != NULL) {
        vg_hasher_update(&h, sc->model->version, strlen(sc->model->version));
    }
    vg_hasher_final(&h, sc->digest);
    return VG_OK;
}

/* The model term of the evaluated record: asked only for versions that are written (the
 * digest names the model's version, not its output), so re-scoring an unchanged trip costs
 * no prediction. */
double vg_risk_model_points(double p, double base, double weight)
{
    if (!(base > 0 && base < 1)) {
        base = VG_RISK_MODEL_BASE;
    }
    if (!(p > 0)) {
        return 0;
    }
    double odds = p < 1 ? p / (1 - p) : 1e12;
    return weight * log10(1 + odds / (base / (1 - base)));
}

static double model_points(const struct vg_risk_model *m, double p)
{
    return vg_risk_model_points(p, m->base_rate, m->weight > 0 ? m->weight : VG_RISK_MODEL_WEIGHT);
}

static enum vg_status model_term(struct scorer *sc, struct vg_error *err)
{
    vg_buf_reset(&sc->why);
    vg_buf_reset(&sc->model_ev);
    if (sc->model == NULL || sc->model->predict == NULL) {
        return VG_OK;
    }
    double p = 0;
    enum vg_status s = sc->model->predict(sc->model->user, sc->rec, VG_F_COUNT, &p, &sc->why);
    if (s == VG_OK && sc->model->evidence != NULL) {
        s = sc->model->evidence(sc->model->user, &sc->model_ev);
    }
    if (s != VG_OK) {
        return vg_error_set(err, s, "the model failed on a trip");
    }
    sc->model_p = fmin(1.0, fmax(0.0, p));
    sc->model_points = model_points(sc->model, sc->model_p);
    sc->points += sc->model_points;
    sc->score = vg_risk_score_of(sc->points);
    return VG_OK;
}

/* ---- citations ------------------------------------------------------------------------ */

static enum vg_status cite(struct scorer *sc, const struct rk_src *src, struct vg_buf *out)
{
    return rk_cite_text(&sc->citer, src, out);
}

/* Appends "; source: A, B" for the sources of features[0..n). */
static enum vg_status cite_features(
    struct scorer *sc, const uint32_t *features, size_t n, struct vg_buf *out, struct vg_buf *ev)
{
    struct rk_src seen[16];
    size_t ns = 0;
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < 2; k++) {
            const struct rk_src *s = &sc->src[features[i]][k];
            if (s->kind == RK_SRC_NONE) {
                continue;
            }
            bool dup = false;
            for (size_t q = 0; q < ns && !dup; q++) {
                dup = seen[q].kind == s->kind && seen[q].id == s->id && seen[q].seg == s->seg;
            }
            if (!dup && ns < sizeof(seen) / sizeof(seen[0])) {
                seen[ns++] = *s;
            }
        }
    }
    enum vg_status st = VG_OK;
    for (size_t i = 0; i < ns && st == VG_OK; i++) {
        st = vg_buf_append_cstr(out, i == 0 ? "; source: " : ", ");
        if (st == VG_OK) {
            st = cite(sc, &seen[i], out);
        }
        if (st == VG_OK && ev != NULL) {
            /* ,"m12:13" or ,"o5" */
            const struct rk_src *s = &seen[i];
            static const char kinds[] = { 0, 'm', 'o', 'e', 'w' };
            char head[3] = { ',', '"', kinds[s->kind] };
            st = i == 0 ? vg_buf_append(ev, head + 1, 2) : vg_buf_append(ev, head, 3);
            if (st == VG_OK) {
                st = rk_buf_int(ev, s->id);
            }
            if (st == VG_OK && s->kind == RK_SRC_MESSAGE && s->seg > 0) {
                st = vg_buf_append_char(ev, ':');
                if (st == VG_OK) {
                    st = rk_buf_int(ev, s->seg);
                }
            }
            if (st == VG_OK) {
                st = vg_buf_append_char(ev, '"');
            }
        }
    }
    if (st == VG_OK && ns == 0) {
        st = vg_buf_append_cstr(out, "; source: the trip record");
    }
    return st;
}

/* Appends the strings a..e that are not NULL, as printf's %s would. */
static enum vg_status append_strs(
    struct vg_buf *b, const char *a, const char *c, const char *d, const char *e, const char *f)
{
    const char *parts[5] = { a, c, d, e, f };
    enum vg_status s = VG_OK;
    for (int i = 0; i < 5 && s == VG_OK; i++) {
        if (parts[i] != NULL) {
            s = vg_buf_append_cstr(b, parts[i]);
        }
    }
    return s;
}

/* Appends x as printf's %.*s would: up to its first NUL. */
static enum vg_status append_upto_nul(struct vg_buf *b, struct vg_slice x)
{
    const char *nul = x.len > 0 ? memchr(x.ptr, '\0', x.len) : NULL;
    return vg_buf_append(b, x.ptr, nul != NULL ? (size_t)(nul - x.ptr) : x.len);
}

/* Reasons are joined by " | " in listings: keep the bar out of their text. */
static void no_bars(struct vg_buf *b, size_t from)
{
    for (size_t i = from; i < b->len; i++) {
        if (b->data[i] == '|') {
            b->data[i] = '/';
        }
    }
}

/* ---- writing ------------------------------------------------------------------------ */

#define REASON_ROW    "(?,?,?,?,?,?,?)"
#define REASON_ROWS4  REASON_ROW "," REASON_ROW "," REASON_ROW "," REASON_ROW
#define REASON_ROWS16 REASON_ROWS4 "," REASON_ROWS4 "," REASON_ROWS4 "," REASON_ROWS4

/* Inserts the pending reasons: RK_REASON_BATCH in one statement, or one at a time. */
static enum vg_status flush_reasons(struct scorer *sc, struct vg_error *err)
{
    static const char one[] =
        "INSERT INTO assessment_reasons(assessment_id, seq, kind, code, weight, text, evidence)"
        " VALUES" REASON_ROW;
    static const char many[] =
        "INSERT INTO assessment_reasons(assessment_id, seq, kind, code, weight, text, evidence)"
        " VALUES" REASON_ROWS16 "," REASON_ROWS16;
    _Static_assert(RK_REASON_BATCH == 32, "the VALUES list of many[] has 32 rows");
    bool batch = sc->npend == RK_REASON_BATCH;
    sqlite3_stmt *st = NULL;
    int rc = SQLITE_DONE;
    for (size_t i = 0; i < sc->npend && rc == SQLITE_DONE; i++) {
        if (st == NULL) {
            st = vg__store_stmt(sc->store, batch ? many : one, err);
            if (st == NULL) {
                sc->npend = 0;
                return err != NULL ? err->code : VG_EDB;
            }
        }
        const struct pending_reason *p = &sc->pend[i];
        int b = batch ? (int)i * 7 : 0;
        sqlite3_bind_int64(st, b + 1, p->aid);
        sqlite3_bind_int(st, b + 2, p->seq);
        vg__bind_text(st, b + 3, p->kind);
        vg__bind_text(st, b + 4, p->code);
        vg__bind_double_or_null(st, b + 5, p->weight, p->has_weight);
        vg__bind_textn(st, b + 6, sc->pend_text.data + p->text, p->text_len);
        if (p->has_evidence) {
            vg__bind_textn(st, b + 7, sc->pend_text.data + p->evidence, p->evidence_len);
        } else {
            sqlite3_bind_null(st, b + 7);
        }
        if (!batch || i + 1 == sc->npend) {
            rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (!batch) {
                st = NULL;
            }
        }
    }
    sc->npend = 0;
    vg_buf_reset(&sc->pend_text);
    return rc == SQLITE_DONE ? VG_OK : vg__store_error(sc->store, rc, "recording a reason", err);
}

/* Queues a reason of assessment aid (inserted by flush_reasons). */
static enum vg_status reason(struct scorer *sc,
                             int64_t aid,
                             int *seq,
                             const char *kind,
                             const char *code,
                             double weight,
                             bool has_weight,
                             const struct vg_buf *text,
                             const char *evidence,
                             struct vg_error *err)
{
    if (sc->npend == RK_REASON_BATCH) {
        enum vg_status s = flush_reasons(sc, err);
        if (s != VG_OK) {
            return s;
        }
    }
    struct pending_reason *p = &sc->pend[sc->npend];
    size_t elen = evidence != NULL ? strlen(evidence) : 0;
    *p = (struct pending_reason){ .aid = aid,
                                  .seq = ++*seq,
                                  .kind = kind,
                                  .code = code,
                                  .weight = weight,
                                  .has_weight = has_weight,
                                  .has_evidence = evidence != NULL,
                                  .text = sc->pend_text.len,
                                  .text_len = text->len,
                                  .evidence = sc->pend_text.len + text->len,
                                  .evidence_len = elen };
    /* Always appended, so that pend_text.data is not NULL (text is NOT NULL). */
    enum vg_status s = vg_buf_append(&sc->pend_text, text->data, text->len);
    if (s == VG_OK && elen > 0) {
        s = vg_buf_append(&sc->pend_text, evidence, elen);
    }
    if (s != VG_OK) {
        return vg_error_set(err, s, "out of memory");
    }
    sc->npend++;
    return VG_OK;
}

/* A deciding value in a reason's evidence: numbers as %.6g (integers below a million,
 * which %.6g prints exactly, without printf), strings with quotes and backslashes escaped
 * and control characters as spaces. */
static enum vg_status feature_value_json(const struct vg_value *v, struct vg_buf *out)
{
    switch (v->kind) {
    case VG_VALUE_NUMBER: {
        double x = v->as.number;
        if (x == floor(x) && fabs(x) < 1e6 && !(x == 0 && signbit(x))) {
            return rk_buf_int(out, (int64_t)x);
        }
        return rk_buf_double(out, x, 'g', 6);
    }
    case VG_VALUE_BOOL:
        return v->as.boolean ? vg_buf_append(out, "true", 4) : vg_buf_append(out, "false", 5);
    case VG_VALUE_STRING: {
        enum vg_status s = vg_buf_reserve(out, 2 * v->as.string.len + 2);
        if (s != VG_OK) {
            return s;
        }
        char *w = out->data + out->len;
        *w++ = '"';
        for (size_t i = 0; i < v->as.string.len; i++) {
            char ch = v->as.string.ptr[i];
            if (ch == '"' || ch == '\\') {
                *w++ = '\\';
                *w++ = ch;
            } else {
                *w++ = (unsigned char)ch < 0x20 ? ' ' : ch;
            }
        }
        *w++ = '"';
        out->len = (size_t)(w - out->data);
        out->data[out->len] = '\0';
        return VG_OK;
    }
    case VG_VALUE_LIST: {
        enum vg_status s = vg_buf_append_char(out, '[');
        for (size_t i = 0; i < v->as.list.count && s == VG_OK; i++) {
            if (i > 0) {
                s = vg_buf_append_char(out, ',');
            }
            if (s == VG_OK) {
                s = vg_buf_append_char(out, '"');
            }
            if (s == VG_OK) {
                s = vg_buf_append(out, v->as.list.items[i].ptr, v->as.list.items[i].len);
            }
            if (s == VG_OK) {
                s = vg_buf_append_char(out, '"');
            }
        }
        return s == VG_OK ? vg_buf_append_char(out, ']') : s;
    }
    default:
        break;
    }
    return vg_buf_append(out, "null", 4);
}

/* "Consignment evidence shared by the 36 containers of its bill (PARTY-13, WL-02: 22
 * points): 6.44 for each, 15.56 less (10 x log10 36); source: ...", weight -15.56. */
static enum vg_status
consignment_reason(struct scorer *sc, int64_t aid, int *seq, struct vg_error *err)
{
    vg_buf_reset(&sc->text);
    enum vg_status s = vg_buf_append_cstr(&sc->text, "Consignment evidence shared by the ");
    if (s == VG_OK) {
        s = rk_buf_double(&sc->text, sc->bill_containers, 'f', 0);
    }
    if (s == VG_OK) {
        s = vg_buf_append_cstr(&sc->text, " containers of its bill (");
    }
    for (size_t k = 0; k < sc->nshared && s == VG_OK; k++) {
        if (k > 0) {
            s = vg_buf_append(&sc->text, ", ", 2);
        }
        if (s == VG_OK) {
            s = vg_buf_append_cstr(&sc->text, vg_rules_get(sc->set, sc->shared_rules[k])->id);
        }
    }
    if (s == VG_OK) {
        s = vg_buf_append(&sc->text, ": ", 2);
    }
    if (s == VG_OK) {
        s = rk_buf_double(&sc->text, sc->shared_points, 'f', 2);
    }
    if (s == VG_OK) {
        s = vg_buf_append_cstr(&sc->text, " points): ");
    }
    if (s == VG_OK) {
        s = rk_buf_double(&sc->text, sc->shared_points - sc->shared_discount, 'f', 2);
    }
    if (s == VG_OK) {
        s = vg_buf_append_cstr(&sc->text, " for each, ");
    }
    if (s == VG_OK) {
        s = rk_buf_double(&sc->text, sc->shared_discount, 'f', 2);
    }
    if (s == VG_OK) {
        s = vg_buf_append_cstr(&sc->text,
                               " less (10 x log10 of the containers, at most the points)");
    }
    const uint32_t feats[1] = { VG_F_BILL_CONTAINERS };
    if (s == VG_OK) {
        s = cite_features(sc, feats, 1, &sc->text, NULL);
    }
    if (s == VG_OK) {
        no_bars(&sc->text, 0);
        s = reason(sc, aid, seq, "consignment", NULL, -sc->shared_discount, true, &sc->text, NULL,
                   err);
    }
    return s;
}

static const unsigned missing_feeds[] = { VG_FEED_MANIFEST, VG_FEED_GATE, VG_FEED_TERMINAL,
                                          VG_FEED_STATUS,   VG_FEED_AIS,  VG_FEED_WATCHLIST,
                                          VG_FEED_OUTCOMES };

static enum vg_status write_reasons(struct scorer *sc, int64_t aid, struct vg_error *err)
{
    const struct vg_feature_schema *cat = vg_feature_catalog();
    struct vg_buf ev = sc->evidence_buf; /* reused: its memory stays with the scorer */
    vg_buf_reset(&ev);
    enum vg_status s = VG_OK;
    int seq = 0;
    for (size_t i = 0; i < sc->nrules && s == VG_OK; i++) {
        if (sc->results[i].outcome != VG_RULE_FIRED) {
            continue;
        }
        const struct vg_rule_info *r = vg_rules_get(sc->set, i);
        vg_buf_reset(&sc->text);
        vg_buf_reset(&ev);
        uint32_t feats[16];
        size_t nf = 0;
        s = vg_rules_explain(sc->set, i, sc->rec, VG_F_COUNT, &sc->text);
        if (s == VG_OK) {
            s = vg_rules_evidence(sc->set, i, sc->rec, VG_F_COUNT, feats, 16, &nf, NULL);
        }
        if (nf > 16) {
            nf = 16;
        }
        if (s == VG_OK) {
            s = vg_buf_append_cstr(&ev, "{\"features\":{");
        }
        for (size_t k = 0; k < nf && s == VG_OK; k++) {
            s = k > 0 ? vg_buf_append(&ev, ",\"", 2) : vg_buf_append_char(&ev, '"');
            if (s == VG_OK) {
                s = vg_buf_append_cstr(&ev, cat->defs[feats[k]].name);
            }
            if (s == VG_OK) {
                s = vg_buf_append(&ev, "\":", 2);
            }
            if (s == VG_OK) {
                s = feature_value_json(&sc->rec[feats[k]], &ev);
            }
        }
        if (s == VG_OK) {
            s = vg_buf_append_cstr(&ev, "},\"sources\":[");
        }
        if (s == VG_OK) {
            s = cite_features(sc, feats, nf, &sc->text, &ev);
        }
        if (s == VG_OK) {
            s = vg_buf_append_cstr(&ev, "]}");
        }
        if (s == VG_OK) {
            no_bars(&sc->text, 0);
            /* A rule that rests on watch-list features alone is a list reason (targeting
             * counts selections by the kind of their heaviest reason). */
            bool list = nf > 0;
            for (size_t k = 0; k < nf && list; k++) {
                list = strncmp(cat->defs[feats[k]].name, "watchlist_", 10) == 0;
            }
            s = reason(sc, aid, &seq, list ? "list" : "rule", r->id, r->weight, true, &sc->text,
                       ev.data, err);
        }
    }
    /* Watch-list hits with the matcher's explanation. */
    for (size_t i = 0; i < sc->hits.n && s == VG_OK; i++) {
        const struct rk_trip_hit *h = &sc->hits.items[i];
        vg_buf_reset(&sc->text);
        vg_buf_reset(&ev);
        /* "Watch list %s: %s %.*s (score %.2f): %s" */
        s = append_strs(&sc->text, "Watch list ", rk_cstr(&sc->c->s, h->hit.list), ": ",
                        h->role, " ");
        if (s == VG_OK) {
            s = append_upto_nul(&sc->text, h->subject);
        }
        if (s == VG_OK) {
            s = vg_buf_append_cstr(&sc->text, " (score ");
        }
        if (s == VG_OK) {
            s = rk_buf_double(&sc->text, h->hit.score, 'f', 2);
        }
        if (s == VG_OK) {
            s = append_strs(&sc->text, "): ", rk_cstr(&sc->c->s, h->hit.explanation), NULL, NULL,
                            NULL);
        }
        struct rk_src srcs[2] = { { h->msg, h->seg, RK_SRC_MESSAGE },
                                  { h->hit.entry_id, 0, RK_SRC_WATCH_ENTRY } };
        for (int k = 0; k < 2 && s == VG_OK; k++) {
            if (srcs[k].id == 0) {
                continue;
            }
            s = vg_buf_append_cstr(&sc->text, k == 0 || srcs[0].id == 0 ? "; source: " : ", ");
            if (s == VG_OK) {
                s = cite(sc, &srcs[k], &sc->text);
            }
        }
        if (s == VG_OK) {
            /* {"entry":%lld,"score":%.4f,"identifier":%s} */
            s = vg_buf_append_cstr(&ev, "{\"entry\":");
            if (s == VG_OK) {
                s = rk_buf_int(&ev, h->hit.entry_id);
            }
            if (s == VG_OK) {
                s = vg_buf_append_cstr(&ev, ",\"score\":");
            }
            if (s == VG_OK) {
                s = rk_buf_double(&ev, h->hit.score, 'f', 4);
            }
            if (s == VG_OK) {
                s = vg_buf_append_cstr(&ev, h->hit.identifier ? ",\"identifier\":true}"
                                                              : ",\"identifier\":false}");
            }
        }
        if (s == VG_OK) {
            no_bars(&sc->text, 0);
            s = reason(sc, aid, &seq, "list", rk_cstr(&sc->c->s, h->hit.list), 0, false, &sc->text,
                       ev.data, err);
        }
    }
    /* Consignment evidence shared by the bill's boxes. */
    if (s == VG_OK && sc->shared_discount > 0) {
        s = consignment_reason(sc, aid, &seq, err);
    }
    /* Graded evidence. */
    if (s == VG_OK && sc->graded_points >= 0.005) {
        vg_buf_reset(&sc->text);
        s = vg_buf_append_cstr(&sc->text, "Graded evidence (");
        if (s == VG_OK) {
            s = rk_buf_double(&sc->text, sc->graded_points, 'f', 2);
        }
        if (s == VG_OK) {
            s = vg_buf_append_cstr(&sc->text, " points):");
        }
        uint32_t feats[sizeof(sc->parts) / sizeof(sc->parts[0])];
        for (size_t k = 0; k < sc->nparts && s == VG_OK; k++) {
            const struct vg_feature_def *d = &cat->defs[sc->parts[k].feature];
            s = vg_buf_append_cstr(&sc->text, k > 0 ? ", " : " ");
            if (s == VG_OK) {
                s = vg_buf_append_cstr(&sc->text, d->name);
            }
            if (s == VG_OK) {
                s = vg_buf_append_char(&sc->text, ' ');
            }
            if (s == VG_OK) {
                s = vg_rules_format_value(d, &sc->rec[sc->parts[k].feature], &sc->text);
            }
            if (s == VG_OK) {
                s = vg_buf_append(&sc->text, " (", 2);
            }
            if (s == VG_OK) {
                s = rk_buf_double(&sc->text, sc->parts[k].points, 'f', 2);
            }
            if (s == VG_OK) {
                s = vg_buf_append_char(&sc->text, ')');
            }
            feats[k] = (uint32_t)sc->parts[k].feature;
        }
        if (s == VG_OK) {
            s = cite_features(sc, feats, sc->nparts, &sc->text, NULL);
        }
        if (s == VG_OK) {
            no_bars(&sc->text, 0);
            s = reason(sc, aid, &seq, "graded", NULL, sc->graded_points, true, &sc->text, NULL,
                       err);
        }
    }
    /* The model. */
    if (s == VG_OK && sc->model != NULL && !isnan(sc->model_p)) {
        vg_buf_reset(&sc->text);
        /* "Model %s: probability %.3f" and "; %.*s" */
        s = append_strs(&sc->text, "Model ", sc->model->version != NULL ? sc->model->version : "",
                        ": probability ", NULL, NULL);
        if (s == VG_OK) {
            s = rk_buf_double(&sc->text, sc->model_p, 'f', 3);
        }
        if (s == VG_OK && sc->why.len > 0) {
            s = vg_buf_append(&sc->text, "; ", 2);
            if (s == VG_OK) {
                s = append_upto_nul(&sc->text, (struct vg_slice){ sc->why.data, sc->why.len });
            }
        }
        if (s == VG_OK) {
            s = vg_buf_append_cstr(&sc->text, "; source: the trip's feature record");
        }
        if (s == VG_OK) {
            no_bars(&sc->text, 0);
            s = reason(sc, aid, &seq, "model", sc->model->version, sc->model_points, true,
                       &sc->text, sc->model_ev.len > 0 ? sc->model_ev.data : NULL, err);
        }
    }
    /* Feeds missing for this trip: the features that depend on them are unknown. Feeds the
     * store has none of at all are not repeated on every trip (the features say so). */
    if (s == VG_OK) {
        vg_buf_reset(&sc->text);
        for (size_t k = 0; k < sizeof(missing_feeds) / sizeof(missing_feeds[0]) && s == VG_OK;
             k++) {
            unsigned feed = missing_feeds[k];
            int bit = 0;
            while ((1u << bit) != feed) {
                bit++;
            }
            if (sc->hits.feed[bit] || sc->hits.feed_global[bit]) {
                continue; /* present, or absent from the whole store (not this trip's gap) */
            }
            struct vg_slice why = sc->hits.feed_why[bit];
            /* "%s%s: %.*s" */
            s = append_strs(&sc->text, sc->text.len == 0 ? "" : "; ", vg_feed_name(feed), ": ",
                            NULL, NULL);
            if (s == VG_OK) {
                s = append_upto_nul(&sc->text, why);
            }
        }
        if (s == VG_OK && sc->text.len > 0) {
            no_bars(&sc->text, 0);
            s = reason(sc, aid, &seq, "missing", NULL, 0, false, &sc->text, NULL, err);
        }
    }
    sc->evidence_buf = ev;
    return s;
}

/* ---- the run ---------------------------------------------------------------------------- */

struct latest {
    int64_t as_of;
    uint32_t version;
    uint8_t digest[VG_DIGEST_SIZE];
    bool has;
};

static enum vg_status load_latest(struct rk_ctx *c, struct latest *lt, struct vg_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(c->store->db,
                                "SELECT trip_id, version, as_of, features_digest FROM assessments"
                                " ORDER BY trip_id, version",
                                -1, &st, NULL);
    if (rc != SQLITE_OK) {
        return vg__store_error(c->store, rc, "reading assessments", err);
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t tid = sqlite3_column_int64(st, 0);
        if (tid <= 0 || (size_t)tid >= c->trip_ids || c->trip_by_id[tid] == 0) {
            continue;
        }
        struct latest *l = &lt[c->trip_by_id[tid] - 1];
        l->has = true;
        l->version = (uint32_t)sqlite3_column_int(st, 1);
        l->as_of = sqlite3_column_int64(st, 2);
        memset(l->digest, 0, sizeof(l->digest));
        if (sqlite3_column_bytes(st, 3) == VG_DIGEST_SIZE) {
            memcpy(l->digest, sqlite3_column_blob(st, 3), VG_DIGEST_SIZE);
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? VG_OK : vg__store_error(c->store, rc, "reading assessments", err);
}

struct run {
    struct scorer sc;
    struct latest *latest;
    struct vg_risk_report *rep;
    bool dry_run;
    struct vg_hasher batch;
    double t_write;
    struct rk_quiet quiet;
    uint32_t name[VG_F_COUNT]; /* feature_names ids (rk_record_names), once named */
    bool named;
};

static enum vg_status
write_version(struct run *r, uint32_t ti, int64_t as_of, const char *moment, struct vg_error *err)
{
    struct scorer *sc = &r->sc;
    struct latest *l = &r->latest[ti];
    const struct rk_trip *t = RK_AT(sc->c->trips, struct rk_trip, ti);
    bool hold = sc->sum.holds > 0;
    const char *band = vg_risk_band(sc->score, hold);
    if (strcmp(band, "red") == 0) {
        r->rep->red++;
    } else if (strcmp(band, "amber") == 0) {
        r->rep->amber++;
    } else {
        r->rep->green++;
    }
    r->rep->holds += hold ? 1 : 0;
    uint32_t version = l->has ? l->version + 1 : 1;
    if (l->has) {
        r->rep->rescored++;
    } else {
        r->rep->assessed++;
    }
    l->has = true;
    l->version = version;
    l->as_of = as_of;
    memcpy(l->digest, sc->digest, VG_DIGEST_SIZE);
    if (r->dry_run) {
        return VG_OK;
    }
    double t0 = seconds();
    enum vg_status s = VG_OK;
    if (!r->named && (s = rk_record_names(sc->store, r->name, err)) != VG_OK) {
        return s;
    }
    r->named = true;
    vg_buf_reset(&sc->packed);
    s = rk_record_pack(sc->rec, (const struct rk_src(*)[2])sc->src, r->name, &sc->packed);
    if (s != VG_OK) {
        return vg_error_set(err, s, "%s writing a feature record", vg_strerror(s));
    }
    static const char sql[] =
        "INSERT INTO assessments(trip_id, version, moment, as_of, score, band, mandatory_hold,"
        " rule_set_id, model_id, features, created_at, features_digest)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
    sqlite3_stmt *st = vg__store_stmt(sc->store, sql, err);
    if (st == NULL) {
        return err != NULL ? err->code : VG_EDB;
    }
    sqlite3_bind_int64(st, 1, t->id);
    sqlite3_bind_int(st, 2, (int)version);
    vg__bind_text(st, 3, moment);
    sqlite3_bind_int64(st, 4, as_of);
    sqlite3_bind_double(st, 5, sc->score);
    vg__bind_text(st, 6, band);
    sqlite3_bind_int(st, 7, hold);
    vg__bind_int64_or_null(st, 8, sc->rule_set_id, 0);
    vg__bind_int64_or_null(st, 9, sc->model != NULL ? sc->model->model_id : 0, 0);
    sqlite3_bind_blob(st, 10, sc->packed.data, (int)sc->packed.len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 11, sc->c->now);
    sqlite3_bind_blob(st, 12, sc->digest, VG_DIGEST_SIZE, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        return vg__store_error(sc->store, rc, "recording an assessment", err);
    }
    int64_t aid = sqlite3_last_insert_rowid(sc->store->db);
    vg_hasher_update(&r->batch, sc->digest, VG_DIGEST_SIZE);
    s = write_reasons(sc, aid, err);
    r->t_write += seconds() - t0;
    return s;
}

/* Trip ti's record as of as_of equals its latest version's (when it has one). */
static void unchanged(struct run *r, uint32_t ti, int64_t as_of)
{
    struct latest *l = &r->latest[ti];
    if (l->has) {
        r->rep->unchanged++;
        l->as_of = as_of > l->as_of ? as_of : l->as_of;
    }
}

/* Evaluates trip ti as of as_of and writes a version when it differs from the latest. */
static enum vg_status
assess(struct run *r, uint32_t ti, int64_t as_of, const char *moment, struct vg_error *err)
{
    enum vg_status s = evaluate(&r->sc, ti, as_of, err);
    if (s != VG_OK) {
        return s;
    }
    r->rep->computed++;
    struct latest *l = &r->latest[ti];
    if (!r->sc.evidence && !l->has) {
        return VG_OK; /* nothing of the trip was known yet */
    }
    if (l->has && memcmp(l->digest, r->sc.digest, VG_DIGEST_SIZE) == 0) {
        unchanged(r, ti, as_of);
        return VG_OK;
    }
    s = model_term(&r->sc, err);
    return s == VG_OK ? write_version(r, ti, as_of, moment, err) : s;
}

/* Evaluates trip ti again as of until, just assessed as of since; skipped (counted
 * unchanged) when nothing dated in (since, until] could change its record, unless
 * compute_anyway. */
static enum vg_status reassess(struct run *r,
                               uint32_t ti,
                               int64_t since,
                               int64_t until,
                               const char *moment,
                               bool compute_anyway,
                               struct vg_error *err)
{
    bool quiet = false;
    if (!compute_anyway) {
        enum vg_status s = rk_quiet_between(&r->quiet, ti, since, until, &quiet);
        if (s != VG_OK) {
            return vg_error_set(err, s, "%s checking what changed since a trip's loading",
                                vg_strerror(s));
        }
    }
    if (quiet) {
        unchanged(r, ti, until);
        return VG_OK;
    }
    return assess(r, ti, until, moment, err);
}

enum vg_status vg_risk_score(struct vg_store *store,
                             const struct vg_risk_options *opts,
                             struct vg_risk_report *report,
                             struct vg_error *err)
{
    struct vg_risk_options defaults = { .as_of = VG_TIME_NONE };
    if (opts == NULL) {
        opts = &defaults;
    }
    struct vg_risk_report local;
    struct vg_risk_report *rep = report != NULL ? report : &local;
    memset(rep, 0, sizeof(*rep));
    int64_t as_of = opts->as_of != VG_TIME_NONE ? opts->as_of : vg_time_now();
    int64_t window = (int64_t)(opts->rescore_days > 0 ? opts->rescore_days : 60) * RK_DAY;
    double t0 = seconds();

    struct vg_rule_set *owned = NULL;
    const struct vg_rule_set *set = opts->rules;
    int64_t set_id = opts->rule_set_id;
    enum vg_status s;
    if (set == NULL) {
        if ((s = vg_risk_rules_active(store, &owned, &set_id, err)) != VG_OK) {
            return s;
        }
        set = owned;
    }
    rep->rule_set_id = set_id;

    struct run r;
    memset(&r, 0, sizeof(r));
    r.rep = rep;
    r.dry_run = opts->dry_run;
    struct scorer *sc = &r.sc;
    sc->store = store;
    sc->set = set;
    sc->rule_set_id = set_id;
    sc->model = opts->model;
    sc->nrules = vg_rules_count(set);
    vg_arena_init(&sc->arena, 64u << 10, 0);
    vg_buf_init(&sc->packed, 1u << 24);
    vg_buf_init(&sc->text, 1u << 20);
    vg_buf_init(&sc->why, 1u << 20);
    vg_buf_init(&sc->model_ev, 1u << 20);
    vg_buf_init(&sc->pend_text, 1u << 28);
    vg_buf_init(&sc->evidence_buf, 1u << 20);
    struct rk_ctx *c = vg_calloc(1, sizeof(*c));
    sc->results = vg_calloc(sc->nrules + 1, sizeof(struct vg_rule_result));
    if (c == NULL || sc->results == NULL) {
        s = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    sc->c = c;
    rk_citer_init(&sc->citer, store, c);
    if ((s = rk_ctx_load(c, store, err)) != VG_OK || (s = rk_ctx_prepare(c, err)) != VG_OK) {
        goto out;
    }
    r.latest = vg_calloc(c->trips.n + 1, sizeof(struct latest));
    if (r.latest == NULL) {
        s = vg_error_set(err, VG_ENOMEM, "out of memory");
        goto out;
    }
    if ((s = load_latest(c, r.latest, err)) != VG_OK ||
        (s = rk_quiet_init(&r.quiet, c, err)) != VG_OK) {
        goto out;
    }
    uint32_t port = 0;
    if (opts->port != NULL) {
        uint64_t id;
        if (!vg_map_get(&c->s.map, opts->port, strlen(opts->port), &id)) {
            goto done; /* no trip at that port */
        }
        port = (uint32_t)id;
    }
    rep->load_seconds = seconds() - t0;
    double t1 = seconds();
    vg_hasher_init(&r.batch);
    if (!r.dry_run && (s = vg_store_begin(store, err)) != VG_OK) {
        goto out;
    }
    for (uint32_t ti = 0; ti < c->trips.n && s == VG_OK; ti++) {
        const struct rk_trip *t = RK_AT(c->trips, struct rk_trip, ti);
        if (port != 0 && t->port != port) {
            continue;
        }
        struct latest *l = &r.latest[ti];
        int64_t tr = t->t_ref;
        bool old = tr != VG_TIME_NONE && tr < as_of - window;
        if (l->has && old) {
            continue; /* assessed, and too long ago to re-score */
        }
        if (l->has && l->as_of >= as_of) {
            continue;
        }
        rep->trips++;
        const char *first = t->direction == RK_IMPORT ? "pre-arrival" : "pre-load";
        bool at_ref = tr != VG_TIME_NONE && tr <= as_of && (!l->has || l->as_of < tr);
        if (at_ref) {
            s = assess(&r, ti, tr, first, err);
        }
        if (s == VG_OK && old) {
            /* First assessed long after its loading: as of the loading, then as of its
             * departure, when documents filed after loading (a late cargo report) could
             * still hold the box or warn its destination. */
            int64_t td = rk_trip_departure(c, t);
            if (at_ref && td != VG_TIME_NONE && td > tr && td <= as_of) {
                s = reassess(&r, ti, tr, td, "rescore", opts->recompute_all, err);
            }
        } else if (s == VG_OK && (tr == VG_TIME_NONE || tr < as_of)) {
            s = reassess(&r, ti, tr, as_of,
                         (!r.latest[ti].has || tr == VG_TIME_NONE) ? first : "rescore",
                         opts->recompute_all || !at_ref, err);
        } else if (s == VG_OK && !at_ref) {
            s = assess(&r, ti, as_of, first, err); /* not loaded yet */
        }
    }
    if (s == VG_OK && !r.dry_run) {
        double tf = seconds();
        s = flush_reasons(sc, err);
        r.t_write += seconds() - tf;
    }
    if (s == VG_OK && !r.dry_run) {
        int64_t written = rep->assessed + rep->rescored;
        if (written > 0) {
            uint8_t digest[VG_DIGEST_SIZE];
            vg_hasher_final(&r.batch, digest);
            char objects[256], when[32];
            vg_time_format_iso8601(as_of, when, sizeof(when));
            snprintf(
                objects, sizeof(objects),
                "{\"assessed\":%lld,\"rescored\":%lld,\"as_of\":\"%s\",\"rule_set\":%lld%s%s%s}",
                (long long)rep->assessed, (long long)rep->rescored, when, (long long)set_id,
                opts->port != NULL ? ",\"port\":\"" : "", opts->port != NULL ? opts->port : "",
                opts->port != NULL ? "\"" : "");
            s = vg_audit_append(store, "risk.score", objects, digest, err);
        }
        if (s == VG_OK) {
            double tc = seconds();
            s = vg_store_commit(store, err);
            r.t_write += seconds() - tc;
        } else {
            vg_store_rollback(store);
        }
    } else if (!r.dry_run) {
        vg_store_rollback(store);
    }
    rep->write_seconds = r.t_write;
    rep->compute_seconds = seconds() - t1 - r.t_write;
done:
    if (rep->load_seconds == 0) {
        rep->load_seconds = seconds() - t0;
    }
out:
    rk_quiet_release(&r.quiet);
    vg_free(r.latest);
    if (c != NULL) {
        rk_ctx_release(c);
        vg_free(c);
    }
    vg_free(sc->results);
    vg_arena_release(&sc->arena);
    vg_buf_release(&sc->packed);
    vg_buf_release(&sc->text);
    vg_buf_release(&sc->why);
    vg_buf_release(&sc->model_ev);
    vg_buf_release(&sc->pend_text);
    vg_buf_release(&sc->evidence_buf);
    rk_citer_release(&sc->citer);
    vg_rules_free(owned);
    return s;
}
