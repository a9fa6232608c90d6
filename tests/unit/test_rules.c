/* Rule language: feature catalogue, compilation (every construct, error positions, limits,
 * OOM), three-valued evaluation, lists, prefixes and globs, validity dates, evidence and
 * explanations, the default rule set and the examples of docs/rules.md.
 */
#include "vg_test.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <vigia/alloc.h>
#include <vigia/features.h>
#include <vigia/risk.h>
#include <vigia/rules.h>
#include <vigia/time.h>

/* ---- a small schema for precise tests --------------------------------------------------- */

enum { F_A, F_B, F_X, F_Y, F_S, F_T, F_L, F_M, F_N };

static const struct vg_feature_def test_defs[] = {
    [F_A] = { "a", VG_FEATURE_BOOL, "", VG_FEED_GATE, "flag a" },
    [F_B] = { "b", VG_FEATURE_BOOL, "", VG_FEED_TERMINAL, "flag b" },
    [F_X] = { "x", VG_FEATURE_NUMBER, "hours", VG_FEED_GATE | VG_FEED_TERMINAL, "number x" },
    [F_Y] = { "y", VG_FEATURE_NUMBER, "", VG_FEED_MANIFEST, "number y" },
    [F_S] = { "s", VG_FEATURE_STRING, "", VG_FEED_MANIFEST, "code s" },
    [F_T] = { "t", VG_FEATURE_STRING, "", VG_FEED_BOOKING, "code t" },
    [F_L] = { "l", VG_FEATURE_LIST, "", VG_FEED_MANIFEST, "list l" },
    [F_M] = { "m", VG_FEATURE_LIST, "", VG_FEED_AIS, "list m" },
};
static const struct vg_feature_schema test_schema = { test_defs, F_N };

#define HEADER "ruleset t\nversion 1\nowner \"o\"\n"

/* A slice initializer for static tables (VG_SLICE_LIT is a compound literal). */
#define SL(s) { (s), sizeof(s) - 1 }

/* Collects every compile error as "line:col: message" lines. */
struct diags {
    char text[8192];
    int count;
};

static void collect_diag(void *user, const struct vg_error *err)
{
    struct diags *d = user;
    size_t used = strlen(d->text);
    snprintf(d->text + used, sizeof(d->text) - used, "%u:%u: %s\n", err->line, err->column,
             err->message);
    d->count++;
}

static struct vg_rule_set *compile_ok(const char *text, const struct vg_feature_schema *schema)
{
    struct diags d = { "", 0 };
    struct vg_error err;
    vg_error_clear(&err);
    struct vg_rule_set *set = NULL;
    enum vg_status st =
        vg_rules_compile(text, strlen(text), "test.rules", schema, collect_diag, &d, &set, &err);
    if (st != VG_OK) {
        print_error("compile failed:\n%s", d.text);
    }
    assert_status(st, VG_OK, &err);
    assert_non_null(set);
    return set;
}

/* One rule over the test schema with condition cond (line 8 of the text). */
static struct vg_rule_set *rule_with(const char *cond)
{
    char text[4096];
    snprintf(text, sizeof(text),
             HEADER "rule R-1\n  title \"T\"\n  rationale \"R [I]\"\n  weight 10\n  when %s\nend\n",
             cond);
    return compile_ok(text, &test_schema);
}

/* A record of the test schema: every value unknown. */
static void unknown_record(struct vg_value *rec)
{
    for (int i = 0; i < F_N; i++) {
        rec[i] = vg_value_unknown(VG_SLICE_EMPTY);
    }
}

static enum vg_rule_outcome eval_rule(const struct vg_rule_set *set, size_t i,
                                      const struct vg_value *rec, size_t n, int64_t as_of)
{
    struct vg_rule_result res[64];
    assert_true(vg_rules_count(set) <= 64);
    assert_int_equal(vg_rules_eval(set, rec, n, as_of, res, NULL), VG_OK);
    return res[i].outcome;
}

static enum vg_rule_outcome eval1(const char *cond, const struct vg_value *rec)
{
    struct vg_rule_set *set = rule_with(cond);
    enum vg_rule_outcome o = eval_rule(set, 0, rec, F_N, VG_TIME_NONE);
    vg_rules_free(set);
    return o;
}

static const enum vg_rule_outcome FIRED = VG_RULE_FIRED, NOT = VG_RULE_NOT_FIRED,
                                  UNK = VG_RULE_UNKNOWN;

/* ---- the catalogue ------------------------------------------------------------------ */

static void test_rules__catalogue_names_are_stable_snake_case(void **state)
{
    (void)state;
    static const struct {
        const char *id, *name;
    } ids[] = {
#define ID_PAIR(id, name, type, unit, feeds, desc) { #id, name },
        VG_FEATURE_CATALOG(ID_PAIR)
#undef ID_PAIR
    };
    static const char *const reserved[] = { "and",   "or",    "not",  "in",   "matches", "prefix",
                                            "known", "count", "abs",  "true", "false" };
    const struct vg_feature_schema *cat = vg_feature_catalog();
    assert_int_equal(cat->count, VG_F_COUNT);
    assert_int_equal(sizeof(ids) / sizeof(ids[0]), VG_F_COUNT);
    assert_true(cat->count >= 80);
    for (size_t i = 0; i < cat->count; i++) {
        const struct vg_feature_def *d = &cat->defs[i];
        /* VG_F_DWELL_HOURS is "dwell_hours" */
        assert_int_equal(strlen(ids[i].id), strlen(d->name));
        for (size_t k = 0; d->name[k] != '\0'; k++) {
            char c = d->name[k];
            assert_true((c >= 'a' && c <= 'z') || (k > 0 && ((c >= '0' && c <= '9') || c == '_')));
            assert_int_equal(tolower((unsigned char)ids[i].id[k]), c);
        }
        assert_true(d->type >= VG_FEATURE_NUMBER && d->type <= VG_FEATURE_LIST);
        assert_true(d->feeds != 0 && d->feeds < (1u << VG_FEED_COUNT));
        assert_true(strlen(d->description) > 10);
        for (size_t r = 0; r < sizeof(reserved) / sizeof(reserved[0]); r++) {
            assert_string_not_equal(d->name, reserved[r]);
        }
        for (size_t j = 0; j < i; j++) {
            assert_string_not_equal(d->name, cat->defs[j].name);
        }
        size_t index = 99999;
        assert_true(vg_feature_find(cat, vg_slice_from_cstr(d->name), &index));
        assert_int_equal(index, i);
    }
    size_t index;
    assert_false(vg_feature_find(cat, VG_SLICE_LIT("dwell"), &index));
    assert_string_equal(cat->defs[VG_F_DWELL_HOURS].name, "dwell_hours");
    assert_string_equal(cat->defs[VG_F_SEAL_GATE_TO_LOAD].name, "seal_gate_to_load");
    assert_string_equal(vg_feed_name(VG_FEED_GATE), "gate");
    assert_string_equal(vg_feed_name(VG_FEED_AIS), "ais");
    assert_string_equal(vg_feed_name(3), "unknown");
}

static void test_rules__catalogue_is_documented(void **state)
{
    (void)state;
    size_t len;
    char *doc = vg_test_read_file(vg_test_source("docs/features.md"), &len);
    static const char *const types[] = { "", "number", "bool", "string", "list" };
    const struct vg_feature_schema *cat = vg_feature_catalog();
    for (size_t i = 0; i < cat->count; i++) {
        /* Each feature has a table row "| `name` | type | unit | feeds | ...". */
        const struct vg_feature_def *d = &cat->defs[i];
        char feeds[128] = "";
        for (unsigned b = 0; b < VG_FEED_COUNT; b++) {
            if (d->feeds & (1u << b)) {
                if (feeds[0] != '\0') {
                    strcat(feeds, " ");
                }
                strcat(feeds, vg_feed_name(1u << b));
            }
        }
        char row[256];
        snprintf(row, sizeof(row), "| `%s` | %s | %s%s| %s |", d->name, types[d->type], d->unit,
                 d->unit[0] != '\0' ? " " : "", feeds);
        if (strstr(doc, row) == NULL) {
            fail_msg("docs/features.md lacks the row \"%s\"", row);
        }
    }
    /* And every row names a catalogue feature. */
    int rows = 0;
    for (const char *p = strstr(doc, "\n| `"); p != NULL; p = strstr(p + 1, "\n| `")) {
        const char *name = p + 4;
        const char *end = strchr(name, '`');
        assert_non_null(end);
        size_t index;
        if (!vg_feature_find(cat, vg_slice_make(name, (size_t)(end - name)), &index)) {
            fail_msg("docs/features.md documents '%.*s', which is not in the catalogue",
                     (int)(end - name), name);
        }
        rows++;
    }
    assert_int_equal(rows, VG_F_COUNT);
    vg_free(doc);
}

/* ---- compilation -------------------------------------------------------------------- */

