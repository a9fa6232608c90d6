/*
 * Fuzz target: the ranking CSV reader (vigia/eval.h) over arbitrary bytes, then the metrics
 * over what it read with every other row taken as positive. Checked: rows have a container,
 * a port and a finite score; metrics stay in range; no crash or leak.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/eval.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void on_problem(void *user, bool rejected, const struct vg_error *err)
{
    size_t size = *(const size_t *)user;
    if (!rejected || err->offset > size || err->message[0] == '\0') {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vg_ranking r;
    struct vg_error err;
    vg_ranking_init(&r);
    enum vg_status st =
        vg_ranking_parse_csv((const char *)data, size, "fuzz.csv", &r, on_problem, &size, &err);
    if (st != VG_OK && st != VG_EFORMAT && st != VG_ENOMEM) {
        abort();
    }
    double *scores = vg_calloc(r.n ? r.n : 1, sizeof(double));
    bool *pos = vg_calloc(r.n ? r.n : 1, sizeof(bool));
    if (scores != NULL && pos != NULL) {
        for (size_t i = 0; i < r.n; i++) {
            if (r.rows[i].container[0] == '\0' || strlen(r.rows[i].port) != 5 ||
                !isfinite(r.rows[i].score) || r.rows[i].bills == NULL) {
                abort();
            }
            scores[i] = r.rows[i].score;
            pos[i] = i % 2 == 0;
        }
        struct vg_rank_metrics m;
        if (vg_rank_evaluate(scores, pos, r.n, vg_eval_default_rates, 4, &m) == VG_OK) {
            if (!isnan(m.auc) && (m.auc < 0 || m.auc > 1)) {
                abort();
            }
            for (size_t i = 0; i < m.nrates; i++) {
                if (m.at[i].hits > (double)m.at[i].k + 1e-9 || m.at[i].hits < 0) {
                    abort();
                }
            }
        }
    }
    vg_free(scores);
    vg_free(pos);
    vg_ranking_release(&r);
    return 0;
}
