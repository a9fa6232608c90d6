/*
 * vigia/screen.h - watch lists and explainable fuzzy screening.
 *
 * Four layers, each usable on its own:
 *
 *   names      vg_name_normalize turns a name as written into match tokens: Unicode
 *              compatibility decomposition and case folding (utf8proc), accents and
 *              punctuation removed, legal forms (S.A.C., E.I.R.L., GmbH, Ltd...) and name
 *              particles (DE, DEL, LA, Y...) set apart, and persons written the OFAC way
 *              ("RODRIGUEZ OREJUELA, Gilberto Jose") read as given names and surnames.
 *   lists      parsers for the vigia watch-list CSV (docs/formats.md) and the OFAC SDN
 *              files (sdn.csv, alt.csv, add.csv), which hand over one struct
 *              vg_watch_entry per good record and refuse bad ones with their position; and
 *              the store imports built on them (idempotent, audited, entries that
 *              disappear are marked removed, never deleted).
 *   index      struct vg_screen_index: every name of every entry, tokenised once, behind a
 *              blocking index (token postings, a Spanish-aware phonetic key and one-edit
 *              deletion keys over the token vocabulary), plus identifiers (IMO, MMSI, RUC,
 *              container, seal...) for exact matching. Built from the store or directly from
 *              parsed files; read-only once finished, so threads may share one.
 *   screening  struct vg_screener (one per thread) screens a name, with an optional type,
 *              country and identifier, and returns ranked hits. Each hit carries a score in
 *              [0,1] made the way OpenSanctions' logic-v1 makes it (the best main feature -
 *              name similarity or identifier match - plus negative qualifiers such as a
 *              country mismatch) and a sentence an analyst reads: which tokens matched which
 *              (exactly, fuzzily with the similarity, by sound, as an initial), what was
 *              missing, the identifier match and the country qualifier.
 *
 * docs/screening.md explains the scoring with its constants; docs/formats.md the CSV.
 *
 * Dismissals: a false hit may be dismissed for one subject (a name, as normalised) and one
 * version of one list entry. A dismissal needs a reason, is requested by one actor and
 * approved by another, is audited, and lapses automatically when the entry changes (its
 * digest differs) or disappears from the list. Screening reports a hit as dismissed only
 * when an approved, non-lapsed dismissal exists for that entry version and subject.
 */
#ifndef VIGIA_SCREEN_H
#define VIGIA_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vigia/codes.h>
#include <vigia/rows.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;

/* ---- names ------------------------------------------------------------------------- */

#define VG_NAME_MAX_TOKENS   16 /* match tokens kept per name; the rest is dropped */
#define VG_NAME_MAX_OPTIONAL 8  /* legal-form and particle tokens kept per name */
#define VG_NAME_TOKEN_SIZE   48 /* bytes per token including the NUL; longer tokens are cut */
#define VG_NAME_KEY_SIZE     256

/* What a name is known to be, as a hint to the normaliser. */
enum vg_name_kind {
    VG_NAME_UNKNOWN = 0,  /* decide from the text: a single comma that is not followed by
                             a legal form marks a person written "SURNAMES, Given" */
    VG_NAME_PERSON,       /* a person; a comma separates surnames from given names */
    VG_NAME_ORGANIZATION, /* a company or other body; commas are punctuation */
    VG_NAME_VESSEL,       /* a ship or aircraft name; commas are punctuation, no legal forms;
                             a type designation before it (M/V, MV, M/N, B/M, MT, MS) is
                             set apart as legal forms are */
};

/* The part a token plays in a person's name (persons read "SURNAMES, Given" only). */
enum vg_name_role {
    VG_ROLE_NONE = 0,      /* not a person, or structure unknown */
    VG_ROLE_GIVEN,         /* first given name */
    VG_ROLE_GIVEN_OTHER,   /* second and later given names (often left out) */
    VG_ROLE_SURNAME,       /* first surname (Spanish: the father's) */
    VG_ROLE_SURNAME_OTHER, /* second and later surnames (Spanish: the mother's; often left
                              out or written as an initial) */
};

