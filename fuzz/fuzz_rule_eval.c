/*
 * Fuzz target: evaluate compiled rules on random feature records. The input is decoded
 * into a record of the catalogue (each value unknown, of its feature's type, or of a wrong
 * kind; numbers include NaN and infinities; strings and lists come from a pool of codes
 * and from the input itself) and an as-of time. The rule set is a fixed text that uses
 * every construct of the language. Checks: evaluation, evidence and explanation agree,
 * and the feature blamed for an undecided rule is one of its blocking features.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <vigia/alloc.h>
#include <vigia/features.h>
#include <vigia/rules.h>
#include <vigia/slice.h>
#include <vigia/time.h>

static const char rules_text[] =
    "ruleset fuzz\nversion 1\nowner \"fuzz\"\nvalid_from 2026-01-01\nvalid_to 2027-12-31\n"
    "list hubs = \"PA\", \"CO\", \"EC\"\n"
    "list fruit = \"0803\", \"0804\", \"0810\"\n"
    "list pats = \"PE*\", \"*X?\"\n"
    "list nums = 1, 2, 3.5\n"
    "rule A\n title \"a\"\n rationale \"r\"\n weight 30\n"
    " explain \"{seal_gate_in} -> {seal_load}\"\n"
    " when seal_gate_to_load = \"different\"\nend\n"
    "rule B\n title \"b\"\n rationale \"r\"\n weight 10\n"
    " valid_from 2026-03-01\n valid_to 2026-03-31\n"
    " when transhipment_countries in hubs or transhipment_ports matches pats\nend\n"
    "rule C\n title \"c\"\n rationale \"r\"\n weight 10\n"
    " when reefer"
    " and hs_code in prefix(fruit, \"2009\") and not (hs_code matches \"0804?9*\")\nend\n"
    "rule D\n title \"d\"\n rationale \"r\"\n weight 5\n"
    " when abs(kg_per_package_z) >= 3.5 or gross_kg / packages > 1000 - -2 * 3\nend\n"
    "rule E\n title \"e\"\n rationale \"r\"\n weight 20\n"
    " when (resealed_before_load or opened_before_load)\n"
    "      and not (known(seal_last_party) and seal_last_party = \"customs\")\nend\n"
    "rule F\n title \"f\"\n rationale \"r\"\n weight 50\n action hold\n"
    " explain \"{watchlist_lists}\"\n"
    " when watchlist_identifier_match"
    " or count(watchlist_lists) >= 2 and watchlist_party_score > 0.9\nend\n"
    "rule G\n title \"g\"\n rationale \"r\"\n weight 5\n"
    " when port in transhipment_ports"
    " or transhipment_ports in hs_codes or dwell_hours in nums\nend\n"
    "rule H\n title \"h\"\n rationale \"r\"\n weight -5\n"
    " when direction != \"import\" and shipper_is_new = true and shipper_shipments < 1\n"
    "      or destination_country not in (\"BE\", \"NL\")\n"
    "      and vessel_type not matches (\"bulk\")\nend\n";

static const struct vg_slice pool[] = {
    { "PA", 2 },        { "CO", 2 },     { "PABLB", 5 }, { "PECLL", 5 },   { "080440", 6 },
    { "200989", 6 },    { "same", 4 },   { "different", 9 }, { "customs", 7 }, { "import", 6 },
    { "", 0 },          { "bulk", 4 },   { "BE", 2 },    { "pexx", 4 },
};
#define POOL_N (sizeof(pool) / sizeof(pool[0]))

struct cursor {
    const uint8_t *p;
    size_t n, i;
};

static uint8_t byte(struct cursor *c)
{
    return c->i < c->n ? c->p[c->i++] : 0;
}

static struct vg_slice bytes(struct cursor *c, size_t len)
{
    if (len > c->n - c->i) {
        len = c->n - c->i;
    }
    struct vg_slice s = { (const char *)c->p + c->i, len };
    c->i += len;
    return s;
}

static double number(struct cursor *c)
{
    uint8_t b = byte(c);
    switch (b % 8) {
    case 0:
        return NAN;
    case 1:
        return INFINITY;
    case 2:
        return -INFINITY;
    case 3: {
        double d = 0;
        struct vg_slice s = bytes(c, sizeof(d));
        memcpy(&d, s.ptr, s.len);
        return d;
    }
    default:
        return (double)(int8_t)byte(c) / (b % 3 + 1);
    }
}

static struct vg_slice text(struct cursor *c)
{
    uint8_t b = byte(c);
    return b < 200 ? pool[b % POOL_N] : bytes(c, b % 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct vg_feature_schema *cat = vg_feature_catalog();
    struct vg_rule_set *set = NULL;
    if (vg_rules_compile(rules_text, sizeof(rules_text) - 1, "fuzz", cat, NULL, NULL, &set,
                         NULL) != VG_OK) {
        abort(); /* the fixed rule set always compiles */
    }
    struct cursor c = { data, size, 0 };
    struct vg_value rec[VG_F_COUNT];
    struct vg_slice items[VG_F_COUNT][4];
    for (size_t i = 0; i < VG_F_COUNT; i++) {
        uint8_t k = byte(&c);
        int kind = k % 4 == 0 ? VG_VALUE_UNKNOWN : k % 17 == 1 ? 1 + k % 4 : (int)cat->defs[i].type;
        switch (kind) {
        case VG_VALUE_NUMBER:
            rec[i] = vg_value_number(number(&c));
            break;
        case VG_VALUE_BOOL:
            rec[i] = vg_value_bool(byte(&c) & 1);
            break;
        case VG_VALUE_STRING:
            rec[i] = vg_value_string(text(&c));
            break;
        case VG_VALUE_LIST: {
            size_t n = byte(&c) % 5;
            for (size_t j = 0; j < n; j++) {
                items[i][j] = text(&c);
            }
            rec[i] = vg_value_list(items[i], n);
            break;
        }
        default:
            rec[i] = vg_value_unknown(bytes(&c, byte(&c) % 4));
            break;
        }
    }
    int64_t as_of = vg_time_from_civil(2025, 12, 1, 0, 0, 0) + (int64_t)byte(&c) * 86400 * 3;

    size_t count = vg_rules_count(set);
    struct vg_rule_result res[16];
    struct vg_rules_summary sum;
    if (count > 16 || vg_rules_eval(set, rec, VG_F_COUNT, as_of, res, &sum) != VG_OK) {
        abort();
    }
    double weight = 0;
    struct vg_buf buf;
    vg_buf_init(&buf, 1u << 16);
    for (size_t i = 0; i < count; i++) {
        if (res[i].outcome == VG_RULE_FIRED) {
            weight += res[i].weight;
        }
        uint32_t feats[VG_F_COUNT];
        size_t nf;
        enum vg_rule_outcome o;
        if (vg_rules_evidence(set, i, rec, VG_F_COUNT, feats, VG_F_COUNT, &nf, &o) != VG_OK) {
            abort();
        }
        if (res[i].outcome != VG_RULE_INACTIVE && o != res[i].outcome) {
            abort();
        }
        if (res[i].outcome == VG_RULE_UNKNOWN && res[i].blocked_by != VG_RULES_NO_FEATURE) {
            size_t k = 0;
            while (k < nf && feats[k] != res[i].blocked_by) {
                k++;
            }
            if (k == nf) {
                abort(); /* the blamed feature is one of the blockers */
            }
        }
        vg_buf_reset(&buf);
        if (vg_rules_explain(set, i, rec, VG_F_COUNT, &buf) != VG_OK) {
            abort();
        }
    }
    if (weight != sum.weight) {
        abort();
    }
    vg_buf_release(&buf);
    vg_rules_free(set);
    return 0;
}
