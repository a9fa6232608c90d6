/*
 * vigia ais decode [--format json|csv] [--max-pending N] [--max-age N] FILE|-...
 *
 * Decodes AIS recordings to JSON Lines (gpsd's field names) or CSV on standard output;
 * rejected sentences and messages go to standard error with their position and reason.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vigia/ais.h>
#include <vigia/file.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_ais = {
    "ais",
    "decode AIS (NMEA 0183 !AIVDM/!AIVDO) recordings",
    "usage: vigia ais decode [--format json|csv] [--max-pending N] [--max-age N] FILE|-...\n"
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
    "exit status: 0 all decoded, 4 some input rejected, 2 a file could not be read,\n"
    "1 usage error, 6 out of memory or output error.\n",
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

static void print_summary(const struct decode_state *d, const char *name,
                          const struct vg_ais_counts *now, const struct vg_ais_counts *before)
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

static int do_decode(struct cli_global *g, const struct vg_ais_reader_options *opts, int nfiles,
                     char **files)
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

static int run(struct cli_global *g, int argc, char **argv)
{
    enum { OPT_MAX_PENDING = 300, OPT_MAX_AGE };
    static const struct option opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "max-pending", required_argument, NULL, OPT_MAX_PENDING },
        { "max-age", required_argument, NULL, OPT_MAX_AGE },
        { NULL, 0, NULL, 0 },
    };
    struct vg_ais_reader_options ro = { 0, 0 };
    int opt;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == OPT_MAX_PENDING) {
            if (!parse_u32(optarg, 4096, &ro.max_pending)) {
                cli_error("--max-pending must be a number from 1 to 4096, not '%s'", optarg);
                return CLI_USAGE;
            }
            continue;
        }
        if (opt == OPT_MAX_AGE) {
            if (!parse_u32(optarg, 100000000, &ro.max_age)) {
                cli_error("--max-age must be a positive number of sentences, not '%s'", optarg);
                return CLI_USAGE;
            }
            continue;
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
    if (strcmp(sub, "decode") == 0) {
        if (argc - optind < 2) {
            cli_error("usage: vigia ais decode [--format json|csv] FILE|-...");
            return CLI_USAGE;
        }
        if (g->format_set && g->format == CLI_FORMAT_TABLE) {
            cli_error("vigia ais decode prints json (the default) or csv, not a table");
            return CLI_USAGE;
        }
        return do_decode(g, &ro, argc - optind - 1, argv + optind + 1);
    }
    cli_error("unknown ais subcommand '%s' (decode)", sub);
    return CLI_USAGE;
}
