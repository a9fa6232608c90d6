/*
 * vigia selfcheck: is this installation sound? The store's schema and integrity, the
 * audit trail, the identifier checks on known vectors, the port time zones, and what the
 * code lists hold.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include <vigia/audit.h>
#include <vigia/codes.h>
#include <vigia/ident.h>
#include <vigia/time.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_selfcheck = {
    "selfcheck",
    "check the store, the audit trail and the identifier engine",
    "usage: vigia selfcheck [--format table|csv|json]\n"
    "\n"
    "Checks that the store has the current schema and passes SQLite's integrity and\n"
    "foreign-key checks, that the audit trail verifies, that the identifier checks give\n"
    "the known answers on reference vectors, and that port time zones are right; reports\n"
    "how many codes the code lists hold. Exit status 5 when a check fails.\n",
    run,
};

struct checks {
    struct cli_out *out;
    int failed;
};

static void report(struct checks *c, const char *name, bool ok, const char *detail)
{
    const char *row[3] = { name, ok ? "ok" : "FAIL", detail };
    cli_out_row(c->out, 3, row);
    if (!ok) {
        c->failed++;
    }
}

struct count_ctx {
    int64_t locodes, hs, ports, audit;
};

static void count_cb(void *user, const char *table, int64_t rows)
{
    struct count_ctx *c = user;
    if (strcmp(table, "code_locodes") == 0) {
        c->locodes = rows;
    } else if (strcmp(table, "code_hs") == 0) {
        c->hs = rows;
    } else if (strcmp(table, "code_ports") == 0) {
        c->ports = rows;
    } else if (strcmp(table, "audit_log") == 0) {
        c->audit = rows;
    }
}

static void check_identifiers(struct checks *c)
{
    /* Reference answers: ISO 6346 annex A example, an IMO number with its published check
     * digit, a Peruvian RUC, a Peruvian ship MMSI. */
    struct vg_container_number cn;
    bool ok = vg_container_parse(vg_slice_from_cstr("CSQU3054383"), &cn, NULL) == VG_OK &&
              vg_container_parse(vg_slice_from_cstr("CSQU3054384"), &cn, NULL) == VG_ECHECK &&
              cn.expected_check == 3 &&
              vg_container_parse(vg_slice_from_cstr("GYOU4047990"), &cn, NULL) == VG_OK;
    uint32_t imo;
    ok = ok && vg_imo_parse(vg_slice_from_cstr("IMO 9074729"), &imo, NULL) == VG_OK &&
         vg_imo_parse(vg_slice_from_cstr("9074728"), &imo, NULL) == VG_ECHECK;
    struct vg_ruc ruc;
    ok = ok && vg_ruc_parse(vg_slice_from_cstr("20100047218"), &ruc, NULL) == VG_OK &&
         vg_ruc_parse(vg_slice_from_cstr("20100047219"), &ruc, NULL) == VG_ECHECK;
    struct vg_mmsi m;
    ok = ok && vg_mmsi_parse(vg_slice_from_cstr("760123456"), &m, NULL) == VG_OK &&
         strcmp(m.flag, "PE") == 0;
    report(c, "identifiers", ok,
           ok ? "ISO 6346, IMO, RUC and MMSI give the reference answers"
              : "an identifier check gave a wrong answer on a reference vector");
}

static void check_zones(struct checks *c)
{
    struct vg_zone z;
    bool ok = vg_zone_for_locode("PECLL", &z) && z.std_offset_min == -300 &&
              z.dst_rule == VG_DST_NONE;
    /* 2024-07-01T03:00:00Z is 22:00 the evening before in Callao: night. */
    int64_t t = vg_time_from_civil(2024, 7, 1, 3, 0, 0);
    ok = ok && vg_time_is_night(t, &z);
    struct vg_zone be;
    ok = ok && vg_zone_for_locode("BEANR", &be) &&
         vg_zone_offset_at(&be, vg_time_from_civil(2024, 7, 1, 12, 0, 0)) == 120 &&
         vg_zone_offset_at(&be, vg_time_from_civil(2024, 1, 15, 12, 0, 0)) == 60;
    report(c, "time zones", ok,
           ok ? "Callao UTC-05:00 without daylight saving; Antwerp CET/CEST"
              : "port time zones are wrong");
}

static int run(struct cli_global *g, int argc, char **argv)
{
    static const struct option opts[] = { CLI_COMMON_LONG_OPTIONS, { NULL, 0, NULL, 0 } };
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        bool done;
        int rc = cli_common_option(g, &cli_cmd_selfcheck, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_selfcheck, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    static const char *const cols[] = { "check", "result", "detail" };
    struct checks c = { cli_out_new(g->format, stdout, false), 0 };
    cli_out_columns(c.out, 3, cols);

    int code;
    struct vg_store *store = cli_open_store(g, false, true, &code);
    char detail[512];
    if (store == NULL) {
        report(&c, "store", false, "cannot open the store (run 'vigia init')");
    } else {
        int v = vg_store_schema_version(store);
        snprintf(detail, sizeof(detail), "%s, schema %d of %d", vg_store_path(store), v,
                 vg_store_schema_latest());
        report(&c, "store schema", v == vg_store_schema_latest(), detail);

        struct vg_error err;
        vg_error_clear(&err);
        enum vg_status st = vg_store_check(store, &err);
        report(&c, "database integrity", st == VG_OK,
               st == VG_OK ? "integrity and foreign keys ok" : err.message);

        struct vg_audit_report rep;
        vg_error_clear(&err);
        st = vg_audit_verify(store, &rep, &err);
        if (st == VG_OK) {
            snprintf(detail, sizeof(detail), "%lld entries verified, key from %s",
                     (long long)rep.entries,
                     rep.key_from_file ? "key file" : rep.export_found ? "exported heads"
                                                                        : "store only");
        } else if (st == VG_EINTEGRITY) {
            snprintf(detail, sizeof(detail), "broken at entry %lld: %s",
                     (long long)rep.first_broken, rep.reason);
        } else {
            snprintf(detail, sizeof(detail), "%s", err.message);
        }
        report(&c, "audit trail", st == VG_OK, detail);

        struct count_ctx counts = { 0 };
        if (vg_store_counts(store, count_cb, &counts, NULL) == VG_OK) {
            snprintf(detail, sizeof(detail),
                     "%lld UN/LOCODEs, %lld HS codes, %lld port positions%s",
                     (long long)counts.locodes, (long long)counts.hs, (long long)counts.ports,
                     counts.locodes == 0 ? " (import with 'vigia codes import')" : "");
            report(&c, "code lists", true, detail);
        }
        vg_store_close(store);
    }
    check_identifiers(&c);
    check_zones(&c);
    cli_out_finish(c.out);
    return c.failed == 0 ? CLI_OK : CLI_INTEGRITY;
}
