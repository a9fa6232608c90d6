/*
 * Screening (vigia/screen.h): candidates from the blocking index, then a score per
 * candidate made the way OpenSanctions' logic-v1 makes it, and an explanation.
 *
 * Candidates. Every query token is expanded over the vocabulary: the token itself, the
 * tokens that sound alike (phonetic key) and the tokens one or two edits away (deletion
 * keys) whose similarity reaches FUZZY_MIN. The postings of every expansion are followed,
 * accumulating per name the weight of the tokens found. A name whose accumulated weight
 * cannot reach the threshold, even if every other token it has were merely "missing" at
 * the lowest cost, is dropped without scoring. Expansions are cached per screener, since
 * names repeat their words.
 *
 * Token similarity: exact 1; sounds alike max(0.90, JW) up to 0.97; near spellings the
 * better of Jaro-Winkler and, for a single substitution, insertion, deletion or swap in a
 * token of n letters, 1 - 0.6/n (0.88 at 5 letters, 0.93 at 9), kept from 0.88 on (two
 * edits apart: Jaro-Winkler, from 0.94 on); a changed final vowel (MARIA/MARIO, usually
 * another name) at most 0.80; an initial against a name starting with it 0.60 (persons and
 * parties of two tokens or more only). A legal-form or particle word set apart on one side
 * may complete a token of the other.
 *
 * Name score. Query tokens are aligned one-to-one with the listed name's tokens, best
 * similarity first. Then
 *
 *     score = sum(sim * w) / (sum(w) + sum(alpha_c * w_missing) + sum(alpha_q * w_extra))
 *
 * over the aligned pairs (w: the listed token's weight), the listed tokens the subject
 * lacks (alpha_c by role: second given name 0.3, second surname 0.4, first given name or
 * a token of unknown role 0.8, first surname and numbers 1.0) and the subject tokens the
 * listed name lacks (alpha_q 0.6, an initial 0.2, a number 1.0). When each side has a
 * token the other lacks the names conflict (MIGUEL against GILBERTO), and what is left
 * over weighs fully: alpha 1.0, except 0.5 for a second given name. A word order other
 * than the listed one (or, for persons, its surname-first rotation) multiplies by 0.97.
 * The same fingerprint on both sides scores 1. Names with no token in common, exactly or by
 * sound, score 0 unless near spellings cover both completely.
 *
 * Entry score = max(name score, identifier score [0.95 IMO, MMSI, RUC, container, seal;
 * 0.85 other documents], weak alias literal match 0.80) + qualifiers: country mismatch
 * -0.20 (not applied to an identifier match: vessels change flags), the same identifier
 * scheme on both sides with different values -0.20. Clamped to [0,1].
 */
#include "screen/screen_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/slice.h>

#define FUZZY_MIN        0.88f
#define EDIT_COST        0.60f /* one edit in a token of n letters: similarity 1 - 0.6 / n */
#define TWO_EDITS_MIN    0.94f /* two edits apart: only very close long tokens */
#define PHONETIC_MIN     0.90f
#define PHONETIC_MAX     0.97f
#define VOWEL_FLIP_SIM   0.80f
#define INITIAL_SIM      0.60f
#define ORDER_FACTOR     0.97f
#define ALPHA_PRUNE      0.30f /* the lowest alpha_c: bounds a name's best possible score */
#define WEAK_ALIAS       0.80f
#define ID_STRONG        0.95f
#define ID_OTHER         0.85f
#define COUNTRY_PENALTY  0.20f
#define ID_DISJOINT      0.20f
#define MAX_EXPANSIONS   32
#define LEGAL_AS_NAME_DF 64 /* a legal-form word rare enough as a name word to follow */
#define CACHE_MAX_ITEMS  (1u << 20)

struct exp_item {
    uint32_t vocab;
    float sim;
    uint8_t kind; /* enum vg_screen_match_kind */
};

struct qtok {
    const struct vg_name_token *t;
    float w;          /* weight as an extra token */
    uint32_t exp_off; /* into s->exp */
    uint32_t nexp;
};

struct query {
    struct vg_name name;
    struct qtok tok[VG_NAME_MAX_TOKENS];
    size_t n;
    uint32_t legal_vocab[VG_NAME_MAX_OPTIONAL]; /* legal-form words that are also listed
                                                   as name tokens (the surname PAO) */
    size_t nlegal;
    float initial_slack;
    enum vg_watch_type type;
    char country[3];
    bool has_country;
    enum ident_scheme id_scheme;
    char id_value[64];
    bool has_id;
};

struct cand {
    uint32_t entry;
    uint32_t name; /* best name, UINT32_MAX when none scored */
    float name_score;
    float id_score;
    uint32_t ident; /* the matched identifier, UINT32_MAX when none */
    bool weak;
    float qualifiers;
    float score;
};

struct vg_screener {
    const struct vg_screen_index *idx;
    float *acc;
    uint32_t *stamp;
    uint32_t *touched;
    size_t ntouched;
    uint32_t cur;
    uint32_t *estamp;
    uint32_t *eslot;
    struct cand *cands;
    size_t ncands, cands_cap;
    struct vg_map cache;
    struct exp_item *exp;
    size_t nexp, exp_cap;
    struct vg_screen_hit *hits;
    size_t hits_cap;
    struct vg_arena out;
    struct vg_buf line;
};

