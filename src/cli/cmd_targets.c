/*
 * vigia targets --port P --date D [--capacity N] [--random-share X] [--explore-share X]
 *               [--reselect --reason T]
 * vigia targets --pending [--port P]
 * vigia targets settings [--port P [--capacity N | --capacity-share X] [--random-share X]]
 * vigia targets verify --port P --date D
 * vigia targets dispose TARGET waived|not_arrived|bl_deleted [--code C] [--reason TEXT]
 */
#include "cli.h"
#include "cli_report.h"

#include <stdlib.h>
#include <string.h>
#include <vigia/target.h>
#include <vigia/time.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_targets = {
    "targets",
    "select the day's targets of a port (ASYCUDA order, random share); dispositions",
    "usage: vigia targets --port LOCODE --date YYYY-MM-DD [--capacity N] [--random-share X]\n"
    "                     [--explore-share X] [--reselect --reason TEXT]\n"
    "                     [--format table|csv|json]\n"
    "       vigia targets --pending [--port LOCODE]\n"
    "       vigia targets settings [--port LOCODE [--capacity N | --capacity-share X]\n"
    "                              [--random-share X]]\n"
    "       vigia targets verify --port LOCODE --date YYYY-MM-DD\n"
    "       vigia targets dispose TARGET waived|not_arrived|bl_deleted [--code C]\n"
    "                             [--reason TEXT]\n"
    "\n"
    "Selects in the ASYCUDA order, among the container trips leaving (or loaded at) the\n"
    "port on its local day with their latest assessment: every mandatory hold, then the\n"
    "highest scores up to the capacity, and a random share drawn among the rest (at least\n"
    "one), so that hit rates can be estimated without bias. The draw comes from the\n"
    "system's secure random source and is recorded with the selection: nobody can predict\n"
    "it, anyone can replay it (verify). When the scores come with a model, a share of the\n"
    "capacity (--explore-share, default 0.05, rounded) is drawn the same way among the trips\n"
    "whose values the model never learned from (marked explore), so that the next model\n"
    "can learn what nobody examined. Voyages leaving that day with encounters, loitering\n"
    "or AIS gaps are listed as vessel targets. The selection is recorded: asking again\n"
    "shows it (vessel targets whose events arrived since are added); --reselect replaces\n"
    "it, with a reason, audited.\n"
    "\n"
    "Capacity: --capacity, else the port's setting, else 2% of the day's trips. Every\n"
    "target must end with a disposition: an outcome (vigia outcome record --target), or\n"
    "dispose: waived with a standard exception code (--code: examined_by_other_agency,\n"
    "diplomatic, humanitarian, government) or a written --reason, not_arrived, bl_deleted.\n"
    "--pending lists the targets without one.\n"
    "\n"
    "options:\n"
    "  --port LOCODE        the port (UN/LOCODE)\n"
    "  --date YYYY-MM-DD    the port's local day\n"
    "  --capacity N         container targets the port can examine that day\n"
    "  --capacity-share X   (settings) capacity as a share of the day's trips\n"
    "  --random-share X     minimum share of the capacity drawn at random (default 0.05)\n"
    "  --explore-share X    share of the capacity drawn among the model's novel trips\n"
    "                       (default 0.05, rounded to whole targets; 0: none)\n"
    "  --reselect           replace the day's recorded selection (needs --reason)\n"
    "  --reason TEXT        why (reselect, dispose; at least 10 characters for a waiver)\n"
    "  --code C             standard exception code of a waiver\n"
    "  --seed N             FOR TESTS ONLY: draw from N instead of the secure source (the\n"
    "                       draw is then predictable; the selection is recorded as seeded)\n"
    "  --pending            list targets without a disposition\n"
    "  --format F           table (default), json, csv (the container targets)\n"
    "\n"
    "exit status: 0 done, 1 usage, 2 bad value or target, 3 store error, 5 a replayed\n"
    "draw differs (verify).\n",
    run,
};

struct opts {
    const char *port;
    const char *date;
    const char *reason;
    const char *code;
    long long capacity;
    double capacity_share;
    double random_share;
    double explore_share;
    bool reselect, pending, seeded;
    unsigned long long seed;
};

static void
add_section(const struct vg_report_sink *sink, const char *key, const char *title, bool record)
{
    sink->section(sink->user, key, title, record);
}

