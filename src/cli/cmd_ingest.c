/* vigia ingest PATH...: bring EDIFACT, AIS, CSV and JSON files into the store. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <vigia/ingest.h>
#include <vigia/maritime.h>
#include <vigia/track.h>

/* How far beyond the new AIS positions vessel events are looked for (3 days). */
#define DETECT_MARGIN_S (3 * 86400)

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_ingest = {
    "ingest",
    "ingest EDIFACT, AIS, CSV and JSON files or folders",
    "usage: vigia ingest [options] PATH...\n"
    "\n"
    "Reads files and folders (recursively, in name order; '-' for standard input), detects\n"
    "each file's format from its content (UN/EDIFACT, NMEA AIS, the CSV and JSON layouts of\n"
    "docs/formats.md; CSV also as spreadsheets write it: ';' or tab between fields, decimal\n"
    "commas, dates day first, Windows-1252 or UTF-16 text; or as a workbook, .xlsx,\n"
    ".ods or .xls, each sheet of a layout read by its rows; any of them compressed with gzip or\n"
    "Zstandard, or as the members of a zip archive, each read as a file) and writes what\n"
    "it carries into the store. Files of no known format are reported as skipped.\n"
    "In folders, hidden files and files still being transferred under a temporary\n"
    "name (.filepart, .part, .partial, .crdownload) are left out: read once renamed.\n"
    "Ingesting the same file again changes nothing: a file read whole before is\n"
    "recognised by its content, under any name, and not read again (files_unchanged);\n"
    "the same file on disk is known without being opened, by its device, inode, size and\n"
    "modification and change times, so a folder that keeps its files can be ingested\n"
    "again and again at little cost;\n"
    "an EDIFACT file with refused messages is read again unless --tolerate-counts was\n"
    "given (a re-run with it may take them). Refused\n"
    "messages are reported with file, position and reason and kept (vigia rejects); doubtful\n"
    "content goes in flagged (vigia quality). Ends with a summary.\n"
    "\n"
    "options:\n"
    "  --batch N       messages per transaction (default 2000, growing in a large\n"
    "                  ingest to as many as the run has already committed); a\n"
    "                  transaction spans files, so a folder of small files commits\n"
    "                  as seldom as one large file\n"
    "  --max-batch N   largest transaction the growing batches reach (default 32768\n"
    "                  messages): what a crash can lose and a re-run must redo; a\n"
    "                  growing transaction also ends after 10 s, so that other\n"
    "                  writers (another ingest, vigia outcome) wait no longer\n"
    "  --sender NAME   sender recorded for CSV/JSON input that names none\n"
    "  --no-raw        do not keep each message's raw bytes in the store (kept by\n"
    "                  default, compressed; vigia show message ID prints them)\n"
    "  --tolerate-counts  accept EDIFACT messages whose UNT segment count is wrong (but\n"
    "                  whose reference is right) with a finding, instead of rejecting them\n"
    "  --verbose       also print every data-quality finding\n"
    "  --min-age S     in folders, leave files written to in the last S seconds for a\n"
    "                  later run (files_deferred): a file still being written under its\n"
    "                  final name (scp, some SFTP clients) would be read cut off\n"
    "  --check         read and check PATHs as an ingest would, print every reject and\n"
    "                  finding and the summary, and store nothing (the run is rolled\n"
    "                  back): to try a file before it is sent or dropped in a feed\n"
    "                  folder. A file or message already in the store is counted as\n"
    "                  unchanged or duplicate, as an ingest would\n"
    "  --no-detect     do not detect vessel events after storing AIS positions (see\n"
    "                  vigia ais detect)\n"
    "  --format F      summary as table, csv or json\n"
    "\n"
    "exit status: 0 done, 4 some input rejected, 2 a path could not be read, 3 store error.\n",
    run,
};

struct progress {
    const struct cli_global *g;
    bool verbose;
    bool every_reject; /* print them all (--check), not the first 20 */
    int rejects_printed, rejects_more;
    int findings_printed;
    time_t last;
};