enum vg_status vg_screener_new(const struct vg_screen_index *idx, struct vg_screener **out)
{
    *out = NULL;
    if (idx == NULL || !idx->finished) {
        return VG_EINVAL;
    }
    struct vg_screener *s = vg_calloc(1, sizeof(*s));
    if (s == NULL) {
        return VG_ENOMEM;
    }
    s->idx = idx;
    size_t nn = idx->nnames > 0 ? idx->nnames : 1;
    size_t ne = idx->nentries > 0 ? idx->nentries : 1;
    s->acc = vg_calloc(nn, sizeof(float));
    s->stamp = vg_calloc(nn, sizeof(uint32_t));
    s->touched = vg_calloc(nn, sizeof(uint32_t));
    s->estamp = vg_calloc(ne, sizeof(uint32_t));
    s->eslot = vg_calloc(ne, sizeof(uint32_t));
    vg_map_init(&s->cache);
    vg_arena_init(&s->out, 16384, 64u << 20);
    vg_buf_init(&s->line, 1u << 16);
    if (s->acc == NULL || s->stamp == NULL || s->touched == NULL || s->estamp == NULL ||
        s->eslot == NULL) {
        vg_screener_free(s);
        return VG_ENOMEM;
    }
    *out = s;
    return VG_OK;
}

void vg_screener_free(struct vg_screener *s)
{
    if (s == NULL) {
        return;
    }
    vg_free(s->acc);
    vg_free(s->stamp);
    vg_free(s->touched);
    vg_free(s->estamp);
    vg_free(s->eslot);
    vg_free(s->cands);
    vg_free(s->exp);
    vg_free(s->hits);
    vg_map_release(&s->cache);
    vg_arena_release(&s->out);
    vg_buf_release(&s->line);
    vg_free(s);
}

static bool type_ok(enum vg_watch_type want, enum vg_watch_type have)
{
    switch (want) {
    case VG_WATCH_ANY:
        return true;
    case VG_WATCH_PARTY:
        return have == VG_WATCH_PARTY || have == VG_WATCH_PERSON || have == VG_WATCH_ORGANIZATION;
    case VG_WATCH_PERSON:
    case VG_WATCH_ORGANIZATION:
        return have == want || have == VG_WATCH_PARTY;
    case VG_WATCH_VESSEL:
    case VG_WATCH_AIRCRAFT:
    case VG_WATCH_CONTAINER:
    case VG_WATCH_SEAL:
        break;
    }
    return have == want;
}

/* ---- expansions --------------------------------------------------------------------------- */

static bool is_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

/* MARIA/MARIO, JUANA/JUANO: the same stem with another final vowel, usually another name. */
static bool vowel_flip(const char *a, size_t al, const char *b, size_t bl)
{
    return al == bl && al >= 3 && memcmp(a, b, al - 1) == 0 && is_vowel(a[al - 1]) &&
           is_vowel(b[bl - 1]) && a[al - 1] != b[bl - 1];
}

static void exp_put(struct exp_item *items, size_t *n, uint32_t vocab, float sim, uint8_t kind)
{
    for (size_t i = 0; i < *n; i++) {
        if (items[i].vocab == vocab) {
            if (sim > items[i].sim) {
                items[i].sim = sim;
                items[i].kind = kind;
            }
            return;
        }
    }
    if (*n < 4 * MAX_EXPANSIONS) {
        items[(*n)++] = (struct exp_item){ vocab, sim, kind };
    }
}

static int cmp_exp(const void *a, const void *b)
{
    const struct exp_item *x = a, *y = b;
    if (x->sim != y->sim) {
        return x->sim > y->sim ? -1 : 1;
    }
    return x->vocab < y->vocab ? -1 : (x->vocab > y->vocab);
}

/* True when a and b are one edit apart: a substitution, an insertion or deletion, or two
 * adjacent letters swapped (Damerau). */
static bool one_edit(const char *a, size_t al, const char *b, size_t bl)
{
    if (al > bl) {
        const char *t = a;
        a = b;
        b = t;
        size_t tl = al;
        al = bl;
        bl = tl;
    }
    if (bl - al > 1) {
        return false;
    }
    size_t i = 0;
    while (i < al && a[i] == b[i]) {
        i++;
    }
    if (al == bl) {
        if (i == al) {
            return false; /* equal */
        }
        if (memcmp(a + i + 1, b + i + 1, al - i - 1) == 0) {
            return true; /* substitution */
        }
        return i + 1 < al && a[i] == b[i + 1] && a[i + 1] == b[i] &&
               memcmp(a + i + 2, b + i + 2, al - i - 2) == 0; /* transposition */
    }
    return memcmp(a + i, b + i + 1, al - i) == 0; /* insertion */
}

static void fuzzy_from(const struct vg_screen_index *idx,
                       const struct vg_name_token *t,
                       const char *key,
                       size_t kl,
                       struct exp_item *items,
                       size_t *n)
{
    uint64_t id;
    if (!vg_map_get(&idx->del_map, key, kl, &id)) {
        return;
    }
    for (uint32_t k = idx->del.off[id]; k < idx->del.off[id + 1]; k++) {
        uint32_t v = idx->del.val[k];
        const struct ix_vocab *x = &idx->vocab[v];
        float sim = (float)vg_jaro_winkler(t->text, t->len, x->text, x->len);
        size_t longer = t->len > x->len ? t->len : x->len;
        if (one_edit(t->text, t->len, x->text, x->len)) {
            /* Jaro-Winkler undervalues some single typos (ALEREDO for ALFREDO: 0.88). */
            float by_length = 1.0f - EDIT_COST / (float)longer;
            sim = sim > by_length ? sim : by_length;
        } else if (sim < TWO_EDITS_MIN) {
            continue; /* PARACAS and PATRACA: two edits apart, another word */
        }
        if (vowel_flip(t->text, t->len, x->text, x->len)) {
            exp_put(items, n, v, sim < VOWEL_FLIP_SIM ? sim : VOWEL_FLIP_SIM, VG_MATCH_FUZZY);
        } else if (sim >= FUZZY_MIN) {
            exp_put(items, n, v, sim, VG_MATCH_FUZZY);
        }
    }
}

