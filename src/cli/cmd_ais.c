/*
 * vigia ais decode|detect|events|params
 *
 * decode: AIS recordings to JSON Lines (gpsd's field names) or CSV on standard output;
 * rejected sentences and messages go to standard error with their position and reason.
 * detect/events/params: vessel events from the positions stored by `vigia ingest`.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/ais.h>
#include <vigia/file.h>
#include <vigia/maritime.h>
#include <vigia/time.h>
#include <vigia/track.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_ais = {
    "ais",
    "decode AIS (NMEA 0183 !AIVDM/!AIVDO) recordings",
    "usage: vigia ais decode [--format json|csv] [--max-pending N] [--max-age N] FILE|-...\n"
    "       vigia ais detect [--since T] [--until T]\n"
    "       vigia ais events [--since T] [--until T] [--port LOCODE] [--type KIND]\n"
    "                        [--format table|csv|json]\n"
    "       vigia ais params [--set NAME=VALUE]... [--reset]\n"
    "       vigia ais retention [--days N]\n"
    "\n"
    "decode reads AIS recordings (\"-\" is standard input) and prints one line per decoded\n"
    "message: a JSON object with gpsd's field names and scaling (as `gpsdecode -j`), or\n"
    "with --format csv a CSV record. Understood: !xxVDM/!xxVDO from any talker, IEC 61162-1\n"
    "TAG blocks (receive time c:, station s:, groups g:), a Unix or ISO 8601 time before the\n"
    "sentence, USCG receiver metadata after it, Gatehouse $PGHP wrappers, several sentences\n"
    "on one line, and multi-sentence messages arriving interleaved. Blank lines, comments\n"
    "and other NMEA sentences are skipped. See docs/ais.md.\n"
    "\n"
    "Every rejected sentence or message is reported on standard error as\n"
    "  vigia: rejected: FILE:LINE:COLUMN: reason (item N, byte OFFSET)\n"
    "and decoding continues; a summary per file follows unless --quiet is given.\n"
    "\n"
    "options:\n"
    "  --format F        json (default, JSON Lines) or csv\n"
    "  --max-pending N   partial multi-sentence messages held at once (default 64)\n"
    "  --max-age N       sentences after which a partial message is rejected (default 1000)\n"
    "\n"
    "detect finds vessel events in the positions that `vigia ingest` stored from AIS\n"
    "recordings (ingest runs it itself for the time its files cover): port visits, AIS\n"
    "gaps, encounters between vessels and loitering, each with the rule that fired in plain\n"
    "words. Events are linked to the vessel and to the voyage (port call) they happened on;\n"
    "port visits complete the actual arrival and departure of port calls. Running it again\n"
    "changes nothing unless positions or thresholds changed; events no longer found are\n"
    "removed.\n"
    "\n"
    "events lists the stored events, oldest first. --type is port_visit, gap, encounter or\n"
    "loitering; --port keeps events at a port or on a voyage from/to it.\n"
    "\n"
    "params shows the detection thresholds in force (Global Fishing Watch's published\n"
    "definitions, plus the near-shore variants for the Peruvian coast, see docs/ais.md);\n"
    "--set changes one for this store (audited), --reset restores the defaults.\n"
    "\n"
    "retention shows or sets (--days N; 0 keeps everything, the default) how many days of\n"
    "positions the store keeps, counted back from the newest position; ingest applies it\n"
    "after each AIS file, and setting it applies it at once. Vessel events are kept.\n"
    "\n"
    "T is an ISO 8601 time (\"2026-03-01\", \"2026-03-01T05:00Z\"); without a zone it is UTC.\n"
    "\n"
    "exit status: 0 done, 4 some input rejected, 2 a file or argument is invalid,\n"
    "3 store error, 1 usage error, 6 out of memory or output error.\n",
    run,
};

struct out_state {
    char buf[1 << 16];
    size_t len;
    bool failed;
};

static void out_flush(struct out_state *o)
{
    if (o->len > 0 && !o->failed) {
        if (fwrite(o->buf, 1, o->len, stdout) != o->len) {
            o->failed = true;
        }
    }
    o->len = 0;
}

struct decode_state {
    const struct cli_global *g;
    enum cli_format format;
    struct vg_ais_json json;
    struct out_state out;
    unsigned long long rejected;
};

static void print_reject(const struct decode_state *d, const struct vg_error *err)
{
    if (d->g->quiet) {
        return;
    }
    char msg[800];
    vg_error_format(err, msg, sizeof(msg));
    fprintf(stderr, "vigia: rejected: %s\n", msg);
}

/* Drains the reader: writes messages, reports rejections. */
static void drain(struct decode_state *d, struct vg_ais_reader *r)
{
    struct vg_ais_msg msg;
    struct vg_error err;
    for (;;) {
        enum vg_status st = vg_ais_reader_next(r, &msg, &err);
        if (st == VG_ENOTFOUND) {
            return;
        }
        if (st != VG_OK) {
            d->rejected++;
            /* Keep the order of stdout and stderr sensible when both go to a terminal. */
            out_flush(&d->out);
            print_reject(d, &err);
            continue;
        }
        if (sizeof(d->out.buf) - d->out.len < VG_AIS_TEXT_MAX) {
            out_flush(&d->out);
        }
        size_t n = 0;
        char *dst = d->out.buf + d->out.len;
        size_t cap = sizeof(d->out.buf) - d->out.len;
        if (d->format == CLI_FORMAT_CSV) {
            st = vg_ais_csv_write(&msg, dst, cap, &n);
        } else {
            st = vg_ais_json_write(&d->json, &msg, dst, cap, &n);
        }
        if (st == VG_OK) {
            d->out.len += n;
        }
    }
}

