/*
 * The screening index (vigia/screen.h): every name of every entry tokenised once, and the
 * blocking structures that let a query reach the few names worth scoring without looking
 * at all of them.
 *
 *   vocabulary   distinct tokens with their document frequency (names holding them) and a
 *                weight: rare tokens say more than common ones (inverse document frequency,
 *                capped for generic business words such as INVERSIONES or TRADING)
 *   postings     token -> names. Tokens in more than IX_DF_CAP names (COMPANY, AL...) are
 *                not followed; a name made only of such tokens is posted under its rarest
 *   phonetic     phonetic key -> tokens that sound alike (vg_phonetic_key)
 *   deletions    every ASCII token of 4 or more letters under itself and each of its
 *                one-letter deletions: two tokens within one edit (substitution, insertion,
 *                deletion, adjacent transposition) share a key (the symmetric-delete idea of
 *                SymSpell), so a query token finds its close spellings with a handful of
 *                hash lookups instead of a scan of the vocabulary
 *   weak aliases fingerprint -> names, for literal matches only
 *   identifiers  normalised value -> entries
 *
 * Everything is built once by vg_screen_index_finish; afterwards the index is read-only.
 */
#include "screen/screen_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>

/* Makes room for one more element in arr or returns VG_ENOMEM from the caller. */
#define GROW(arr, n, cap, kind)                              \
 do {                                                        \
  kind *p_ = vg_grow((arr), &(cap), (n) + 1, sizeof(kind)); \
  if (p_ == NULL) {                                          \
   return VG_ENOMEM;                                         \
  }                                                          \
  (arr) = p_;                                                \
 } while (0)

enum vg_status vg_screen_index_new(struct vg_screen_index **out)
{
    struct vg_screen_index *idx = vg_calloc(1, sizeof(*idx));
    *out = idx;
    if (idx == NULL) {
        return VG_ENOMEM;
    }
    vg_arena_init(&idx->strings, 1u << 16, 0);
    vg_map_init(&idx->vocab_map);
    vg_map_init(&idx->phon_map);
    vg_map_init(&idx->del_map);
    vg_map_init(&idx->weak_map);
    vg_map_init(&idx->ident_map);
    vg_map_init(&idx->dismissals);
    return VG_OK;
}

static void csr_release(struct ix_list_csr *c)
{
    vg_free(c->off);
    vg_free(c->val);
    memset(c, 0, sizeof(*c));
}

void vg_screen_index_free(struct vg_screen_index *idx)
{
    if (idx == NULL) {
        return;
    }
    vg_arena_release(&idx->strings);
    vg_free(idx->entries);
    vg_free(idx->names);
    vg_free(idx->toks);
    vg_free(idx->opts);
    vg_free(idx->idents);
    vg_free(idx->vocab);
    vg_map_release(&idx->vocab_map);
    vg_map_release(&idx->phon_map);
    vg_map_release(&idx->del_map);
    vg_map_release(&idx->weak_map);
    vg_map_release(&idx->ident_map);
    vg_map_release(&idx->dismissals);
    csr_release(&idx->postings);
    csr_release(&idx->phon);
    csr_release(&idx->del);
    csr_release(&idx->weak);
    csr_release(&idx->ident);
    vg_free(idx);
}

float vg__token_weight(uint32_t df)
{
    if (df <= 4) {
        return 1.0f;
    }
    double w = 1.0 - 0.15 * log2((double)df / 4.0);
    return (float)(w < 0.25 ? 0.25 : w);
}

enum vg_name_kind vg__name_kind_for(enum vg_watch_type type)
{
    switch (type) {
    case VG_WATCH_PERSON:
        return VG_NAME_PERSON;
    case VG_WATCH_ORGANIZATION:
        return VG_NAME_ORGANIZATION;
    case VG_WATCH_VESSEL:
    case VG_WATCH_AIRCRAFT:
    case VG_WATCH_CONTAINER:
    case VG_WATCH_SEAL:
        return VG_NAME_VESSEL;
    case VG_WATCH_ANY:
    case VG_WATCH_PARTY:
        break;
    }
    return VG_NAME_UNKNOWN;
}

