/*
 * vigia outcome import FILE.csv...
 * vigia outcome record --container C --result R [--target ID] [--port P] [--at T] ...
 * vigia outcome list [--container C] [--port P] [--from T] [--to T]
 * vigia outcome link
 */
#include "cli.h"
#include "cli_report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/ident.h>
#include <vigia/outcome.h>
#include <vigia/time.h>

static int run(struct cli_global *g, int argc, char **argv);

const struct cli_command cli_cmd_outcome = {
    "outcome",
    "import and record what examinations found; link finds abroad back to their trips",
    "usage: vigia outcome import FILE.csv...\n"
    "       vigia outcome record --container C --result negative|drugs|other [--target ID]\n"
    "                            [--port P] [--at TIME] [--bl B] [--substance S] [--kg N]\n"
    "                            [--concealment C] [--method M] [--detection D]\n"
    "                            [--seal-state S] [--found-at F] [--destination-port P]\n"
    "                            [--selection S]\n"
    "       vigia outcome list [--container C] [--port P] [--from T] [--to T]\n"
    "       vigia outcome link\n"
    "\n"
    "import reads the outcomes CSV of docs/formats.md (container, bill_of_lading, port,\n"
    "inspected_at, result, substance, kg, concealment; optional method, detection,\n"
    "seal_state, found_at, destination_port, selection). Each outcome is linked to the trip\n"
    "it concerns: at origin by container, port and date (and B/L); a find abroad, weeks\n"
    "later, back to the trip that left by container, B/L, destination and dates. An origin\n"
    "outcome closes the trip's pending target as inspected. Importing the same file again\n"
    "changes nothing; bad rows are reported with file:line and kept (vigia rejects).\n"
    "\n"
    "record is an officer's examination; with --target the container, port and trip come\n"
    "from the target, which is closed as inspected. --at defaults to now.\n"
    "list shows outcomes with their trip and how they were linked; link retries the\n"
    "outcomes still without a trip (after their manifests arrived).\n"
    "\n"
    "exit status: 0 done, 1 usage, 2 bad file or value, 3 store error, 4 some rows rejected.\n",
    run,
};

struct opts {
    struct vg_outcome o;
    long long target;
    const char *container, *port;
    int64_t from, to;
    bool have_result;
};

static int do_import(struct cli_global *g, int nargs, char **args)
{
    if (nargs < 1) {
        cli_error("usage: vigia outcome import FILE.csv...");
        return CLI_USAGE;
    }
    int code;
    struct vg_store *store = cli_open_store(g, false, false, &code);
    if (store == NULL) {
        return code;
    }
    static const char *const cols[] = { "file",      "records",  "inserted",      "updated",
                                        "unchanged", "rejected", "flagged",       "linked",
                                        "relinked",  "unlinked", "targets_closed" };
    struct cli_out *out = cli_out_new(g->format, stdout, false);
    cli_out_columns(out, 11, cols);
    int exit_code = CLI_OK;
    for (int i = 0; i < nargs; i++) {
        struct cli_problems pp = { g, 0, 0 };
        struct vg_outcome_report r;
        struct vg_error err;
        vg_error_clear(&err);
        enum vg_status st = vg_outcomes_import(store, args[i], &r, cli_print_problem, &pp, &err);
        if (pp.suppressed > 0) {
            fprintf(stderr,
                    "vigia: ... %d more problems in %s (see vigia rejects, vigia quality)\n",
                    pp.suppressed, args[i]);
        }
        if (st != VG_OK && st != VG_EPARTIAL) {
            int c = cli_fail(&err, st);
            exit_code = exit_code == CLI_OK || exit_code == CLI_PARTIAL ? c : exit_code;
            continue;
        }
        if (st == VG_EPARTIAL && exit_code == CLI_OK) {
            exit_code = CLI_PARTIAL;
        }
        char n[10][24];
        const int64_t v[10] = { r.records, r.inserted, r.updated,  r.unchanged, r.rejected,
                                r.flagged, r.linked,   r.relinked, r.unlinked,  r.targets_closed };
        const char *row[11] = { args[i] };
        for (int k = 0; k < 10; k++) {
            snprintf(n[k], sizeof(n[k]), "%lld", (long long)v[k]);
            row[k + 1] = n[k];
        }
        cli_out_row(out, 11, row);
    }
    cli_out_finish(out);
    vg_store_close(store);
    return exit_code;
}

