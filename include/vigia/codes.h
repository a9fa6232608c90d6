/*
 * vigia/codes.h - code lists from their publishers: UN/LOCODE, the Harmonized System,
 * and port positions (NGA World Port Index), imported into the store; lookups against
 * them; and the identifier check behind `vigia codes check`.
 *
 * Imports are transactional and idempotent: a record already present with the same
 * content is left alone, so importing a file twice changes nothing (and appends no audit
 * entry the second time). Bad records are rejected with file:line and the reason (kept
 * in the store's rejects for review) and the good ones around them go in.
 */
#ifndef VIGIA_CODES_H
#define VIGIA_CODES_H

#include <stdbool.h>
#include <stdint.h>

#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vg_store;

struct vg_import_report {
    int64_t records;   /* data records read */
    int64_t inserted;  /* new rows */
    int64_t updated;   /* rows whose content changed */
    int64_t unchanged; /* rows already present as they are */
    int64_t skipped;   /* records that carry no code (headers, country rows, references) */
    int64_t rejected;  /* records refused (see vigia rejects) */
    int64_t flagged;   /* records taken with a data-quality finding (see vigia quality) */
};

/* Called for each problem record (may be NULL): rejected says whether the record was
 * refused (true) or taken with a finding (false); err names file, line and reason. */
typedef void (*vg_problem_fn)(void *user, bool rejected, const struct vg_error *err);

/*
 * Imports one UN/LOCODE code-list part in the UNECE CSV layout (Change, Country,
 * Location, Name, NameWoDiacritics, Subdiv, Function, Status, Date, IATA, Coordinates,
 * Remarks), ISO 8859-1 or UTF-8. edition may be NULL (taken from a "YYYY-N" in the file
 * name when present). Entries marked "X" (to be removed) delete the code. Coordinates that are not valid
 * degrees and minutes are dropped with a finding; the code itself goes in.
 * Returns VG_OK, VG_EPARTIAL when some records were rejected, or an error.
 */
VG_NODISCARD enum vg_status vg_codes_import_unlocode(struct vg_store *store, const char *path,
                                                     const char *edition,
                                                     struct vg_import_report *report,
                                                     vg_problem_fn on_reject, void *user,
                                                     struct vg_error *err);

/* Imports an HS nomenclature CSV with the columns hscode, description, parent, level
 * (section optional), such as UN Comtrade's harmonized-system.csv. */
VG_NODISCARD enum vg_status vg_codes_import_hs(struct vg_store *store, const char *path,
                                               const char *edition,
                                               struct vg_import_report *report,
                                               vg_problem_fn on_reject, void *user,
                                               struct vg_error *err);

/* Imports port positions from the NGA World Port Index CSV (Pub. 150 layout: World Port
 * Index Number, Main Port Name, UN/LOCODE, Latitude, Longitude, Harbor Size/Type...). */
VG_NODISCARD enum vg_status vg_codes_import_ports(struct vg_store *store, const char *path,
                                                  struct vg_import_report *report,
                                                  vg_problem_fn on_reject, void *user,
                                                  struct vg_error *err);

struct vg_locode_info {
    char locode[6];
    char country[3];
    char name[128];
    char subdivision[8];
    char functions[9];  /* UN/LOCODE function classifier, e.g. "1-------" (port) */
    char status[3];
    bool has_position;
    double lat, lon;
};

/* Looks up a UN/LOCODE in the imported list. VG_ENOTFOUND when absent. */
VG_NODISCARD enum vg_status vg_codes_locode_lookup(struct vg_store *store, const char *locode,
                                                   struct vg_locode_info *out,
                                                   struct vg_error *err);

struct vg_hs_info {
    char code[11];
    int level;
    char parent[11];
    char description[512];
};

/* Looks up an HS code (2, 4 or 6 digits) in the imported nomenclature. VG_ENOTFOUND when
 * absent. */
VG_NODISCARD enum vg_status vg_codes_hs_lookup(struct vg_store *store, const char *code,
                                               struct vg_hs_info *out, struct vg_error *err);

struct vg_port_info {
    char locode[6];
    char name[128];
    char country[3];
    double lat, lon;
    char source[16]; /* "wpi", "unlocode" or "builtin" */
};

/*
 * Position of a port by UN/LOCODE: the imported World Port Index first, then UN/LOCODE
 * coordinates, then vigia's small built-in table of the ports its demo uses (Peruvian
 * ports and their usual partners). store may be NULL (built-in table only).
 * VG_ENOTFOUND when no source knows it.
 */
VG_NODISCARD enum vg_status vg_codes_port_lookup(struct vg_store *store, const char *locode,
                                                 struct vg_port_info *out,
                                                 struct vg_error *err);

/* Calls fn for every port of the built-in table. */
void vg_codes_builtin_ports(void (*fn)(void *user, const struct vg_port_info *port), void *user);

enum vg_code_kind {
    VG_CODE_CONTAINER,
    VG_CODE_SIZE_TYPE,
    VG_CODE_IMO,
    VG_CODE_MMSI,
    VG_CODE_LOCODE,
    VG_CODE_HS,
    VG_CODE_RUC,
};

/* Parses "container", "sizetype", "imo", "mmsi", "locode", "hs", "ruc". */
bool vg_code_kind_parse(const char *name, enum vg_code_kind *out);

struct vg_code_check {
    bool valid;
    char normalized[32];
    char summary[512]; /* one sentence: what it is, or what is wrong and what was expected */
};

/*
 * Checks one identifier of the given kind. LOCODE and HS codes are also looked up in the
 * imported lists when store is not NULL (an unknown code is invalid with a message
 * saying so; without a store only the syntax is checked). Returns VG_OK when the check
 * ran (out->valid says the verdict), or an error when it could not run.
 */
VG_NODISCARD enum vg_status vg_codes_check(struct vg_store *store, enum vg_code_kind kind,
                                           const char *text, struct vg_code_check *out,
                                           struct vg_error *err);

#ifdef __cplusplus
}
#endif
#endif