static const char *keep(struct vg_screen_index *idx, const char *s)
{
    return vg_arena_strndup(&idx->strings, s, strlen(s));
}

static enum vg_status
vocab_id(struct vg_screen_index *idx, const struct vg_name_token *t, uint32_t *id)
{
    uint64_t v;
    if (vg_map_get(&idx->vocab_map, t->text, t->len, &v)) {
        *id = (uint32_t)v;
        return VG_OK;
    }
    GROW(idx->vocab, idx->nvocab, idx->vocab_cap, struct ix_vocab);
    const char *text = vg_arena_strndup(&idx->strings, t->text, t->len);
    if (text == NULL) {
        return VG_ENOMEM;
    }
    if (vg_map_set(&idx->vocab_map, t->text, t->len, idx->nvocab) != VG_OK) {
        return VG_ENOMEM;
    }
    idx->vocab[idx->nvocab] = (struct ix_vocab){
        .text = text,
        .len = t->len,
        .flags = (uint8_t)(t->flags & (VG_TOKEN_NUMBER | VG_TOKEN_INITIAL | VG_TOKEN_ASCII)),
    };
    *id = (uint32_t)idx->nvocab++;
    return VG_OK;
}

struct add_ctx {
    struct vg_screen_index *idx;
    uint32_t entry;
    enum vg_watch_type type;
    int kind;
    enum vg_status st;
};

static enum vg_status add_name(struct vg_screen_index *idx,
                               uint32_t entry,
                               enum vg_watch_type type,
                               int kind,
                               const char *text,
                               size_t len)
{
    if (idx->nnames >= (1u << 24)) {
        return VG_ELIMIT;
    }
    struct vg_name n;
    vg_name_normalize(text, len, vg__name_kind_for(type), &n);
    if (n.ntokens == 0) {
        return VG_OK;
    }
    GROW(idx->names, idx->nnames, idx->names_cap, struct ix_name);
    struct ix_name *nm = &idx->names[idx->nnames];
    memset(nm, 0, sizeof(*nm));
    nm->entry = entry;
    nm->kind = (uint8_t)kind;
    nm->person = n.person;
    nm->display = vg_arena_strndup(&idx->strings, text, len);
    nm->key = keep(idx, n.key);
    nm->legal_forms = keep(idx, n.legal_forms);
    if (nm->display == NULL || nm->key == NULL || nm->legal_forms == NULL) {
        return VG_ENOMEM;
    }
    nm->tok_off = (uint32_t)idx->ntoks;
    nm->opt_off = (uint32_t)idx->nopts;
    if (kind != NAME_WEAK) {
        for (size_t i = 0; i < n.ntokens; i++) {
            GROW(idx->toks, idx->ntoks, idx->toks_cap, struct ix_tok);
            uint32_t v;
            enum vg_status st = vocab_id(idx, &n.tokens[i], &v);
            if (st != VG_OK) {
                return st;
            }
            idx->toks[idx->ntoks++] = (struct ix_tok){ v, n.tokens[i].role, n.tokens[i].flags };
        }
        nm->ntok = (uint8_t)n.ntokens;
        for (size_t i = 0; i < n.noptional; i++) {
            GROW(idx->opts, idx->nopts, idx->opts_cap, const char *);
            const char *o = keep(idx, n.optional[i].text);
            if (o == NULL) {
                return VG_ENOMEM;
            }
            idx->opts[idx->nopts++] = o;
        }
        nm->nopt = (uint8_t)n.noptional;
    }
    idx->entries[entry].nname++;
    idx->nnames++;
    return VG_OK;
}

static int add_alias(void *user, const char *item, size_t len)
{
    struct add_ctx *c = user;
    c->st = add_name(c->idx, c->entry, c->type, c->kind, item, len);
    return c->st != VG_OK;
}