enum vg_name_token_flags {
    VG_TOKEN_NUMBER = 1u << 0,   /* holds a digit: matched exactly, never fuzzily */
    VG_TOKEN_INITIAL = 1u << 1,  /* a single letter */
    VG_TOKEN_ASCII = 1u << 2,    /* only A-Z and 0-9 (eligible for fuzzy matching) */
    VG_TOKEN_LEGAL = 1u << 3,    /* optional token: part of a legal form */
    VG_TOKEN_PARTICLE = 1u << 4, /* optional token: a name particle or connective */
    VG_TOKEN_TYPE = 1u << 5,     /* optional token: a vessel's type designation (M/V) */
};

struct vg_name_token {
    char text[VG_NAME_TOKEN_SIZE]; /* NUL-terminated; A-Z, 0-9, or case-folded UTF-8 letters
                                      of other scripts */
    uint8_t len;                   /* bytes */
    uint8_t role;                  /* enum vg_name_role */
    uint8_t flags;                 /* enum vg_name_token_flags */
};

/*
 * A normalised name. tokens are the match tokens in reading order, given names first for
 * persons; optional holds the legal-form and particle tokens that were set apart (they
 * never count against a match, but may complete one). key is the match tokens joined by
 * single spaces: the name's fingerprint ("GILBERTO JOSE RODRIGUEZ OREJUELA"), used for
 * literal matches, for watchlist_names.name_key and as the subject of dismissals. Plain
 * data, caller storage; entries of tokens and optional beyond their counts are unspecified.
 */
struct vg_name {
    struct vg_name_token tokens[VG_NAME_MAX_TOKENS];
    size_t ntokens;
    struct vg_name_token optional[VG_NAME_MAX_OPTIONAL];
    size_t noptional;
    bool person;          /* read as a person with known given names and surnames */
    bool truncated;       /* tokens beyond the limits were dropped */
    char legal_forms[64]; /* the legal forms removed, as found, e.g. "SAC" or "SA DE CV" */
    char key[VG_NAME_KEY_SIZE];
};

/*
 * Normalises text[0..len) (UTF-8; invalid bytes separate tokens) into *out. Never fails
 * and never allocates: an empty or all-punctuation name gives ntokens 0 and key "". When
 * legal-form and particle removal would leave no token, those tokens are kept as match
 * tokens ("SA" alone stays "SA").
 */
void vg_name_normalize(const char *text, size_t len, enum vg_name_kind hint, struct vg_name *out);

/* Writes the fingerprint of text (as vg_name_normalize's key) into out (size bytes,
 * always NUL-terminated when size > 0) and returns its length. */
size_t vg_name_key(const char *text, size_t len, enum vg_name_kind hint, char *out, size_t size);

/*
 * Jaro-Winkler similarity of two byte strings in [0,1] (1 when equal, 0 when either is
 * empty), with the usual prefix scale 0.1 over at most 4 characters. Meant for
 * normalised ASCII tokens.
 */
double vg_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);

/*
 * A phonetic key of an upper-case ASCII token for Spanish-speaking names: B and V, S, Z
 * and soft C, hard C, K and QU, LL and Y, G, GU and J sound alike, a silent H drops,
 * doubled letters collapse, vowels stay ("VELASQUEZ" and "VELAZQUEZ" both give
 * "BELASKES", "RODRIGUEZ" and "RODRIGES" both "RODRIJES"). Writes at most size - 1 bytes and a NUL;
 * returns the length (0 for tokens that are not upper-case ASCII letters).
 */
size_t vg_phonetic_key(const char *token, size_t len, char *out, size_t size);

/*
 * The ISO 3166-1 alpha-2 code for a country written as a code ("PE", "pe") or an English
 * name, in the usual or OFAC spellings ("Peru", "Korea, North", "Burma", "Cote d Ivoire").
 * Writes the code and a NUL into out and returns true when known.
 */
bool vg_country_code(const char *text, size_t len, char out[3]);

/* ---- watch-list entries ------------------------------------------------------------ */

enum vg_watch_type {
    VG_WATCH_ANY = 0,      /* queries only: any type */
    VG_WATCH_PARTY,        /* a person or an organisation, not told which */
    VG_WATCH_PERSON,       /* a party known to be a person */
    VG_WATCH_ORGANIZATION, /* a party known to be a company or other body */
    VG_WATCH_VESSEL,
    VG_WATCH_AIRCRAFT,
    VG_WATCH_CONTAINER, /* matched by number only (ISO 6346, normalised) */
    VG_WATCH_SEAL,      /* matched by number only (letters and digits, normalised) */
};