static void print_run(const struct vg_report_sink *sink, const struct vg_target_run *run)
{
    char v[17][64];
    snprintf(v[0], 64, "%lld", (long long)run->id);
    snprintf(v[1], 64, "%s", run->port);
    snprintf(v[2], 64, "%s", run->date);
    snprintf(v[3], 64, "%lld", (long long)run->trips);
    snprintf(v[4], 64, "%lld", (long long)run->assessed);
    snprintf(v[5], 64, "%lld (%s)", (long long)run->capacity, run->capacity_source);
    snprintf(v[6], 64, "%g", run->random_share);
    snprintf(v[7], 64, "%lld", (long long)run->holds);
    snprintf(v[8], 64, "%lld", (long long)run->scored);
    snprintf(v[9], 64, "%lld", (long long)run->random);
    snprintf(v[10], 64, "%lld", (long long)run->vessels);
    snprintf(v[11], 64, "%s", run->seeded ? "seeded (test only)" : "secure random source");
    vg_time_format_iso8601(run->selected_at, v[12], 64);
    snprintf(v[13], 64, "%s", run->selected_by);
    snprintf(v[14], 64, "%s", run->recorded ? "recorded earlier" : "new");
    snprintf(v[15], 64, "%lld", (long long)run->explore);
    static const char *const keys[17] = {
        "selection",    "port",        "date",     "trips",   "assessed",          "capacity",
        "random_share", "holds",       "by_score", "random",  "vessels",           "draw",
        "selected_at",  "selected_by", "status",   "explore", "reselected_because"
    };
    const char *vals[17];
    for (int i = 0; i < 16; i++) {
        vals[i] = v[i];
    }
    vals[16] = run->reselect_reason[0] != '\0' ? run->reselect_reason : NULL;
    size_t n = run->reselect_reason[0] != '\0' ? 17 : 16;
    add_section(sink, "selection", "Selection", true);
    sink->rows.columns(sink->rows.user, n, keys);
    /* capacity carries its source ("12 (settings)"): text. */
    static const enum vg_cell_kind kinds[] = { VG_CELL_INTEGER, VG_CELL_TEXT,    VG_CELL_TEXT,
                                               VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_TEXT,
                                               VG_CELL_REAL,    VG_CELL_INTEGER, VG_CELL_INTEGER,
                                               VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_TEXT,
                                               VG_CELL_TEXT,    VG_CELL_TEXT,    VG_CELL_TEXT,
                                               VG_CELL_INTEGER, VG_CELL_TEXT };
    vg_row_sink_emit(&sink->rows, n, vals, kinds);
}

static int do_select(struct cli_global *g, const struct opts *o)
{
    if (o->port == NULL || o->date == NULL) {
        cli_error("--port and --date are required (or --pending, settings, verify, dispose)");
        return CLI_USAGE;
    }
    if (o->seeded) {
        cli_warn(g, "--seed is for tests: this draw is predictable (recorded as seeded)");
    }
    int code;
    struct vg_store *store = cli_open_store(g, false, false, &code);
    if (store == NULL) {
        return code;
    }
    struct vg_target_options opts = {
        .port = o->port,
        .date = o->date,
        .capacity = o->capacity,
        .random_share = o->random_share,
        .explore_share = o->explore_share,
        .seeded = o->seeded,
        .seed = o->seed,
        .reselect = o->reselect,
        .reason = o->reason,
    };
    struct vg_target_run run;
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_targets_select(store, &opts, &run, &err);
    if (st != VG_OK) {
        vg_store_close(store);
        return cli_fail(&err, st);
    }
    if (run.recorded && (o->capacity >= 0 || o->random_share >= 0 || o->seeded)) {
        cli_warn(g,
                 "%s on %s was selected at an earlier run; showing that selection (use "
                 "--reselect --reason to replace it)",
                 run.port, run.date);
    }
    if (run.assessed < run.trips) {
        cli_warn(g,
                 "%lld of %lld trips have no assessment (run vigia score): they can only be "
                 "drawn at random",
                 (long long)(run.trips - run.assessed), (long long)run.trips);
    }
    if (run.holds > run.capacity) {
        cli_warn(g, "%lld mandatory holds exceed the capacity of %lld", (long long)run.holds,
                 (long long)run.capacity);
    }
    struct cli_report *r =
        cli_report_new(g->format, stdout, g->format == CLI_FORMAT_CSV ? "containers" : NULL);
    struct vg_report_sink sink = cli_report_sink(r);
    print_run(&sink, &run);
    add_section(&sink, "containers", "Container targets", false);
    st = vg_targets_list(store, run.id, &sink.rows, NULL, &err);
    if (st == VG_OK) {
        add_section(&sink, "vessels", "Vessel targets (voyages with suspect vessel events)", false);
        st = vg_targets_list(store, run.id, NULL, &sink.rows, &err);
    }
    cli_report_finish(r, st != VG_OK);
    vg_store_close(store);
    return st == VG_OK ? CLI_OK : cli_fail(&err, st);
}

