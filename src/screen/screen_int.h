/* Private declarations of the screening module (src/screen). */
#ifndef VIGIA_SCREEN_INT_H
#define VIGIA_SCREEN_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vigia/arena.h>
#include <vigia/map.h>
#include <vigia/screen.h>

/* ---- legal forms and particles (legal.c) --------------------------------------------- */

/* Where a legal form may stand in a name. */
enum { LEGAL_END = 1, LEGAL_START = 2 };

/*
 * Looks for the longest legal form made of the words tok[0..n) read from the end (where
 * == LEGAL_END: the form must end at tok[n-1]) or from the start (LEGAL_START: begin at
 * tok[0]). Returns the number of tokens it covers, 0 when none.
 */
size_t vg__legal_form_match(const char *const *tok, const uint8_t *len, size_t n, int where);

/* True when the token is a name particle or connective (DE, DEL, LA, Y, VAN, OF...). */
bool vg__is_particle(const char *tok, size_t len);

/* True when the token is a generic business word whose weight is capped (INVERSIONES,
 * COMERCIAL, TRADING...). */
bool vg__is_generic_word(const char *tok, size_t len);

/* For the unit test: every table is in the order its binary search needs. */
bool vg__legal_tables_sorted(void);
bool vg__country_tables_sorted(void);

/* ---- identifiers (ident.c) ------------------------------------------------------------- */

enum ident_scheme {
    SCHEME_OTHER = 0, /* any other document number: identifier_match 0.85 */
    SCHEME_IMO,
    SCHEME_MMSI,
    SCHEME_RUC,
    SCHEME_CONTAINER,
    SCHEME_SEAL,
    SCHEME_CALLSIGN,
};

/* True for the schemes whose match is strong evidence (0.95): IMO, MMSI, RUC, container,
 * seal. */
bool vg__scheme_strong(enum ident_scheme s);

/* Lowercase scheme label for explanations ("IMO", "MMSI", "RUC", "container"...). */
const char *vg__scheme_label(enum ident_scheme s);

/*
 * Reads one identifier item ("IMO 9187629", "RUC # 20108363101", "9187629" for a vessel,
 * "MSKU3054383" for a container) into its scheme and normalised value (letters upper-case,
 * digits; separators dropped) in out (size bytes). entry_type guides items without a scheme
 * word. Returns false when nothing usable remains (fewer than 4 characters).
 */
bool vg__ident_read(const char *text,
                    size_t len,
                    enum vg_watch_type entry_type,
                    enum ident_scheme *scheme,
                    char *out,
                    size_t size);

/* Normalises a bare number (letters and digits kept, upper-cased); returns its length. */
size_t vg__ident_compact(const char *text, size_t len, char *out, size_t size);

/* ---- entry fields (entry.c) ------------------------------------------------------------ */

/* Calls fn for every non-empty, trimmed item of a ';'-separated list. Stops when fn
 * returns non-zero and returns that value. */
int vg__split_list(const char *list,
                   int (*fn)(void *user, const char *item, size_t len),
                   void *user);

/* Copies s[0..n) into arena with control characters (a NUL included) turned into spaces
 * and spaces trimmed, so that no field is cut short or carries line breaks. NULL on OOM. */
char *vg__clean_dup(struct vg_arena *arena, const char *s, size_t n);

/* ASCII case-insensitive equality of two NUL-terminated strings. */
bool vg__ieq(const char *a, const char *b);

/* Index of the string equal to key[0..len) in a strcmp-sorted table, or -1. */
ptrdiff_t vg__table_find(const char *const *table, size_t count, const char *key, size_t len);

/* ---- the index (index.c), used by the screener (match.c) ------------------------------- */

/* Tokens in more names than this are not followed from the query (their posting lists
 * would make every query touch thousands of names); a name made only of such tokens is
 * found through its rarest one instead. */
#define IX_DF_CAP 1000

enum { NAME_PRIMARY = 0, NAME_ALIAS = 1, NAME_WEAK = 2 };

struct ix_list_csr {
    uint32_t *off; /* nkeys + 1 offsets into val */
    uint32_t *val;
    size_t nkeys;
};