/* The lowercase name of type ("party", "person"...), static; "any" for VG_WATCH_ANY. */
const char *vg_watch_type_name(enum vg_watch_type type);

/* Parses a type name (ASCII case-insensitive, as vg_watch_type_name writes them, plus
 * "individual", "company" and "entity"). */
bool vg_watch_type_parse(const char *text, enum vg_watch_type *out);

/*
 * One watch-list entry as a parser hands it over. Every string is NUL-terminated UTF-8,
 * never NULL ("" when absent), borrowed for the duration of the callback.
 */
struct vg_watch_entry {
    const char *external_id; /* the entry's stable key within its list: the publisher's id
                                (OFAC ent_num, the CSV "id" column) or, without one,
                                "type:name key[:identifier]" */
    const char *name;        /* primary name as listed */
    enum vg_watch_type type;
    const char *countries;    /* countries as listed, separated by ';' (alpha-2 for OFAC) */
    const char *identifiers;  /* "SCHEME VALUE" items separated by ';' ("IMO 9187629;MMSI
                                 572469210"); the scheme may be left out when the type and
                                 syntax tell it (an IMO number for a vessel) */
    const char *aliases;      /* other names, separated by ';' */
    const char *weak_aliases; /* weak aliases (OFAC's quoted a.k.a. in remarks), separated
                                 by ';': matched literally only */
    const char *note;         /* free text (OFAC: program, title, remarks) */
    const char *source;       /* who listed it (OFAC: "OFAC SDN") */
    uint32_t line;            /* line of the record in its file (1-based), 0 when unknown */
};

/* BLAKE2b-256 over every field of e except line (length-prefixed, in a fixed order): the
 * entry digest. Two versions of an entry differ exactly when their digests differ. */
void vg_watch_entry_digest(const struct vg_watch_entry *e, uint8_t out[32]);

/*
 * Receives what a parser reads. entry is called once per good record; reject once per
 * refused record with its position and reason (excerpt: the record's bytes in the input,
 * may be NULL); flag (may be NULL) for doubtful content taken as sent (an unknown country,
 * a bad check digit), with the field and its value. A callback that returns anything but
 * VG_OK stops the parser, which returns that status.
 */
struct vg_watch_sink {
    enum vg_status (*entry)(void *user, const struct vg_watch_entry *e);
    enum vg_status (*reject)(void *user,
                             const struct vg_error *reason,
                             const char *excerpt,
                             size_t excerpt_len);
    enum vg_status (*flag)(void *user,
                           const struct vg_error *reason,
                           const char *field,
                           const char *value);
    void *user;
};

/*
 * Parses a vigia watch-list CSV (docs/formats.md): a header with at least the columns name
 * and type, optionally country, source, note, identifier, aliases and id, in any order.
 * UTF-8 (ISO 8859-1 is accepted when the text is not valid UTF-8). source names the input
 * in positions. Records with no name, an unknown type or broken CSV syntax are rejected;
 * the others are handed over. Returns VG_OK, VG_EFORMAT when the header lacks name or type
 * (nothing is handed over), VG_ENOMEM, or a callback's status.
 */
VG_NODISCARD enum vg_status vg_watchlist_parse_csv(const char *data,
                                                   size_t len,
                                                   const char *source,
                                                   const struct vg_watch_sink *sink,
                                                   struct vg_error *err);

/* A file given to a parser as memory: its bytes and the name used in positions. */
struct vg_watch_file {
    const char *data;
    size_t len;
    const char *source;
};

struct vg_ofac_stats {
    int64_t entries;        /* sdn.csv records handed over */
    int64_t aliases;        /* alt.csv names joined to an entry */
    int64_t orphan_aliases; /* alt.csv names whose ent_num is not in sdn.csv */
    int64_t addresses;      /* add.csv records joined to an entry */
    int64_t identifiers;    /* identifiers read from remarks and call signs */
};