static int do_record(struct cli_global *g, struct opts *o)
{
    if (!o->have_result) {
        cli_error("--result (negative, drugs or other) is required");
        return CLI_USAGE;
    }
    if (o->container == NULL && o->target == 0) {
        cli_error("--container or --target is required");
        return CLI_USAGE;
    }
    if (o->container != NULL) {
        struct vg_container_number cn;
        enum vg_status cs = vg_container_parse(vg_slice_from_cstr(o->container), &cn, NULL);
        if (cs != VG_OK && cs != VG_ECHECK) {
            cli_error("'%s' is not an ISO 6346 container number", o->container);
            return CLI_USAGE;
        }
        if (cs == VG_ECHECK) {
            cli_warn(g, "container %s: the check digit does not hold; recorded as given", cn.text);
        }
        snprintf(o->o.container, sizeof(o->o.container), "%s", cn.text);
    }
    if (o->port != NULL) {
        enum vg_status ps = vg_locode_parse(vg_slice_from_cstr(o->port), o->o.port, NULL);
        if (ps != VG_OK && ps != VG_ECHECK) {
            cli_error("'%s' is not a UN/LOCODE", o->port);
            return CLI_USAGE;
        }
    }
    if (o->o.inspected_at == VG_TIME_NONE) {
        o->o.inspected_at = vg_time_now();
    }
    int code;
    struct vg_store *store = cli_open_store(g, false, false, &code);
    if (store == NULL) {
        return code;
    }
    struct vg_outcome_recorded rec;
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_outcome_record(store, &o->o, o->target, &rec, &err);
    vg_store_close(store);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    char id[24], trip[24], target[24];
    snprintf(id, sizeof(id), "%lld", (long long)rec.outcome_id);
    snprintf(trip, sizeof(trip), "%lld", (long long)rec.trip_id);
    snprintf(target, sizeof(target), "%lld", (long long)rec.target_id);
    static const char *const keys[] = { "outcome", "status", "trip", "link", "target_closed" };
    const char *vals[] = { id, rec.inserted ? "recorded" : (rec.updated ? "updated" : "unchanged"),
                           rec.trip_id ? trip : NULL, rec.link[0] ? rec.link : NULL,
                           rec.target_id ? target : NULL };
    static const enum vg_cell_kind kinds[] = { VG_CELL_INTEGER, VG_CELL_TEXT, VG_CELL_INTEGER,
                                               VG_CELL_TEXT, VG_CELL_INTEGER };
    cli_print_record(g->format, stdout, 5, keys, vals, kinds);
    if (rec.trip_id == 0) {
        cli_warn(g, "no trip of %s fits yet; the outcome is linked when its trip arrives",
                 o->o.container);
    }
    return CLI_OK;
}

static int do_list(struct cli_global *g, const struct opts *o)
{
    int code;
    struct vg_store *store = cli_open_store(g, false, true, &code);
    if (store == NULL) {
        return code;
    }
    char container[16] = "", port[6] = "";
    if (o->container != NULL) {
        struct vg_container_number cn;
        enum vg_status cs = vg_container_parse(vg_slice_from_cstr(o->container), &cn, NULL);
        snprintf(container, sizeof(container), "%s",
                 cs == VG_OK || cs == VG_ECHECK ? cn.text : o->container);
    }
    if (o->port != NULL && vg_locode_parse(vg_slice_from_cstr(o->port), port, NULL) != VG_OK) {
        snprintf(port, sizeof(port), "%.5s", o->port);
    }
    struct cli_out *out = cli_out_new(g->format, stdout, false);
    struct vg_row_sink sink = cli_out_sink(out);
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_outcomes_list(store, o->container ? container : NULL,
                                         o->port ? port : NULL, o->from, o->to, &sink, &err);
    cli_out_finish(out);
    vg_store_close(store);
    return st == VG_OK ? CLI_OK : cli_fail(&err, st);
}

static int do_link(struct cli_global *g)
{
    int code;
    struct vg_store *store = cli_open_store(g, false, false, &code);
    if (store == NULL) {
        return code;
    }
    int64_t linked = 0, unlinked = 0;
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st = vg_outcomes_link(store, &linked, &unlinked, &err);
    vg_store_close(store);
    if (st != VG_OK) {
        return cli_fail(&err, st);
    }
    static const char *const keys[] = { "linked", "still_unlinked" };
    const int64_t nums[] = { linked, unlinked };
    cli_print_counts(g->format, stdout, 2, keys, nums);
    return CLI_OK;
}

/* Options that take a word from a closed list. */
static bool word(const char *text, const char *option, const char *const *allowed)
{
    for (int i = 0; allowed[i] != NULL; i++) {
        if (strcmp(text, allowed[i]) == 0) {
            return true;
        }
    }
    cli_error("%s does not take '%s'", option, text);
    return false;
}