struct ix_entry {
    int64_t entry_id;
    const char *list;
    const char *external_id;
    const char *name;
    const char *countries_text; /* alpha-2 codes joined by ',' */
    uint32_t first_name;        /* into idx->names: an entry's names are contiguous */
    uint32_t nname;
    uint32_t first_ident; /* into idx->idents */
    uint16_t nident;
    uint8_t type; /* enum vg_watch_type */
    uint8_t ncountries;
    char countries[8][2];
};

struct ix_ident {
    uint32_t entry;
    uint8_t scheme; /* enum ident_scheme */
    const char *value;
};

struct ix_tok {
    uint32_t vocab;
    uint8_t role;
    uint8_t flags;
};

struct ix_name {
    uint32_t entry;
    uint32_t tok_off; /* into idx->toks */
    uint32_t opt_off; /* into idx->opts: optional (legal-form, particle) token texts */
    uint8_t ntok;
    uint8_t nopt;
    uint8_t kind; /* NAME_PRIMARY, NAME_ALIAS, NAME_WEAK */
    bool person;
    float weight; /* sum of the token weights (finish) */
    const char *display;
    const char *key;
    const char *legal_forms;
};

struct ix_vocab {
    const char *text;
    uint32_t df;  /* names holding the token */
    float weight; /* informativeness in [0.25, 1] */
    uint8_t len;
    uint8_t flags; /* VG_TOKEN_* of the token */
};

struct vg_screen_index {
    bool finished;
    struct vg_arena strings;
    struct ix_entry *entries;
    size_t nentries, entries_cap;
    struct ix_name *names;
    size_t nnames, names_cap;
    struct ix_tok *toks;
    size_t ntoks, toks_cap;
    const char **opts;
    size_t nopts, opts_cap;
    struct ix_ident *idents;
    size_t nidents, idents_cap;
    struct ix_vocab *vocab;
    size_t nvocab, vocab_cap;
    struct vg_map vocab_map; /* token text -> vocab id */
    /* Built by finish. */
    struct ix_list_csr postings; /* vocab id -> names */
    struct vg_map phon_map;      /* phonetic key -> key id */
    struct ix_list_csr phon;     /* key id -> vocab ids */
    struct vg_map del_map;       /* one-deletion key -> key id */
    struct ix_list_csr del;      /* key id -> vocab ids */
    struct vg_map weak_map;      /* weak alias key -> key id */
    struct ix_list_csr weak;     /* key id -> names */
    struct vg_map ident_map;     /* identifier value -> key id */
    struct ix_list_csr ident;    /* key id -> idents */
    struct vg_map dismissals;    /* "entry id|subject key" -> dismissal id */
    size_t ndismissals;
};

/* Starts an entry of an unfinished index: its countries and identifiers (and, for
 * containers and seals, its name as a number); *out gets its index. */
enum vg_status vg__index_entry_begin(struct vg_screen_index *idx,
                                     const char *list,
                                     int64_t entry_id,
                                     const char *external_id,
                                     const char *name,
                                     enum vg_watch_type type,
                                     const char *countries,
                                     const char *identifiers,
                                     uint32_t *out);

/* Adds a name (NAME_PRIMARY, NAME_ALIAS, NAME_WEAK) to the entry just begun. Names of an
 * entry must be added before the next entry begins. */
enum vg_status vg__index_add_name(
    struct vg_screen_index *idx, uint32_t entry, int kind, const char *text, size_t len);

/* The weight of a token that appears in df names, before the generic-word cap. */
float vg__token_weight(uint32_t df);

/* Adds an approved dismissal (index.c, used by the store loader). */
enum vg_status vg__index_add_dismissal(struct vg_screen_index *idx,
                                       int64_t entry_id,
                                       const char *subject_key,
                                       int64_t dismissal_id);

/* The key a dismissal is filed under in idx->dismissals; returns its length. */
size_t vg__dismissal_key(int64_t entry_id, const char *subject_key, char *out, size_t size);

/* The name hint for an entry type. */
enum vg_name_kind vg__name_kind_for(enum vg_watch_type type);

#endif