static void test_rules__parses_every_construct(void **state)
{
    (void)state;
    const char *text =
        "# a comment line\n"
        "ruleset  peru-test   # trailing comment\n"
        "version 2026.1-b\n"
        "valid_from 2026-01-01\n"
        "valid_to 2026-12-31\n"
        "description \"A set\n"
        "             over two lines\"\n"
        "owner \"Unit \\\"A\\\"\"\n"
        "\n"
        "list hubs = \"PABLB\", \"pamit\",\n"
        "            \"COCTG\", \"PABLB\"   # duplicates fold\n"
        "list codes =\n"
        "    \"0804\", \"0810\"\n"
        "list berths = 3, -1, 2.5\n"
        "\n"
        "rule SEAL-01.a\n"
        "  title     \"Seal changed\"\n"
        "  rationale \"Rip-on [DT1];\n"
        "             seals [STD14]\"\n"
        "  owner     \"PCU\"\n"
        "  weight    -12.5\n"
        "  action    hold\n"
        "  valid_from 2026-02-01\n"
        "  valid_to  2026-03-31\n"
        "  review_by 2026-06-30\n"
        "  task      \"Check the seal\"\n"
        "  explain   \"gate {s} -> load {t} {{literal}}\"\n"
        "  when      (a or not b) and x >= 2 * (y + 1) - -3 / 2\n"
        "            and s in hubs and s not in (\"X\", \"Y\")   # comment\n"
        "            or t matches \"08?4*\" and l in prefix(codes, \"09\")\n"
        "            or s in l or known(m) and count(m) > abs(-2) and y in berths\n"
        "            or t matches codes or t not matches (\"A*\", \"B*\") and y in (1, 2)\n"
        "end\n"
        "\n"
        "rule R2\n"
        "  title \"Second\"\n"
        "  rationale \"[I]\"\n"
        "  weight 5\n"
        "  when a = true and b != false and s = t and x != y\n"
        "end\n";
    struct vg_rule_set *set = compile_ok(text, &test_schema);
    const struct vg_rule_set_info *si = vg_rules_info(set);
    assert_string_equal(si->name, "peru-test");
    assert_string_equal(si->version, "2026.1-b");
    assert_string_equal(si->description, "A set over two lines");
    assert_string_equal(si->owner, "Unit \"A\"");
    assert_string_equal(si->source, "test.rules");
    assert_true(si->valid_from == vg_time_from_civil(2026, 1, 1, 0, 0, 0));
    assert_true(si->valid_to == vg_time_from_civil(2026, 12, 31, 0, 0, 0));
    assert_int_equal(si->rules, 2);
    assert_int_equal(si->lists, 3);
    assert_int_equal(vg_rules_count(set), 2);
    assert_true(vg_rules_schema(set) == &test_schema);

    const struct vg_rule_info *r = vg_rules_get(set, 0);
    assert_string_equal(r->id, "SEAL-01.a");
    assert_string_equal(r->title, "Seal changed");
    assert_string_equal(r->rationale, "Rip-on [DT1]; seals [STD14]");
    assert_string_equal(r->owner, "PCU");
    assert_string_equal(r->task, "Check the seal");
    assert_string_equal(r->explain, "gate {s} -> load {t} {{literal}}");
    assert_true(r->weight == -12.5);
    assert_int_equal(r->action, VG_RULE_HOLD);
    assert_true(r->valid_from == vg_time_from_civil(2026, 2, 1, 0, 0, 0));
    assert_true(r->valid_to == vg_time_from_civil(2026, 3, 31, 0, 0, 0));
    assert_true(r->review_by == vg_time_from_civil(2026, 6, 30, 0, 0, 0));
    assert_int_equal(r->line, 16);
    /* Every feature is read, listed once in schema order. */
    assert_int_equal(r->nfeatures, F_N);
    for (size_t i = 0; i < r->nfeatures; i++) {
        assert_int_equal(r->features[i], i);
    }
    assert_string_equal(r->condition,
                        "(a or not b) and x >= 2 * (y + 1) - -3 / 2 and s in hubs and s not in "
                        "(\"X\", \"Y\") or t matches \"08?4*\" and l in prefix(codes, \"09\") or "
                        "s in l or known(m) and count(m) > abs(-2) and y in berths or t matches "
                        "codes or t not matches (\"A*\", \"B*\") and y in (1, 2)");

    r = vg_rules_get(set, 1);
    assert_string_equal(r->id, "R2");
    assert_string_equal(r->owner, "Unit \"A\""); /* the set's */
    assert_null(r->task);
    assert_null(r->explain);
    assert_int_equal(r->action, VG_RULE_SCORE);
    assert_true(r->valid_from == si->valid_from); /* inherited */
    assert_true(r->valid_to == si->valid_to);
    assert_true(r->review_by == VG_TIME_NONE);
    assert_int_equal(r->nfeatures, 6);
    assert_null(vg_rules_get(set, 2));

    size_t index = 9;
    assert_true(vg_rules_find(set, "R2", &index));
    assert_int_equal(index, 1);
    assert_false(vg_rules_find(set, "R3", &index));
    assert_string_equal(vg_rule_action_name(VG_RULE_HOLD), "hold");
    assert_string_equal(vg_rule_outcome_name(VG_RULE_UNKNOWN), "unknown");

    /* The big condition on a record that makes its first or-branch true. */
    struct vg_value rec[F_N];
    unknown_record(rec);
    rec[F_A] = vg_value_bool(true);
    rec[F_B] = vg_value_bool(true);
    rec[F_X] = vg_value_number(7);  /* 2 * (1 + 1) - -1.5 = 5.5 */
    rec[F_Y] = vg_value_number(1);
    rec[F_S] = vg_value_string(VG_SLICE_LIT("PAMIT"));
    assert_int_equal(eval_rule(set, 0, rec, F_N, VG_TIME_NONE), FIRED);
    rec[F_X] = vg_value_number(5); /* below 5.5: the first branch is false */
    assert_int_equal(eval_rule(set, 0, rec, F_N, VG_TIME_NONE), UNK); /* t, l, m unknown */
    vg_rules_free(set);
}

/* An input, where its first error must be reported and what it must say. */
struct bad_case {
    const char *text;  /* a whole file, or a condition when cond is set */
    bool cond;
    uint32_t line, col;
    const char *message; /* a substring of the message */
};

static const struct bad_case bad_cases[] = {
    /* Conditions: the condition starts at line 8, column 8. */
    { "x >", true, 8, 11, "expected a value (a feature, a number, text, true or false), found "
                          "the end of the line" },
    { "xx > 1", true, 8, 8, "unknown feature 'xx' (did you mean 'x'?)" },
    { "x > \"a\"", true, 8, 10, "cannot compare 'x' (a number) with '\"a\"' (text)" },
    { "s < \"a\"", true, 8, 10, "'<' compares numbers only; text can be tested with = or !=" },
    { "x", true, 8, 8, "the condition needs true/false, but 'x' is a number (compare it, e.g. "
                       "'x > 0')" },
    { "a and x", true, 8, 14, "'and' needs true/false, but 'x' is a number" },
    { "b or s", true, 8, 13, "'or' needs true/false, but 's' is text" },
    { "(a or b", true, 9, 1, "expected ')' to close the '(' on line 8 column 8, found 'end'" },
    { "a and", true, 9, 1, "expected a value, found 'end'" },
    { "x > 1 < 2", true, 8, 14, "comparisons cannot be chained; join them with 'and'" },
    { "s in hubz", true, 8, 13, "unknown list 'hubz'" },
    { "s in (\"a\", 1)", true, 8, 19, "the list mixes text and numbers" },
    { "x in (\"a\")", true, 8, 13, "'x' is a number but the list holds text" },
    { "s matches 5", true, 8, 18, "expected a pattern after 'matches'" },
    { "known(q)", true, 8, 14, "unknown feature 'q'" },
    { "count(x) > 1", true, 8, 14, "count() needs a list feature, but 'x' is a number" },
    { "a = 2024-01-01", true, 8, 12, "a date can only be given to valid_from, valid_to or "
                                     "review_by" },
    { "s = \"abc", true, 8, 12, "text is not closed with '\"'" },
    { "s = 'abc'", true, 8, 12, "unexpected \"'\" (text is written between double quotes)" },
    { "a && b", true, 8, 10, "unexpected '&' (write 'and')" },
    { "x ! 3", true, 8, 10, "unexpected '!' (write 'not' to negate, '!=' for unequal)" },
    { "x > 1e999", true, 8, 12, "number '1e999' is out of range" },
    { "x > 12abc", true, 8, 12, "'12abc' is not a number" },
    { "a or not", true, 9, 1, "expected a value, found 'end'" },
    { "abs x", true, 8, 12, "expected '(' after 'abs', found 'x'" },
    { "x in prefix(\"1\")", true, 8, 13, "prefix() needs text on the left of 'in', but 'x' is "
                                         "a number" },
    { "s in prefix()", true, 8, 20, "expected text or a list name in prefix(), found ')'" },
    { "l = \"a\"", true, 8, 8, "'l' is a list and cannot be compared (use 'in', 'matches' or "
                               "count(l))" },
    { "not x", true, 8, 12, "'not' needs true/false, but 'x' is a number" },
    { "s in x", true, 8, 13, "'in' needs a list on its right, but feature 'x' is a number" },
    { "x in l", true, 8, 13, "'x' is a number but list feature 'l' holds text" },
    { "a b", true, 8, 10, "expected the end of the line after the condition, found 'b'" },
    { "\"x\" = \"x\"", true, 8, 8, "the condition '\"x\" = \"x\"' reads no feature" },
    { "a and (b or", true, 9, 1, "expected a value, found 'end'" },
    { "x + s > 1", true, 8, 12, "'+' needs a number, but 's' is text" },
    { "-s = \"a\"", true, 8, 9, "'-' needs a number, but 's' is text" },
    { "s in prefix(hubz)", true, 8, 20, "unknown list 'hubz'" },
    { "s matches (\"a\" \"b\")", true, 8, 23, "expected ',' or ')' in the patterns, found text" },
    { "t in (\"a\",)", true, 8, 18, "expected an item of the list (text or a number), found ')'" },
    { "a not b", true, 8, 14, "expected 'in' or 'matches' after 'not' here, found 'b'" },
    { "in", true, 8, 8, "expected a value, found 'in'" },
    { "s = \"a\\qb\"", true, 8, 14, "unknown escape in text" },
    { "s = \"\xC3\x28\"", true, 8, 12, "text is not valid UTF-8" },
    { "s = \xC3\xA9", true, 8, 12, "unexpected byte 0xC3 (text belongs between double quotes)" },
    /* Whole files. */
    { "", false, 1, 1, "expected 'ruleset NAME' to start the file, found the end of the file" },
    { "\n\nrule X\n", false, 3, 1, "expected 'ruleset NAME' to start the file, found 'rule'" },
    { "ruleset\n", false, 1, 8, "expected the rule set's name after 'ruleset', found the end "
                                "of the line" },
    { "ruleset t\nowner \"o\"\nrule R\n title \"T\"\n rationale \"R\"\n weight 1\n when a\nend\n",
      false, 1, 1, "the rule set has no 'version' line" },
    { HEADER "version 2\n", false, 4, 1, "'version' is given twice (first on line 2)" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight ten\n when a\nend\n", false, 7, 9,
      "expected the weight (a number), found 'ten'" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 150\n when a\nend\n", false, 7, 9,
      "the weight must lie between -100 and 100" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n action block\n when a\nend\n",
      false, 8, 9, "expected the action 'score' or 'hold', found 'block'" },
    { HEADER "rule R\n title \"T\"\n title \"U\"\n rationale \"R\"\n weight 1\n when a\nend\n",
      false, 6, 2, "'title' is given twice in rule R (first on line 5)" },
    { HEADER "rule R\n rationale \"R\"\n weight 1\n when a\nend\n", false, 4, 1,
      "rule R has no 'title'" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n when a\n", false, 9, 1,
      "rule R (line 4) is not closed with 'end' before the end of the file" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n when a\nrule S\n", false, 9, 1,
      "rule R (line 4) is not closed with 'end' before 'rule'" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n when a\nend\n"
             "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n when a\nend\n",
      false, 10, 1, "rule id R is already used on line 4" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n valid_from 2026-01-01\n"
             " valid_to 2025-01-01\n when a\nend\n",
      false, 9, 11, "valid_to 2025-01-01 is before valid_from 2026-01-01" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n valid_from 2026-02-30\n"
             " when a\nend\n",
      false, 8, 13, "2026-02-30 is not a calendar date" },
    { HEADER "rule R\n titel \"T\"\n", false, 5, 2, "unknown rule property 'titel' (did you mean "
                                                   "'title'?)" },
    { HEADER "rule R\n colour \"T\"\n", false, 5, 2, "expected a rule property (title, " },
    { HEADER "list hubs =\n", false, 5, 1, "list 'hubs' has no items" },
    { HEADER "list x = \"a\"\n", false, 4, 6, "'x' is a feature and cannot name a list" },
    { HEADER "list in = \"a\"\n", false, 4, 6, "'in' is a reserved word and cannot name a list" },
    { HEADER "list h = \"a\"\nlist h = \"b\"\n", false, 5, 6, "list 'h' is already defined on "
                                                          "line 4" },
    { HEADER "list h = \"a\" \"b\"\n", false, 4, 14, "expected the end of the line after the "
                                                   "list's items, found text \"b\"" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n when a\nend\nversion 3\n",
      false, 10, 1, "'version' belongs in the header, before the first list or rule" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n explain \"v {xx}\"\n"
      " when a\nend\n",
      false, 8, 13, "unknown feature in the explanation 'xx' (did you mean 'x'?)" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n explain \"v {x\"\n when a\nend\n",
      false, 8, 13, "'{' in the explanation is not closed with '}'" },
    { HEADER "rule\n", false, 4, 5, "expected a rule id after 'rule' (such as SEAL-01), found the "
                                    "end of the line" },
    { HEADER "when x\n", false, 4, 1, "expected 'rule' or 'list' at the start of a line, found "
                                      "'when'" },
    { HEADER "rule R\n title \"\"\n", false, 5, 8, "the title is empty" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n when\nend\n", false, 8, 6,
      "expected a condition after 'when', found the end of the line" },
    { HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n when a\nend x\n", false, 9, 5,
      "expected the end of the line after 'end', found 'x'" },
    { "ruleset t\nversion 1\nrule R\n title \"T\"\n rationale \"R\"\n weight 1\n when a\nend\n",
      false, 3, 1, "rule R has no 'owner' and the rule set names none" },
    { "ruleset t\nversion 1\nowner \"o\"\nvalid_from 2026-01-01\n", false, 1, 1,
      "the rule set has no rules" },
    { "ruleset t\nversion 1\nowner \"o\"\nvalid_from 2026-01-01\nrule R\n title \"T\"\n"
      " rationale \"R\"\n weight 1\n valid_from 2025-06-01\n when a\nend\n",
      false, 9, 13, "valid_from 2025-06-01 is before the rule set's valid_from 2026-01-01" },
};