static void print_summary(const struct decode_state *d,
                          const char *name,
                          const struct vg_ais_counts *now,
                          const struct vg_ais_counts *before)
{
    if (d->g->quiet) {
        return;
    }
    fprintf(stderr,
            "vigia: %s: %llu lines, %llu sentences, %llu messages, %llu rejected, %llu other "
            "lines skipped\n",
            name, (unsigned long long)(now->lines - before->lines),
            (unsigned long long)(now->sentences - before->sentences),
            (unsigned long long)(now->messages - before->messages),
            (unsigned long long)(now->rejected - before->rejected),
            (unsigned long long)(now->skipped - before->skipped));
}

static bool parse_u32(const char *text, uint32_t max, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(text, &end, 10);
    if (errno != 0 || *end != '\0' || end == text || v == 0 || v > max) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

static int
do_decode(struct cli_global *g, const struct vg_ais_reader_options *opts, int nfiles, char **files)
{
    struct decode_state *d = calloc(1, sizeof(*d));
    if (d == NULL) {
        cli_error("out of memory");
        return CLI_SYSTEM;
    }
    d->g = g;
    d->format = g->format_set ? g->format : CLI_FORMAT_JSON;
    struct vg_ais_reader *r = NULL;
    enum vg_status st = vg_ais_reader_new(opts, &r);
    if (st != VG_OK) {
        free(d);
        cli_error("%s", vg_strerror(st));
        return cli_exit_for(st);
    }
    if (d->format == CLI_FORMAT_CSV) {
        const char *h = vg_ais_csv_header();
        size_t n = strlen(h);
        memcpy(d->out.buf, h, n);
        d->out.len = n;
    }
    int exit_code = CLI_OK;
    for (int i = 0; i < nfiles; i++) {
        struct vg_file file;
        struct vg_error err;
        vg_error_clear(&err);
        st = vg_file_open(files[i], &file, &err);
        if (st != VG_OK) {
            out_flush(&d->out);
            int c = cli_fail(&err, st);
            if (exit_code == CLI_OK || exit_code == CLI_PARTIAL) {
                exit_code = c;
            }
            continue;
        }
        const char *device = strcmp(files[i], "-") == 0 ? "stdin" : files[i];
        vg_ais_json_init(&d->json, device);
        struct vg_ais_counts before = *vg_ais_reader_counts(r);
        vg_ais_reader_input(r, files[i], file.data, file.len);
        drain(d, r);
        out_flush(&d->out);
        /* The reader keeps copies of pending fragments, so the file can go now. */
        vg_ais_reader_input(r, files[i], NULL, 0);
        vg_file_close(&file);
        print_summary(d, files[i], vg_ais_reader_counts(r), &before);
    }
    /* Messages still incomplete at the end of the last file. */
    vg_ais_reader_finish(r);
    drain(d, r);
    out_flush(&d->out);
    if (fflush(stdout) != 0 || d->out.failed) {
        cli_error("cannot write the output: %s", strerror(errno));
        exit_code = CLI_SYSTEM;
    } else if (d->rejected > 0 && exit_code == CLI_OK) {
        exit_code = CLI_PARTIAL;
    }
    vg_ais_reader_free(r);
    free(d);
    return exit_code;
}

static int do_detect(struct cli_global *g, int64_t since, int64_t until)
{
    int code;
    struct vg_store *store = cli_open_store(g, false, false, &code);
    if (store == NULL) {
        return code;
    }
    struct vg_error err;
    vg_error_clear(&err);
    struct vg_maritime_report rep;
    enum vg_status st = vg_maritime_run(store, since == VG_TIME_NONE ? INT64_MIN + 1 : since,
                                        until == VG_TIME_NONE ? INT64_MAX : until, &rep, &err);
    vg_store_close(store);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    enum { N = 8 };
    const int64_t nums[N] = { rep.positions, rep.vessels,  rep.events,      rep.new_events,
                              rep.removed,   rep.attached, rep.calls_timed, rep.linked };
    static const char *const keys[N] = { "positions",      "vessels",       "events",
                                         "new_or_changed", "removed",       "attached_to_voyage",
                                         "calls_timed",    "vessels_linked" };
    cli_print_counts(g->format, stdout, N, keys, nums);
    return CLI_OK;
}

struct events_query {
    int64_t since, until;
    const char *port, *kind;
};

static enum vg_status list_events(struct vg_store *store,
                                  const void *user,
                                  const struct vg_row_sink *sink,
                                  struct vg_error *err)
{
    const struct events_query *q = user;
    return vg_vessel_events_list(store, q->since, q->until, q->port, q->kind, sink, err);
}

static int
do_events(struct cli_global *g, int64_t since, int64_t until, const char *port, const char *kind)
{
    if (kind != NULL && strcmp(kind, "port_visit") != 0 && strcmp(kind, "gap") != 0 &&
        strcmp(kind, "encounter") != 0 && strcmp(kind, "loitering") != 0) {
        cli_error("--type is port_visit, gap, encounter or loitering, not '%s'", kind);
        return CLI_USAGE;
    }
    const struct events_query eq = { since, until, port, kind };
    return cli_list(g, list_events, &eq);
}

struct param_rows {
    struct cli_out *out;
};

static void param_row(void *user, const char *name, const char *value, const char *meaning)
{
    struct param_rows *r = user;
    const char *const vals[] = { name, value, meaning };
    cli_out_row(r->out, 3, vals);
}

static int do_params(struct cli_global *g, int nset, char **sets, bool reset)
{
    int code;
    struct vg_store *store = cli_open_store(g, false, nset == 0 && !reset, &code);
    if (store == NULL) {
        return code;
    }
    struct vg_error err;
    vg_error_clear(&err);
    struct vg_maritime_params p;
    enum vg_status st = vg_maritime_params_load(store, &p, &err);
    if (st == VG_OK && reset) {
        vg_maritime_params_default(&p);
    }
    for (int i = 0; st == VG_OK && i < nset; i++) {
        char name[64];
        const char *eq = strchr(sets[i], '=');
        size_t len = eq != NULL ? (size_t)(eq - sets[i]) : 0;
        if (eq == NULL || len == 0 || len >= sizeof(name)) {
            cli_error("--set wants NAME=VALUE, not '%s'", sets[i]);
            vg_store_close(store);
            return CLI_USAGE;
        }
        memcpy(name, sets[i], len);
        name[len] = '\0';
        st = vg_maritime_param_set(&p, name, eq + 1, &err);
    }
    if (st == VG_OK && (nset > 0 || reset)) {
        st = vg_maritime_params_save(store, &p, &err);
    }
    if (st == VG_OK) {
        struct param_rows r = { cli_out_new(g->format, stdout, false) };
        static const char *const cols[] = { "name", "value", "meaning" };
        cli_out_columns(r.out, 3, cols);
        vg_maritime_params_foreach(&p, param_row, &r);
        cli_out_finish(r.out);
    }
    vg_store_close(store);
    return st == VG_OK ? CLI_OK : cli_fail(&err, st);
}

static int do_retention(struct cli_global *g, long days)
{
    int code;
    struct vg_store *store = cli_open_store(g, false, days < 0, &code);
    if (store == NULL) {
        return code;
    }
    struct vg_error err;
    vg_error_clear(&err);
    int64_t blocks = 0;
    enum vg_status st = VG_OK;
    if (days >= 0) {
        st = vg_track_retention_set(store, (int)days, &err);
        if (st == VG_OK) {
            st = vg_track_retention_apply(store, &blocks, &err);
        }
    }
    int now = 0;
    if (st == VG_OK) {
        st = vg_track_retention_get(store, &now, &err);
    }
    vg_store_close(store);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    static const char *const keys[] = { "retention_days", "blocks_removed" };
    const int64_t nums[] = { now, blocks };
    cli_print_counts(g->format, stdout, 2, keys, nums);
    return CLI_OK;
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum {
        OPT_MAX_PENDING = 300,
        OPT_MAX_AGE,
        OPT_SINCE,
        OPT_UNTIL,
        OPT_PORT,
        OPT_TYPE,
        OPT_SET,
        OPT_RESET,
        OPT_DAYS
    };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "max-pending", required_argument, NULL, OPT_MAX_PENDING },
        { "max-age", required_argument, NULL, OPT_MAX_AGE },
        { "since", required_argument, NULL, OPT_SINCE },
        { "until", required_argument, NULL, OPT_UNTIL },
        { "port", required_argument, NULL, OPT_PORT },
        { "type", required_argument, NULL, OPT_TYPE },
        { "set", required_argument, NULL, OPT_SET },
        { "reset", no_argument, NULL, OPT_RESET },
        { "days", required_argument, NULL, OPT_DAYS },
        { NULL, 0, NULL, 0 },
    };
    struct vg_ais_reader_options ro = { 0, 0 };
    int64_t since = VG_TIME_NONE, until = VG_TIME_NONE;
    const char *port = NULL, *kind = NULL;
    char *sets[64];
    int nset = 0;
    bool reset = false, store_opts = false;
    long days = -1;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case OPT_MAX_PENDING:
            if (!parse_u32(optarg, 4096, &ro.max_pending)) {
                cli_error("--max-pending must be a number from 1 to 4096, not '%s'", optarg);
                return CLI_USAGE;
            }
            continue;
        case OPT_MAX_AGE:
            if (!parse_u32(optarg, 100000000, &ro.max_age)) {
                cli_error("--max-age must be a positive number of sentences, not '%s'", optarg);
                return CLI_USAGE;
            }
            continue;
        case OPT_SINCE:
            if (!cli_parse_time(optarg, "--since", &since)) {
                return CLI_USAGE;
            }
            store_opts = true;
            continue;
        case OPT_UNTIL:
            if (!cli_parse_time(optarg, "--until", &until)) {
                return CLI_USAGE;
            }
            store_opts = true;
            continue;
        case OPT_PORT:
            port = optarg;
            store_opts = true;
            continue;
        case OPT_TYPE:
            kind = optarg;
            store_opts = true;
            continue;
        case OPT_SET:
            if (nset == (int)(sizeof(sets) / sizeof(sets[0]))) {
                cli_error("too many --set options (at most 64)");
                return CLI_USAGE;
            }
            sets[nset++] = optarg;
            continue;
        case OPT_RESET:
            reset = true;
            continue;
        case OPT_DAYS: {
            char *end;
            errno = 0;
            days = strtol(optarg, &end, 10);
            if (errno != 0 || end == optarg || *end != '\0' || days < 0 ||
                days > VG_TRACK_RETENTION_MAX_DAYS) {
                cli_error("--days wants 0 (keep everything) to %d, not '%s'",
                          VG_TRACK_RETENTION_MAX_DAYS, optarg);
                return CLI_USAGE;
            }
            continue;
        }
        default:
            break;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_ais, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_ais, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    if (argc - optind < 1) {
        cli_print_usage(&cli_cmd_ais, stderr);
        return CLI_USAGE;
    }
    const char *sub = argv[optind];
    int extra = argc - optind - 1;
    if (strcmp(sub, "decode") == 0) {
        if (extra < 1) {
            cli_error("usage: vigia ais decode [--format json|csv] FILE|-...");
            return CLI_USAGE;
        }
        if (g->format_set && g->format == CLI_FORMAT_TABLE) {
            cli_error("vigia ais decode prints json (the default) or csv, not a table");
            return CLI_USAGE;
        }
        return do_decode(g, &ro, extra, argv + optind + 1);
    }
    bool is_detect = strcmp(sub, "detect") == 0, is_events = strcmp(sub, "events") == 0;
    bool is_params = strcmp(sub, "params") == 0, is_retention = strcmp(sub, "retention") == 0;
    if (!is_detect && !is_events && !is_params && !is_retention) {
        cli_error("unknown ais subcommand '%s' (decode, detect, events, params, retention)", sub);
        return CLI_USAGE;
    }
    if (extra > 0) {
        cli_error("vigia ais %s takes no file arguments ('%s')", sub, argv[optind + 1]);
        return CLI_USAGE;
    }
    if (days >= 0 && !is_retention) {
        cli_error("--days belongs to vigia ais retention");
        return CLI_USAGE;
    }
    if (is_retention) {
        if (store_opts || nset > 0 || reset) {
            cli_error("vigia ais retention takes --days only");
            return CLI_USAGE;
        }
        return do_retention(g, days);
    }
    if ((nset > 0 || reset) && !is_params) {
        cli_error("--set and --reset belong to vigia ais params");
        return CLI_USAGE;
    }
    if (is_params) {
        if (store_opts) {
            cli_error("vigia ais params takes no --since/--until/--port/--type");
            return CLI_USAGE;
        }
        return do_params(g, nset, sets, reset);
    }
    if (is_detect) {
        if (port != NULL || kind != NULL) {
            cli_error("vigia ais detect takes --since and --until only");
            return CLI_USAGE;
        }
        return do_detect(g, since, until);
    }
    return do_events(g, since, until, port, kind);
}