static int do_pending(struct cli_global *g, const struct opts *o)
{
    int code;
    struct vg_store *store = cli_open_store(g, false, true, &code);
    if (store == NULL) {
        return code;
    }
    struct cli_out *out = cli_out_new(g->format, stdout, false);
    struct vg_row_sink sink = cli_out_sink(out);
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_targets_pending(store, o->port, &sink, &err);
    cli_out_finish(out);
    vg_store_close(store);
    return st == VG_OK ? CLI_OK : cli_fail(&err, st);
}

static int do_settings(struct cli_global *g, const struct opts *o)
{
    bool change = o->capacity >= 0 || o->capacity_share >= 0 || o->random_share >= 0;
    if (change && o->port == NULL) {
        cli_error("settings are per port: give --port");
        return CLI_USAGE;
    }
    if (o->capacity >= 0 && o->capacity_share >= 0) {
        cli_error("give --capacity or --capacity-share, not both");
        return CLI_USAGE;
    }
    int code;
    struct vg_store *store = cli_open_store(g, false, !change, &code);
    if (store == NULL) {
        return code;
    }
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = VG_OK;
    if (change) {
        struct vg_target_settings s;
        st = vg_target_settings_get(store, o->port, &s, &err);
        if (st == VG_OK) {
            if (o->capacity >= 0 || o->capacity_share >= 0) {
                s.capacity = o->capacity;
                s.capacity_share = o->capacity_share;
            }
            if (o->random_share >= 0) {
                s.random_share = o->random_share;
            }
            st = vg_target_settings_set(store, &s, &err);
        }
    }
    if (st == VG_OK) {
        struct cli_out *out = cli_out_new(g->format, stdout, false);
        struct vg_row_sink sink = cli_out_sink(out);
        st = vg_target_settings_list(store, &sink, &err);
        cli_out_finish(out);
    }
    vg_store_close(store);
    return st == VG_OK ? CLI_OK : cli_fail(&err, st);
}

static int do_verify(struct cli_global *g, const struct opts *o)
{
    if (o->port == NULL || o->date == NULL) {
        cli_error("verify needs --port and --date");
        return CLI_USAGE;
    }
    int code;
    struct vg_store *store = cli_open_store(g, false, true, &code);
    if (store == NULL) {
        return code;
    }
    struct vg_target_run run;
    struct vg_error err;
    vg_error_clear(&err);
    bool ok = false;
    char why[256];
    enum vg_status st = vg_targets_find(store, o->port, o->date, &run, &err);
    if (st == VG_OK) {
        st = vg_targets_verify(store, run.id, &ok, why, sizeof(why), &err);
    }
    vg_store_close(store);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    char id[24], seed[65];
    snprintf(id, sizeof(id), "%lld", (long long)run.id);
    for (int i = 0; i < 32; i++) {
        snprintf(seed + 2 * i, 3, "%02x", run.seed[i]);
    }
    static const char *const keys[] = { "selection", "seed", "seeded", "verified", "detail" };
    const char *vals[] = { id, seed, run.seeded ? "yes" : "no", ok ? "yes" : "no", why };
    static const enum vg_cell_kind kinds[] = { VG_CELL_INTEGER, VG_CELL_TEXT, VG_CELL_TEXT,
                                               VG_CELL_TEXT, VG_CELL_TEXT };
    cli_print_record(g->format, stdout, 5, keys, vals, kinds);
    return ok ? CLI_OK : CLI_INTEGRITY;
}

static int do_dispose(struct cli_global *g, const struct opts *o, int nargs, char **args)
{
    enum vg_disposition d;
    char *end;
    long long id = nargs == 2 ? strtoll(args[0], &end, 10) : 0;
    if (nargs != 2 || *end != '\0' || id <= 0) {
        cli_error("usage: vigia targets dispose TARGET waived|not_arrived|bl_deleted [--code C] "
                  "[--reason TEXT]");
        return CLI_USAGE;
    }
    if (!vg_disposition_parse(args[1], &d)) {
        cli_error("'%s' is not a disposition (waived, not_arrived, bl_deleted; an examination "
                  "is recorded with vigia outcome record --target)",
                  args[1]);
        return CLI_USAGE;
    }
    int code;
    struct vg_store *store = cli_open_store(g, false, false, &code);
    if (store == NULL) {
        return code;
    }
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_target_dispose(store, id, d, o->code, o->reason, &err);
    vg_store_close(store);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    char ids[24];
    snprintf(ids, sizeof(ids), "%lld", id);
    static const char *const keys[] = { "target", "state", "code", "reason" };
    const char *vals[] = { ids, vg_disposition_name(d), o->code, o->reason };
    static const enum vg_cell_kind kinds[] = { VG_CELL_INTEGER, VG_CELL_TEXT, VG_CELL_TEXT,
                                               VG_CELL_TEXT };
    cli_print_record(g->format, stdout, 4, keys, vals, kinds);
    return CLI_OK;
}