static enum vg_status add_ident(struct vg_screen_index *idx,
                                uint32_t entry,
                                enum vg_watch_type type,
                                const char *item,
                                size_t len)
{
    enum ident_scheme scheme;
    char value[64];
    if (!vg__ident_read(item, len, type, &scheme, value, sizeof(value))) {
        return VG_OK;
    }
    struct ix_entry *e = &idx->entries[entry];
    for (uint32_t i = 0; i < e->nident; i++) {
        const struct ix_ident *d = &idx->idents[e->first_ident + i];
        if (d->scheme == scheme && strcmp(d->value, value) == 0) {
            return VG_OK;
        }
    }
    if (e->nident == UINT16_MAX) {
        return VG_OK;
    }
    GROW(idx->idents, idx->nidents, idx->idents_cap, struct ix_ident);
    const char *v = keep(idx, value);
    if (v == NULL) {
        return VG_ENOMEM;
    }
    idx->idents[idx->nidents++] = (struct ix_ident){ entry, (uint8_t)scheme, v };
    e->nident++;
    return VG_OK;
}

static int add_ident_item(void *user, const char *item, size_t len)
{
    struct add_ctx *c = user;
    c->st = add_ident(c->idx, c->entry, c->type, item, len);
    return c->st != VG_OK;
}

static int add_country_item(void *user, const char *item, size_t len)
{
    struct ix_entry *e = user;
    char code[3];
    if (!vg_country_code(item, len, code) || e->ncountries >= 8) {
        return 0;
    }
    for (size_t i = 0; i < e->ncountries; i++) {
        if (memcmp(e->countries[i], code, 2) == 0) {
            return 0;
        }
    }
    memcpy(e->countries[e->ncountries++], code, 2);
    return 0;
}

enum vg_status vg__index_entry_begin(struct vg_screen_index *idx,
                                     const char *list,
                                     int64_t entry_id,
                                     const char *external_id,
                                     const char *name,
                                     enum vg_watch_type type,
                                     const char *countries,
                                     const char *identifiers,
                                     uint32_t *out)
{
    if (idx->finished) {
        return VG_EINVAL;
    }
    if (idx->nentries >= UINT32_MAX - 1) {
        return VG_ELIMIT;
    }
    GROW(idx->entries, idx->nentries, idx->entries_cap, struct ix_entry);
    uint32_t id = (uint32_t)idx->nentries;
    struct ix_entry *x = &idx->entries[id];
    memset(x, 0, sizeof(*x));
    x->entry_id = entry_id;
    x->type = (uint8_t)type;
    x->list = keep(idx, list != NULL ? list : "");
    x->external_id = keep(idx, external_id != NULL ? external_id : "");
    x->name = keep(idx, name != NULL ? name : "");
    x->first_ident = (uint32_t)idx->nidents;
    x->first_name = (uint32_t)idx->nnames;
    vg__split_list(countries, add_country_item, x);
    char text[8 * 3 + 1] = "";
    for (size_t i = 0; i < x->ncountries; i++) {
        size_t k = strlen(text);
        snprintf(text + k, sizeof(text) - k, "%s%.2s", i > 0 ? "," : "", x->countries[i]);
    }
    x->countries_text = keep(idx, text);
    if (x->list == NULL || x->external_id == NULL || x->name == NULL || x->countries_text == NULL) {
        return VG_ENOMEM;
    }
    idx->nentries++;
    struct add_ctx c = { idx, id, type, NAME_PRIMARY, VG_OK };
    vg__split_list(identifiers, add_ident_item, &c);
    if (c.st != VG_OK) {
        return c.st;
    }
    if (type == VG_WATCH_CONTAINER || type == VG_WATCH_SEAL) {
        /* Containers and seals are their numbers. */
        enum vg_status st = add_ident(idx, id, type, x->name, strlen(x->name));
        if (st != VG_OK) {
            return st;
        }
    }
    *out = id;
    return VG_OK;
}

enum vg_status vg__index_add_name(
    struct vg_screen_index *idx, uint32_t entry, int kind, const char *text, size_t len)
{
    enum vg_watch_type type = (enum vg_watch_type)idx->entries[entry].type;
    if (type == VG_WATCH_CONTAINER || type == VG_WATCH_SEAL) {
        return VG_OK;
    }
    return add_name(idx, entry, type, kind, text, len);
}