/*
 * Parses OFAC's legacy CSV files: sdn (required; no header; ent_num, SDN_Name, SDN_Type,
 * Program, Title, Call_Sign, Vess_type, Tonnage, GRT, Vess_flag, Vess_owner, Remarks),
 * alt (may have data NULL: ent_num, alt_num, alt_type, alt_name, alt_remarks) and add (may
 * have data NULL: ent_num, add_num, address, city, country, add_remarks). ISO 8859-1, CRLF,
 * "-0- " for empty, a trailing Ctrl-Z. Each SDN record becomes one entry: type person,
 * organization, vessel or aircraft; aliases from alt joined on ent_num; countries (alpha-2)
 * from nationality, citizenship, place of birth, identifier documents, vessel flag and
 * addresses; identifiers from the remarks (IMO, MMSI, RUC, national ids, tax ids,
 * passports...) and the call sign; weak aliases from the remarks' quoted a.k.a. Records of
 * any file with a bad ent_num or the wrong number of fields are rejected. stats may be NULL.
 * Returns VG_OK, VG_ENOMEM, or a callback's status.
 */
VG_NODISCARD enum vg_status vg_watchlist_parse_ofac(const struct vg_watch_file *sdn,
                                                    const struct vg_watch_file *alt,
                                                    const struct vg_watch_file *add,
                                                    const struct vg_watch_sink *sink,
                                                    struct vg_ofac_stats *stats,
                                                    struct vg_error *err);

/* ---- store: imports, listings ------------------------------------------------------ */

struct vg_watchlist_report {
    int64_t records;        /* records read (good and rejected) */
    int64_t inserted;       /* entries new to the list */
    int64_t changed;        /* entries whose content changed (the old version is kept,
                               marked removed) */
    int64_t unchanged;      /* entries already present as they are */
    int64_t removed;        /* entries no longer in the file, marked removed */
    int64_t duplicates;     /* records repeating an earlier one of the same file exactly */
    int64_t rejected;       /* records refused (see vigia rejects) */
    int64_t flagged;        /* records taken with a data-quality finding (vigia quality) */
    int64_t lapsed;         /* dismissals that lapsed because their entry changed or went */
    int64_t aliases;        /* OFAC: aliases joined */
    int64_t orphan_aliases; /* OFAC: aliases of unknown entries */
    bool removals_skipped;  /* records were rejected, so absent entries were not removed
                               (a record that failed to parse may still be on the list) */
};

/*
 * Imports a vigia watch-list CSV into the list named list (NULL: the file name without
 * directory and extension), creating the list when new. One transaction: entries new to
 * the list are added with their names (primary, aliases) and an entry digest; an entry
 * whose content changed gets a new version and the old one is marked removed; entries
 * absent from the file are marked removed (unless some record was rejected); dismissals
 * of changed or removed entries lapse; one audit entry ("watchlist.import") records the
 * counts. Importing the same file again changes nothing and appends no audit entry. Bad
 * records are kept in rejects with file:line and the reason, and on_problem (may be NULL)
 * hears of each. Returns VG_OK, VG_EPARTIAL when records were rejected, VG_EFORMAT when
 * the file is not a watch-list CSV, VG_EIO / VG_ENOTFOUND when it cannot be read, VG_EDB.
 */
VG_NODISCARD enum vg_status vg_watchlist_import_csv(struct vg_store *store,
                                                    const char *path,
                                                    const char *list,
                                                    struct vg_watchlist_report *report,
                                                    vg_problem_fn on_problem,
                                                    void *user,
                                                    struct vg_error *err);

/*
 * Imports the OFAC SDN list from sdn_path and alt_path (aliases; may be NULL) and
 * add_path (addresses, for countries; may be NULL) into the list named list (NULL: "OFAC
 * SDN"), as vg_watchlist_import_csv does (same transaction, versioning, removal, lapse,
 * audit and idempotence rules). The entry's external id is its ent_num.
 */
VG_NODISCARD enum vg_status vg_watchlist_import_ofac(struct vg_store *store,
                                                     const char *sdn_path,
                                                     const char *alt_path,
                                                     const char *add_path,
                                                     const char *list,
                                                     struct vg_watchlist_report *report,
                                                     vg_problem_fn on_problem,
                                                     void *user,
                                                     struct vg_error *err);

/* Lists the watch lists: columns list, kind, source, entries (active), removed,
 * imported_at (ISO 8601 UTC). */
VG_NODISCARD enum vg_status
vg_watchlists_list(struct vg_store *store, const struct vg_row_sink *sink, struct vg_error *err);

