/*
 * vigia watchlist import FILE.csv [--list NAME]
 * vigia watchlist import-ofac SDN.csv [ALT.csv [ADD.csv]] [--list NAME]
 * vigia watchlist list [LIST] [--all]
 * vigia watchlist screen NAME [--type T] [--country CC] [--id ID] [--threshold X] ...
 * vigia watchlist dismiss ENTRY-ID SUBJECT --reason TEXT
 * vigia watchlist approve DISMISSAL-ID
 * vigia watchlist dismissals [--status S]
 */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/screen.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_watchlist = {
    "watchlist",
    "import watch lists (vigia CSV, OFAC SDN), screen names, dismiss false hits",
    "usage: vigia watchlist import FILE.csv [--list NAME]\n"
    "       vigia watchlist import-ofac SDN.csv [ALT.csv [ADD.csv]] [--list NAME]\n"
    "       vigia watchlist list [LIST] [--all]\n"
    "       vigia watchlist screen NAME [--type T] [--country CC] [--id ID]\n"
    "                              [--threshold X] [--limit N] [--list NAME]\n"
    "       vigia watchlist dismiss ENTRY-ID SUBJECT --reason TEXT\n"
    "       vigia watchlist approve DISMISSAL-ID\n"
    "       vigia watchlist dismissals [--status pending|approved|lapsed]\n"
    "\n"
    "import loads a watch list in the vigia CSV format (docs/formats.md: name, type,\n"
    "country, source, note, identifier, aliases) into the list NAME (default: the file\n"
    "name). import-ofac loads OFAC's sdn.csv with its aliases (alt.csv) and addresses\n"
    "(add.csv, for countries) into the list \"OFAC SDN\". Importing the same file again\n"
    "changes nothing; entries that changed get a new version, entries that disappeared\n"
    "are marked removed (never deleted), and their dismissals lapse. Bad records are\n"
    "reported with file:line and the reason and kept (vigia rejects).\n"
    "\n"
    "list shows the watch lists, or the entries of LIST (--all: with removed ones).\n"
    "\n"
    "screen matches a name against every active entry: normalised (accents, case,\n"
    "punctuation, legal forms such as S.A.C. or GmbH), token by token with fuzzy and\n"
    "sound-alike spellings, identifiers (IMO, MMSI, RUC, container, seal) exactly, the\n"
    "country as a qualifier. Each hit has a score in [0,1] and the reason in words.\n"
    "\n"
    "dismiss records that a hit of entry ENTRY-ID on SUBJECT is false, with a reason;\n"
    "approve confirms it, and must be given by someone else (global --as). A dismissal\n"
    "lapses when the entry changes. Both are audited.\n"
    "\n"
    "options:\n"
    "  --list NAME       the watch list (import: where to; screen, list: which)\n"
    "  --type T          party, person, organization, vessel, aircraft, container, seal\n"
    "  --country CC      the subject's country (ISO alpha-2 or English name)\n"
    "  --id ID           an identifier of the subject (IMO, MMSI, RUC, container...)\n"
    "  --threshold X     lowest score reported (default 0.70)\n"
    "  --limit N         hits reported at most (default 10)\n"
    "  --reason TEXT     why the hit is false (dismiss; at least 10 characters)\n"
    "  --status S        dismissals in this state only\n"
    "  --all             list removed entries too\n"
    "\n"
    "exit status: 0 done, 1 usage, 2 bad input file, 3 store error, 4 some records\n"
    "rejected, 2 also when a dismissal is refused as a conflict (already dismissed,\n"
    "entry changed) and 3 when the requester tries to approve their own dismissal.\n",
    run,
};

struct opts {
    const char *list;
    const char *type;
    const char *country;
    const char *id;
    const char *reason;
    const char *status;
    double threshold;
    long limit;
    bool all;
};

struct problem_printer {
    const struct cli_global *g;
    int printed;
    int suppressed;
};

static void print_problem(void *user, bool rejected, const struct vg_error *err)
{
    struct problem_printer *pp = user;
    if (pp->g->quiet) {
        return;
    }
    if (pp->printed >= 20) {
        pp->suppressed++;
        return;
    }
    char msg[800];
    fprintf(stderr, "vigia: %s: %s\n", rejected ? "rejected" : "flagged",
            vg_error_format(err, msg, sizeof(msg)));
    pp->printed++;
}