static void on_event(void *user,
                     enum vg_ingest_event ev,
                     const struct vg_error *err,
                     const struct vg_ingest_report *r)
{
    struct progress *p = user;
    char msg[900];
    switch (ev) {
    case VG_INGEST_FILE_SKIPPED:
        if (!p->g->quiet) {
            vg_error_format(err, msg, sizeof(msg));
            fprintf(stderr, "vigia: skipped: %s\n", msg);
        }
        break;
    case VG_INGEST_REJECTED:
        if (p->g->quiet) {
            break;
        }
        if (p->every_reject || p->rejects_printed < 20) {
            vg_error_format(err, msg, sizeof(msg));
            fprintf(stderr, "vigia: rejected: %s\n", msg);
            p->rejects_printed++;
        } else {
            p->rejects_more++;
        }
        break;
    case VG_INGEST_FINDING:
        if (p->verbose && !p->g->quiet) {
            vg_error_format(err, msg, sizeof(msg));
            fprintf(stderr, "vigia: finding: %s\n", msg);
        }
        break;
    case VG_INGEST_PROGRESS:
        if (p->g->progress) {
            time_t now = time(NULL);
            if (now != p->last) {
                p->last = now;
                fprintf(stderr, "\rvigia: %lld files, %lld messages, %lld containers, %lld events",
                        (long long)r->files, (long long)r->messages, (long long)r->containers,
                        (long long)r->events);
            }
        }
        break;
    }
}

/* Input large enough to be worth SQLite's page cache reserved up front (about 0.3 s and
 * 280 MB at start, vg_store_options.bulk): a folder, or files of 64 MB or more together.
 * A single message dropped every minute does not pay for it. */