static enum vg_status
expand(struct vg_screener *s, const struct vg_name_token *t, uint32_t *off, uint32_t *count)
{
    uint64_t cached;
    if (vg_map_get(&s->cache, t->text, t->len, &cached)) {
        *off = (uint32_t)(cached >> 8);
        *count = (uint32_t)(cached & 0xff);
        return VG_OK;
    }
    const struct vg_screen_index *idx = s->idx;
    struct exp_item items[4 * MAX_EXPANSIONS];
    size_t n = 0;
    uint64_t v;
    if (vg_map_get(&idx->vocab_map, t->text, t->len, &v)) {
        exp_put(items, &n, (uint32_t)v, 1.0f, VG_MATCH_EXACT);
    }
    bool letters = (t->flags & VG_TOKEN_ASCII) && !(t->flags & VG_TOKEN_NUMBER);
    if (letters && t->len >= 3) {
        char key[VG_NAME_TOKEN_SIZE * 2];
        size_t kl = vg_phonetic_key(t->text, t->len, key, sizeof(key));
        uint64_t id;
        if (kl > 0 && vg_map_get(&idx->phon_map, key, kl, &id)) {
            for (uint32_t k = idx->phon.off[id]; k < idx->phon.off[id + 1]; k++) {
                uint32_t pv = idx->phon.val[k];
                const struct ix_vocab *x = &idx->vocab[pv];
                float jw = (float)vg_jaro_winkler(t->text, t->len, x->text, x->len);
                float sim =
                    jw < PHONETIC_MIN ? PHONETIC_MIN : (jw > PHONETIC_MAX ? PHONETIC_MAX : jw);
                if (x->len == t->len && memcmp(x->text, t->text, t->len) == 0) {
                    continue;
                }
                exp_put(items, &n, pv, sim, VG_MATCH_PHONETIC);
            }
        }
    }
    if (letters && t->len >= 4) {
        char buf[VG_NAME_TOKEN_SIZE];
        fuzzy_from(idx, t, t->text, t->len, items, &n);
        for (size_t skip = 0; skip < t->len; skip++) {
            size_t k = 0;
            for (size_t i = 0; i < t->len; i++) {
                if (i != skip) {
                    buf[k++] = t->text[i];
                }
            }
            fuzzy_from(idx, t, buf, k, items, &n);
        }
    }
    qsort(items, n, sizeof(items[0]), cmp_exp);
    if (n > MAX_EXPANSIONS) {
        n = MAX_EXPANSIONS;
    }
    if (s->nexp + n > CACHE_MAX_ITEMS) {
        /* The cache is a convenience: start it over rather than grow without bound. */
        vg_map_release(&s->cache);
        s->nexp = 0;
    }
    struct exp_item *grown = vg_grow(s->exp, &s->exp_cap, s->nexp + n, sizeof(*grown));
    if (grown == NULL) {
        return VG_ENOMEM;
    }
    s->exp = grown;
    if (n > 0) {
        memcpy(s->exp + s->nexp, items, n * sizeof(items[0]));
    }
    *off = (uint32_t)s->nexp;
    *count = (uint32_t)n;
    s->nexp += n;
    if (vg_map_set(&s->cache, t->text, t->len, ((uint64_t)*off << 8) | (uint64_t)n) != VG_OK) {
        return VG_ENOMEM;
    }
    return VG_OK;
}

/* ---- alignment and the name score ----------------------------------------------------------- */

struct pair {
    uint8_t qi; /* query token, or 0xff for a query optional token */
    uint8_t cj; /* listed token, or 0xff for a listed optional token */
    uint8_t kind;
    float sim;
    float w;
    const char *qtext;
    const char *ctext;
};

struct align {
    struct pair pairs[VG_NAME_MAX_TOKENS + VG_NAME_MAX_OPTIONAL];
    size_t npairs;
    bool qused[VG_NAME_MAX_TOKENS];
    bool cused[VG_NAME_MAX_TOKENS];
    bool literal;
    bool order_changed;
    float score;
};

static float pair_sim(const struct vg_screener *s,
                      const struct query *q,
                      size_t i,
                      const struct ix_tok *ct,
                      bool initials,
                      uint8_t *kind)
{
    const struct qtok *qt = &q->tok[i];
    for (uint32_t k = 0; k < qt->nexp; k++) {
        const struct exp_item *e = &s->exp[qt->exp_off + k];
        if (e->vocab == ct->vocab) {
            *kind = e->kind;
            return e->sim;
        }
    }
    const struct ix_vocab *x = &s->idx->vocab[ct->vocab];
    if (!initials) {
        return 0.0f;
    }
    if ((qt->t->flags & VG_TOKEN_INITIAL) && !(qt->t->flags & VG_TOKEN_NUMBER) && x->len > 1 &&
        x->text[0] == qt->t->text[0]) {
        *kind = VG_MATCH_INITIAL;
        return INITIAL_SIM;
    }
    if ((x->flags & VG_TOKEN_INITIAL) && !(x->flags & VG_TOKEN_NUMBER) && qt->t->len > 1 &&
        qt->t->text[0] == x->text[0]) {
        *kind = VG_MATCH_INITIAL;
        return INITIAL_SIM;
    }
    return 0.0f;
}

static int cmp_pair_sim(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->sim != y->sim) {
        return x->sim > y->sim ? -1 : 1;
    }
    if (x->w != y->w) {
        return x->w > y->w ? -1 : 1;
    }
    if (x->qi != y->qi) {
        return x->qi < y->qi ? -1 : 1;
    }
    return x->cj < y->cj ? -1 : (x->cj > y->cj);
}

static bool increasing(const struct align *a, size_t ntok, size_t rotate)
{
    int last = -1;
    for (size_t i = 0; i < VG_NAME_MAX_TOKENS; i++) {
        for (size_t p = 0; p < a->npairs; p++) {
            const struct pair *pr = &a->pairs[p];
            if (pr->qi != i || pr->cj == 0xff) {
                continue;
            }
            int j = (int)((pr->cj + ntok - rotate) % ntok);
            if (j < last) {
                return false;
            }
            last = j;
        }
    }
    return true;
}

