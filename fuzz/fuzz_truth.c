/*
 * Fuzz target: the truth.json reader (vigia/eval.h) over arbitrary bytes, and an evaluation
 * of a small fixed ranking against whatever truth it reads. Checked: cases have what their
 * unit needs, metrics stay in range; no crash or leak.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/eval.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void in_unit(double x)
{
    if (!isnan(x) && (x < -1e-9 || x > 1 + 1e-9)) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_truth t;
    struct vg_error err;
    enum vg_status st = vg_truth_parse((const char *)data, size, "fuzz.json", &t, &err);
    if (st != VG_OK) {
        if (st != VG_EPARSE && st != VG_EFORMAT && st != VG_ENOMEM) {
            abort();
        }
        return 0;
    }
    for (size_t i = 0; i < t.ncases; i++) {
        const struct vg_truth_case *c = &t.cases[i];
        if (strlen(c->port) != 5 ||
            (c->vessel ? c->imo == 0 && c->mmsi == 0 : c->container[0] == '\0')) {
            abort();
        }
    }
    static const char ranking_csv[] = "container,bill_of_lading,port,departure,score\n"
                                      "TGTU1000015,TGT0001,PECLL,2024-05-04T03:00:00Z,95\n"
                                      "TGTU1000020,TGT0002,PECLL,2024-05-04T03:00:00Z,80\n"
                                      "TGTU1000036,TGT0003,PECLL,2024-05-04T03:00:00Z,80\n";
    struct vg_ranking r;
    vg_ranking_init(&r);
    if (vg_ranking_parse_csv(ranking_csv, sizeof(ranking_csv) - 1, "r", &r, NULL, NULL, &err) ==
        VG_OK) {
        struct vg_eval_report rep;
        if (vg_eval_run(&t, &r, NULL, INT64_MIN, INT64_MIN, NULL, 0, &rep, &err) == VG_OK) {
            in_unit(rep.metrics.auc);
            for (size_t i = 0; i < rep.metrics.nrates; i++) {
                in_unit(rep.metrics.at[i].precision);
                in_unit(rep.metrics.at[i].recall);
            }
        }
    }
    vg_ranking_release(&r);
    vg_truth_release(&t);
    return 0;
}