/* Compiles text[0..len) and checks the first error against c. */
static void check_bad(size_t i, const struct bad_case *c, const char *text, size_t len)
{
    struct vg_error err;
    vg_error_clear(&err);
    struct vg_rule_set *set = NULL;
    enum vg_status st =
        vg_rules_compile(text, len, "bad.rules", &test_schema, NULL, NULL, &set, &err);
    if (st != VG_EPARSE || set != NULL) {
        fail_msg("case %zu (%s): expected VG_EPARSE, got %s", i, c->text, vg_status_name(st));
    }
    if (err.line != c->line || err.column != c->col || strstr(err.message, c->message) == NULL) {
        fail_msg("case %zu (%s):\n  expected %u:%u: %s\n  got      %u:%u: %s", i, c->text,
                 c->line, c->col, c->message, err.line, err.column, err.message);
    }
    assert_string_equal(err.source, "bad.rules");
    assert_int_equal(err.code, VG_EPARSE);
    /* The byte offset agrees with line and column. */
    uint32_t line = 1;
    size_t line_start = 0;
    for (size_t k = 0; k < err.offset && k < len; k++) {
        if (text[k] == '\n') {
            line++;
            line_start = k + 1;
        }
    }
    assert_int_equal(line, err.line);
    assert_int_equal(err.offset - line_start + 1, err.column);
}

static void test_rules__error_positions_are_precise(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        const struct bad_case *c = &bad_cases[i];
        char text[2048];
        size_t len;
        if (c->cond) {
            len = (size_t)snprintf(text, sizeof(text),
                                   HEADER "rule R-1\n  title \"T\"\n  rationale \"R [I]\"\n"
                                          "  weight 10\n  when %s\nend\n",
                                   c->text);
        } else {
            len = strlen(c->text);
            memcpy(text, c->text, len + 1);
        }
        check_bad(i, c, text, len);
    }
    /* A NUL byte in the text. */
    static const char nul[] = HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n"
                                     " when a\0\nend\n";
    static const struct bad_case nul_case = { "NUL", false, 8, 8, "unexpected byte 0x00" };
    check_bad(999, &nul_case, nul, sizeof(nul) - 1);
    /* A byte-order mark is skipped; columns count from after it. */
    static const char bom[] = "\xEF\xBB\xBFruleset t\nversion 1\nowner \"o\"\nrule R\n"
                              " title \"T\"\n rationale \"R\"\n weight 1\n when a\nend\n";
    struct vg_rule_set *set = compile_ok(bom, &test_schema);
    vg_rules_free(set);
    static const char bom_bad[] = "\xEF\xBB\xBFrulset t\n";
    struct vg_error err;
    assert_int_equal(vg_rules_compile(bom_bad, sizeof(bom_bad) - 1, "b", &test_schema, NULL, NULL,
                                      &set, &err),
                     VG_EPARSE);
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 1);
    assert_int_equal(err.offset, 3);
}

static void test_rules__reports_every_error_in_order(void **state)
{
    (void)state;
    const char *text = HEADER
        "rule A\n"                      /* 4 */
        "  title \"A\"\n"
        "  rationale \"R\"\n"
        "  weight 200\n"                /* 7: weight out of range */
        "  when x > \"a\"\n"            /* 8: type error */
        "end\n"
        "rule B\n"                      /* 10: no title */
        "  rationale \"R\"\n"
        "  weight 1\n"
        "  when unknown_thing\n"        /* 13: unknown feature */
        "end\n"
        "list ok = \"a\"\n"
        "rule C\n"                      /* 16: fine */
        "  title \"C\"\n"
        "  rationale \"R\"\n"
        "  weight 1\n"
        "  when s in ok\n"
        "end\n";
    struct diags d = { "", 0 };
    struct vg_error err;
    vg_error_clear(&err);
    struct vg_rule_set *set = NULL;
    assert_int_equal(vg_rules_compile(text, strlen(text), "f", &test_schema, collect_diag, &d,
                                      &set, &err),
                     VG_EPARSE);
    assert_null(set);
    assert_string_equal(d.text, "7:10: the weight must lie between -100 and 100\n"
                                "8:10: cannot compare 'x' (a number) with '\"a\"' (text)\n"
                                "13:8: unknown feature 'unknown_thing'\n"
                                "10:1: rule B has no 'title'\n");
    assert_int_equal(err.line, 7); /* err holds the first */

    /* Errors stop after VG_RULES_MAX_ERRORS. */
    struct vg_buf many;
    vg_buf_init(&many, 0);
    assert_int_equal(vg_buf_append_cstr(&many, HEADER "rule R\n"), VG_OK);
    for (int i = 0; i < 200; i++) {
        assert_int_equal(vg_buf_append_cstr(&many, " weight x\n"), VG_OK);
    }
    d.text[0] = '\0';
    d.count = 0;
    assert_int_equal(vg_rules_compile(many.data, many.len, "f", &test_schema, collect_diag, &d,
                                      &set, NULL),
                     VG_EPARSE);
    assert_int_equal(d.count, VG_RULES_MAX_ERRORS);
    vg_buf_release(&many);
}

static void test_rules__limits_are_enforced(void **state)
{
    (void)state;
    struct vg_error err;
    struct vg_rule_set *set = NULL;
    /* The source size is checked before anything is read (the buffer is never touched). */
    static const char tiny[] = "x";
    assert_int_equal(vg_rules_compile(tiny, (size_t)VG_RULES_MAX_SOURCE + 1, "big", &test_schema,
                                      NULL, NULL, &set, &err),
                     VG_ELIMIT);
    assert_null(set);
    /* Nesting. */
    char cond[512] = "";
    for (int i = 0; i < 60; i++) {
        strcat(cond, "(");
    }
    strcat(cond, "a");
    for (int i = 0; i < 60; i++) {
        strcat(cond, ")");
    }
    char text[1024];
    snprintf(text, sizeof(text),
             HEADER "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n when %s\nend\n", cond);
    vg_error_clear(&err);
    assert_int_equal(vg_rules_compile(text, strlen(text), "deep", &test_schema, NULL, NULL, &set,
                                      &err),
                     VG_ELIMIT);
    assert_non_null(strstr(err.message, "nested more than 48 levels"));
    assert_int_equal(err.line, 8);
    /* Long and/or chains are flat and fine; 3000 terms exceed the node limit. */
    struct vg_buf b;
    vg_buf_init(&b, 0);
    assert_int_equal(vg_buf_append_cstr(&b, HEADER "rule R\n title \"T\"\n rationale \"R\"\n"
                                            " weight 1\n when a"),
                     VG_OK);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(vg_buf_append_cstr(&b, " or a"), VG_OK);
    }
    assert_int_equal(vg_buf_append_cstr(&b, "\nend\n"), VG_OK);
    set = compile_ok(b.data, &test_schema);
    struct vg_value rec[F_N];
    unknown_record(rec);
    rec[F_A] = vg_value_bool(false);
    assert_int_equal(eval_rule(set, 0, rec, F_N, VG_TIME_NONE), NOT);
    vg_rules_free(set);
    vg_buf_reset(&b);
    assert_int_equal(vg_buf_append_cstr(&b, HEADER "rule R\n title \"T\"\n rationale \"R\"\n"
                                            " weight 1\n when a"),
                     VG_OK);
    for (int i = 0; i < 5000; i++) {
        assert_int_equal(vg_buf_append_cstr(&b, " or a"), VG_OK);
    }
    assert_int_equal(vg_buf_append_cstr(&b, "\nend\n"), VG_OK);
    vg_error_clear(&err);
    assert_int_equal(vg_rules_compile(b.data, b.len, "wide", &test_schema, NULL, NULL, &set, &err),
                     VG_ELIMIT);
    assert_non_null(strstr(err.message, "more than 4096 parts"));
    vg_buf_release(&b);
    /* Bad arguments. */
    assert_int_equal(vg_rules_compile("x", 1, "f", NULL, NULL, NULL, &set, NULL), VG_EINVAL);
    assert_int_equal(vg_rules_compile("x", 1, "f", &test_schema, NULL, NULL, NULL, NULL),
                     VG_EINVAL);
    vg_rules_free(NULL);
}

