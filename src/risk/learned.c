/*
 * A trained model as the score's model term (vigia/risk.h, struct vg_risk_learned): the
 * probability with exact contributions, the largest raising contributions in words for
 * the reason, and the contributions and novel features as the reason's evidence.
 */
#include "risk/risk_int.h"

#include <math.h>
#include <string.h>

static enum vg_status
learned_predict(void *user, const struct vg_value *record, size_t n, double *p, struct vg_buf *why)
{
    struct vg_risk_learned *l = user;
    if (n != VG_F_COUNT || vg_model_schema(l->model)->count != VG_F_COUNT) {
        return VG_EINVAL;
    }
    enum vg_status s =
        vg_model_predict(l->model, record, 1, &l->p, VG_MODEL_CONTRIB_EXACT, l->contribs, NULL);
    if (s != VG_OK) {
        return s;
    }
    l->record = record;
    *p = l->p;
    size_t k = l->explain < sizeof(l->top) / sizeof(l->top[0]) ? l->explain
                                                               : sizeof(l->top) / sizeof(l->top[0]);
    l->ntop = vg_model_top(l->model, l->contribs, k, l->min_contribution, true, l->top);
    for (size_t i = 0; i < l->ntop && s == VG_OK; i++) {
        if (i > 0) {
            s = vg_buf_append_cstr(why, "; ");
        }
        if (s == VG_OK) {
            s = vg_model_explain(l->model, record, l->top[i].feature, l->top[i].contribution, why);
        }
    }
    return s;
}

static enum vg_status learned_evidence(void *user, struct vg_buf *json)
{
    struct vg_risk_learned *l = user;
    if (l->record == NULL) {
        return VG_OK;
    }
    const struct vg_feature_schema *cat = vg_model_schema(l->model);
    enum vg_status s = vg_buf_printf(json, "{\"probability\":%.6g,\"contributions\":{", l->p);
    for (size_t i = 0; i < l->ntop && s == VG_OK; i++) {
        s = vg_buf_printf(json, "%s\"%s\":%.4f", i > 0 ? "," : "",
                          cat->defs[l->top[i].feature].name, (double)l->top[i].contribution);
    }
    if (s == VG_OK) {
        s = vg_buf_printf(json, "},\"bias\":%.4f,\"novel\":[", (double)l->contribs[VG_F_COUNT]);
    }
    uint32_t novel[VG_F_COUNT];
    size_t nn = vg_model_novelty(l->model, l->record, novel, VG_F_COUNT);
    for (size_t i = 0; i < nn && i < VG_F_COUNT && s == VG_OK; i++) {
        s = vg_buf_printf(json, "%s\"%s\"", i > 0 ? "," : "", cat->defs[novel[i]].name);
    }
    return s == VG_OK ? vg_buf_append_cstr(json, "]}") : s;
}

void vg_risk_learned_init(struct vg_risk_learned *l, struct vg_model *model, int64_t model_id)
{
    memset(l, 0, sizeof(*l));
    l->model = model;
    l->explain = 3;
    l->min_contribution = 0.1;
    l->hook.version = model != NULL ? vg_model_info(model)->version : NULL;
    l->hook.model_id = model_id;
    l->hook.predict = learned_predict;
    l->hook.evidence = learned_evidence;
    l->hook.user = l;
    /* The base rate the model learned at: the weighted positive share of its validation
     * weeks, else of everything it learned from. */
    if (model != NULL) {
        const struct vg_model_metrics *m = &vg_model_info(model)->metrics;
        double b = m->base_rate;
        if (!(b > 0 && b < 1) && m->all.weight > 0) {
            b = m->all.positive_weight / m->all.weight;
        }
        l->hook.base_rate = b > 0 && b < 1 ? b : 0;
    }
}
