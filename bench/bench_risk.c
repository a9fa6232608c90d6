/*
 * bench_risk: features + rules + watch lists over a large generated store, against the
 * target of 1 million containers scored per minute on one core (issue M1-5: "over 1.5
 * million containers, a day of the world's traffic").
 *
 *   bench_risk [--cache] [--no-model] [--write-only] [--recompute-all] [CONTAINERS [DIR]]
 *
 * CONTAINERS defaults to 1,500,000 (the figure), DIR to /tmp. The store is
 * generated directly with SQL (no ingest): port calls of 1,000 containers at Callao and
 * Chancay over 60 days, each container with a bill (shipper, consignee, one goods line), a
 * gate-in and a loading with their seals (1% changed), 0.5% of the trips examined (a tenth
 * of them positive), and a watch list of 300 names. It then times:
 *   1. a dry run (load + features + rules + lists + score, nothing written);
 *   1b-1d. the model: the examined trips as training examples, training, and the dry run
 *      again with the model's term (probability, exact contributions, the top three in
 *      words); left out with --no-model;
 *   2. a full run (the same plus writing every assessment, its feature record and its
 *      reasons, in one transaction);
 *   3. a second full run (re-scoring: nothing changed, nothing written).
 * --write-only runs 2 and 3 alone (for profiling the write path). --recompute-all computes
 * every trip's re-score as of the run's instant even when nothing dated after its loading
 * could change it (vg_risk_options.recompute_all: the same versions, the cost before quiet
 * trips were left out). --cache keeps the
 * generated store as DIR/bench_risk-CONTAINERS.db and copies it on later runs instead of
 * generating again (generation takes about two minutes at 1.5 million).
 * Figures are printed per minute of one core's CPU time (the machine the figures come from
 * is shared, so wall time says more about the neighbours), with the wall time beside it,
 * and the peak memory at the end.
 */
#include "bench_clock.h"
#include "store/store_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/ident.h>
#include <vigia/model.h>
#include <vigia/risk.h>
#include <vigia/screen.h>
#include <vigia/store.h>
#include <vigia/time.h>

static uint64_t rng = 88172645463325252ull;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static int pick(int n)
{
    return (int)(next() % (uint64_t)n);
}

static void die(struct vg_store *s, const char *what)
{
    fprintf(stderr, "bench_risk: %s: %s\n", what, sqlite3_errmsg(s->db));
    exit(1);
}

static sqlite3_stmt *prep(struct vg_store *s, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK) {
        die(s, sql);
    }
    return st;
}

static void step(struct vg_store *s, sqlite3_stmt *st)
{
    if (sqlite3_step(st) != SQLITE_DONE) {
        die(s, "insert");
    }
    sqlite3_reset(st);
}

static const char *const hs[] = { "080440", "081040", "080610", "080300", "070920", "030389",
                                  "090111", "180100", "260300", "310210", "440710", "847990",
                                  "081090", "200989", "160414", "071080", "230120", "100850" };
static const char *const dest[] = { "NLRTM", "BEANR", "ESALG", "USLGB", "CNSHA",
                                    "DEHAM", "ESVLC", "USPHL", "KRPUS", "MXZLO" };