/* ---- evaluation --------------------------------------------------------------------- */

/* Kleene's tables for and, or, not over false, true, unknown. */
static void test_rules__three_valued_truth_tables(void **state)
{
    (void)state;
    struct vg_rule_set *set_and = rule_with("a and b");
    struct vg_rule_set *set_or = rule_with("a or b");
    struct vg_rule_set *set_not = rule_with("not a");
    struct vg_rule_set *set_eq = rule_with("a = b");
    /* index: 0 false, 1 true, 2 unknown */
    static const enum vg_rule_outcome and_table[3][3] = {
        { NOT, NOT, NOT }, { NOT, VG_RULE_FIRED, UNK }, { NOT, UNK, UNK } };
    static const enum vg_rule_outcome or_table[3][3] = {
        { NOT, VG_RULE_FIRED, UNK }, { VG_RULE_FIRED, VG_RULE_FIRED, VG_RULE_FIRED },
        { UNK, VG_RULE_FIRED, UNK } };
    static const enum vg_rule_outcome not_table[3] = { VG_RULE_FIRED, NOT, UNK };
    struct vg_value rec[F_N];
    unknown_record(rec);
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            rec[F_A] = i == 2 ? vg_value_unknown(VG_SLICE_EMPTY) : vg_value_bool(i == 1);
            rec[F_B] = j == 2 ? vg_value_unknown(VG_SLICE_EMPTY) : vg_value_bool(j == 1);
            assert_int_equal(eval_rule(set_and, 0, rec, F_N, VG_TIME_NONE), and_table[i][j]);
            assert_int_equal(eval_rule(set_or, 0, rec, F_N, VG_TIME_NONE), or_table[i][j]);
            enum vg_rule_outcome eq = i == 2 || j == 2 ? UNK : i == j ? FIRED : NOT;
            assert_int_equal(eval_rule(set_eq, 0, rec, F_N, VG_TIME_NONE), eq);
        }
        assert_int_equal(eval_rule(set_not, 0, rec, F_N, VG_TIME_NONE), not_table[i]);
    }
    vg_rules_free(set_and);
    vg_rules_free(set_or);
    vg_rules_free(set_not);
    vg_rules_free(set_eq);
}

static void test_rules__unknown_values_and_bad_kinds(void **state)
{
    (void)state;
    struct vg_value rec[F_N];
    unknown_record(rec);
    /* Comparisons and arithmetic on unknown are unknown. */
    assert_int_equal(eval1("x > 1", rec), UNK);
    assert_int_equal(eval1("x + 1 > 1 or y > 1", rec), UNK);
    assert_int_equal(eval1("s = \"A\"", rec), UNK);
    assert_int_equal(eval1("s in (\"A\")", rec), UNK);
    assert_int_equal(eval1("l in (\"A\")", rec), UNK);
    assert_int_equal(eval1("count(l) >= 0", rec), UNK);
    /* known() never is. */
    assert_int_equal(eval1("known(x)", rec), NOT);
    assert_int_equal(eval1("not known(x)", rec), FIRED);
    rec[F_X] = vg_value_number(NAN);
    assert_int_equal(eval1("known(x)", rec), NOT);
    assert_int_equal(eval1("x > 1 or x <= 1", rec), UNK);
    /* A value of the wrong kind reads as unknown, everywhere. */
    rec[F_X] = vg_value_string(VG_SLICE_LIT("12"));
    rec[F_A] = vg_value_number(1);
    rec[F_S] = vg_value_bool(true);
    rec[F_L] = vg_value_string(VG_SLICE_LIT("A"));
    assert_int_equal(eval1("x > 1", rec), UNK);
    assert_int_equal(eval1("known(x) or known(a) or known(s) or known(l)", rec), NOT);
    assert_int_equal(eval1("a", rec), UNK);
    assert_int_equal(eval1("s = \"A\"", rec), UNK);
    assert_int_equal(eval1("l in (\"A\")", rec), UNK);
    /* Division by zero has no result; infinity compares. */
    rec[F_X] = vg_value_number(5);
    rec[F_Y] = vg_value_number(0);
    assert_int_equal(eval1("x / y > 1", rec), UNK);
    assert_int_equal(eval1("x / y > 1 or x > 4", rec), FIRED);
    rec[F_Y] = vg_value_number(INFINITY);
    assert_int_equal(eval1("y > 1000000", rec), FIRED);
    assert_int_equal(eval1("y - y > 0", rec), UNK); /* inf - inf is NaN */
    /* false and unknown is false, true or unknown is true, whatever the order. */
    rec[F_A] = vg_value_bool(false);
    assert_int_equal(eval1("s = \"X\" and a", rec), NOT);
    assert_int_equal(eval1("not a or s = \"X\"", rec), FIRED);
}

static void test_rules__blocked_by_names_the_deciding_unknown(void **state)
{
    (void)state;
    struct vg_rule_set *set = rule_with("x > 1 and (a or b) and s = \"Z\"");
    struct vg_value rec[F_N];
    unknown_record(rec);
    struct vg_rule_result res[1];
    struct vg_rules_summary sum;
    /* All unknown: the first unknown in source order. */
    assert_int_equal(vg_rules_eval(set, rec, F_N, VG_TIME_NONE, res, &sum), VG_OK);
    assert_int_equal(res[0].outcome, UNK);
    assert_int_equal(res[0].blocked_by, F_X);
    assert_int_equal(sum.unknown, 1);
    /* x decided true, a true: s is to blame. */
    rec[F_X] = vg_value_number(5);
    rec[F_A] = vg_value_bool(true);
    assert_int_equal(vg_rules_eval(set, rec, F_N, VG_TIME_NONE, res, NULL), VG_OK);
    assert_int_equal(res[0].blocked_by, F_S);
    /* a false: b (not a) keeps the or undecided. */
    rec[F_A] = vg_value_bool(false);
    rec[F_S] = vg_value_string(VG_SLICE_LIT("z"));
    assert_int_equal(vg_rules_eval(set, rec, F_N, VG_TIME_NONE, res, NULL), VG_OK);
    assert_int_equal(res[0].outcome, UNK);
    assert_int_equal(res[0].blocked_by, F_B);
    /* Decided: no blocker. */
    rec[F_B] = vg_value_bool(true);
    assert_int_equal(vg_rules_eval(set, rec, F_N, VG_TIME_NONE, res, NULL), VG_OK);
    assert_int_equal(res[0].outcome, FIRED);
    assert_int_equal(res[0].blocked_by, VG_RULES_NO_FEATURE);
    assert_true(res[0].weight == 10);
    assert_int_equal(res[0].action, VG_RULE_SCORE);
    vg_rules_free(set);
    /* Unknown from a division by zero blames no feature. */
    set = rule_with("x / y > 1");
    rec[F_Y] = vg_value_number(0);
    assert_int_equal(vg_rules_eval(set, rec, F_N, VG_TIME_NONE, res, NULL), VG_OK);
    assert_int_equal(res[0].outcome, UNK);
    assert_int_equal(res[0].blocked_by, VG_RULES_NO_FEATURE);
    /* Bad arguments leave the results alone. */
    res[0].outcome = VG_RULE_INACTIVE;
    assert_int_equal(vg_rules_eval(set, rec, F_N - 1, VG_TIME_NONE, res, NULL), VG_EINVAL);
    assert_int_equal(vg_rules_eval(set, NULL, F_N, VG_TIME_NONE, res, NULL), VG_EINVAL);
    assert_int_equal(res[0].outcome, VG_RULE_INACTIVE);
    vg_rules_free(set);
}

static void test_rules__comparisons_and_arithmetic(void **state)
{
    (void)state;
    struct vg_value rec[F_N];
    unknown_record(rec);
    rec[F_X] = vg_value_number(10);
    rec[F_Y] = vg_value_number(4);
    rec[F_S] = vg_value_string(VG_SLICE_LIT("PeCll"));
    rec[F_T] = vg_value_string(VG_SLICE_LIT("PECLL"));
    rec[F_A] = vg_value_bool(true);
    /* Precedence: * and / bind tighter than + and -, unary minus tighter still. */
    assert_int_equal(eval1("x - y * 2 = 2", rec), FIRED);
    assert_int_equal(eval1("(x - y) * 2 = 12", rec), FIRED);
    assert_int_equal(eval1("x / y = 2.5", rec), FIRED);
    assert_int_equal(eval1("-x + 3 = -7", rec), FIRED);
    assert_int_equal(eval1("x - -y = 14", rec), FIRED);
    assert_int_equal(eval1("abs(y - x) = 6", rec), FIRED);
    assert_int_equal(eval1("x >= 10 and x <= 10 and x != 9 and x > 9.99 and y < 4.01", rec),
                     FIRED);
    assert_int_equal(eval1("x == 10", rec), FIRED); /* == reads as = */
    assert_int_equal(eval1("x < 10", rec), NOT);
    assert_int_equal(eval1("x > 1e1", rec), NOT);
    /* Text compares without regard to ASCII case. */
    assert_int_equal(eval1("s = t", rec), FIRED);
    assert_int_equal(eval1("s = \"pecll\"", rec), FIRED);
    assert_int_equal(eval1("s != \"PECL\"", rec), FIRED);
    /* Booleans. */
    assert_int_equal(eval1("a = true", rec), FIRED);
    assert_int_equal(eval1("a != true", rec), NOT);
    assert_int_equal(eval1("not not a", rec), FIRED);
}