static float alpha_missing(uint8_t role, uint8_t flags, bool conflict)
{
    if (flags & VG_TOKEN_NUMBER) {
        return 1.0f;
    }
    switch (role) {
    case VG_ROLE_GIVEN_OTHER:
        return conflict ? 0.5f : 0.3f;
    case VG_ROLE_SURNAME_OTHER:
        return conflict ? 1.0f : 0.4f;
    case VG_ROLE_SURNAME:
        return 1.0f;
    case VG_ROLE_GIVEN:
    default:
        return conflict ? 1.0f : 0.8f;
    }
}

static float alpha_extra(uint8_t flags, bool conflict)
{
    if (flags & VG_TOKEN_NUMBER) {
        return 1.0f;
    }
    if (flags & VG_TOKEN_INITIAL) {
        return 0.2f;
    }
    return conflict ? 1.0f : 0.6f;
}

/* Scores the query against one listed name; a is filled for the explanation. */
static float score_name(const struct vg_screener *s,
                        const struct query *q,
                        const struct ix_name *nm,
                        struct align *a)
{
    const struct vg_screen_index *idx = s->idx;
    a->npairs = 0;
    a->literal = false;
    a->order_changed = false;
    memset(a->qused, 0, sizeof(a->qused));
    memset(a->cused, 0, sizeof(a->cused));
    a->score = 0.0f;
    if (q->n == 0 || nm->ntok == 0) {
        return 0.0f;
    }
    const struct ix_tok *ct = idx->toks + nm->tok_off;
    /* Initials stand for names of persons ("GILBERTO RODRIGUEZ O."), not for the numerals
     * of vessels ("ARGO I") or the letters of company names. */
    enum vg_watch_type et = (enum vg_watch_type)idx->entries[nm->entry].type;
    bool initials = nm->ntok >= 2 && (et == VG_WATCH_PERSON || et == VG_WATCH_PARTY);
    /* Candidate pairs, best first; then a greedy one-to-one assignment. */
    struct pair cands[VG_NAME_MAX_TOKENS * VG_NAME_MAX_TOKENS];
    size_t nc = 0;
    for (size_t i = 0; i < q->n; i++) {
        for (size_t j = 0; j < nm->ntok; j++) {
            uint8_t kind = VG_MATCH_EXACT;
            float sim = pair_sim(s, q, i, &ct[j], initials, &kind);
            if (sim > 0.0f) {
                cands[nc++] = (struct pair){ (uint8_t)i,
                                             (uint8_t)j,
                                             kind,
                                             sim,
                                             idx->vocab[ct[j].vocab].weight,
                                             q->tok[i].t->text,
                                             idx->vocab[ct[j].vocab].text };
            }
        }
    }
    qsort(cands, nc, sizeof(cands[0]), cmp_pair_sim);
    for (size_t k = 0; k < nc; k++) {
        if (a->qused[cands[k].qi] || a->cused[cands[k].cj]) {
            continue;
        }
        a->qused[cands[k].qi] = true;
        a->cused[cands[k].cj] = true;
        a->pairs[a->npairs++] = cands[k];
    }
    /* A word set apart as a legal form or particle on one side completes the other. */
    for (size_t j = 0; j < nm->ntok; j++) {
        if (a->cused[j]) {
            continue;
        }
        const struct ix_vocab *x = &idx->vocab[ct[j].vocab];
        for (size_t o = 0; o < q->name.noptional; o++) {
            if (strcmp(q->name.optional[o].text, x->text) == 0) {
                a->cused[j] = true;
                a->pairs[a->npairs++] = (struct pair){ 0xff,   (uint8_t)j, VG_MATCH_LEGAL,
                                                       1.0f,   x->weight,  q->name.optional[o].text,
                                                       x->text };
                break;
            }
        }
    }
    for (size_t i = 0; i < q->n; i++) {
        if (a->qused[i]) {
            continue;
        }
        for (size_t o = 0; o < nm->nopt; o++) {
            if (strcmp(idx->opts[nm->opt_off + o], q->tok[i].t->text) == 0) {
                a->qused[i] = true;
                a->pairs[a->npairs++] = (struct pair){ (uint8_t)i,
                                                       0xff,
                                                       VG_MATCH_LEGAL,
                                                       1.0f,
                                                       q->tok[i].w,
                                                       q->tok[i].t->text,
                                                       idx->opts[nm->opt_off + o] };
                break;
            }
        }
    }
    if (a->npairs == 0) {
        return 0.0f;
    }
    /* The names conflict when each has a token the other lacks (MIGUEL against GILBERTO):
     * then what is left over on both sides weighs fully. */
    bool q_left = false, c_left = false;
    for (size_t i = 0; i < q->n; i++) {
        q_left = q_left || (!a->qused[i] && !(q->tok[i].t->flags & VG_TOKEN_INITIAL));
    }
    for (size_t j = 0; j < nm->ntok; j++) {
        c_left = c_left || !a->cused[j];
    }
    bool conflict = q_left && c_left;
    float extra = 0.0f;
    for (size_t i = 0; i < q->n; i++) {
        if (!a->qused[i]) {
            extra += alpha_extra(q->tok[i].t->flags, conflict) * q->tok[i].w;
        }
    }
    float missing = 0.0f;
    for (size_t j = 0; j < nm->ntok; j++) {
        if (!a->cused[j]) {
            missing +=
                alpha_missing(ct[j].role, ct[j].flags, q_left) * idx->vocab[ct[j].vocab].weight;
        }
    }
    /* Near spellings alone prove little (ANDES for BANDES, SANA INDUSTRIAS for SANAM
     * INDUSTRIAL GROUP): without a token in common, exact or by sound, both names must be
     * matched completely. */
    bool anchored = false;
    for (size_t p = 0; p < a->npairs && !anchored; p++) {
        anchored = a->pairs[p].kind == VG_MATCH_EXACT || a->pairs[p].kind == VG_MATCH_PHONETIC;
    }
    if (!anchored && (extra > 0.0f || missing > 0.0f)) {
        a->npairs = 0;
        return 0.0f;
    }
    float num = 0.0f, den = 0.0f;
    for (size_t p = 0; p < a->npairs; p++) {
        num += a->pairs[p].sim * a->pairs[p].w;
        den += a->pairs[p].w;
    }
    float score = num / (den + missing + extra);
    size_t given = 0;
    while (given < nm->ntok &&
           (ct[given].role == VG_ROLE_GIVEN || ct[given].role == VG_ROLE_GIVEN_OTHER)) {
        given++;
    }
    if (!increasing(a, nm->ntok, 0) && !(nm->person && increasing(a, nm->ntok, given))) {
        a->order_changed = true;
        score *= ORDER_FACTOR;
    }
    if (strcmp(q->name.key, nm->key) == 0) {
        a->literal = true;
        score = 1.0f;
    }
    a->score = score > 1.0f ? 1.0f : score;
    return a->score;
}