enum vg_status vg_screen_index_add(struct vg_screen_index *idx,
                                   const char *list,
                                   int64_t entry_id,
                                   const struct vg_watch_entry *e)
{
    uint32_t id;
    enum vg_status st = vg__index_entry_begin(idx, list, entry_id, e->external_id, e->name, e->type,
                                              e->countries, e->identifiers, &id);
    if (st != VG_OK) {
        return st;
    }
    const char *name = e->name != NULL ? e->name : "";
    st = vg__index_add_name(idx, id, NAME_PRIMARY, name, strlen(name));
    if (st != VG_OK || e->type == VG_WATCH_CONTAINER || e->type == VG_WATCH_SEAL) {
        return st;
    }
    struct add_ctx c = { idx, id, e->type, NAME_ALIAS, VG_OK };
    vg__split_list(e->aliases, add_alias, &c);
    if (c.st != VG_OK) {
        return c.st;
    }
    c.kind = NAME_WEAK;
    vg__split_list(e->weak_aliases, add_alias, &c);
    return c.st;
}

size_t vg__dismissal_key(int64_t entry_id, const char *subject_key, char *out, size_t size)
{
    int n = snprintf(out, size, "%lld|%s", (long long)entry_id, subject_key);
    return n < 0 ? 0 : ((size_t)n < size ? (size_t)n : size - 1);
}

enum vg_status vg__index_add_dismissal(struct vg_screen_index *idx,
                                       int64_t entry_id,
                                       const char *subject_key,
                                       int64_t dismissal_id)
{
    char key[VG_NAME_KEY_SIZE + 32];
    size_t n = vg__dismissal_key(entry_id, subject_key, key, sizeof(key));
    if (vg_map_set(&idx->dismissals, key, n, (uint64_t)dismissal_id) != VG_OK) {
        return VG_ENOMEM;
    }
    idx->ndismissals++;
    return VG_OK;
}

/* ---- finish ----------------------------------------------------------------------------- */

struct pairs {
    uint32_t (*p)[2];
    size_t n, cap;
};

static enum vg_status pair_add(struct pairs *ps, uint32_t key, uint32_t val)
{
    uint32_t(*np)[2] = vg_grow(ps->p, &ps->cap, ps->n + 1, sizeof(*np));
    if (np == NULL) {
        return VG_ENOMEM;
    }
    ps->p = np;
    ps->p[ps->n][0] = key;
    ps->p[ps->n][1] = val;
    ps->n++;
    return VG_OK;
}

/* Counting sort of pairs by key into a CSR (values keep their insertion order; adjacent
 * duplicates of one key are dropped). Frees the pairs. */
static enum vg_status csr_build(struct ix_list_csr *c, size_t nkeys, struct pairs *ps)
{
    csr_release(c);
    c->off = vg_calloc(nkeys + 1, sizeof(uint32_t));
    c->val = vg_calloc(ps->n > 0 ? ps->n : 1, sizeof(uint32_t));
    if (c->off == NULL || c->val == NULL) {
        vg_free(ps->p);
        memset(ps, 0, sizeof(*ps));
        csr_release(c);
        return VG_ENOMEM;
    }
    c->nkeys = nkeys;
    for (size_t i = 0; i < ps->n; i++) {
        c->off[ps->p[i][0] + 1]++;
    }
    for (size_t k = 0; k < nkeys; k++) {
        c->off[k + 1] += c->off[k];
    }
    uint32_t *fill = vg_calloc(nkeys > 0 ? nkeys : 1, sizeof(uint32_t));
    if (fill == NULL) {
        vg_free(ps->p);
        memset(ps, 0, sizeof(*ps));
        csr_release(c);
        return VG_ENOMEM;
    }
    for (size_t i = 0; i < ps->n; i++) {
        uint32_t k = ps->p[i][0];
        uint32_t at = c->off[k] + fill[k];
        if (fill[k] > 0 && c->val[at - 1] == ps->p[i][1]) {
            continue;
        }
        c->val[at] = ps->p[i][1];
        fill[k]++;
    }
    /* Compact away the room left by dropped duplicates. */
    uint32_t w = 0;
    for (size_t k = 0; k < nkeys; k++) {
        uint32_t start = c->off[k];
        c->off[k] = w;
        memmove(c->val + w, c->val + start, fill[k] * sizeof(uint32_t));
        w += fill[k];
    }
    c->off[nkeys] = w;
    vg_free(fill);
    vg_free(ps->p);
    memset(ps, 0, sizeof(*ps));
    return VG_OK;
}