static bool bulk_input(const char *const *paths, int n)
{
    long long bytes = 0;
    for (int i = 0; i < n; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) != 0) {
            continue;
        }
        if (S_ISDIR(sb.st_mode)) {
            return true;
        }
        bytes += (long long)sb.st_size;
    }
    return bytes >= 64LL * 1024 * 1024;
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum {
        OPT_BATCH = 300,
        OPT_MAX_BATCH,
        OPT_SENDER,
        OPT_NORAW,
        OPT_VERBOSE,
        OPT_TOLERATE,
        OPT_NODETECT,
        OPT_CHECK,
        OPT_MIN_AGE
    };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "batch", required_argument, NULL, OPT_BATCH },
        { "max-batch", required_argument, NULL, OPT_MAX_BATCH },
        { "sender", required_argument, NULL, OPT_SENDER },
        { "no-raw", no_argument, NULL, OPT_NORAW },
        { "verbose", no_argument, NULL, OPT_VERBOSE },
        { "tolerate-counts", no_argument, NULL, OPT_TOLERATE },
        { "no-detect", no_argument, NULL, OPT_NODETECT },
        { "check", no_argument, NULL, OPT_CHECK },
        { "min-age", required_argument, NULL, OPT_MIN_AGE },
        { NULL, 0, NULL, 0 },
    };
    struct vg_ingest_options io = { 0 };
    struct progress prog = { .g = g };
    bool no_detect = false;
    bool check = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case OPT_BATCH:
            io.batch_size = atoi(optarg);
            if (io.batch_size <= 0) {
                cli_error("--batch must be a positive number");
                return CLI_USAGE;
            }
            continue;
        case OPT_MAX_BATCH:
            io.max_batch = atoi(optarg);
            if (io.max_batch <= 0) {
                cli_error("--max-batch must be a positive number");
                return CLI_USAGE;
            }
            continue;
        case OPT_SENDER:
            io.default_sender = optarg;
            continue;
        case OPT_MIN_AGE: {
            char *end = NULL;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end != '\0' || v < 0 || v > 86400) {
                cli_error("--min-age must be a number of seconds from 0 to 86400");
                return CLI_USAGE;
            }
            io.min_age_seconds = (int)v;
            continue;
        }
        case OPT_NORAW:
            io.no_raw = true;
            continue;
        case OPT_VERBOSE:
            prog.verbose = true;
            continue;
        case OPT_TOLERATE:
            io.tolerate_counts = true;
            continue;
        case OPT_NODETECT:
            no_detect = true;
            continue;
        case OPT_CHECK:
            check = prog.verbose = prog.every_reject = no_detect = true;
            continue;
        default:
            break;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_ingest, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_ingest, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    if (optind >= argc) {
        cli_error("ingest needs at least one file or folder");
        return CLI_USAGE;
    }
    int code;
    struct vg_store *store = !check && bulk_input((const char *const *)argv + optind, argc - optind)
                                 ? cli_open_store_bulk(g, &code)
                                 : cli_open_store(g, false, false, &code);
    if (store == NULL) {
        return code;
    }
    io.callback = on_event;
    io.user = &prog;
    struct vg_ingest_report r;
    memset(&r, 0, sizeof(r));
    struct vg_error err;
    vg_error_clear(&err);
    /* --check: the run inside one transaction of the caller's, rolled back at the end. */
    enum vg_status st = check ? vg_store_begin(store, &err) : VG_OK;
    if (st == VG_OK) {
        st = vg_ingest_paths(store, (const char *const *)argv + optind, argc - optind, &io, &r,
                             &err);
    }
    if (check) {
        vg_store_rollback(store);
    }
    struct vg_maritime_report events = { 0 };
    if ((st == VG_OK || st == VG_EPARTIAL) && r.ais_positions > 0 && !no_detect) {
        /* Vessel events over the time the new positions cover, widened so that a visit,
         * gap or meeting straddling the edge of the recording is seen whole. */
        enum vg_status ds = vg_maritime_run(store, r.ais_first - DETECT_MARGIN_S,
                                            r.ais_last + DETECT_MARGIN_S, &events, &err);
        if (ds != VG_OK) {
            st = ds;
        }
    }
    if ((st == VG_OK || st == VG_EPARTIAL) && r.ais_positions > 0 && !check) {
        int64_t blocks;
        enum vg_status rs = vg_track_retention_apply(store, &blocks, &err);
        if (rs != VG_OK) {
            st = rs;
        }
    }
    vg_store_close(store);
    if (g->progress && prog.last != 0) {
        fputc('\n', stderr);
    }
    if (prog.rejects_more > 0 && !g->quiet) {
        fprintf(stderr, "vigia: ... %d more rejected (see vigia rejects)\n", prog.rejects_more);
    }
    enum { NKEYS = 20 };
    const int64_t nums[NKEYS] = {
        r.files,     r.files_skipped, r.files_unchanged, r.files_deferred,  r.interchanges,
        r.messages,  r.accepted,      r.rejected,        r.duplicates,      r.amended,
        r.cancelled, r.collisions,    r.containers,      r.consignments,    r.events,
        r.findings,  r.ais_sentences, r.ais_positions,   events.new_events, r.bytes
    };
    static const char *const keys[NKEYS] = {
        "files",     "files_skipped", "files_unchanged", "files_deferred", "interchanges",
        "messages",  "accepted",      "rejected",        "duplicates",     "amended",
        "cancelled", "collisions",    "containers",      "consignments",   "events",
        "findings",  "ais_sentences", "ais_positions",   "vessel_events",  "bytes",
    };
    cli_print_counts(g->format, stdout, NKEYS, keys, nums);
    if (r.files_deferred > 0 && !g->quiet) {
        fprintf(stderr, "vigia: %lld file(s) written to in the last %d s left for a later run\n",
                (long long)r.files_deferred, io.min_age_seconds);
    }
    if (check && !g->quiet) {
        fprintf(stderr, "vigia: checked only: nothing was stored\n");
    }
    if (st == VG_EPARTIAL) {
        return CLI_PARTIAL;
    }
    return st == VG_OK ? CLI_OK : cli_fail(&err, st);
}
