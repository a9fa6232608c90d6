/*
 * vigia sim: write the demo world (synthetic Peruvian port traffic in the real exchange
 * formats, plus outcomes, a watch list and the truth) into a directory.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <vigia/file.h>
#include <vigia/sim.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_sim = {
    "sim",
    "generate the demo world: port traffic feeds, outcomes, watch list, truth",
    "usage: vigia sim --out DIR [--seed N] [--days D] [--scale X] [--config FILE]\n"
    "                 [--start DATE] [--history-share F] [--no-ais] [--force]\n"
    "       vigia sim --print-config\n"
    "       vigia sim --check-config FILE\n"
    "\n"
    "Makes a realistic world of container traffic through Callao, Chancay, Paita, Matarani\n"
    "and Iquitos, with trafficking cases planted after public reporting and the innocent\n"
    "look-alikes real traffic has, and writes it where vigia ingest reads it:\n"
    "  DIR/feeds/cuscar|codeco|coprar|coarri|baplie/\n"
    "                                           UN/EDIFACT (docs/edifact-messages.md)\n"
    "  DIR/feeds/ais/                           NMEA AIS, one file per day\n"
    "  DIR/outcomes.csv  DIR/watchlist.csv      (docs/formats.md)\n"
    "  DIR/truth.json                           the cases, confounders, planted faults\n"
    "The same seed, days, scale, start and configuration give byte-identical files.\n"
    "Every parameter is in a JSON configuration (built in: sim/peru.json; docs/sim.md).\n"
    "\n"
    "options:\n"
    "  --out DIR            output directory (created; must be empty unless --force)\n"
    "  --seed N             the world's seed (default 1)\n"
    "  --days D             days of departures (default 30)\n"
    "  --scale X            volume multiplier (default 1; ~750 is a day of world traffic)\n"
    "  --config FILE        another configuration (may \"extends\": \"peru\")\n"
    "  --start DATE         first day, YYYY-MM-DD (default: the configuration's)\n"
    "  --history-share F    share of the days with outcomes, 0..1 (default 0.75)\n"
    "  --no-ais             write no AIS files\n"
    "  --force              replace an earlier sim output in DIR\n"
    "  --print-config       print the built-in configuration and exit\n"
    "  --check-config FILE  validate a configuration and exit\n"
    "  --format F           summary as table, csv or json\n"
    "\n"
    "exit status: 0 done, 1 usage, 2 bad configuration or DIR not empty, 6 I/O error.\n",
    run,
};

static void progress(void *user, int day, int days)
{
    (void)user;
    fprintf(stderr, "\rvigia: sim: day %d of %d", day, days);
    if (day >= days) {
        fputc('\n', stderr);
    }
}

static bool parse_u64(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-') {
        return false;
    }
    *out = v;
    return true;
}

static bool parse_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0') {
        return false;
    }
    *out = v;
    return true;
}

static int check_config(const char *path)
{
    struct vg_file f;
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_file_open(path, &f, &err);
    if (st == VG_OK) {
        st = vg_sim_config_check(f.data, f.len, path, &err);
        vg_file_close(&f);
    }
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    printf("%s: configuration is valid\n", path);
    return CLI_OK;
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum {
        OPT_OUT = 300,
        OPT_SEED,
        OPT_DAYS,
        OPT_SCALE,
        OPT_CONFIG,
        OPT_START,
        OPT_SHARE,
        OPT_NOAIS,
        OPT_FORCE,
        OPT_PRINT,
        OPT_CHECK
    };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "out", required_argument, NULL, OPT_OUT },
        { "seed", required_argument, NULL, OPT_SEED },
        { "days", required_argument, NULL, OPT_DAYS },
        { "scale", required_argument, NULL, OPT_SCALE },
        { "config", required_argument, NULL, OPT_CONFIG },
        { "start", required_argument, NULL, OPT_START },
        { "history-share", required_argument, NULL, OPT_SHARE },
        { "no-ais", no_argument, NULL, OPT_NOAIS },
        { "force", no_argument, NULL, OPT_FORCE },
        { "print-config", no_argument, NULL, OPT_PRINT },
        { "check-config", required_argument, NULL, OPT_CHECK },
        { NULL, 0, NULL, 0 },
    };
    struct vg_sim_options o;
    vg_sim_options_init(&o);
    int opt;
    uint64_t u;
    double d;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case OPT_OUT:
            o.out_dir = optarg;
            continue;
        case OPT_SEED:
            if (!parse_u64(optarg, &o.seed)) {
                cli_error("--seed must be a whole number >= 0, not '%s'", optarg);
                return CLI_USAGE;
            }
            continue;
        case OPT_DAYS:
            if (!parse_u64(optarg, &u) || u < 1 || u > 3660) {
                cli_error("--days must be 1 to 3660, not '%s'", optarg);
                return CLI_USAGE;
            }
            o.days = (int)u;
            continue;
        case OPT_SCALE:
            if (!parse_double(optarg, &d) || !(d > 0 && d <= 100000)) {
                cli_error("--scale must be a number > 0 and <= 100000, not '%s'", optarg);
                return CLI_USAGE;
            }
            o.scale = d;
            continue;
        case OPT_CONFIG:
            o.config_path = optarg;
            continue;
        case OPT_START:
            o.start = optarg;
            continue;
        case OPT_SHARE:
            if (!parse_double(optarg, &d) || !(d >= 0 && d <= 1)) {
                cli_error("--history-share must be 0 to 1, not '%s'", optarg);
                return CLI_USAGE;
            }
            o.history_share = d;
            continue;
        case OPT_NOAIS:
            o.flags |= VG_SIM_NO_AIS;
            continue;
        case OPT_FORCE:
            o.flags |= VG_SIM_OVERWRITE;
            continue;
        case OPT_PRINT: {
            size_t len;
            const char *text = vg_sim_default_config(&len);
            return fwrite(text, 1, len, stdout) == len ? CLI_OK : CLI_SYSTEM;
        }
        case OPT_CHECK:
            return check_config(optarg);
        default:
            break;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_sim, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_sim, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    if (optind < argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        return CLI_USAGE;
    }
    if (o.out_dir == NULL) {
        cli_error("sim needs --out DIR");
        return CLI_USAGE;
    }
    if (g->progress) {
        o.progress = progress;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct vg_sim_report r;
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_sim_run(&o, &r, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (st != VG_OK) {
        if (st == VG_EINVAL) {
            cli_error("%s", err.message);
            return CLI_USAGE;
        }
        return cli_fail(&err, st);
    }
    double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    enum { N = 23 };
    char v[N][80];
    const char *keys[N] = {
        "out",           "seed",       "days",         "scale",       "config",          "digest",
        "calls",         "trips",      "full_trips",   "empty_trips", "consignments",    "messages",
        "ais_sentences", "case_trips", "vessel_cases", "confounders", "inspections",     "outcomes",
        "faults",        "files",      "bytes",        "seconds",     "trips_per_second"
    };
    snprintf(v[0], sizeof(v[0]), "%s", o.out_dir);
    snprintf(v[1], sizeof(v[1]), "%llu", (unsigned long long)o.seed);
    snprintf(v[2], sizeof(v[2]), "%d", o.days);
    snprintf(v[3], sizeof(v[3]), "%g", o.scale);
    snprintf(v[4], sizeof(v[4]), "%s", r.config_name);
    snprintf(v[5], sizeof(v[5]), "%s", r.config_digest);
    const uint64_t nums[15] = { r.calls,        r.trips,       r.full_trips,    r.empty_trips,
                                r.consignments, r.messages,    r.ais_sentences, r.case_trips,
                                r.vessel_cases, r.confounders, r.inspections,   r.outcomes,
                                r.faults,       r.files,       r.bytes };
    for (int i = 0; i < 15; i++) {
        snprintf(v[6 + i], sizeof(v[6 + i]), "%llu", (unsigned long long)nums[i]);
    }
    snprintf(v[21], sizeof(v[21]), "%.2f", secs);
    snprintf(v[22], sizeof(v[22]), "%.0f", secs > 0 ? (double)r.trips / secs : 0.0);
    /* As keys; the seed stays text: 64 bits, more than a JSON number keeps exactly. */
    static const enum vg_cell_kind kinds[N] = {
        VG_CELL_TEXT,    VG_CELL_TEXT,    VG_CELL_INTEGER, VG_CELL_REAL,    VG_CELL_TEXT,
        VG_CELL_TEXT,    VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER,
        VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER,
        VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER,
        VG_CELL_INTEGER, VG_CELL_REAL,    VG_CELL_INTEGER
    };
    const char *vals[N];
    for (int i = 0; i < N; i++) {
        vals[i] = v[i];
    }
    cli_print_record(g->format, stdout, N, keys, vals, kinds);
    return CLI_OK;
}