/* The id of key in map, adding it (with the next id) when new. */
static enum vg_status key_id(struct vg_map *map, const char *key, size_t len, uint32_t *id)
{
    bool existed;
    uint64_t v;
    if (vg_map_put(map, key, len, map->count, &existed, &v) != VG_OK) {
        return VG_ENOMEM;
    }
    *id = existed ? (uint32_t)v : (uint32_t)(map->count - 1);
    return VG_OK;
}

static enum vg_status build_postings(struct vg_screen_index *idx)
{
    for (size_t v = 0; v < idx->nvocab; v++) {
        idx->vocab[v].df = 0;
    }
    for (size_t n = 0; n < idx->nnames; n++) {
        const struct ix_name *nm = &idx->names[n];
        for (uint32_t i = 0; i < nm->ntok; i++) {
            uint32_t v = idx->toks[nm->tok_off + i].vocab;
            bool seen = false;
            for (uint32_t j = 0; j < i && !seen; j++) {
                seen = idx->toks[nm->tok_off + j].vocab == v;
            }
            if (!seen) {
                idx->vocab[v].df++;
            }
        }
    }
    for (size_t v = 0; v < idx->nvocab; v++) {
        struct ix_vocab *x = &idx->vocab[v];
        x->weight = vg__token_weight(x->df);
        if (vg__is_generic_word(x->text, x->len) && x->weight > 0.5f) {
            x->weight = 0.5f;
        }
    }
    struct pairs ps = { 0 };
    for (size_t n = 0; n < idx->nnames; n++) {
        struct ix_name *nm = &idx->names[n];
        float w = 0;
        uint32_t rarest = UINT32_MAX;
        bool posted = false;
        for (uint32_t i = 0; i < nm->ntok; i++) {
            uint32_t v = idx->toks[nm->tok_off + i].vocab;
            w += idx->vocab[v].weight;
            if (rarest == UINT32_MAX || idx->vocab[v].df < idx->vocab[rarest].df) {
                rarest = v;
            }
            if (idx->vocab[v].df <= IX_DF_CAP) {
                if (pair_add(&ps, v, (uint32_t)n) != VG_OK) {
                    vg_free(ps.p);
                    return VG_ENOMEM;
                }
                posted = true;
            }
        }
        nm->weight = w;
        if (!posted && rarest != UINT32_MAX && pair_add(&ps, rarest, (uint32_t)n) != VG_OK) {
            vg_free(ps.p);
            return VG_ENOMEM;
        }
    }
    return csr_build(&idx->postings, idx->nvocab, &ps);
}

static bool letters_only(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 'A' || s[i] > 'Z') {
            return false;
        }
    }
    return n > 0;
}

static enum vg_status build_fuzzy(struct vg_screen_index *idx)
{
    struct pairs phon = { 0 }, del = { 0 };
    enum vg_status st = VG_OK;
    for (size_t v = 0; v < idx->nvocab && st == VG_OK; v++) {
        const struct ix_vocab *x = &idx->vocab[v];
        if (!letters_only(x->text, x->len)) {
            continue;
        }
        if (x->len >= 3) {
            char key[VG_NAME_TOKEN_SIZE * 2];
            size_t kl = vg_phonetic_key(x->text, x->len, key, sizeof(key));
            uint32_t id;
            if (kl > 0) {
                st = key_id(&idx->phon_map, key, kl, &id);
                if (st == VG_OK) {
                    st = pair_add(&phon, id, (uint32_t)v);
                }
            }
        }
        if (x->len >= 4 && st == VG_OK) {
            char buf[VG_NAME_TOKEN_SIZE];
            for (size_t skip = 0; skip <= x->len && st == VG_OK; skip++) {
                /* skip == len: the token itself */
                size_t k = 0;
                for (size_t i = 0; i < x->len; i++) {
                    if (i != skip) {
                        buf[k++] = x->text[i];
                    }
                }
                uint32_t id;
                st = key_id(&idx->del_map, buf, k, &id);
                if (st == VG_OK) {
                    st = pair_add(&del, id, (uint32_t)v);
                }
            }
        }
    }
    if (st != VG_OK) {
        vg_free(phon.p);
        vg_free(del.p);
        return st;
    }
    st = csr_build(&idx->phon, idx->phon_map.count, &phon);
    if (st != VG_OK) {
        vg_free(del.p);
        return st;
    }
    return csr_build(&idx->del, idx->del_map.count, &del);
}