/* ---- candidates ------------------------------------------------------------------------------ */

static enum vg_status grow_cands(struct vg_screener *s)
{
    struct cand *n = vg_grow(s->cands, &s->cands_cap, s->ncands + 1, sizeof(*n));
    if (n == NULL) {
        return VG_ENOMEM;
    }
    s->cands = n;
    return VG_OK;
}

/* The candidate of entry e, created on first use. NULL on OOM. */
static struct cand *cand_for(struct vg_screener *s, uint32_t e)
{
    if (s->estamp[e] == s->cur) {
        return &s->cands[s->eslot[e]];
    }
    if (grow_cands(s) != VG_OK) {
        return NULL;
    }
    s->estamp[e] = s->cur;
    s->eslot[e] = (uint32_t)s->ncands;
    struct cand *c = &s->cands[s->ncands++];
    *c = (struct cand){ e, UINT32_MAX, 0.0f, 0.0f, UINT32_MAX, false, 0.0f, 0.0f };
    return c;
}

static void next_stamp(struct vg_screener *s)
{
    s->cur++;
    if (s->cur == 0) {
        memset(s->stamp, 0, (s->idx->nnames > 0 ? s->idx->nnames : 1) * sizeof(uint32_t));
        memset(s->estamp, 0, (s->idx->nentries > 0 ? s->idx->nentries : 1) * sizeof(uint32_t));
        s->cur = 1;
    }
}

static enum vg_status
prepare_query(struct vg_screener *s, const struct vg_screen_query *in, struct query *q)
{
    memset(q, 0, sizeof(*q));
    q->type = in->type;
    const char *name = in->name != NULL ? in->name : "";
    bool numbered = in->type == VG_WATCH_CONTAINER || in->type == VG_WATCH_SEAL;
    if (!numbered) {
        vg_name_normalize(name, strlen(name), vg__name_kind_for(in->type), &q->name);
    }
    if (in->country != NULL && in->country[0] != '\0') {
        q->has_country = vg_country_code(in->country, strlen(in->country), q->country);
    }
    const char *id = in->identifier;
    if ((id == NULL || id[0] == '\0') && numbered) {
        id = name;
    }
    if (id != NULL && id[0] != '\0') {
        q->has_id = vg__ident_read(id, strlen(id), in->type, &q->id_scheme, q->id_value,
                                   sizeof(q->id_value));
    }
    const struct vg_screen_index *idx = s->idx;
    for (size_t i = 0; i < q->name.ntokens; i++) {
        struct qtok *t = &q->tok[q->n++];
        t->t = &q->name.tokens[i];
        uint64_t v;
        if (vg_map_get(&idx->vocab_map, t->t->text, t->t->len, &v)) {
            t->w = idx->vocab[v].weight;
        } else {
            t->w = vg__is_generic_word(t->t->text, t->t->len) ? 0.5f : 1.0f;
        }
        enum vg_status st = expand(s, t->t, &t->exp_off, &t->nexp);
        if (st != VG_OK) {
            return st;
        }
        if (t->t->flags & VG_TOKEN_INITIAL) {
            q->initial_slack += INITIAL_SIM;
        }
    }
    for (size_t i = 0; i < q->name.noptional; i++) {
        const struct vg_name_token *o = &q->name.optional[i];
        uint64_t v;
        if ((o->flags & VG_TOKEN_LEGAL) && vg_map_get(&idx->vocab_map, o->text, o->len, &v) &&
            idx->vocab[v].df <= LEGAL_AS_NAME_DF) {
            q->legal_vocab[q->nlegal++] = (uint32_t)v;
        }
    }
    return VG_OK;
}

/* Adds weight add to every name posted under vocab (of a type the query takes). */
static void follow(struct vg_screener *s, const struct query *q, uint32_t vocab, float add)
{
    const struct vg_screen_index *idx = s->idx;
    for (uint32_t p = idx->postings.off[vocab]; p < idx->postings.off[vocab + 1]; p++) {
        uint32_t n = idx->postings.val[p];
        if (s->stamp[n] != s->cur) {
            if (!type_ok(q->type, (enum vg_watch_type)idx->entries[idx->names[n].entry].type)) {
                continue;
            }
            s->stamp[n] = s->cur;
            s->acc[n] = 0.0f;
            s->touched[s->ntouched++] = n;
        }
        s->acc[n] += add;
    }
}