static bool parse_share(const char *text, const char *option, double *out)
{
    char *end;
    *out = strtod(text, &end);
    if (*end != '\0' || !(*out > 0 && *out <= 1)) {
        cli_error("%s must be a number in (0, 1], not '%s'", option, text);
        return false;
    }
    return true;
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum {
        OPT_PORT = 300,
        OPT_DATE,
        OPT_CAPACITY,
        OPT_CAPACITY_SHARE,
        OPT_RANDOM_SHARE,
        OPT_EXPLORE_SHARE,
        OPT_RESELECT,
        OPT_REASON,
        OPT_CODE,
        OPT_SEED,
        OPT_PENDING,
    };
    static const struct option long_opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "port", required_argument, NULL, OPT_PORT },
        { "date", required_argument, NULL, OPT_DATE },
        { "capacity", required_argument, NULL, OPT_CAPACITY },
        { "capacity-share", required_argument, NULL, OPT_CAPACITY_SHARE },
        { "random-share", required_argument, NULL, OPT_RANDOM_SHARE },
        { "explore-share", required_argument, NULL, OPT_EXPLORE_SHARE },
        { "reselect", no_argument, NULL, OPT_RESELECT },
        { "reason", required_argument, NULL, OPT_REASON },
        { "code", required_argument, NULL, OPT_CODE },
        { "seed", required_argument, NULL, OPT_SEED },
        { "pending", no_argument, NULL, OPT_PENDING },
        { NULL, 0, NULL, 0 },
    };
    struct opts o = {
        .capacity = -1, .capacity_share = -1, .random_share = -1, .explore_share = -1
    };
    int opt;
    char *end;
    while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
        switch (opt) {
        case OPT_PORT:
            o.port = optarg;
            continue;
        case OPT_DATE:
            o.date = optarg;
            continue;
        case OPT_REASON:
            o.reason = optarg;
            continue;
        case OPT_CODE:
            o.code = optarg;
            continue;
        case OPT_RESELECT:
            o.reselect = true;
            continue;
        case OPT_PENDING:
            o.pending = true;
            continue;
        case OPT_CAPACITY:
            o.capacity = strtoll(optarg, &end, 10);
            if (*end != '\0' || o.capacity < 0 || o.capacity > 1000000) {
                cli_error("--capacity must be a whole number from 0, not '%s'", optarg);
                return CLI_USAGE;
            }
            continue;
        case OPT_CAPACITY_SHARE:
            if (!parse_share(optarg, "--capacity-share", &o.capacity_share)) {
                return CLI_USAGE;
            }
            continue;
        case OPT_RANDOM_SHARE:
            if (!parse_share(optarg, "--random-share", &o.random_share)) {
                return CLI_USAGE;
            }
            continue;
        case OPT_EXPLORE_SHARE:
            o.explore_share = strtod(optarg, &end);
            if (*end != '\0' || !(o.explore_share >= 0 && o.explore_share <= 1)) {
                cli_error("--explore-share must be a number in [0, 1], not '%s'", optarg);
                return CLI_USAGE;
            }
            continue;
        case OPT_SEED:
            o.seed = strtoull(optarg, &end, 10);
            if (*end != '\0' || optarg[0] == '-' || optarg[0] == '\0') {
                cli_error("--seed must be a whole number, not '%s'", optarg);
                return CLI_USAGE;
            }
            o.seeded = true;
            continue;
        default:
            break;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_targets, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_targets, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    int nargs = argc - optind - 1;
    char **args = argv + optind + 1;
    const char *sub = optind < argc ? argv[optind] : NULL;
    if (o.reselect && o.reason == NULL) {
        cli_error("--reselect needs --reason: why the recorded selection is replaced");
        return CLI_USAGE;
    }
    if (sub == NULL) {
        return o.pending ? do_pending(g, &o) : do_select(g, &o);
    }
    if (strcmp(sub, "settings") == 0 && nargs == 0) {
        return do_settings(g, &o);
    }
    if (strcmp(sub, "verify") == 0 && nargs == 0) {
        return do_verify(g, &o);
    }
    if (strcmp(sub, "dispose") == 0) {
        return do_dispose(g, &o, nargs, args);
    }
    cli_error("unknown targets subcommand '%s' (settings, verify, dispose; or --port and "
              "--date to select)",
              sub);
    return CLI_USAGE;
}
