/*
 * Fuzz target: compile arbitrary text as a rule set against vigia's feature catalogue.
 * A failed compile must report a position inside the input; a successful one is evaluated
 * on an all-unknown record and on a record of quiet values, and every rule is explained,
 * so that the compiled trees are walked by every consumer. Public API only.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vigia/alloc.h>
#include <vigia/features.h>
#include <vigia/rules.h>
#include <vigia/slice.h>
#include <vigia/time.h>

static void fill_quiet(struct vg_value *rec, size_t n, const struct vg_feature_schema *cat)
{
    static const struct vg_slice items[] = { { "PABLB", 5 }, { "PA", 2 } };
    for (size_t i = 0; i < n; i++) {
        switch (cat->defs[i].type) {
        case VG_FEATURE_NUMBER:
            rec[i] = vg_value_number((double)i - 20);
            break;
        case VG_FEATURE_BOOL:
            rec[i] = vg_value_bool(i % 2 == 0);
            break;
        case VG_FEATURE_STRING:
            rec[i] = vg_value_string(i % 3 == 0 ? VG_SLICE_LIT("same") : VG_SLICE_LIT("0804"));
            break;
        case VG_FEATURE_LIST:
            rec[i] = vg_value_list(items, i % 3);
            break;
        }
    }
}

static void walk(const struct vg_rule_set *set, const struct vg_value *rec, size_t n)
{
    size_t count = vg_rules_count(set);
    struct vg_rule_result *res = vg_calloc(count, sizeof(*res));
    if (res == NULL) {
        return;
    }
    struct vg_rules_summary sum;
    if (vg_rules_eval(set, rec, n, vg_time_from_civil(2026, 6, 1, 0, 0, 0), res, &sum) != VG_OK ||
        sum.fired + sum.not_fired + sum.unknown + sum.inactive != count) {
        abort();
    }
    struct vg_buf buf;
    vg_buf_init(&buf, 1u << 20);
    for (size_t i = 0; i < count; i++) {
        vg_buf_reset(&buf);
        if (vg_rules_explain(set, i, rec, n, &buf) != VG_OK) {
            abort();
        }
        uint32_t feats[8];
        size_t nf;
        enum vg_rule_outcome o;
        if (vg_rules_evidence(set, i, rec, n, feats, 8, &nf, &o) != VG_OK) {
            abort();
        }
        if (res[i].outcome != VG_RULE_INACTIVE && o != res[i].outcome) {
            abort(); /* the explainer and the evaluator must agree */
        }
    }
    vg_buf_release(&buf);
    vg_free(res);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct vg_feature_schema *cat = vg_feature_catalog();
    struct vg_rule_set *set = NULL;
    struct vg_error err;
    vg_error_clear(&err);
    enum vg_status st =
        vg_rules_compile((const char *)data, size, "fuzz", cat, NULL, NULL, &set, &err);
    if (st != VG_OK) {
        if (set != NULL) {
            abort();
        }
        if ((st == VG_EPARSE || st == VG_ELIMIT) &&
            (err.line == 0 || err.column == 0 || err.offset > size)) {
            abort(); /* every syntax error has a position within the input */
        }
        return 0;
    }
    struct vg_value rec[VG_F_COUNT];
    memset(rec, 0, sizeof(rec)); /* all unknown */
    walk(set, rec, VG_F_COUNT);
    fill_quiet(rec, VG_F_COUNT, cat);
    walk(set, rec, VG_F_COUNT);
    vg_rules_free(set);
    return 0;
}