static void generate(struct vg_store *s, long n)
{
    const int64_t t0 = vg_time_from_civil(2024, 5, 6, 5, 0, 0);
    const long per_call = 1000;
    long calls = (n + per_call - 1) / per_call;
    const int nvessels = 300, nshippers = 20000, nconsignees = 50000;
    if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        die(s, "begin");
    }
    sqlite3_exec(s->db,
                 "INSERT INTO ingest_files(id, path, digest, size, format, first_ingested_at,"
                 " last_ingested_at) VALUES(1, 'bench', x'00', 0, 'SQL', 0, 0)",
                 NULL, NULL, NULL);
    sqlite3_stmt *msg = prep(s, "INSERT INTO messages(id, file_id, sender, format, msg_type,"
                                " doc_number, prepared_at, digest, status, ingested_at)"
                                " VALUES(?1, 1, 'BENCH', 'EDIFACT', ?2, ?3, ?4, randomblob(8),"
                                " 'accepted', 0)");
    sqlite3_stmt *ves = prep(s, "INSERT INTO vessels(id, imo, name, flag, ship_type, created_at)"
                                " VALUES(?1, ?2, ?3, 'PA', 71, 0)");
    for (int v = 1; v <= nvessels; v++) {
        char name[32];
        snprintf(name, sizeof(name), "BENCH %d", v);
        sqlite3_bind_int(ves, 1, v);
        sqlite3_bind_int(ves, 2, 9000000 + v);
        sqlite3_bind_text(ves, 3, name, -1, SQLITE_TRANSIENT);
        step(s, ves);
    }
    sqlite3_stmt *party = prep(s, "INSERT INTO parties(id, ruc, name, name_key, country,"
                                  " created_at) VALUES(?1, ?2, ?3, ?3, ?4, 0)");
    static const char *const w1[] = { "AGRO",        "FRUTAS",      "PESQUERA",  "MINERA",
                                      "EXPORTADORA", "INVERSIONES", "COMERCIAL", "TRADING",
                                      "ALIMENTOS",   "CAFE" };
    static const char *const w2[] = { "NORTE",     "SUR",   "ANDINA",   "PACIFICO",
                                      "DEL VALLE", "LIMA",  "SAN JUAN", "LOS ANDES",
                                      "AMAZONICA", "COSTA", "SIERRA" };
    for (int p = 1; p <= nshippers + nconsignees; p++) {
        char name[96], ruc[16];
        bool shipper = p <= nshippers;
        snprintf(name, sizeof(name), "%s %s %d %s", w1[p % 10], w2[(p / 10) % 11], p,
                 shipper ? "SAC" : "BV");
        snprintf(ruc, sizeof(ruc), "20%09d", p);
        sqlite3_bind_int(party, 1, p);
        if (shipper) {
            sqlite3_bind_text(party, 2, ruc, -1, SQLITE_TRANSIENT);
        } else {
            sqlite3_bind_null(party, 2);
        }
        sqlite3_bind_text(party, 3, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(party, 4, shipper ? "PE" : "NL", -1, SQLITE_STATIC);
        step(s, party);
    }
    sqlite3_stmt *call = prep(s, "INSERT INTO port_calls(id, vessel_id, port, terminal, voyage,"
                                 " carrier, etd, atd, source_message_id, created_at)"
                                 " VALUES(?1, ?2, ?3, 'T1', ?4, 'MSC', ?5, ?5, ?6, 0)");
    sqlite3_stmt *cont = prep(s, "INSERT INTO containers(id, number, valid, size_type, created_at)"
                                 " VALUES(?1, ?2, 1, ?3, 0)");
    sqlite3_stmt *cons =
        prep(s, "INSERT INTO consignments(id, bl_number, carrier, port_call_id,"
                " port_of_loading, port_of_discharge, declared_at, status, version,"
                " message_id, segment_no, created_at, updated_at) VALUES(?1, ?2,"
                " 'MSC', ?3, ?4, ?5, ?6, 'active', 1, ?7, 8, 0, 0)");
    sqlite3_stmt *cp = prep(s, "INSERT INTO consignment_parties(consignment_id, role, party_id,"
                               " name, address, city, country, segment_no) SELECT ?1, ?2, id, name,"
                               " 'CALLE ' || id, 'LIMA', country, ?3 FROM parties WHERE id = ?4");
    sqlite3_stmt *goods = prep(s, "INSERT INTO goods_items(id, consignment_id, seq, hs_code,"
                                  " description, packages, package_type, gross_kg, segment_no)"
                                  " VALUES(?1, ?1, 1, ?2, 'FRESH PRODUCE', ?3, ?4, ?5, 15)");
    sqlite3_stmt *place = prep(s, "INSERT INTO goods_placement(goods_item_id, container_id)"
                                  " VALUES(?1, ?1)");
    sqlite3_stmt *eq =
        prep(s, "INSERT INTO consignment_equipment(consignment_id, container_id,"
                " size_type, full_empty, segment_no) VALUES(?1, ?1, ?2, 'full', 21)");
    sqlite3_stmt *trip = prep(s, "INSERT INTO trips(id, container_id, port_call_id, port,"
                                 " direction, loaded_at, departure_at, created_at)"
                                 " VALUES(?1, ?1, ?2, ?3, 'export', ?4, ?5, 0)");
    sqlite3_stmt *ev = prep(s, "INSERT INTO equipment_events(id, container_id, kind, event_at,"
                               " place, terminal, port_call_id, full_empty, seals, message_id,"
                               " segment_no, created_at) VALUES(?1, ?2, ?3, ?4, ?5, 'T1', ?6,"
                               " 'full', ?7, ?8, ?9, 0)");
    sqlite3_stmt *seal = prep(s, "INSERT INTO seals(container_id, seal_number, sealing_party,"
                                 " source_kind, observed_at, place, event_id, message_id,"
                                 " consignment_id, segment_no) VALUES(?1, ?2, ?3, ?4, ?5, ?6,"
                                 " ?7, ?8, ?9, ?10)");
    sqlite3_stmt *out = prep(s, "INSERT INTO outcomes(trip_id, container_id, container_number,"
                                " bl_number, port, inspected_at, result, digest, recorded_at)"
                                " VALUES(?1, ?1, ?2, ?3, ?4, ?5, ?6, randomblob(16), 0)");
    long id = 0;
    int64_t mid = 0;
    for (long k = 1; k <= calls; k++) {
        int64_t dep = t0 + (int64_t)((double)(k - 1) / (double)calls * 60 * 86400);
        const char *port = k % 5 == 0 ? "PECHY" : "PECLL";
        int64_t man = ++mid, gate = ++mid, load = ++mid;
        static const char *const types[3] = { "CUSCAR", "CODECO", "COARRI" };
        static const char *const docs[3] = { "CUS", "GI", "LD" };
        const int64_t ids[3] = { man, gate, load },
                      when[3] = { dep - 3 * 86400, dep - 2 * 86400, dep };
        for (int m = 0; m < 3; m++) {
            char doc[32];
            snprintf(doc, sizeof(doc), "%s-%ld", docs[m], k);
            sqlite3_bind_int64(msg, 1, ids[m]);
            sqlite3_bind_text(msg, 2, types[m], -1, SQLITE_STATIC);
            sqlite3_bind_text(msg, 3, doc, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(msg, 4, when[m]);
            step(s, msg);
        }
        char voy[16];
        snprintf(voy, sizeof(voy), "V%ld", k);
        sqlite3_bind_int64(call, 1, k);
        sqlite3_bind_int(call, 2, 1 + (int)(k % nvessels));
        sqlite3_bind_text(call, 3, port, -1, SQLITE_STATIC);
        sqlite3_bind_text(call, 4, voy, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(call, 5, dep);
        sqlite3_bind_int64(call, 6, man);
        step(s, call);
        for (long j = 0; j < per_call && id < n; j++) {
            id++;
            char num[16], bl[24], s1[16], s2[16];
            /* A new owner code every million containers: numbers stay unique. */
            snprintf(num, sizeof(num), "BN%cU%06ld", (char)('C' + id / 1000000 % 20), id % 1000000);
            snprintf(num + 10, sizeof(num) - 10, "%d", vg_container_check_digit(num));
            snprintf(bl, sizeof(bl), "MSCBL%09ld", id);
            snprintf(s1, sizeof(s1), "SL%08ld", id);
            bool changed = pick(100) == 0;
            snprintf(s2, sizeof(s2), "SL%08ld", changed ? id + 77777777 : id);
            const char *size = pick(3) == 0 ? "22G1" : "45R1";
            int h = pick((int)(sizeof(hs) / sizeof(hs[0])));
            double pk = 500 + pick(1500);
            double kpp = 10 + (h % 7) + (double)pick(100) / 100.0;
            int64_t gin = dep - 3600 * (24 + pick(96));
            int64_t lat = dep - 3600 * (1 + pick(6));
            sqlite3_bind_int64(cont, 1, id);
            sqlite3_bind_text(cont, 2, num, -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(cont, 3, size, -1, SQLITE_STATIC);
            step(s, cont);
            sqlite3_bind_int64(cons, 1, id);
            sqlite3_bind_text(cons, 2, bl, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int64(cons, 3, k);
            sqlite3_bind_text(cons, 4, port, -1, SQLITE_STATIC);
            sqlite3_bind_text(cons, 5, dest[pick(10)], -1, SQLITE_STATIC);
            sqlite3_bind_int64(cons, 6, dep - 3 * 86400);
            sqlite3_bind_int64(cons, 7, man);
            step(s, cons);
            int who[2] = { 1 + pick(nshippers), nshippers + 1 + pick(nconsignees) };
            static const char *const roles[2] = { "shipper", "consignee" };
            for (int r = 0; r < 2; r++) {
                sqlite3_bind_int64(cp, 1, id);
                sqlite3_bind_text(cp, 2, roles[r], -1, SQLITE_STATIC);
                sqlite3_bind_int(cp, 3, 12 + r);
                sqlite3_bind_int(cp, 4, who[r]);
                step(s, cp);
            }
            sqlite3_bind_int64(goods, 1, id);
            sqlite3_bind_text(goods, 2, hs[h], -1, SQLITE_STATIC);
            sqlite3_bind_double(goods, 3, pk);
            sqlite3_bind_text(goods, 4, h % 3 == 0 ? "BAGS" : "BOXES", -1, SQLITE_STATIC);
            sqlite3_bind_double(goods, 5, pk * kpp);
            step(s, goods);
            sqlite3_bind_int64(place, 1, id);
            step(s, place);
            sqlite3_bind_int64(eq, 1, id);
            sqlite3_bind_text(eq, 2, size, -1, SQLITE_STATIC);
            step(s, eq);
            sqlite3_bind_int64(trip, 1, id);
            sqlite3_bind_int64(trip, 2, k);
            sqlite3_bind_text(trip, 3, port, -1, SQLITE_STATIC);
            sqlite3_bind_int64(trip, 4, lat);
            sqlite3_bind_int64(trip, 5, dep);
            step(s, trip);
            struct {
                const char *kind, *seal;
                int64_t t, msg;
            } evs[2] = { { "gate_in", s1, gin, gate }, { "load", s2, lat, load } };
            for (int e = 0; e < 2; e++) {
                sqlite3_bind_int64(ev, 1, 2 * id + e);
                sqlite3_bind_int64(ev, 2, id);
                sqlite3_bind_text(ev, 3, evs[e].kind, -1, SQLITE_STATIC);
                sqlite3_bind_int64(ev, 4, evs[e].t);
                sqlite3_bind_text(ev, 5, port, -1, SQLITE_STATIC);
                if (e == 1) {
                    sqlite3_bind_int64(ev, 6, k);
                } else {
                    sqlite3_bind_null(ev, 6);
                }
                sqlite3_bind_text(ev, 7, evs[e].seal, -1, SQLITE_STATIC);
                sqlite3_bind_int64(ev, 8, evs[e].msg);
                sqlite3_bind_int(ev, 9, 6);
                step(s, ev);
                sqlite3_bind_int64(seal, 1, id);
                sqlite3_bind_text(seal, 2, evs[e].seal, -1, SQLITE_STATIC);
                sqlite3_bind_text(seal, 3, e == 0 ? "SH" : "CA", -1, SQLITE_STATIC);
                sqlite3_bind_text(seal, 4, e == 0 ? "gate" : "load", -1, SQLITE_STATIC);
                sqlite3_bind_int64(seal, 5, evs[e].t);
                sqlite3_bind_text(seal, 6, port, -1, SQLITE_STATIC);
                sqlite3_bind_int64(seal, 7, 2 * id + e);
                sqlite3_bind_int64(seal, 8, evs[e].msg);
                sqlite3_bind_null(seal, 9);
                sqlite3_bind_int(seal, 10, 6);
                step(s, seal);
            }
            sqlite3_bind_int64(seal, 1, id);
            sqlite3_bind_text(seal, 2, s1, -1, SQLITE_STATIC);
            sqlite3_bind_text(seal, 3, "SH", -1, SQLITE_STATIC);
            sqlite3_bind_text(seal, 4, "manifest", -1, SQLITE_STATIC);
            sqlite3_bind_int64(seal, 5, dep - 3 * 86400);
            sqlite3_bind_text(seal, 6, port, -1, SQLITE_STATIC);
            sqlite3_bind_null(seal, 7);
            sqlite3_bind_int64(seal, 8, man);
            sqlite3_bind_int64(seal, 9, id);
            sqlite3_bind_int(seal, 10, 21);
            step(s, seal);
            if (pick(200) == 0) {
                sqlite3_bind_int64(out, 1, id);
                sqlite3_bind_text(out, 2, num, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(out, 3, bl, -1, SQLITE_TRANSIENT);
                sqlite3_bind_text(out, 4, port, -1, SQLITE_STATIC);
                sqlite3_bind_int64(out, 5, lat - 3600);
                sqlite3_bind_text(out, 6, pick(10) == 0 || changed ? "drugs" : "negative", -1,
                                  SQLITE_STATIC);
                step(s, out);
            }
        }
    }
    sqlite3_stmt *all[] = { msg,   ves,   party, call, cont, cons, cp,
                            goods, place, eq,    trip, ev,   seal, out };
    for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
        sqlite3_finalize(all[i]);
    }
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        die(s, "commit");
    }
}

static void watchlist(struct vg_store *s, const char *dir)
{
    char path[512];
    snprintf(path, sizeof(path), "%s/bench_risk_wl.csv", dir);
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    fprintf(f, "name,type,country,identifier\n");
    static const char *const w1[] = { "AGRO",        "FRUTAS",      "PESQUERA",  "MINERA",
                                      "EXPORTADORA", "INVERSIONES", "COMERCIAL", "TRADING",
                                      "ALIMENTOS",   "CAFE" };
    static const char *const w2[] = { "NORTE",     "SUR",   "ANDINA",   "PACIFICO",
                                      "DEL VALLE", "LIMA",  "SAN JUAN", "LOS ANDES",
                                      "AMAZONICA", "COSTA", "SIERRA" };
    for (int i = 0; i < 300; i++) {
        int p = 1 + (int)(next() % 20000);
        /* Half the names of real shippers with a typo, half unrelated names. */
        if (i % 2 == 0) {
            fprintf(f, "\"%s %s %d S.A.C.\",party,PE,\n", w1[p % 10], w2[(p / 10) % 11], p);
        } else {
            fprintf(f, "\"GRUPO %d HOLDINGS\",party,CO,\n", i);
        }
    }
    fclose(f);
    struct vg_watchlist_report r;
    struct vg_error e;
    if (vg_watchlist_import_csv(s, path, "bench", &r, NULL, NULL, &e) != VG_OK) {
        fprintf(stderr, "bench_risk: watch list: %s\n", e.message);
        exit(1);
    }
    remove(path);
}

/* Throughput per minute of one core: the process CPU time of the run (the machine is
 * shared, so wall time says more about the neighbours than about vigia). */
static void
report(const char *what, long n, const struct vg_risk_report *r, double wall, double cpu)
{
    printf("%-34s %9.2f s wall %9.2f s cpu | load %6.2f s  compute %6.2f s  write %6.2f s (wall)\n",
           what, wall, cpu, r->load_seconds, r->compute_seconds, r->write_seconds);
    printf(
        "%-34s assessed %lld, rescored %lld, unchanged %lld, computed %lld (red %lld, amber %lld,"
        " green %lld, holds %lld)\n",
        "", (long long)r->assessed, (long long)r->rescored, (long long)r->unchanged,
        (long long)r->computed, (long long)r->red, (long long)r->amber, (long long)r->green,
        (long long)r->holds);
    printf("%-34s %.0f containers per CPU-minute = %.2fx the 1 M/min target\n", "",
           (double)n / cpu * 60, (double)n / cpu * 60 / 1e6);
    fflush(stdout);
}

/* 1b-1d. the model (issue M1-6): the examined trips as training examples, training, and a dry
 * run with the model's term (probability, exact contributions, the three largest in
 * words) on every trip. */
static int with_model(struct vg_store *s, long n, const struct vg_risk_options *base)
{
    struct vg_risk_examples_options eo = { .until = base->as_of, .delay_days = -1 };
    struct vg_risk_examples ex;
    struct vg_error e;
    double w = bench_wall(), c = bench_cpu();
    if (vg_risk_examples(s, &eo, &ex, &e) != VG_OK) {
        fprintf(stderr, "bench_risk: examples: %s\n", e.message);
        return 1;
    }
    printf("%-34s %9.2f s wall %9.2f s cpu | %zu examples, %zu positives\n",
           "1b. training examples", bench_wall() - w, bench_cpu() - c, ex.n, ex.positives);
    struct vg_model_options mo;
    vg_model_options_default(&mo);
    mo.shares = ex.shares;
    struct vg_model *model = NULL;
    w = bench_wall();
    c = bench_cpu();
    enum vg_status st = vg_model_train(vg_feature_catalog(), ex.items, ex.n, &mo, &model, NULL, &e);
    vg_risk_examples_release(&ex);
    if (st != VG_OK) {
        fprintf(stderr, "bench_risk: training: %s\n", e.message);
        return 1;
    }
    printf("%-34s %9.2f s wall %9.2f s cpu | %u trees, %zu columns\n", "1c. training",
           bench_wall() - w, bench_cpu() - c, vg_model_info(model)->rounds,
           vg_model_info(model)->columns);
    struct vg_risk_learned learned;
    vg_risk_learned_init(&learned, model, 0);
    struct vg_risk_options ro = *base;
    ro.dry_run = true;
    ro.model = &learned.hook;
    struct vg_risk_report r;
    w = bench_wall();
    c = bench_cpu();
    st = vg_risk_score(s, &ro, &r, &e);
    vg_model_free(model);
    if (st != VG_OK) {
        fprintf(stderr, "bench_risk: %s\n", e.message);
        return 1;
    }
    report("1d. dry run with the model", n, &r, bench_wall() - w, bench_cpu() - c);
    return 0;
}

/* Copies the file from to to; 0 on success. */
static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (in == NULL) {
        return -1;
    }
    FILE *out = fopen(to, "wb");
    if (out == NULL) {
        fclose(in);
        return -1;
    }
    static char buf[1 << 20];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0) {
        if (fwrite(buf, 1, n, out) != n) {
            rc = -1;
            break;
        }
    }
    if (ferror(in)) {
        rc = -1;
    }
    fclose(in);
    if (fclose(out) != 0) {
        rc = -1;
    }
    return rc;
}

static struct vg_store *open_store(const char *path, const char *key, const char *heads)
{
    struct vg_store_options o = {
        .create = true, .actor = "bench", .audit_key_path = key, .audit_export_path = heads
    };
    struct vg_store *s;
    struct vg_error e;
    if (vg_store_open(path, &o, &s, &e) != VG_OK) {
        fprintf(stderr, "bench_risk: %s\n", e.message);
        exit(1);
    }
    sqlite3_exec(s->db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
    return s;
}

static void run(struct vg_store *s, const char *what, long n, const struct vg_risk_options *ro)
{
    struct vg_risk_report r;
    struct vg_error e;
    double w = bench_wall(), c = bench_cpu();
    if (vg_risk_score(s, ro, &r, &e) != VG_OK) {
        fprintf(stderr, "bench_risk: %s\n", e.message);
        exit(1);
    }
    report(what, n, &r, bench_wall() - w, bench_cpu() - c);
}

int main(int argc, char **argv)
{
    bool cache = false, model = true, write_only = false, recompute_all = false;
    long n = 1500000;
    const char *dir = "/tmp";
    int pos = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--cache") == 0) {
            cache = true;
        } else if (strcmp(argv[i], "--no-model") == 0) {
            model = false;
        } else if (strcmp(argv[i], "--write-only") == 0) {
            write_only = true;
        } else if (strcmp(argv[i], "--recompute-all") == 0) {
            recompute_all = true;
        } else if (argv[i][0] != '-' && pos == 0) {
            n = strtol(argv[i], NULL, 10);
            pos++;
        } else if (argv[i][0] != '-' && pos == 1) {
            dir = argv[i];
            pos++;
        } else {
            fprintf(stderr,
                    "usage: bench_risk [--cache] [--no-model] [--write-only] [--recompute-all]"
                    " [CONTAINERS [DIR]]\n");
            return 2;
        }
    }
    if (n <= 0) {
        fprintf(stderr, "bench_risk: CONTAINERS must be a positive number\n");
        return 2;
    }
    char path[512], key[512], heads[512], wal[600], cached[512];
    snprintf(path, sizeof(path), "%s/bench_risk.db", dir);
    snprintf(key, sizeof(key), "%s/bench_risk.key", dir);
    snprintf(heads, sizeof(heads), "%s/bench_risk.heads", dir);
    snprintf(wal, sizeof(wal), "%s-wal", path);
    snprintf(cached, sizeof(cached), "%s/bench_risk-%ld.db", dir, n);
    remove(path);
    remove(wal);
    double t = bench_wall();
    struct vg_store *s;
    if (cache && copy_file(cached, path) == 0) {
        s = open_store(path, key, heads);
        printf("bench_risk: %ld containers copied from %s in %.1f s\n", n, cached,
               bench_wall() - t);
    } else {
        s = open_store(path, key, heads);
        generate(s, n);
        watchlist(s, dir);
        if (cache) { /* closing checkpoints the WAL into the file */
            vg_store_close(s);
            if (copy_file(path, cached) != 0) {
                fprintf(stderr, "bench_risk: cannot write %s\n", cached);
                remove(cached);
            }
            s = open_store(path, key, heads);
        }
        printf("bench_risk: %ld containers generated in %.1f s (%s)\n", n, bench_wall() - t, path);
    }
    fflush(stdout);

    struct vg_risk_options ro = { .as_of = vg_time_from_civil(2024, 7, 10, 0, 0, 0),
                                  .rescore_days = 60,
                                  .dry_run = true,
                                  .recompute_all = recompute_all };
    if (!write_only) {
        run(s, "1. dry run (no writes)", n, &ro);
        if (model && with_model(s, n, &ro) != 0) {
            return 1;
        }
    }
    ro.dry_run = false;
    run(s, "2. full run (assessments written)", n, &ro);
    run(s, "3. second run (nothing new)", n, &ro);
    sqlite3_stmt *st =
        prep(s, "SELECT avg(length(features)), count(*), (SELECT count(*) FROM"
                " assessment_reasons), (SELECT avg(length(text) + length(evidence)) FROM"
                " assessment_reasons) FROM assessments");
    if (sqlite3_step(st) == SQLITE_ROW) {
        printf("assessments: %lld, feature records of %.0f bytes on average; %lld reasons of"
               " %.0f bytes\n",
               (long long)sqlite3_column_int64(st, 1), sqlite3_column_double(st, 0),
               (long long)sqlite3_column_int64(st, 2), sqlite3_column_double(st, 3));
    }
    sqlite3_finalize(st);
    vg_store_close(s);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak memory %.2f GB\n", (double)ru.ru_maxrss / (1024.0 * 1024.0));
    remove(path);
    remove(wal);
    remove(key);
    remove(heads);
    return 0;
}