static void test_rules__list_membership(void **state)
{
    (void)state;
    const char *text = HEADER
        "list hubs = \"PABLB\", \"PAMIT\", \"COCTG\", \"ECGYE\", \"PAONX\"\n"
        "list nums = 1, 2.5, -3\n"
        "rule IN-NAMED\n title \"a\"\n rationale \"r\"\n weight 1\n when s in hubs\nend\n"
        "rule IN-LITERAL\n title \"b\"\n rationale \"r\"\n weight 1\n"
        " when s in (\"X\", \"pamit\")\nend\n"
        "rule NOT-IN\n title \"c\"\n rationale \"r\"\n weight 1\n when s not in hubs\nend\n"
        "rule NUM-IN\n title \"d\"\n rationale \"r\"\n weight 1\n"
        " when x in nums or y in (7, 8)\nend\n"
        "rule LIST-ANY\n title \"e\"\n rationale \"r\"\n weight 1\n when l in hubs\nend\n"
        "rule IN-FEATURE\n title \"f\"\n rationale \"r\"\n weight 1\n when s in l\nend\n"
        "rule LIST-LIST\n title \"g\"\n rationale \"r\"\n weight 1\n when l in m\nend\n"
        "rule COUNT\n title \"h\"\n rationale \"r\"\n weight 1\n when count(l) >= 2\nend\n";
    struct vg_rule_set *set = compile_ok(text, &test_schema);
    assert_int_equal(vg_rules_info(set)->lists, 2);
    struct vg_value rec[F_N];
    unknown_record(rec);
    static const struct vg_slice items[] = { SL("CLARI"), SL("coctg") };
    static const struct vg_slice others[] = { SL("NLRTM"), SL("COCTG") };
    rec[F_S] = vg_value_string(VG_SLICE_LIT("PAMIT"));
    rec[F_X] = vg_value_number(2.5);
    rec[F_Y] = vg_value_number(9);
    rec[F_L] = vg_value_list(items, 2);
    rec[F_M] = vg_value_list(others, 2);
    struct vg_rule_result res[8];
    assert_int_equal(vg_rules_eval(set, rec, F_N, VG_TIME_NONE, res, NULL), VG_OK);
    static const enum vg_rule_outcome expect1[] = { FIRED, FIRED, NOT,   FIRED,
                                                    FIRED, NOT,   FIRED, FIRED };
    for (int i = 0; i < 8; i++) {
        assert_int_equal(res[i].outcome, expect1[i]);
    }
    /* Every entry of a sorted list is found, neighbours are not. */
    static const char *const probes[] = { "ABC", "COCTG", "COCTH", "ECGYE", "PABLB", "PAMIT",
                                          "PAONX", "PAONY", "ZZZ", "" };
    static const bool in_hubs[] = { false, true, false, true, true, true, true, false, false,
                                     false };
    for (int i = 0; i < 10; i++) {
        rec[F_S] = vg_value_string(vg_slice_from_cstr(probes[i]));
        assert_int_equal(eval_rule(set, 0, rec, F_N, VG_TIME_NONE), in_hubs[i] ? FIRED : NOT);
    }
    /* An empty list has no member; an unknown list is unknown. */
    rec[F_L] = vg_value_list(NULL, 0);
    assert_int_equal(eval_rule(set, 4, rec, F_N, VG_TIME_NONE), NOT);
    assert_int_equal(eval_rule(set, 7, rec, F_N, VG_TIME_NONE), NOT);
    rec[F_L] = vg_value_unknown(VG_SLICE_LIT("no manifest"));
    assert_int_equal(eval_rule(set, 4, rec, F_N, VG_TIME_NONE), UNK);
    assert_int_equal(eval_rule(set, 5, rec, F_N, VG_TIME_NONE), UNK);
    rec[F_L] = vg_value_list(items, 2);
    rec[F_M] = vg_value_unknown(VG_SLICE_EMPTY);
    assert_int_equal(eval_rule(set, 6, rec, F_N, VG_TIME_NONE), UNK);
    /* Numbers: -3 is a member, 3 is not. */
    rec[F_X] = vg_value_number(-3);
    assert_int_equal(eval_rule(set, 3, rec, F_N, VG_TIME_NONE), FIRED);
    rec[F_X] = vg_value_number(3);
    assert_int_equal(eval_rule(set, 3, rec, F_N, VG_TIME_NONE), NOT);
    rec[F_Y] = vg_value_number(8);
    assert_int_equal(eval_rule(set, 3, rec, F_N, VG_TIME_NONE), FIRED);
    vg_rules_free(set);
}

static void test_rules__prefix_and_glob(void **state)
{
    (void)state;
    const char *text = HEADER
        "list fruit = \"0803\", \"0804\", \"0810\"\n"
        "list pats = \"PE*\", \"*X\"\n"
        "rule P1\n title \"a\"\n rationale \"r\"\n weight 1\n"
        " when s in prefix(\"0804\", \"0810\")\nend\n"
        "rule P2\n title \"b\"\n rationale \"r\"\n weight 1\n"
        " when s in prefix(fruit, \"2009\")\nend\n"
        "rule P3\n title \"c\"\n rationale \"r\"\n weight 1\n when l in prefix(fruit)\nend\n"
        "rule G1\n title \"d\"\n rationale \"r\"\n weight 1\n when s matches \"08?4*\"\nend\n"
        "rule G2\n title \"e\"\n rationale \"r\"\n weight 1\n when t matches pats\nend\n"
        "rule G3\n title \"f\"\n rationale \"r\"\n weight 1\n"
        " when t not matches (\"a*b\", \"*c*d\")\nend\n";
    struct vg_rule_set *set = compile_ok(text, &test_schema);
    struct vg_value rec[F_N];
    unknown_record(rec);
    static const struct {
        const char *hs;
        bool p1, p2, g1;
    } hs_cases[] = {
        { "080440", true, true, true },   { "0804", true, true, true },
        { "081090", true, true, false },  { "080300", false, true, false },
        { "200989", false, true, false }, { "080", false, false, false },
        { "0814", false, false, true },   { "08x4", false, false, true },
        { "9804", false, false, false },  { "", false, false, false },
    };
    for (size_t i = 0; i < sizeof(hs_cases) / sizeof(hs_cases[0]); i++) {
        rec[F_S] = vg_value_string(vg_slice_from_cstr(hs_cases[i].hs));
        assert_int_equal(eval_rule(set, 0, rec, F_N, VG_TIME_NONE), hs_cases[i].p1 ? FIRED : NOT);
        assert_int_equal(eval_rule(set, 1, rec, F_N, VG_TIME_NONE), hs_cases[i].p2 ? FIRED : NOT);
        assert_int_equal(eval_rule(set, 3, rec, F_N, VG_TIME_NONE), hs_cases[i].g1 ? FIRED : NOT);
    }
    static const struct vg_slice hs_list[] = { SL("520100"),
                                               SL("081090") };
    rec[F_L] = vg_value_list(hs_list, 2);
    assert_int_equal(eval_rule(set, 2, rec, F_N, VG_TIME_NONE), FIRED);
    rec[F_L] = vg_value_list(hs_list, 1);
    assert_int_equal(eval_rule(set, 2, rec, F_N, VG_TIME_NONE), NOT);
    static const struct {
        const char *t;
        bool g2, g3;
    } glob_cases[] = {
        { "PECLL", true, true }, { "pecll", true, true }, { "BOX", true, true },
        { "ab", false, false },  { "aXXb", false, false }, { "xcyd", false, false },
        { "cd", false, false },  { "dc", false, true },    { "PE", true, true },
        { "P", false, true },    { "X", true, true },      { "", false, true },
    };
    for (size_t i = 0; i < sizeof(glob_cases) / sizeof(glob_cases[0]); i++) {
        rec[F_T] = vg_value_string(vg_slice_from_cstr(glob_cases[i].t));
        assert_int_equal(eval_rule(set, 4, rec, F_N, VG_TIME_NONE), glob_cases[i].g2 ? FIRED : NOT);
        assert_int_equal(eval_rule(set, 5, rec, F_N, VG_TIME_NONE), glob_cases[i].g3 ? FIRED : NOT);
    }
    vg_rules_free(set);
}

static void test_rules__validity_dates(void **state)
{
    (void)state;
    const char *text = "ruleset t\nversion 1\nowner \"o\"\n"
                       "valid_from 2026-01-01\nvalid_to 2026-12-31\n"
                       "rule OWN\n title \"a\"\n rationale \"r\"\n weight 1\n"
                       " valid_from 2026-03-01\n valid_to 2026-03-31\n when a\nend\n"
                       "rule SET\n title \"b\"\n rationale \"r\"\n weight 1\n when a\nend\n";
    struct vg_rule_set *set = compile_ok(text, &test_schema);
    struct vg_value rec[F_N];
    unknown_record(rec);
    rec[F_A] = vg_value_bool(true);
    static const struct {
        int y, m, d, hh, mm;
        enum vg_rule_outcome own, set;
    } cases[] = {
        { 2025, 12, 31, 23, 59, VG_RULE_INACTIVE, VG_RULE_INACTIVE },
        { 2026, 1, 1, 0, 0, VG_RULE_INACTIVE, VG_RULE_FIRED },
        { 2026, 2, 28, 23, 59, VG_RULE_INACTIVE, VG_RULE_FIRED },
        { 2026, 3, 1, 0, 0, VG_RULE_FIRED, VG_RULE_FIRED },
        { 2026, 3, 31, 23, 59, VG_RULE_FIRED, VG_RULE_FIRED }, /* valid_to is inclusive */
        { 2026, 4, 1, 0, 0, VG_RULE_INACTIVE, VG_RULE_FIRED },
        { 2026, 12, 31, 23, 59, VG_RULE_INACTIVE, VG_RULE_FIRED },
        { 2027, 1, 1, 0, 0, VG_RULE_INACTIVE, VG_RULE_INACTIVE },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t t = vg_time_from_civil(cases[i].y, cases[i].m, cases[i].d, cases[i].hh,
                                       cases[i].mm, 0);
        struct vg_rule_result res[2];
        struct vg_rules_summary sum;
        assert_int_equal(vg_rules_eval(set, rec, F_N, t, res, &sum), VG_OK);
        assert_int_equal(res[0].outcome, cases[i].own);
        assert_int_equal(res[1].outcome, cases[i].set);
        assert_int_equal(sum.inactive, (cases[i].own == VG_RULE_INACTIVE) +
                                           (cases[i].set == VG_RULE_INACTIVE));
        assert_int_equal(sum.fired + sum.inactive, 2);
    }
    /* VG_TIME_NONE ignores the dates. */
    assert_int_equal(eval_rule(set, 0, rec, F_N, VG_TIME_NONE), FIRED);
    vg_rules_free(set);
}

