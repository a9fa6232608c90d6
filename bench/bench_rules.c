/*
 * Rule evaluation throughput: the default rule set (rules/default.rules, or the file named
 * by argv[1]) compiled against the feature catalogue and evaluated on 1.5 million
 * synthetic feature records (argv[2] changes the count), a day of the world's container
 * moves.
 *
 * The records come from a pool of 8,192 generated with a fixed seed: realistic values for
 * a quiet export, about 10% of trips with the gate feed missing (gate features unknown),
 * and a few percent with one or more risk indicators, so that every path of the evaluator
 * (short-circuits, unknowns, list lookups, fired rules) is exercised. Prints compile time,
 * records per second and nanoseconds per record, cold (records spread over 18 MB) and hot
 * (a pool that stays in cache), and the share of the per-container budget of the scoring
 * path (1 million containers per minute = 60 us each) that rules take.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"

#include <vigia/alloc.h>
#include <vigia/features.h>
#include <vigia/file.h>
#include <vigia/rules.h>
#include <vigia/time.h>

#define POOL 8192
#define HOT_POOL 64
#define RECORDS_DEFAULT 1500000

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rng(void)
{
    /* xorshift64*: fixed seed, so every run measures the same records. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1Du;
}

static double uniform(void)
{
    return (double)(rng() >> 11) * (1.0 / 9007199254740992.0);
}

static bool chance(double p)
{
    return uniform() < p;
}

static const struct vg_slice countries[] = { { "MX", 2 }, { "US", 2 }, { "PA", 2 }, { "CO", 2 },
                                             { "EC", 2 }, { "CL", 2 }, { "ES", 2 }, { "CN", 2 } };
static const struct vg_slice ports[] = { { "MXZLO", 5 }, { "USLGB", 5 }, { "PABLB", 5 },
                                         { "COCTG", 5 }, { "ECGYE", 5 }, { "CLSAI", 5 },
                                         { "ESALG", 5 }, { "CNSHA", 5 } };
static const struct vg_slice dests[] = { { "US", 2 }, { "CN", 2 }, { "BE", 2 }, { "NL", 2 },
                                         { "MX", 2 }, { "JP", 2 }, { "KR", 2 }, { "ES", 2 } };
static const struct vg_slice hs[] = { { "080440", 6 }, { "090111", 6 }, { "261690", 6 },
                                      { "030617", 6 }, { "071320", 6 }, { "610910", 6 },
                                      { "200989", 6 }, { "740311", 6 } };
static const struct vg_slice regions[] = { { "PE-LIM", 6 }, { "PE-PIU", 6 }, { "PE-ICA", 6 },
                                           { "PE-SAM", 6 }, { "PE-LAL", 6 } };

static void make_record(struct vg_value *rec, const struct vg_feature_schema *cat)
{
    for (size_t i = 0; i < cat->count; i++) {
        switch (cat->defs[i].type) {
        case VG_FEATURE_NUMBER:
            rec[i] = vg_value_number(0);
            break;
        case VG_FEATURE_BOOL:
            rec[i] = vg_value_bool(chance(0.01)); /* rare indicators */
            break;
        case VG_FEATURE_STRING:
            rec[i] = vg_value_string(VG_SLICE_LIT(""));
            break;
        case VG_FEATURE_LIST:
            rec[i] = vg_value_list(NULL, 0);
            break;
        }
    }
    size_t ts = rng() % 3; /* 0 to 2 transhipments */
    size_t first = rng() % 8;
    rec[VG_F_PORT] = vg_value_string(chance(0.7) ? VG_SLICE_LIT("PECLL") : VG_SLICE_LIT("PECHY"));
    rec[VG_F_DIRECTION] = vg_value_string(chance(0.85) ? VG_SLICE_LIT("export")
                                                       : VG_SLICE_LIT("import"));
    rec[VG_F_DESTINATION_COUNTRY] = vg_value_string(dests[rng() % 8]);
    rec[VG_F_RECEIPT_REGION] = vg_value_string(regions[rng() % 5]);
    rec[VG_F_HS_CODE] = vg_value_string(hs[rng() % 8]);
    rec[VG_F_HS_CODES] = vg_value_list(&hs[rng() % 7], 1 + rng() % 2);
    rec[VG_F_TRANSHIPMENT_PORTS] = vg_value_list(&ports[first], first + ts <= 8 ? ts : 0);
    rec[VG_F_TRANSHIPMENT_COUNTRIES] =
        vg_value_list(&countries[first], first + ts <= 8 ? ts : 0);
    rec[VG_F_REEFER] = vg_value_bool(chance(0.3));
    rec[VG_F_SHIPPER_IS_NEW] = vg_value_bool(chance(0.03));
    rec[VG_F_SHIPPER_SHIPMENTS] = vg_value_number((double)(rng() % 200));
    rec[VG_F_SHIPPER_REGISTERED_DAYS] = vg_value_number((double)(rng() % 5000));
    rec[VG_F_CONSIGNEE_SHIPMENTS] = vg_value_number((double)(rng() % 100));
    rec[VG_F_FILING_LEAD_HOURS] = vg_value_number(12 + (double)(rng() % 96));
    rec[VG_F_KG_PER_PACKAGE_Z] = vg_value_number((uniform() - 0.5) * 8);
    rec[VG_F_VALUE_PER_KG_RATIO] = vg_value_number(0.2 + uniform() * 2);
    rec[VG_F_WEIGHT_MISMATCH_PCT] = vg_value_number(uniform() * 12);
    rec[VG_F_DWELL_HOURS] = vg_value_number(6 + uniform() * 120);
    rec[VG_F_DWELL_VS_NORM] = vg_value_number(0.3 + uniform() * 3.5);
    rec[VG_F_ODD_HOUR_MOVES] = vg_value_number((double)(rng() % 4));
    rec[VG_F_WATCHLIST_PARTY_SCORE] = vg_value_number(uniform() * uniform());
    rec[VG_F_PRIOR_SEIZURE_MATCH] = vg_value_number(uniform() * uniform());
    rec[VG_F_VOYAGE_AIS_GAP_HOURS] = vg_value_number(uniform() * 20);
    rec[VG_F_VOYAGE_ENCOUNTERS] = vg_value_number(chance(0.02) ? 1 : 0);
    rec[VG_F_VESSEL_TYPE] = vg_value_string(VG_SLICE_LIT("container"));
    static const struct vg_slice rel[] = { { "same", 4 }, { "one_off", 7 }, { "different", 9 } };
    double r = uniform();
    struct vg_slice seal = r < 0.97 ? rel[0] : r < 0.99 ? rel[1] : rel[2];
    rec[VG_F_SEAL_BOOKING_TO_GATE] = vg_value_string(rel[0]);
    rec[VG_F_SEAL_GATE_TO_LOAD] = vg_value_string(seal);
    rec[VG_F_SEAL_MANIFEST_TO_LOAD] = vg_value_string(seal);
    rec[VG_F_SEAL_GATE_IN] = vg_value_string(VG_SLICE_LIT("ABC123"));
    rec[VG_F_SEAL_LOAD] = vg_value_string(VG_SLICE_LIT("ABD123"));
    /* About one trip in ten has no gate messages: its gate features are unknown. */
    if (chance(0.1)) {
        for (size_t i = 0; i < cat->count; i++) {
            if (cat->defs[i].feeds & VG_FEED_GATE) {
                rec[i] = vg_value_unknown(VG_SLICE_LIT("no gate messages"));
            }
        }
    }
    /* The registry, release and audit feeds are not connected yet. */
    for (size_t i = 0; i < cat->count; i++) {
        if (cat->defs[i].feeds & (VG_FEED_REGISTRY | VG_FEED_RELEASE | VG_FEED_AUDIT)) {
            rec[i] = vg_value_unknown(VG_SLICE_EMPTY);
        }
    }
}