/* Lists the entries of one list (all lists when list is NULL), active ones unless
 * include_removed: columns id, list, external_id, type, name, country, identifier, aliases,
 * source, status (active or removed), added_at, removed_at. */
VG_NODISCARD enum vg_status vg_watchlist_entries_list(struct vg_store *store,
                                                      const char *list,
                                                      bool include_removed,
                                                      const struct vg_row_sink *sink,
                                                      struct vg_error *err);

/* ---- dismissals -------------------------------------------------------------------- */

/*
 * Requests the dismissal of the hit of entry entry_id (an active entry) on subject (the
 * screened name or number as the analyst saw it; kept as its fingerprint) for reason (at
 * least 10 characters). The request is pending until another actor approves it. The
 * requester is the store's actor. Audited ("watchlist.dismiss"). *dismissal_id (may be
 * NULL) gets the new id. Returns VG_OK, VG_EINVAL (empty subject, short reason),
 * VG_ENOTFOUND (no such active entry), VG_ECONFLICT (a pending or approved dismissal of
 * the same entry version and subject exists; err names it), VG_EDB.
 */
VG_NODISCARD enum vg_status vg_watchlist_dismiss(struct vg_store *store,
                                                 int64_t entry_id,
                                                 const char *subject,
                                                 const char *reason,
                                                 int64_t *dismissal_id,
                                                 struct vg_error *err);

/*
 * Approves pending dismissal dismissal_id as the store's actor, who must not be the
 * requester (compared without regard to ASCII case). Audited ("watchlist.approve").
 * Returns VG_OK, VG_ENOTFOUND, VG_EDENIED (the requester approving their own request),
 * VG_ECONFLICT (not pending, or the entry changed or went since the request: the
 * dismissal is then marked lapsed, audited), VG_EDB.
 */
VG_NODISCARD enum vg_status
vg_watchlist_approve(struct vg_store *store, int64_t dismissal_id, struct vg_error *err);

/* Lists dismissals, newest first, only those with status (pending, approved, lapsed) when
 * not NULL: columns id, entry_id, list, entry_name, subject, status, reason, requested_by,
 * requested_at, approved_by, approved_at. */
VG_NODISCARD enum vg_status vg_watchlist_dismissals_list(struct vg_store *store,
                                                         const char *status,
                                                         const struct vg_row_sink *sink,
                                                         struct vg_error *err);

/* ---- index ------------------------------------------------------------------------- */

struct vg_screen_index;

/* Creates an empty index (*out owned by the caller, vg_screen_index_free). VG_ENOMEM. */
VG_NODISCARD enum vg_status vg_screen_index_new(struct vg_screen_index **out);

/* Frees the index. NULL-safe. Screeners made from it must be freed first. */
void vg_screen_index_free(struct vg_screen_index *idx);

/*
 * Adds entry e of list list (copied) to an unfinished index. entry_id is the entry's row
 * in the store (0 when it has none). Container and seal entries are indexed by number
 * (their name and identifiers); the others by every name and identifier. VG_EINVAL after
 * vg_screen_index_finish, VG_ELIMIT past 16 million names, VG_ENOMEM.
 */
VG_NODISCARD enum vg_status vg_screen_index_add(struct vg_screen_index *idx,
                                                const char *list,
                                                int64_t entry_id,
                                                const struct vg_watch_entry *e);

/*
 * Adds the active entries of the store's watch lists (only the list named list when not
 * NULL), with their names as stored, and the approved dismissals whose entry version is
 * still current. VG_EDB, VG_ENOMEM, VG_EINVAL after vg_screen_index_finish.
 */
VG_NODISCARD enum vg_status vg_screen_index_load(struct vg_screen_index *idx,
                                                 struct vg_store *store,
                                                 const char *list,
                                                 struct vg_error *err);

/* Builds the blocking structures. After it the index is read-only: any number of
 * screeners, in any threads, may use it. VG_ENOMEM (the index stays unfinished). */
VG_NODISCARD enum vg_status vg_screen_index_finish(struct vg_screen_index *idx);