static void test_rules__summary_adds_weights_and_holds(void **state)
{
    (void)state;
    const char *text = HEADER
        "rule H\n title \"h\"\n rationale \"r\"\n weight 50\n action hold\n when a\nend\n"
        "rule S\n title \"s\"\n rationale \"r\"\n weight 12.5\n when b\nend\n"
        "rule N\n title \"n\"\n rationale \"r\"\n weight -5\n when x > 1\nend\n"
        "rule U\n title \"u\"\n rationale \"r\"\n weight 7\n when y > 1\nend\n";
    struct vg_rule_set *set = compile_ok(text, &test_schema);
    struct vg_value rec[F_N];
    unknown_record(rec);
    rec[F_A] = vg_value_bool(true);
    rec[F_B] = vg_value_bool(true);
    rec[F_X] = vg_value_number(2);
    struct vg_rule_result res[4];
    struct vg_rules_summary sum;
    assert_int_equal(vg_rules_eval(set, rec, F_N, VG_TIME_NONE, res, &sum), VG_OK);
    assert_int_equal(sum.fired, 3);
    assert_int_equal(sum.unknown, 1);
    assert_int_equal(sum.not_fired, 0);
    assert_int_equal(sum.holds, 1);
    assert_true(sum.weight == 57.5);
    assert_int_equal(res[0].action, VG_RULE_HOLD);
    assert_true(res[3].weight == 7);
    assert_int_equal(res[3].blocked_by, F_Y);
    vg_rules_free(set);
}

/* ---- evidence and explanations ------------------------------------------------------ */

static void test_rules__evidence_follows_the_logic(void **state)
{
    (void)state;
    struct vg_rule_set *set = rule_with("(x > 5 or a) and (s in l or not b)");
    struct vg_value rec[F_N];
    unknown_record(rec);
    uint32_t f[8];
    size_t n;
    enum vg_rule_outcome o;
    /* True through x and s in l: a (unread branch) and b (not needed) are not evidence. */
    static const struct vg_slice items[] = { SL("Q") };
    rec[F_X] = vg_value_number(9);
    rec[F_A] = vg_value_bool(true);
    rec[F_S] = vg_value_string(VG_SLICE_LIT("q"));
    rec[F_L] = vg_value_list(items, 1);
    assert_int_equal(vg_rules_evidence(set, 0, rec, F_N, f, 8, &n, &o), VG_OK);
    assert_int_equal(o, FIRED);
    assert_int_equal(n, 3);
    assert_int_equal(f[0], F_X);
    assert_int_equal(f[1], F_S);
    assert_int_equal(f[2], F_L);
    /* False: the first false side of the and. */
    rec[F_X] = vg_value_number(1);
    rec[F_A] = vg_value_bool(false);
    assert_int_equal(vg_rules_evidence(set, 0, rec, F_N, f, 8, &n, &o), VG_OK);
    assert_int_equal(o, NOT);
    assert_int_equal(n, 2);
    assert_int_equal(f[0], F_A);
    assert_int_equal(f[1], F_X);
    /* Unknown: only the unknown features of the undecided sides. */
    rec[F_A] = vg_value_bool(true);
    rec[F_S] = vg_value_string(VG_SLICE_LIT("other"));
    assert_int_equal(vg_rules_evidence(set, 0, rec, F_N, f, 8, &n, &o), VG_OK);
    assert_int_equal(o, UNK);
    assert_int_equal(n, 1);
    assert_int_equal(f[0], F_B);
    /* The count is complete even when the array is short. */
    rec[F_X] = vg_value_number(9);
    rec[F_S] = vg_value_string(VG_SLICE_LIT("q"));
    assert_int_equal(vg_rules_evidence(set, 0, rec, F_N, f, 1, &n, NULL), VG_OK);
    assert_int_equal(n, 3);
    assert_int_equal(f[0], F_X);
    assert_int_equal(vg_rules_evidence(set, 1, rec, F_N, f, 8, &n, NULL), VG_EINVAL);
    assert_int_equal(vg_rules_evidence(set, 0, rec, 2, f, 8, &n, NULL), VG_EINVAL);
    vg_rules_free(set);
}

static char *explain_text(const struct vg_rule_set *set, size_t i, const struct vg_value *rec,
                          size_t n)
{
    struct vg_buf b;
    vg_buf_init(&b, 0);
    assert_int_equal(vg_rules_explain(set, i, rec, n, &b), VG_OK);
    return vg_buf_detach(&b, NULL);
}

static void test_rules__explanations_name_values_and_gaps(void **state)
{
    (void)state;
    const char *text = HEADER
        "rule SEAL\n title \"Seal changed between gate-in and loading\"\n rationale \"r\"\n"
        " weight 30\n explain \"gate seal {s} -> load seal {t}\"\n when s != t\nend\n"
        "rule DWELL\n title \"Long dwell\"\n rationale \"r\"\n weight 10\n"
        " when x >= 72 and (a or y > 3) and not b\nend\n"
        "rule BRACES\n title \"Braces\"\n rationale \"r\"\n weight 1\n"
        " explain \"{{x}} = {x}, list {l}, flag {a}, y {y}\"\n when a\nend\n";
    struct vg_rule_set *set = compile_ok(text, &test_schema);
    struct vg_value rec[F_N];
    unknown_record(rec);
    rec[F_S] = vg_value_string(VG_SLICE_LIT("ABC123"));
    rec[F_T] = vg_value_string(VG_SLICE_LIT("ABD123"));
    char *s = explain_text(set, 0, rec, F_N);
    assert_string_equal(s, "Seal changed between gate-in and loading "
                           "(gate seal ABC123 -> load seal ABD123)");
    vg_free(s);
    rec[F_T] = vg_value_string(VG_SLICE_LIT("abc123"));
    s = explain_text(set, 0, rec, F_N);
    assert_string_equal(s, "Seal changed between gate-in and loading: not fired");
    vg_free(s);
    /* Unknown: each blocking feature with its reason, else the feeds it needs. */
    rec[F_S] = vg_value_unknown(VG_SLICE_LIT("no gate messages from the terminal since "
                                             "2026-11-02"));
    rec[F_T] = vg_value_unknown(VG_SLICE_EMPTY);
    s = explain_text(set, 0, rec, F_N);
    assert_string_equal(s, "Seal changed between gate-in and loading: undecided, s unknown (no "
                           "gate messages from the terminal since 2026-11-02); t unknown (no "
                           "booking data)");
    vg_free(s);
    /* Without a template: the deciding features with units. */
    rec[F_X] = vg_value_number(96);
    rec[F_A] = vg_value_bool(false);
    rec[F_Y] = vg_value_number(3.25);
    rec[F_B] = vg_value_bool(false);
    s = explain_text(set, 1, rec, F_N);
    /* a is false but y > 3 made the `or` true: a is not part of the reason. */
    assert_string_equal(s, "Long dwell (b = no, x = 96 hours, y = 3.25)");
    vg_free(s);
    rec[F_B] = vg_value_unknown(VG_SLICE_EMPTY);
    s = explain_text(set, 1, rec, F_N);
    assert_string_equal(s, "Long dwell: undecided, b unknown (no terminal data)");
    vg_free(s);
    rec[F_X] = vg_value_unknown(VG_SLICE_EMPTY);
    s = explain_text(set, 1, rec, F_N);
    assert_string_equal(s, "Long dwell: undecided, b unknown (no terminal data); x unknown (no "
                           "gate or terminal data)");
    vg_free(s);
    rec[F_X] = vg_value_string(VG_SLICE_LIT("wrong"));
    rec[F_B] = vg_value_bool(false);
    s = explain_text(set, 1, rec, F_N);
    assert_string_equal(s, "Long dwell: undecided, x unknown (value of the wrong type)");
    vg_free(s);
    /* Template formatting: braces, lists, booleans, unknowns. */
    static const struct vg_slice items[] = { SL("PABLB"), SL("COCTG") };
    rec[F_X] = vg_value_number(0.5);
    rec[F_L] = vg_value_list(items, 2);
    rec[F_A] = vg_value_bool(true);
    rec[F_Y] = vg_value_unknown(VG_SLICE_EMPTY);
    s = explain_text(set, 2, rec, F_N);
    assert_string_equal(s, "Braces ({x} = 0.5 hours, list PABLB, COCTG, flag yes, y unknown)");
    vg_free(s);
    struct vg_buf b;
    vg_buf_init(&b, 0);
    assert_int_equal(vg_rules_explain(set, 3, rec, F_N, &b), VG_EINVAL);
    assert_int_equal(vg_rules_explain(set, 0, rec, F_N + 1, &b), VG_EINVAL);
    vg_buf_release(&b);
    vg_rules_free(set);
}