static int report_import(struct cli_global *g,
                         const char *what,
                         enum vg_status st,
                         const struct vg_watchlist_report *r,
                         const struct vg_error *err,
                         const struct problem_printer *pp,
                         bool ofac)
{
    if (pp->suppressed > 0) {
        fprintf(stderr, "vigia: ... %d more problems in %s (see vigia rejects, vigia quality)\n",
                pp->suppressed, what);
    }
    if (st != VG_OK && st != VG_EPARTIAL) {
        return cli_fail(err, st);
    }
    if (r->removals_skipped) {
        cli_warn(g, "records were rejected, so entries missing from %s were not marked removed",
                 what);
    }
    char n[11][24];
    const int64_t v[11] = { r->records, r->inserted,   r->changed,       r->unchanged,
                            r->removed, r->duplicates, r->rejected,      r->flagged,
                            r->lapsed,  r->aliases,    r->orphan_aliases };
    for (int i = 0; i < 11; i++) {
        snprintf(n[i], sizeof(n[i]), "%lld", (long long)v[i]);
    }
    const char *keys[] = { "file",      "records",           "inserted",   "changed",
                           "unchanged", "removed",           "duplicates", "rejected",
                           "flagged",   "dismissals_lapsed", "aliases",    "orphan_aliases" };
    const char *values[] = {
        what, n[0], n[1], n[2], n[3], n[4], n[5], n[6], n[7], n[8], n[9], n[10]
    };
    static const enum vg_cell_kind kinds[12] = {
        VG_CELL_TEXT,    VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER,
        VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER,
        VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER, VG_CELL_INTEGER
    };
    cli_print_record(g->format, stdout, ofac ? 12 : 10, keys, values, kinds);
    return st == VG_EPARTIAL ? CLI_PARTIAL : CLI_OK;
}

static int do_import(struct cli_global *g, const struct opts *o, int nargs, char **args, bool ofac)
{
    if ((!ofac && nargs != 1) || (ofac && (nargs < 1 || nargs > 3))) {
        cli_error(ofac ? "usage: vigia watchlist import-ofac SDN.csv [ALT.csv [ADD.csv]]"
                       : "usage: vigia watchlist import FILE.csv [--list NAME]");
        return CLI_USAGE;
    }
    int code;
    struct vg_store *store = cli_open_store(g, false, false, &code);
    if (store == NULL) {
        return code;
    }
    struct vg_watchlist_report rep;
    struct vg_error err;
    vg_error_clear(&err);
    struct problem_printer pp = { g, 0, 0 };
    enum vg_status st;
    if (ofac) {
        st = vg_watchlist_import_ofac(store, args[0], nargs > 1 ? args[1] : NULL,
                                      nargs > 2 ? args[2] : NULL, o->list, &rep, print_problem, &pp,
                                      &err);
    } else {
        st = vg_watchlist_import_csv(store, args[0], o->list, &rep, print_problem, &pp, &err);
    }
    vg_store_close(store);
    return report_import(g, args[0], st, &rep, &err, &pp, ofac);
}

struct list_query {
    const struct opts *o;
    const char *list;
};

static enum vg_status list_entries(struct vg_store *store,
                                   const void *user,
                                   const struct vg_row_sink *sink,
                                   struct vg_error *err)
{
    const struct list_query *q = user;
    return q->list != NULL ? vg_watchlist_entries_list(store, q->list, q->o->all, sink, err)
                           : vg_watchlists_list(store, sink, err);
}

static int do_list(struct cli_global *g, const struct opts *o, int nargs, char **args)
{
    const struct list_query q = { o, nargs > 0 ? args[0] : o->list };
    return cli_list(g, list_entries, &q);
}