static enum vg_status build_exact(struct vg_screen_index *idx)
{
    struct pairs weak = { 0 }, ident = { 0 };
    enum vg_status st = VG_OK;
    for (size_t n = 0; n < idx->nnames && st == VG_OK; n++) {
        const struct ix_name *nm = &idx->names[n];
        if (nm->kind != NAME_WEAK) {
            continue;
        }
        uint32_t id;
        st = key_id(&idx->weak_map, nm->key, strlen(nm->key), &id);
        if (st == VG_OK) {
            st = pair_add(&weak, id, (uint32_t)n);
        }
    }
    for (size_t i = 0; i < idx->nidents && st == VG_OK; i++) {
        uint32_t id;
        st = key_id(&idx->ident_map, idx->idents[i].value, strlen(idx->idents[i].value), &id);
        if (st == VG_OK) {
            st = pair_add(&ident, id, (uint32_t)i);
        }
    }
    if (st != VG_OK) {
        vg_free(weak.p);
        vg_free(ident.p);
        return st;
    }
    st = csr_build(&idx->weak, idx->weak_map.count, &weak);
    if (st != VG_OK) {
        vg_free(ident.p);
        return st;
    }
    return csr_build(&idx->ident, idx->ident_map.count, &ident);
}

enum vg_status vg_screen_index_finish(struct vg_screen_index *idx)
{
    if (idx->finished) {
        return VG_OK;
    }
    /* Rebuilding from scratch keeps a failed finish retryable. */
    vg_map_release(&idx->phon_map);
    vg_map_release(&idx->del_map);
    vg_map_release(&idx->weak_map);
    vg_map_release(&idx->ident_map);
    enum vg_status st = build_postings(idx);
    if (st == VG_OK) {
        st = build_fuzzy(idx);
    }
    if (st == VG_OK) {
        st = build_exact(idx);
    }
    if (st == VG_OK) {
        idx->finished = true;
    }
    return st;
}

void vg_screen_index_stats(const struct vg_screen_index *idx, struct vg_screen_index_stats *out)
{
    memset(out, 0, sizeof(*out));
    out->entries = idx->nentries;
    for (size_t n = 0; n < idx->nnames; n++) {
        out->names += idx->names[n].kind != NAME_WEAK;
    }
    out->vocabulary = idx->nvocab;
    out->postings = idx->postings.off != NULL ? idx->postings.off[idx->postings.nkeys] : 0;
    out->identifiers = idx->nidents;
    out->dismissals = idx->ndismissals;
    out->bytes = idx->strings.used + idx->entries_cap * sizeof(struct ix_entry) +
                 idx->names_cap * sizeof(struct ix_name) + idx->toks_cap * sizeof(struct ix_tok) +
                 idx->vocab_cap * sizeof(struct ix_vocab) +
                 idx->idents_cap * sizeof(struct ix_ident) + idx->opts_cap * sizeof(char *) +
                 (idx->postings.nkeys + out->postings) * sizeof(uint32_t) +
                 (idx->del.nkeys + (idx->del.off != NULL ? idx->del.off[idx->del.nkeys] : 0)) *
                     sizeof(uint32_t) * 2 +
                 idx->vocab_map.keys.used + idx->del_map.keys.used + idx->phon_map.keys.used;
}