static void test_rules__format_value(void **state)
{
    (void)state;
    static const struct vg_feature_def num = { "n", VG_FEATURE_NUMBER, "", 1, "n" };
    static const struct vg_feature_def pct = { "p", VG_FEATURE_NUMBER, "%", 1, "p" };
    static const struct vg_feature_def kg = { "k", VG_FEATURE_NUMBER, "kg", 1, "k" };
    static const struct vg_feature_def lst = { "l", VG_FEATURE_LIST, "", 1, "l" };
    static const struct {
        const struct vg_feature_def *def;
        double x;
        const char *text;
    } cases[] = {
        { &num, 96, "96" },        { &num, -3, "-3" },           { &num, 3.2718, "3.27" },
        { &num, 0.5, "0.5" },      { &num, 0.004, "0.004" },     { &num, 0, "0" },
        { &num, -0.0, "0" },       { &num, 2.999, "3" },         { &num, 1e20, "1e+20" },
        { &num, INFINITY, "infinity" }, { &pct, 12.5, "12.5%" }, { &kg, 24000, "24000 kg" },
        { &num, 1234.567, "1234.57" },
    };
    struct vg_buf b;
    vg_buf_init(&b, 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        vg_buf_reset(&b);
        struct vg_value v = vg_value_number(cases[i].x);
        assert_int_equal(vg_rules_format_value(cases[i].def, &v, &b), VG_OK);
        assert_string_equal(b.data, cases[i].text);
    }
    struct vg_slice items[12];
    for (int i = 0; i < 12; i++) {
        items[i] = VG_SLICE_LIT("AB");
    }
    struct vg_value v = vg_value_list(items, 12);
    vg_buf_reset(&b);
    assert_int_equal(vg_rules_format_value(&lst, &v, &b), VG_OK);
    assert_string_equal(b.data, "AB, AB, AB, AB, AB, AB, AB, AB, AB, AB, \xE2\x80\xA6");
    v = vg_value_list(items, 0);
    vg_buf_reset(&b);
    assert_int_equal(vg_rules_format_value(&lst, &v, &b), VG_OK);
    assert_string_equal(b.data, "none");
    v = vg_value_number(1); /* the wrong kind for a list */
    vg_buf_reset(&b);
    assert_int_equal(vg_rules_format_value(&lst, &v, &b), VG_OK);
    assert_string_equal(b.data, "unknown");
    vg_buf_release(&b);
}

/* ---- the default rule set ----------------------------------------------------------- */

static struct vg_rule_set *default_set(void)
{
    size_t len;
    char *text = vg_test_read_file(vg_test_source("rules/default.rules"), &len);
    struct vg_rule_set *set = NULL;
    struct diags d = { "", 0 };
    struct vg_error err;
    enum vg_status st = vg_rules_compile(text, len, "rules/default.rules", vg_feature_catalog(),
                                         collect_diag, &d, &set, &err);
    vg_free(text);
    if (st != VG_OK) {
        fail_msg("rules/default.rules does not compile:\n%s", d.text);
    }
    return set;
}

/* A record a quiet, well-documented export would produce: every feed present, nothing odd. */
static void benign_record(struct vg_value *rec)
{
    static const struct vg_slice ts_ports[] = { SL("MXZLO") };
    static const struct vg_slice ts_countries[] = { SL("MX") };
    static const struct vg_slice hs[] = { SL("090111") };
    const struct vg_feature_schema *cat = vg_feature_catalog();
    for (size_t i = 0; i < cat->count; i++) {
        switch (cat->defs[i].type) {
        case VG_FEATURE_NUMBER:
            rec[i] = vg_value_number(0);
            break;
        case VG_FEATURE_BOOL:
            rec[i] = vg_value_bool(false);
            break;
        case VG_FEATURE_STRING:
            rec[i] = vg_value_string(VG_SLICE_LIT(""));
            break;
        case VG_FEATURE_LIST:
            rec[i] = vg_value_list(NULL, 0);
            break;
        }
    }
    rec[VG_F_PORT] = vg_value_string(VG_SLICE_LIT("PECLL"));
    rec[VG_F_DIRECTION] = vg_value_string(VG_SLICE_LIT("export"));
    rec[VG_F_DESTINATION_COUNTRY] = vg_value_string(VG_SLICE_LIT("US"));
    rec[VG_F_RECEIPT_REGION] = vg_value_string(VG_SLICE_LIT("PE-LIM"));
    rec[VG_F_HS_CODE] = vg_value_string(VG_SLICE_LIT("090111"));
    rec[VG_F_HS_CODES] = vg_value_list(hs, 1);
    rec[VG_F_TRANSHIPMENT_PORTS] = vg_value_list(ts_ports, 1);
    rec[VG_F_TRANSHIPMENT_COUNTRIES] = vg_value_list(ts_countries, 1);
    rec[VG_F_SHIPPER_SHIPMENTS] = vg_value_number(40);
    rec[VG_F_SHIPPER_REGISTERED_DAYS] = vg_value_number(3650);
    rec[VG_F_CONSIGNEE_SHIPMENTS] = vg_value_number(25);
    rec[VG_F_FILING_LEAD_HOURS] = vg_value_number(60);
    rec[VG_F_DWELL_HOURS] = vg_value_number(30);
    rec[VG_F_DWELL_VS_NORM] = vg_value_number(1);
    rec[VG_F_VALUE_PER_KG_RATIO] = vg_value_number(1.1);
    rec[VG_F_PICKUP_HOURS_AFTER_DISCHARGE] = vg_value_number(48);
    rec[VG_F_SEAL_BOOKING_TO_GATE] = vg_value_string(VG_SLICE_LIT("same"));
    rec[VG_F_SEAL_GATE_TO_LOAD] = vg_value_string(VG_SLICE_LIT("same"));
    rec[VG_F_SEAL_MANIFEST_TO_LOAD] = vg_value_string(VG_SLICE_LIT("same"));
    rec[VG_F_SEAL_CHAIN] = vg_value_string(VG_SLICE_LIT("same"));
    rec[VG_F_VESSEL_TYPE] = vg_value_string(VG_SLICE_LIT("container"));
    /* Against the store's norms: a usual route, hours, weights and durations. */
    rec[VG_F_SEAL_MANIFEST_TO_GATE] = vg_value_string(VG_SLICE_LIT("same"));
    rec[VG_F_ROUTE_SHARE] = vg_value_number(0.6);
    rec[VG_F_ODD_HOUR_ACTIVITY] = vg_value_number(1.1);
    rec[VG_F_SHIPPER_NEW_SHARE] = vg_value_number(0.01);
    rec[VG_F_CONSIGNEE_NEW_SHARE] = vg_value_number(0.01);
    rec[VG_F_FORWARDER_HIT_RATE_RATIO] = vg_value_number(1);
    rec[VG_F_WATCHLIST_PARTY_SHIPMENTS] = vg_value_number(40);
}

static bool has_source_tag(const char *text)
{
    /* A tag such as [DT1] or [ATS11]: letters then digits in brackets. */
    for (const char *p = strchr(text, '['); p != NULL; p = strchr(p + 1, '[')) {
        const char *q = p + 1;
        int letters = 0, digits = 0;
        while (*q >= 'A' && *q <= 'Z') {
            q++;
            letters++;
        }
        while (*q >= '0' && *q <= '9') {
            q++;
            digits++;
        }
        if (letters >= 2 && digits >= 1 && *q == ']') {
            return true;
        }
    }
    return false;
}

static void test_rules__default_set_compiles_and_cites_sources(void **state)
{
    (void)state;
    struct vg_rule_set *set = default_set();
    const struct vg_rule_set_info *si = vg_rules_info(set);
    assert_string_equal(si->name, "vigia-default");
    assert_true(vg_rules_count(set) >= 40);
    assert_true(si->lists >= 4);
    size_t holds = 0;
    for (size_t i = 0; i < vg_rules_count(set); i++) {
        const struct vg_rule_info *r = vg_rules_get(set, i);
        if (!has_source_tag(r->rationale)) {
            fail_msg("rule %s cites no source tag in its rationale", r->id);
        }
        /* Weights: positive, none alone decisive (the score runs to 100), each above the
         * most graded evidence can add (docs/scoring.md). */
        assert_true(r->weight > VG_RISK_GRADED_MAX && r->weight <= 50);
        assert_true(r->review_by != VG_TIME_NONE);
        assert_true(r->valid_from != VG_TIME_NONE && r->valid_to != VG_TIME_NONE);
        if (r->action == VG_RULE_HOLD) {
            holds++;
            /* Mandatory holds only for exact watch-list identifier matches. */
            assert_int_equal(r->nfeatures, 1);
            assert_int_equal(r->features[0], VG_F_WATCHLIST_IDENTIFIER_MATCH);
        }
    }
    assert_int_equal(holds, 1);
    vg_rules_free(set);
}