static int do_screen(struct cli_global *g, const struct opts *o, int nargs, char **args)
{
    if (nargs > 1 || (nargs == 0 && o->id == NULL)) {
        cli_error("usage: vigia watchlist screen NAME [--type T] [--country CC] [--id ID]");
        return CLI_USAGE;
    }
    struct vg_screen_query q = { .name = nargs > 0 ? args[0] : NULL,
                                 .country = o->country,
                                 .identifier = o->id };
    if (o->type != NULL && !vg_watch_type_parse(o->type, &q.type)) {
        cli_error("--type must be party, person, organization, vessel, aircraft, container or "
                  "seal, not '%s'",
                  o->type);
        return CLI_USAGE;
    }
    char cc[3];
    if (o->country != NULL && !vg_country_code(o->country, strlen(o->country), cc)) {
        cli_warn(g, "country '%s' is not known: screening without the country qualifier",
                 o->country);
        q.country = NULL;
    }
    int code;
    struct vg_store *store = cli_open_store(g, false, true, &code);
    if (store == NULL) {
        return code;
    }
    struct vg_screen_index *idx = NULL;
    struct vg_screener *s = NULL;
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_screen_index_new(&idx);
    if (st == VG_OK) {
        st = vg_screen_index_load(idx, store, o->list, &err);
    }
    vg_store_close(store);
    if (st == VG_OK) {
        st = vg_screen_index_finish(idx);
    }
    if (st == VG_OK) {
        st = vg_screener_new(idx, &s);
    }
    struct vg_screen_options so = { .threshold = o->threshold, .limit = (size_t)o->limit };
    const struct vg_screen_hit *hits = NULL;
    size_t n = 0;
    if (st == VG_OK) {
        st = vg_screen(s, &q, &so, &hits, &n, &err);
    }
    if (st != VG_OK) {
        vg_screener_free(s);
        vg_screen_index_free(idx);
        return cli_fail(&err, st);
    }
    static const char *const cols[] = { "score",     "entry_id",   "list",    "external_id",
                                        "type",      "entry",      "matched", "countries",
                                        "dismissed", "explanation" };
    struct cli_out *out = cli_out_new(g->format, stdout, false);
    cli_out_columns(out, 10, cols);
    for (size_t i = 0; i < n; i++) {
        const struct vg_screen_hit *h = &hits[i];
        char score[16], id[24], dismissed[32];
        snprintf(score, sizeof(score), "%.3f", h->score);
        snprintf(id, sizeof(id), "%lld", (long long)h->entry_id);
        if (h->dismissed) {
            snprintf(dismissed, sizeof(dismissed), "yes (%lld)", (long long)h->dismissal_id);
        } else {
            snprintf(dismissed, sizeof(dismissed), "no");
        }
        const char *row[10] = { score,
                                id,
                                h->list,
                                h->external_id,
                                vg_watch_type_name(h->type),
                                h->entry_name,
                                h->matched_name,
                                h->countries,
                                dismissed,
                                h->explanation };
        cli_out_row(out, 10, row);
    }
    cli_out_finish(out);
    if (n == 0 && !g->quiet) {
        fprintf(stderr, "vigia: no hit at or above %.2f\n",
                o->threshold > 0 ? o->threshold : VG_SCREEN_THRESHOLD);
    }
    vg_screener_free(s);
    vg_screen_index_free(idx);
    return CLI_OK;
}

static bool parse_id(const char *text, int64_t *out)
{
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || v <= 0) {
        return false;
    }
    *out = (int64_t)v;
    return true;
}

/* dismiss ENTRY-ID SUBJECT --reason TEXT, or approve DISMISSAL-ID, as the acting user. */
static int
do_decide(struct cli_global *g, const struct opts *o, int nargs, char **args, bool approve)
{
    int64_t id;
    bool shape = approve ? nargs == 1 : nargs == 2 && o->reason != NULL;
    if (!shape || !parse_id(args[0], &id)) {
        cli_error(approve ? "usage: vigia watchlist approve DISMISSAL-ID"
                          : "usage: vigia watchlist dismiss ENTRY-ID SUBJECT --reason TEXT");
        return CLI_USAGE;
    }
    int code;
    struct vg_store *store = cli_open_store(g, false, false, &code);
    if (store == NULL) {
        return code;
    }
    struct vg_error err;
    vg_error_clear(&err);
    int64_t made = 0;
    enum vg_status st = approve ? vg_watchlist_approve(store, id, &err)
                                : vg_watchlist_dismiss(store, id, args[1], o->reason, &made, &err);
    char actor[256];
    snprintf(actor, sizeof(actor), "%s", vg_store_actor(store));
    vg_store_close(store);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    if (approve) {
        const char *keys[] = { "dismissal", "status", "approved_by" };
        const char *values[] = { args[0], "approved", actor };
        cli_print_record(g->format, stdout, 3, keys, values, NULL);
        return CLI_OK;
    }
    char ids[24];
    snprintf(ids, sizeof(ids), "%lld", (long long)made);
    const char *keys[] = { "dismissal", "entry", "subject", "status", "requested_by", "next" };
    const char *values[] = {
        ids,       args[0], args[1],
        "pending", actor,   "another person approves it: vigia --as NAME watchlist approve ID"
    };
    static const enum vg_cell_kind kinds[] = { VG_CELL_INTEGER, VG_CELL_TEXT, VG_CELL_TEXT,
                                               VG_CELL_TEXT,    VG_CELL_TEXT, VG_CELL_TEXT };
    cli_print_record(g->format, stdout, 6, keys, values, kinds);
    return CLI_OK;
}