static int run(struct cli_global *g, int argc, char **argv)
{
    enum {
        OPT_CONTAINER = 300,
        OPT_RESULT,
        OPT_TARGET,
        OPT_PORT,
        OPT_AT,
        OPT_BL,
        OPT_SUBSTANCE,
        OPT_KG,
        OPT_CONCEALMENT,
        OPT_METHOD,
        OPT_DETECTION,
        OPT_SEAL,
        OPT_FOUND,
        OPT_DEST,
        OPT_SELECTION,
        OPT_FROM,
        OPT_TO,
    };
    static const struct option long_opts[] = {
        CLI_COMMON_LONG_OPTIONS,
        { "container", required_argument, NULL, OPT_CONTAINER },
        { "result", required_argument, NULL, OPT_RESULT },
        { "target", required_argument, NULL, OPT_TARGET },
        { "port", required_argument, NULL, OPT_PORT },
        { "at", required_argument, NULL, OPT_AT },
        { "bl", required_argument, NULL, OPT_BL },
        { "substance", required_argument, NULL, OPT_SUBSTANCE },
        { "kg", required_argument, NULL, OPT_KG },
        { "concealment", required_argument, NULL, OPT_CONCEALMENT },
        { "method", required_argument, NULL, OPT_METHOD },
        { "detection", required_argument, NULL, OPT_DETECTION },
        { "seal-state", required_argument, NULL, OPT_SEAL },
        { "found-at", required_argument, NULL, OPT_FOUND },
        { "destination-port", required_argument, NULL, OPT_DEST },
        { "selection", required_argument, NULL, OPT_SELECTION },
        { "from", required_argument, NULL, OPT_FROM },
        { "to", required_argument, NULL, OPT_TO },
        { NULL, 0, NULL, 0 },
    };
    static const char *const seal_states[] = { "intact", "replaced", "broken", "missing", NULL };
    static const char *const selections[] = { "targeted", "random", "partner", NULL };
    struct opts o = { .from = VG_TIME_NONE, .to = VG_TIME_NONE };
    o.o.kg = NAN;
    o.o.inspected_at = VG_TIME_NONE;
    int opt;
    char *end;
    while ((opt = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
        bool ok = true;
        switch (opt) {
        case OPT_CONTAINER:
            o.container = optarg;
            break;
        case OPT_PORT:
            o.port = optarg;
            break;
        case OPT_RESULT:
            ok = vg_outcome_result_parse(optarg, &o.o.result);
            o.have_result = ok;
            if (!ok) {
                cli_error("--result must be negative, drugs or other, not '%s'", optarg);
            }
            break;
        case OPT_TARGET:
            o.target = strtoll(optarg, &end, 10);
            ok = *end == '\0' && o.target > 0;
            if (!ok) {
                cli_error("--target wants a target id, not '%s'", optarg);
            }
            break;
        case OPT_AT:
            ok = cli_parse_when(optarg, "--at", &o.o.inspected_at);
            break;
        case OPT_FROM:
            ok = cli_parse_when(optarg, "--from", &o.from);
            break;
        case OPT_TO:
            ok = cli_parse_when(optarg, "--to", &o.to);
            break;
        case OPT_BL:
            o.o.bill_of_lading = optarg;
            break;
        case OPT_SUBSTANCE:
            o.o.substance = optarg;
            break;
        case OPT_KG:
            o.o.kg = strtod(optarg, &end);
            ok = *end == '\0' && isfinite(o.o.kg) && o.o.kg >= 0;
            if (!ok) {
                cli_error("--kg must be a non-negative number, not '%s'", optarg);
            }
            break;
        case OPT_CONCEALMENT:
            o.o.concealment = optarg;
            break;
        case OPT_METHOD:
            o.o.method = optarg;
            break;
        case OPT_DETECTION:
            o.o.detection = optarg;
            break;
        case OPT_SEAL:
            o.o.seal_state = optarg;
            ok = word(optarg, "--seal-state", seal_states);
            break;
        case OPT_FOUND:
            ok = vg_found_at_parse(optarg, &o.o.found_at) && o.o.found_at != VG_FOUND_UNKNOWN;
            if (!ok) {
                cli_error("--found-at must be origin, transit or destination, not '%s'", optarg);
            }
            break;
        case OPT_DEST: {
            enum vg_status ps =
                vg_locode_parse(vg_slice_from_cstr(optarg), o.o.destination_port, NULL);
            ok = ps == VG_OK || ps == VG_ECHECK;
            if (!ok) {
                cli_error("--destination-port wants a UN/LOCODE, not '%s'", optarg);
            }
            break;
        }
        case OPT_SELECTION:
            o.o.selection = optarg;
            ok = word(optarg, "--selection", selections);
            break;
        default: {
            bool done;
            int rc = cli_common_option(g, &cli_cmd_outcome, opt, &done);
            if (rc < 0) {
                cli_print_usage(&cli_cmd_outcome, stderr);
                return CLI_USAGE;
            }
            if (done) {
                return rc;
            }
            continue;
        }
        }
        if (!ok) {
            return CLI_USAGE;
        }
    }
    if (optind >= argc) {
        cli_print_usage(&cli_cmd_outcome, stderr);
        return CLI_USAGE;
    }
    const char *sub = argv[optind];
    int nargs = argc - optind - 1;
    if (strcmp(sub, "import") == 0) {
        return do_import(g, nargs, argv + optind + 1);
    }
    if (nargs > 0) {
        cli_error("unexpected argument '%s'", argv[optind + 1]);
        return CLI_USAGE;
    }
    if (strcmp(sub, "record") == 0) {
        return do_record(g, &o);
    }
    if (strcmp(sub, "list") == 0) {
        return do_list(g, &o);
    }
    if (strcmp(sub, "link") == 0) {
        return do_link(g);
    }
    cli_error("unknown outcome subcommand '%s' (import, record, list, link)", sub);
    return CLI_USAGE;
}