static char *default_path(void)
{
    /* bench/bench_rules.c -> rules/default.rules, next to it in the source tree. */
    const char *here = __FILE__;
    const char *slash = strrchr(here, '/');
    size_t dir = slash != NULL ? (size_t)(slash - here) : 0;
    char *path = malloc(dir + 32);
    if (path == NULL) {
        return NULL;
    }
    snprintf(path, dir + 32, "%.*s%s../rules/default.rules", (int)dir, here, dir ? "/" : "");
    return path;
}

int main(int argc, char **argv)
{
    char *path = argc > 1 ? NULL : default_path();
    size_t records = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : RECORDS_DEFAULT;
    if (records == 0) {
        records = RECORDS_DEFAULT;
    }
    const char *file = argc > 1 ? argv[1] : path;
    struct vg_file f;
    struct vg_error err;
    if (file == NULL || vg_file_open(file, &f, &err) != VG_OK) {
        fprintf(stderr, "bench_rules: cannot read %s\n", file != NULL ? file : "(null)");
        return 1;
    }
    const struct vg_feature_schema *cat = vg_feature_catalog();
    struct vg_rule_set *set = NULL;
    const int compiles = 200;
    double t0 = bench_wall();
    for (int i = 0; i < compiles; i++) {
        vg_rules_free(set);
        set = NULL;
        if (vg_rules_compile(f.data, f.len, file, cat, NULL, NULL, &set, &err) != VG_OK) {
            char msg[600];
            fprintf(stderr, "bench_rules: %s\n", vg_error_format(&err, msg, sizeof(msg)));
            return 1;
        }
    }
    double compile_s = (bench_wall() - t0) / compiles;
    size_t nrules = vg_rules_count(set);

    struct vg_value *pool = malloc(sizeof(*pool) * POOL * VG_F_COUNT);
    struct vg_rule_result *res = malloc(sizeof(*res) * nrules);
    if (pool == NULL || res == NULL) {
        return 1;
    }
    for (size_t i = 0; i < POOL; i++) {
        make_record(pool + i * VG_F_COUNT, cat);
    }
    int64_t as_of = vg_time_from_civil(2026, 11, 30, 12, 0, 0);

    /* Warm up, then measure. */
    struct vg_rules_summary sum;
    for (size_t i = 0; i < POOL; i++) {
        if (vg_rules_eval(set, pool + i * VG_F_COUNT, VG_F_COUNT, as_of, res, &sum) != VG_OK) {
            return 1;
        }
    }
    /* Cold: records spread over 18 MB, as when records are read back from memory. Hot: a
     * pool that stays in cache, as when each record is evaluated right after it is
     * computed. */
    double fired = 0, unknown = 0, weight = 0;
    double eval_s[2];
    for (int pass = 0; pass < 2; pass++) {
        size_t pool_n = pass == 0 ? POOL : HOT_POOL;
        t0 = bench_wall();
        for (size_t i = 0; i < records; i++) {
            const struct vg_value *rec = pool + (i % pool_n) * VG_F_COUNT;
            if (vg_rules_eval(set, rec, VG_F_COUNT, as_of, res, &sum) != VG_OK) {
                return 1;
            }
            if (pass == 0) {
                fired += (double)sum.fired;
                unknown += (double)sum.unknown;
                weight += sum.weight;
            }
        }
        eval_s[pass] = bench_wall() - t0;
    }

    /* Explanations of the fired rules, as the scorer writes them. */
    struct vg_buf buf;
    vg_buf_init(&buf, 0);
    size_t explained = 0;
    t0 = bench_wall();
    for (size_t i = 0; i < records && i < 200000; i++) {
        const struct vg_value *rec = pool + (i % POOL) * VG_F_COUNT;
        if (vg_rules_eval(set, rec, VG_F_COUNT, as_of, res, NULL) != VG_OK) {
            return 1;
        }
        for (size_t r = 0; r < nrules; r++) {
            if (res[r].outcome == VG_RULE_FIRED) {
                vg_buf_reset(&buf);
                if (vg_rules_explain(set, r, rec, VG_F_COUNT, &buf) != VG_OK) {
                    return 1;
                }
                explained++;
            }
        }
    }
    double explain_s = bench_wall() - t0;

    double cold_ns = eval_s[0] / (double)records * 1e9, hot_ns = eval_s[1] / (double)records * 1e9;
    printf("bench_rules: %s (%zu rules, %zu features)\n", file, nrules, (size_t)VG_F_COUNT);
    printf("  compile            %10.3f ms per compile\n", compile_s * 1e3);
    printf("  evaluate, cold     %10.0f records/s  %6.0f ns per record  (%zu records, pool of "
           "%d)\n", (double)records / eval_s[0], cold_ns, records, POOL);
    printf("  evaluate, hot      %10.0f records/s  %6.0f ns per record  (%zu records, pool of "
           "%d)\n", (double)records / eval_s[1], hot_ns, records, HOT_POOL);
    printf("  fired per record   %10.3f  unknown per record %.3f  mean weight %.2f\n",
           fired / (double)records, unknown / (double)records, weight / (double)records);
    printf("  explain            %10.0f explanations/s  (%zu, with evaluation)\n",
           (double)explained / explain_s, explained);
    printf("  share of budget    %10.2f %% (cold) of 60 us per container (1 million per "
           "minute)\n", cold_ns / 60000.0 * 100.0);
    vg_buf_release(&buf);
    free(pool);
    free(res);
    free(path);
    vg_rules_free(set);
    vg_file_close(&f);
    return 0;
}