struct vg_screen_index_stats {
    size_t entries;
    size_t names;      /* primary names and aliases (weak aliases not counted) */
    size_t vocabulary; /* distinct tokens */
    size_t postings;   /* token occurrences indexed */
    size_t identifiers;
    size_t dismissals;
    size_t bytes; /* memory held, roughly */
};

/* Figures of a finished or unfinished index. */
void vg_screen_index_stats(const struct vg_screen_index *idx, struct vg_screen_index_stats *out);

/* ---- screening --------------------------------------------------------------------- */

#define VG_SCREEN_THRESHOLD 0.70 /* default: hits below it are not reported */
#define VG_SCREEN_LIMIT     10   /* default: hits reported at most */

struct vg_screen_query {
    const char *name;        /* the subject's name (UTF-8); may be NULL with an identifier */
    enum vg_watch_type type; /* VG_WATCH_ANY, or only entries of this kind (PARTY takes
                                persons and organisations; PERSON and ORGANIZATION also take
                                plain parties) */
    const char *country;     /* alpha-2 code or English name, or NULL */
    const char *identifier;  /* IMO, MMSI, RUC, container or seal number or other id, or
                                NULL */
};

struct vg_screen_options {
    double threshold; /* 0 picks VG_SCREEN_THRESHOLD */
    size_t limit;     /* 0 picks VG_SCREEN_LIMIT */
};

/* One token of the subject set against one of the listed name. */
enum vg_screen_match_kind {
    VG_MATCH_EXACT = 0,
    VG_MATCH_PHONETIC, /* sounds alike (same phonetic key) */
    VG_MATCH_FUZZY,    /* within one edit, Jaro-Winkler at or above 0.90 */
    VG_MATCH_INITIAL,  /* a single letter against a name starting with it */
    VG_MATCH_LEGAL,    /* a legal-form or particle word on one side completes the other */
};

struct vg_screen_hit {
    int64_t entry_id;         /* the entry's store row, 0 for an index built from files */
    const char *list;         /* watch list name */
    const char *external_id;  /* the entry's key in its list (OFAC ent_num) */
    const char *entry_name;   /* primary name as listed */
    const char *matched_name; /* the listed name that matched (primary, alias) or "" when
                                 only the identifier matched */
    enum vg_watch_type type;
    const char *countries;   /* the entry's countries, alpha-2 joined by ',' ("" none) */
    double score;            /* final score in [0,1] */
    double name_score;       /* name similarity (0 when no name matched) */
    double identifier_score; /* 0.95 strong identifier (IMO, MMSI, RUC, container, seal),
                                0.85 other, 0 none */
    double qualifiers;       /* sum of the negative qualifiers applied (0 or below) */
    bool weak_alias;         /* matched a weak alias literally (scored 0.80) */
    bool dismissed;          /* an approved, current dismissal covers this subject */
    int64_t dismissal_id;    /* that dismissal, 0 when none */
    const char *explanation; /* one line for the analyst: the matched tokens, what was
                                missing, legal forms ignored, identifier, country, score */
};

struct vg_screener;

/* Creates a screener over a finished index (borrowed; must outlive the screener).
 * VG_EINVAL when idx is not finished, VG_ENOMEM. */
VG_NODISCARD enum vg_status vg_screener_new(const struct vg_screen_index *idx,
                                            struct vg_screener **out);

/* Frees the screener. NULL-safe. */
void vg_screener_free(struct vg_screener *s);

/*
 * Screens one subject. *hits gets at most opts->limit hits with a score at or above the
 * threshold, best first (ties by entry name), one per entry; the array and its strings
 * belong to the screener and stay valid until its next vg_screen call or its free. opts
 * may be NULL (defaults). A query with neither a name nor an identifier gives no hits.
 * Returns VG_OK or VG_ENOMEM (with *nhits 0).
 */
VG_NODISCARD enum vg_status vg_screen(struct vg_screener *s,
                                      const struct vg_screen_query *q,
                                      const struct vg_screen_options *opts,
                                      const struct vg_screen_hit **hits,
                                      size_t *nhits,
                                      struct vg_error *err);

/* The subject key a dismissal of a hit on q's subject is recorded under (the name's
 * fingerprint, or for containers and seals the normalised number) into out. Returns its
 * length. */
size_t vg_screen_subject_key(const char *subject, enum vg_watch_type type, char *out, size_t size);

#ifdef __cplusplus
}
#endif
#endif