/* Follows the postings of every expansion, then scores the names that can still pass. */
static enum vg_status name_candidates(struct vg_screener *s, const struct query *q, float threshold)
{
    const struct vg_screen_index *idx = s->idx;
    s->ntouched = 0;
    for (size_t i = 0; i < q->n; i++) {
        const struct qtok *t = &q->tok[i];
        for (uint32_t k = 0; k < t->nexp; k++) {
            const struct exp_item *e = &s->exp[t->exp_off + k];
            follow(s, q, e->vocab, idx->vocab[e->vocab].weight * e->sim);
        }
    }
    /* A legal-form word of the subject may be a listed name's word ("YU PAO"). */
    for (size_t i = 0; i < q->nlegal; i++) {
        follow(s, q, q->legal_vocab[i], idx->vocab[q->legal_vocab[i]].weight);
    }
    struct align a;
    for (size_t k = 0; k < s->ntouched; k++) {
        uint32_t n = s->touched[k];
        const struct ix_name *nm = &idx->names[n];
        float got = s->acc[n] + q->initial_slack;
        float rest = nm->weight - got;
        float bound = got / (got + ALPHA_PRUNE * (rest > 0.0f ? rest : 0.0f));
        if (bound < threshold) {
            continue;
        }
        float sc = score_name(s, q, nm, &a);
        if (sc < threshold) {
            continue;
        }
        struct cand *c = cand_for(s, nm->entry);
        if (c == NULL) {
            return VG_ENOMEM;
        }
        if (c->name == UINT32_MAX || sc > c->name_score ||
            (sc == c->name_score && nm->kind < idx->names[c->name].kind)) {
            c->name = n;
            c->name_score = sc;
        }
    }
    /* Weak aliases: literal matches only. */
    uint64_t id;
    if (q->name.key[0] != '\0' &&
        vg_map_get(&idx->weak_map, q->name.key, strlen(q->name.key), &id)) {
        for (uint32_t p = idx->weak.off[id]; p < idx->weak.off[id + 1]; p++) {
            uint32_t n = idx->weak.val[p];
            uint32_t e = idx->names[n].entry;
            if (!type_ok(q->type, (enum vg_watch_type)idx->entries[e].type) ||
                WEAK_ALIAS < threshold) {
                continue;
            }
            struct cand *c = cand_for(s, e);
            if (c == NULL) {
                return VG_ENOMEM;
            }
            if (c->name == UINT32_MAX || WEAK_ALIAS > c->name_score) {
                c->name = n;
                c->name_score = WEAK_ALIAS;
                c->weak = true;
            }
        }
    }
    return VG_OK;
}

static enum vg_status identifier_candidates(struct vg_screener *s, const struct query *q)
{
    const struct vg_screen_index *idx = s->idx;
    uint64_t id;
    if (!q->has_id || !vg_map_get(&idx->ident_map, q->id_value, strlen(q->id_value), &id)) {
        return VG_OK;
    }
    for (uint32_t p = idx->ident.off[id]; p < idx->ident.off[id + 1]; p++) {
        const struct ix_ident *d = &idx->idents[idx->ident.val[p]];
        if (!type_ok(q->type, (enum vg_watch_type)idx->entries[d->entry].type)) {
            continue;
        }
        float sc =
            vg__scheme_strong((enum ident_scheme)d->scheme) || vg__scheme_strong(q->id_scheme)
                ? ID_STRONG
                : ID_OTHER;
        struct cand *c = cand_for(s, d->entry);
        if (c == NULL) {
            return VG_ENOMEM;
        }
        if (sc > c->id_score) {
            c->id_score = sc;
            c->ident = idx->ident.val[p];
        }
    }
    return VG_OK;
}

/* Best name of entry e against the query (for entries found by identifier only). */
static void best_name_of(struct vg_screener *s, const struct query *q, struct cand *c)
{
    const struct vg_screen_index *idx = s->idx;
    struct align a;
    const struct ix_entry *e = &idx->entries[c->entry];
    for (size_t n = e->first_name; n < (size_t)e->first_name + e->nname; n++) {
        if (idx->names[n].kind == NAME_WEAK) {
            continue;
        }
        float sc = score_name(s, q, &idx->names[n], &a);
        if (c->name == UINT32_MAX || sc > c->name_score) {
            c->name = (uint32_t)n;
            c->name_score = sc;
        }
    }
}

static void qualify(const struct vg_screen_index *idx, const struct query *q, struct cand *c)
{
    const struct ix_entry *e = &idx->entries[c->entry];
    c->qualifiers = 0.0f;
    if (q->has_country && e->ncountries > 0 && c->id_score == 0.0f) {
        bool found = false;
        for (size_t i = 0; i < e->ncountries && !found; i++) {
            found = memcmp(e->countries[i], q->country, 2) == 0;
        }
        if (!found) {
            c->qualifiers -= COUNTRY_PENALTY;
        }
    }
    if (q->has_id && c->id_score == 0.0f && vg__scheme_strong(q->id_scheme)) {
        for (uint32_t i = 0; i < e->nident; i++) {
            if (idx->idents[e->first_ident + i].scheme == q->id_scheme) {
                c->qualifiers -= ID_DISJOINT;
                break;
            }
        }
    }
    float best = c->name_score > c->id_score ? c->name_score : c->id_score;
    float sc = best + c->qualifiers;
    c->score = sc < 0.0f ? 0.0f : (sc > 1.0f ? 1.0f : sc);
}

/* ---- explanation ----------------------------------------------------------------------------- */

static const char *role_label(uint8_t role)
{
    switch (role) {
    case VG_ROLE_GIVEN:
        return "given name";
    case VG_ROLE_GIVEN_OTHER:
        return "other given name";
    case VG_ROLE_SURNAME:
        return "surname";
    case VG_ROLE_SURNAME_OTHER:
        return "second surname";
    default:
        return NULL;
    }
}