static void test_rules__default_set_on_records(void **state)
{
    (void)state;
    struct vg_rule_set *set = default_set();
    size_t n = vg_rules_count(set);
    struct vg_rule_result *res = vg_calloc(n, sizeof(*res));
    struct vg_value rec[VG_F_COUNT];
    struct vg_rules_summary sum;
    int64_t as_of = vg_time_from_civil(2026, 11, 30, 12, 0, 0);
    /* No data: nothing fires, every rule reports what it lacks. */
    for (int i = 0; i < VG_F_COUNT; i++) {
        rec[i] = vg_value_unknown(VG_SLICE_EMPTY);
    }
    assert_int_equal(vg_rules_eval(set, rec, VG_F_COUNT, as_of, res, &sum), VG_OK);
    assert_int_equal(sum.fired, 0);
    assert_int_equal(sum.unknown, n);
    for (size_t i = 0; i < n; i++) {
        assert_true(res[i].blocked_by < VG_F_COUNT);
    }
    /* A quiet export: nothing fires and nothing is undecided. */
    benign_record(rec);
    assert_int_equal(vg_rules_eval(set, rec, VG_F_COUNT, as_of, res, &sum), VG_OK);
    for (size_t i = 0; i < n; i++) {
        if (res[i].outcome != VG_RULE_NOT_FIRED) {
            fail_msg("rule %s: %s on a quiet export", vg_rules_get(set, i)->id,
                     vg_rule_outcome_name(res[i].outcome));
        }
    }
    /* The rip-on signal: the seal changed between gate-in and loading. */
    rec[VG_F_SEAL_GATE_IN] = vg_value_string(VG_SLICE_LIT("ABC123"));
    rec[VG_F_SEAL_LOAD] = vg_value_string(VG_SLICE_LIT("ABD123"));
    rec[VG_F_SEAL_GATE_TO_LOAD] = vg_value_string(VG_SLICE_LIT("different"));
    rec[VG_F_SEAL_CHAIN] = vg_value_string(VG_SLICE_LIT("different"));
    assert_int_equal(vg_rules_eval(set, rec, VG_F_COUNT, as_of, res, &sum), VG_OK);
    assert_int_equal(sum.fired, 1);
    assert_int_equal(sum.holds, 0);
    size_t seal;
    assert_true(vg_rules_find(set, "SEAL-01", &seal));
    assert_int_equal(res[seal].outcome, FIRED);
    assert_true(sum.weight == res[seal].weight);
    char *s = explain_text(set, seal, rec, VG_F_COUNT);
    assert_string_equal(s, "Seal changed between gate-in and loading "
                           "(gate seal ABC123 -> load seal ABD123)");
    vg_free(s);
    /* The gate feed is missing: the seal rules are undecided and say why. */
    rec[VG_F_SEAL_GATE_TO_LOAD] = vg_value_unknown(VG_SLICE_EMPTY);
    assert_int_equal(vg_rules_eval(set, rec, VG_F_COUNT, as_of, res, &sum), VG_OK);
    assert_int_equal(res[seal].outcome, UNK);
    assert_int_equal(res[seal].blocked_by, VG_F_SEAL_GATE_TO_LOAD);
    s = explain_text(set, seal, rec, VG_F_COUNT);
    assert_string_equal(s, "Seal changed between gate-in and loading: undecided, "
                           "seal_gate_to_load unknown (no gate or terminal data)");
    vg_free(s);
    /* A watch-list identifier match is the one mandatory hold. */
    benign_record(rec);
    rec[VG_F_WATCHLIST_IDENTIFIER_MATCH] = vg_value_bool(true);
    assert_int_equal(vg_rules_eval(set, rec, VG_F_COUNT, as_of, res, &sum), VG_OK);
    assert_int_equal(sum.holds, 1);
    /* Transhipment via Panama to Europe, the way most of the lane goes: context only. */
    benign_record(rec);
    static const struct vg_slice pa[] = { SL("PABLB") };
    static const struct vg_slice pa_c[] = { SL("PA") };
    rec[VG_F_TRANSHIPMENT_PORTS] = vg_value_list(pa, 1);
    rec[VG_F_TRANSHIPMENT_COUNTRIES] = vg_value_list(pa_c, 1);
    rec[VG_F_DESTINATION_COUNTRY] = vg_value_string(VG_SLICE_LIT("BE"));
    assert_int_equal(vg_rules_eval(set, rec, VG_F_COUNT, as_of, res, &sum), VG_OK);
    assert_int_equal(sum.fired, 1);
    assert_true(sum.weight == 2);
    /* The same routing taken by 1% of the lane's trips: an indicator and the context add
     * up. */
    rec[VG_F_ROUTE_SHARE] = vg_value_number(0.01);
    assert_int_equal(vg_rules_eval(set, rec, VG_F_COUNT, as_of, res, &sum), VG_OK);
    assert_int_equal(sum.fired, 2);
    assert_true(sum.weight == 14);
    size_t route;
    assert_true(vg_rules_find(set, "ROUTE-01", &route));
    s = explain_text(set, route, rec, VG_F_COUNT);
    assert_string_equal(s, "Routing rare on its lane, through a country of concern (via PABLB, "
                           "0.01 of the lane's trips)");
    vg_free(s);
    /* Outside its validity the set does not fire. */
    assert_int_equal(vg_rules_eval(set, rec, VG_F_COUNT, vg_time_from_civil(2028, 1, 1, 0, 0, 0),
                                   res, &sum),
                     VG_OK);
    assert_int_equal(sum.inactive, n);
    vg_free(res);
    vg_rules_free(set);
}

/* Every ```vigia-rules block of docs/rules.md compiles against the catalogue; every
 * ```vigia-rules-bad block fails. */
static void test_rules__documentation_examples_compile(void **state)
{
    (void)state;
    size_t len;
    char *doc = vg_test_read_file(vg_test_source("docs/rules.md"), &len);
    int good = 0, bad = 0;
    for (char *p = strstr(doc, "```vigia-rules"); p != NULL; p = strstr(p, "```vigia-rules")) {
        bool expect_bad = strncmp(p, "```vigia-rules-bad", 18) == 0;
        char *body = strchr(p, '\n');
        assert_non_null(body);
        body++;
        char *end = strstr(body, "\n```");
        assert_non_null(end);
        struct diags d = { "", 0 };
        struct vg_rule_set *set = NULL;
        enum vg_status st = vg_rules_compile(body, (size_t)(end - body) + 1, "docs/rules.md",
                                             vg_feature_catalog(), collect_diag, &d, &set, NULL);
        if (expect_bad) {
            if (st == VG_OK) {
                fail_msg("docs/rules.md: an example marked bad compiles:\n%.*s", (int)(end - body),
                         body);
            }
            bad++;
        } else {
            if (st != VG_OK) {
                fail_msg("docs/rules.md: example does not compile:\n%.*s\n%s", (int)(end - body),
                         body, d.text);
            }
            good++;
        }
        vg_rules_free(set);
        p = end;
    }
    assert_true(good >= 3);
    assert_true(bad >= 1);
    vg_free(doc);
}

/* ---- allocation failure ------------------------------------------------------------- */

struct oom_ctx {
    const char *text;
    size_t len;
    const struct vg_feature_schema *schema;
    struct vg_rule_set *set;
};

static enum vg_status oom_compile(void *ctx)
{
    struct oom_ctx *c = ctx;
    return vg_rules_compile(c->text, c->len, "oom", c->schema, NULL, NULL, &c->set, NULL);
}

static void oom_cleanup(void *ctx)
{
    struct oom_ctx *c = ctx;
    vg_rules_free(c->set);
    c->set = NULL;
}

static void test_rules__compile_survives_allocation_failures(void **state)
{
    (void)state;
    size_t len;
    char *text = vg_test_read_file(vg_test_source("rules/default.rules"), &len);
    struct oom_ctx c = { text, len, vg_feature_catalog(), NULL };
    int runs = vg_test_oom_loop(oom_compile, oom_cleanup, &c, 100000);
    assert_true(runs > 1);
    vg_free(text);
    /* A set with every construct. */
    const char *all = HEADER
        "list hubs = \"A\", \"B\", \"C\"\nlist n = 1, 2\n"
        "rule R\n title \"T\"\n rationale \"R\"\n weight 1\n explain \"{s} {x} {l}\"\n"
        " when (a or not b) and x + 1 > y * 2 and s in hubs and t matches (\"a*\", \"b\")\n"
        "   or l in prefix(hubs, \"D\") or s in l or count(m) > 1 and known(y) and y in n\n"
        "end\n";
    struct oom_ctx c2 = { all, strlen(all), &test_schema, NULL };
    runs = vg_test_oom_loop(oom_compile, oom_cleanup, &c2, 100000);
    assert_true(runs > 1);
    /* A failing compile with errors also fails cleanly at every step. */
    const char *broken = HEADER "rule R\n title \"T\"\n when x >\nend\nrule S\n title \"U\"\n"
                                " rationale \"R\"\n weight 1\n when s in (\"a\", \"b\")\nend\n";
    for (unsigned long nth = 1; nth < 200; nth++) {
        struct vg_rule_set *set = NULL;
        vg_alloc_fail_nth(nth);
        enum vg_status st = vg_rules_compile(broken, strlen(broken), "oom", &test_schema, NULL,
                                             NULL, &set, NULL);
        vg_alloc_fail_nth(0);
        assert_null(set);
        assert_true(st == VG_ENOMEM || st == VG_EPARSE);
        if (st == VG_EPARSE) {
            break;
        }
    }
}

struct oom_explain {
    const struct vg_rule_set *set;
    const struct vg_value *rec;
    struct vg_buf buf;
};

static enum vg_status oom_explain_op(void *ctx)
{
    struct oom_explain *c = ctx;
    return vg_rules_explain(c->set, 0, c->rec, F_N, &c->buf);
}

static void oom_explain_cleanup(void *ctx)
{
    struct oom_explain *c = ctx;
    vg_buf_release(&c->buf);
}

static void test_rules__explain_survives_allocation_failures(void **state)
{
    (void)state;
    struct vg_rule_set *set = rule_with("x > 1 and s = \"A\" and l in (\"B\")");
    struct vg_value rec[F_N];
    unknown_record(rec);
    struct oom_explain c = { set, rec, { 0 } };
    vg_buf_init(&c.buf, 0);
    assert_true(vg_test_oom_loop(oom_explain_op, oom_explain_cleanup, &c, 1000) > 1);
    vg_rules_free(set);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_rules__catalogue_names_are_stable_snake_case),
    cmocka_unit_test(test_rules__catalogue_is_documented),
    cmocka_unit_test(test_rules__parses_every_construct),
    cmocka_unit_test(test_rules__error_positions_are_precise),
    cmocka_unit_test(test_rules__reports_every_error_in_order),
    cmocka_unit_test(test_rules__limits_are_enforced),
    cmocka_unit_test(test_rules__three_valued_truth_tables),
    cmocka_unit_test(test_rules__unknown_values_and_bad_kinds),
    cmocka_unit_test(test_rules__blocked_by_names_the_deciding_unknown),
    cmocka_unit_test(test_rules__comparisons_and_arithmetic),
    cmocka_unit_test(test_rules__list_membership),
    cmocka_unit_test(test_rules__prefix_and_glob),
    cmocka_unit_test(test_rules__validity_dates),
    cmocka_unit_test(test_rules__summary_adds_weights_and_holds),
    cmocka_unit_test(test_rules__evidence_follows_the_logic),
    cmocka_unit_test(test_rules__explanations_name_values_and_gaps),
    cmocka_unit_test(test_rules__format_value),
    cmocka_unit_test(test_rules__default_set_compiles_and_cites_sources),
    cmocka_unit_test(test_rules__default_set_on_records),
    cmocka_unit_test(test_rules__documentation_examples_compile),
    cmocka_unit_test(test_rules__compile_survives_allocation_failures),
    cmocka_unit_test(test_rules__explain_survives_allocation_failures),
};

VG_TEST_MAIN(tests)