static enum vg_status list_dismissals(struct vg_store *store,
                                      const void *user,
                                      const struct vg_row_sink *sink,
                                      struct vg_error *err)
{
    const struct opts *o = user;
    return vg_watchlist_dismissals_list(store, o->status, sink, err);
}

static int do_dismissals(struct cli_global *g, const struct opts *o)
{
    return cli_list(g, list_dismissals, o);
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum {
        OPT_LIST = 300,
        OPT_TYPE,
        OPT_COUNTRY,
        OPT_ID,
        OPT_THRESHOLD,
        OPT_LIMIT,
        OPT_REASON,
        OPT_STATUS,
        OPT_ALL,
    };
    static const struct option long_opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "list", required_argument, NULL, OPT_LIST },
        { "type", required_argument, NULL, OPT_TYPE },
        { "country", required_argument, NULL, OPT_COUNTRY },
        { "id", required_argument, NULL, OPT_ID },
        { "threshold", required_argument, NULL, OPT_THRESHOLD },
        { "limit", required_argument, NULL, OPT_LIMIT },
        { "reason", required_argument, NULL, OPT_REASON },
        { "status", required_argument, NULL, OPT_STATUS },
        { "all", no_argument, NULL, OPT_ALL },
        { NULL, 0, NULL, 0 },
    };
    struct opts o = { 0 };
    int opt;
    char *end;
    while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
        switch (opt) {
        case OPT_LIST:
            o.list = optarg;
            continue;
        case OPT_TYPE:
            o.type = optarg;
            continue;
        case OPT_COUNTRY:
            o.country = optarg;
            continue;
        case OPT_ID:
            o.id = optarg;
            continue;
        case OPT_REASON:
            o.reason = optarg;
            continue;
        case OPT_STATUS:
            o.status = optarg;
            continue;
        case OPT_ALL:
            o.all = true;
            continue;
        case OPT_THRESHOLD:
            o.threshold = strtod(optarg, &end);
            if (*end != '\0' || !(o.threshold > 0.0 && o.threshold <= 1.0)) {
                cli_error("--threshold must be a number in (0, 1], not '%s'", optarg);
                return CLI_USAGE;
            }
            continue;
        case OPT_LIMIT:
            o.limit = strtol(optarg, &end, 10);
            if (*end != '\0' || o.limit <= 0 || o.limit > 1000) {
                cli_error("--limit must be a number from 1 to 1000, not '%s'", optarg);
                return CLI_USAGE;
            }
            continue;
        default:
            break;
        }
        bool done;
        int rc = cli_common_option(g, &cli_cmd_watchlist, opt, &done);
        if (rc < 0) {
            cli_print_usage(&cli_cmd_watchlist, stderr);
            return CLI_USAGE;
        }
        if (done) {
            return rc;
        }
    }
    if (optind >= argc) {
        cli_print_usage(&cli_cmd_watchlist, stderr);
        return CLI_USAGE;
    }
    const char *sub = argv[optind];
    int nargs = argc - optind - 1;
    char **args = argv + optind + 1;
    if (strcmp(sub, "import") == 0) {
        return do_import(g, &o, nargs, args, false);
    }
    if (strcmp(sub, "import-ofac") == 0) {
        return do_import(g, &o, nargs, args, true);
    }
    if (strcmp(sub, "list") == 0) {
        return do_list(g, &o, nargs, args);
    }
    if (strcmp(sub, "screen") == 0) {
        return do_screen(g, &o, nargs, args);
    }
    if (strcmp(sub, "dismiss") == 0 || strcmp(sub, "approve") == 0) {
        return do_decide(g, &o, nargs, args, strcmp(sub, "approve") == 0);
    }
    if (strcmp(sub, "dismissals") == 0) {
        return do_dismissals(g, &o);
    }
    cli_error("unknown watchlist subcommand '%s' (import, import-ofac, list, screen, dismiss, "
              "approve, dismissals)",
              sub);
    return CLI_USAGE;
}