static int cmp_pair_listed(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    unsigned xa = x->cj == 0xff ? 1000u + x->qi : x->cj;
    unsigned ya = y->cj == 0xff ? 1000u + y->qi : y->cj;
    return xa < ya ? -1 : (xa > ya);
}

static enum vg_status explain(struct vg_screener *s,
                              const struct query *q,
                              const struct vg_screen_query *in,
                              const struct cand *c,
                              const char **out)
{
    const struct vg_screen_index *idx = s->idx;
    const struct ix_entry *e = &idx->entries[c->entry];
    struct vg_buf *b = &s->line;
    vg_buf_reset(b);
    enum vg_status st = VG_OK;
#define P(...)                         \
 do {                                  \
  if (st == VG_OK)                     \
   st = vg_buf_printf(b, __VA_ARGS__); \
 } while (0)
    char label[200];
    if (strchr(e->external_id, ':') == NULL && e->external_id[0] != '\0') {
        snprintf(label, sizeof(label), "%s %s", e->list, e->external_id);
    } else if (e->entry_id > 0) {
        snprintf(label, sizeof(label), "%s entry %lld", e->list, (long long)e->entry_id);
    } else {
        snprintf(label, sizeof(label), "%s", e->list);
    }
    const char *subject = in->name != NULL && in->name[0] != '\0'
                              ? in->name
                              : (in->identifier != NULL ? in->identifier : "");
    const struct ix_name *nm = c->name != UINT32_MAX ? &idx->names[c->name] : NULL;
    bool name_led = nm != NULL && c->name_score >= c->id_score;
    if (name_led && c->weak) {
        P("\"%s\" = weak alias \"%s\" of \"%s\" (%s): literal match %.2f", subject, nm->display,
          e->name, label, (double)WEAK_ALIAS);
    } else if (name_led) {
        P("\"%s\" ~ \"%s\" (%s", subject, nm->display, label);
        if (nm->kind == NAME_ALIAS) {
            P(", alias of \"%s\"", e->name);
        }
        P(")");
        struct align a;
        score_name(s, q, nm, &a);
        if (a.literal) {
            P(": same name once normalised");
        } else {
            qsort(a.pairs, a.npairs, sizeof(a.pairs[0]), cmp_pair_listed);
            P(": tokens ");
            for (size_t p = 0; p < a.npairs; p++) {
                const struct pair *pr = &a.pairs[p];
                P("%s%s", p > 0 ? ", " : "", pr->qtext);
                switch ((enum vg_screen_match_kind)pr->kind) {
                case VG_MATCH_EXACT:
                    P("=%s", pr->ctext);
                    break;
                case VG_MATCH_PHONETIC:
                    P("~%s (sounds alike, %.2f)", pr->ctext, (double)pr->sim);
                    break;
                case VG_MATCH_FUZZY:
                    P("~%s (%.2f)", pr->ctext, (double)pr->sim);
                    break;
                case VG_MATCH_INITIAL:
                    P("~%s (initial)", pr->ctext);
                    break;
                case VG_MATCH_LEGAL:
                    P("=%s (legal-form word)", pr->ctext);
                    break;
                }
            }
            const struct ix_tok *ct = idx->toks + nm->tok_off;
            bool first = true;
            for (size_t j = 0; j < nm->ntok; j++) {
                if (a.cused[j]) {
                    continue;
                }
                const char *role = role_label(ct[j].role);
                P("%s%s%s%s%s", first ? "; missing " : ", ", idx->vocab[ct[j].vocab].text,
                  role != NULL ? " (" : "", role != NULL ? role : "", role != NULL ? ")" : "");
                first = false;
            }
            first = true;
            for (size_t i = 0; i < q->n; i++) {
                if (!a.qused[i]) {
                    P("%s%s", first ? "; extra " : ", ", q->tok[i].t->text);
                    first = false;
                }
            }
            if (a.order_changed) {
                P("; word order differs");
            }
        }
        const char *ql = q->name.legal_forms, *cl = nm->legal_forms;
        if (ql[0] != '\0' && cl[0] != '\0' && strcmp(ql, cl) != 0) {
            P("; legal forms %s, %s ignored", ql, cl);
        } else if (ql[0] != '\0' || cl[0] != '\0') {
            P("; legal form %s ignored", ql[0] != '\0' ? ql : cl);
        }
    } else {
        const struct ix_ident *d = &idx->idents[c->ident];
        P("%s %s = %s %s of \"%s\" (%s): identifier match %.2f", vg__scheme_label(q->id_scheme),
          q->id_value, vg__scheme_label((enum ident_scheme)d->scheme), d->value, e->name, label,
          (double)c->id_score);
        if (nm != NULL && q->n > 0 && c->name_score > 0.0f) {
            P("; name \"%s\" ~ \"%s\" %.2f", subject, nm->display, (double)c->name_score);
        } else if (q->n > 0) {
            P("; name \"%s\" does not match", subject);
        }
    }
    if (name_led && c->id_score > 0.0f) {
        const struct ix_ident *d = &idx->idents[c->ident];
        P("; %s %s matches (%.2f)", vg__scheme_label((enum ident_scheme)d->scheme), d->value,
          (double)c->id_score);
    }
    if (q->has_country && e->ncountries > 0) {
        bool penalised = false;
        if (c->id_score == 0.0f) {
            bool found = false;
            for (size_t i = 0; i < e->ncountries && !found; i++) {
                found = memcmp(e->countries[i], q->country, 2) == 0;
            }
            penalised = !found;
        }
        if (penalised) {
            P("; country %s not among %s: -%.2f", q->country, e->countries_text,
              (double)COUNTRY_PENALTY);
        } else {
            P("; country %s %s", q->country,
              c->id_score > 0.0f ? "not weighed against an identifier match" : "matches");
        }
    }
    if (q->has_id && c->id_score == 0.0f && vg__scheme_strong(q->id_scheme)) {
        for (uint32_t i = 0; i < e->nident; i++) {
            const struct ix_ident *d = &idx->idents[e->first_ident + i];
            if (d->scheme == q->id_scheme) {
                P("; %s %s differs from listed %s: -%.2f", vg__scheme_label(q->id_scheme),
                  q->id_value, d->value, (double)ID_DISJOINT);
                break;
            }
        }
    }
    P("; score %.2f", (double)c->score);
#undef P
    if (st != VG_OK && st != VG_ELIMIT) {
        return st; /* past the buffer's limit the line is kept as far as it got */
    }
    *out = vg_arena_strndup(&s->out, b->data != NULL ? b->data : "", b->len);
    return *out != NULL ? VG_OK : VG_ENOMEM;
}

/* ---- the query ------------------------------------------------------------------------------- */

static int cmp_cand(const void *a, const void *b, const struct vg_screen_index *idx)
{
    const struct cand *x = a, *y = b;
    if (x->score != y->score) {
        return x->score > y->score ? -1 : 1;
    }
    int c = strcmp(idx->entries[x->entry].name, idx->entries[y->entry].name);
    if (c != 0) {
        return c;
    }
    return x->entry < y->entry ? -1 : (x->entry > y->entry);
}

/* qsort has no context argument; sort by hand (the lists are short). */
static void sort_cands(struct cand *c, size_t n, const struct vg_screen_index *idx)
{
    for (size_t i = 1; i < n; i++) {
        struct cand x = c[i];
        size_t j = i;
        while (j > 0 && cmp_cand(&x, &c[j - 1], idx) < 0) {
            c[j] = c[j - 1];
            j--;
        }
        c[j] = x;
    }
}

size_t vg_screen_subject_key(const char *subject, enum vg_watch_type type, char *out, size_t size)
{
    if (subject == NULL) {
        subject = "";
    }
    if (type == VG_WATCH_CONTAINER || type == VG_WATCH_SEAL) {
        return vg__ident_compact(subject, strlen(subject), out, size);
    }
    return vg_name_key(subject, strlen(subject), vg__name_kind_for(type), out, size);
}

enum vg_status vg_screen(struct vg_screener *s,
                         const struct vg_screen_query *in,
                         const struct vg_screen_options *opts,
                         const struct vg_screen_hit **hits,
                         size_t *nhits,
                         struct vg_error *err)
{
    *hits = NULL;
    *nhits = 0;
    double threshold =
        opts != NULL && opts->threshold > 0.0 ? opts->threshold : VG_SCREEN_THRESHOLD;
    size_t limit = opts != NULL && opts->limit > 0 ? opts->limit : VG_SCREEN_LIMIT;
    vg_arena_reset(&s->out);
    next_stamp(s);
    s->ncands = 0;
    struct query q;
    enum vg_status st = prepare_query(s, in, &q);
    if (st == VG_OK) {
        st = name_candidates(s, &q, (float)threshold);
    }
    if (st == VG_OK) {
        st = identifier_candidates(s, &q);
    }
    if (st != VG_OK) {
        return vg_error_set(err, st, "out of memory while screening");
    }
    size_t kept = 0;
    for (size_t i = 0; i < s->ncands; i++) {
        struct cand *c = &s->cands[i];
        if (c->id_score > 0.0f && c->name == UINT32_MAX && q.n > 0) {
            best_name_of(s, &q, c);
        }
        qualify(s->idx, &q, c);
        if (c->score >= (float)threshold - 1e-6f) {
            s->cands[kept++] = *c;
        }
    }
    sort_cands(s->cands, kept, s->idx);
    if (kept > limit) {
        kept = limit;
    }
    if (kept > s->hits_cap) {
        struct vg_screen_hit *h = vg_reallocarray(s->hits, kept, sizeof(*h));
        if (h == NULL) {
            return vg_error_set(err, VG_ENOMEM, "out of memory while screening");
        }
        s->hits = h;
        s->hits_cap = kept;
    }
    const struct vg_screen_index *idx = s->idx;
    for (size_t i = 0; i < kept; i++) {
        const struct cand *c = &s->cands[i];
        const struct ix_entry *e = &idx->entries[c->entry];
        struct vg_screen_hit *h = &s->hits[i];
        memset(h, 0, sizeof(*h));
        h->entry_id = e->entry_id;
        h->list = e->list;
        h->external_id = e->external_id;
        h->entry_name = e->name;
        h->matched_name =
            c->name != UINT32_MAX && c->name_score > 0.0f ? idx->names[c->name].display : "";
        h->type = (enum vg_watch_type)e->type;
        h->countries = e->countries_text;
        h->score = c->score;
        h->name_score = c->name_score;
        h->identifier_score = c->id_score;
        h->qualifiers = c->qualifiers;
        h->weak_alias = c->weak && c->name_score >= c->id_score;
        if (e->entry_id > 0 && idx->ndismissals > 0) {
            /* Dismissals are filed under the subject as read for the entry's type. */
            const char *subject = in->name != NULL && in->name[0] != '\0'
                                      ? in->name
                                      : (in->identifier != NULL ? in->identifier : "");
            char subject_key[VG_NAME_KEY_SIZE];
            vg_screen_subject_key(subject, h->type, subject_key, sizeof(subject_key));
            char key[VG_NAME_KEY_SIZE + 32];
            size_t kl = vg__dismissal_key(e->entry_id, subject_key, key, sizeof(key));
            uint64_t d;
            if (vg_map_get(&idx->dismissals, key, kl, &d)) {
                h->dismissed = true;
                h->dismissal_id = (int64_t)d;
            }
        }
        st = explain(s, &q, in, c, &h->explanation);
        if (st != VG_OK) {
            return vg_error_set(err, st, "out of memory while explaining a hit");
        }
    }
    *hits = s->hits;
    *nhits = kept;
    return VG_OK;
}
