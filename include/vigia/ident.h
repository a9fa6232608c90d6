/*
 * vigia/ident.h - identifiers: validation, normalisation and clear errors.
 *
 *   ISO 6346 container numbers and size-type codes
 *   IMO ship numbers, MMSI (with the flag state of its MID)
 *   UN/LOCODE (syntax here; existence against an imported list in vigia/codes.h)
 *   HS codes (syntax here; the 6-digit root against an imported list in vigia/codes.h)
 *   Peru RUC tax ids (modulus 11)
 *
 * Every parser takes the text as sent, normalises it (case, spaces, separators) and
 * fills a caller-allocated result. On a bad check digit it still fills the result
 * (normalised text, the digit found and the digit expected) and returns VG_ECHECK, because
 * a wrong number is kept as sent and is itself evidence. VG_EPARSE means the text is not
 * that kind of identifier at all. err (may be NULL) gets a sentence saying what is wrong
 * and what was expected. None of these functions allocates.
 */
#ifndef VIGIA_IDENT_H
#define VIGIA_IDENT_H

#include <stdbool.h>
#include <stdint.h>

#include <vigia/slice.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- ISO 6346 container numbers ------------------------------------------------------ */

struct vg_container_number {
    char text[12];      /* normalised: owner(3) category(1) serial(6) check(1), e.g. CSQU3054383 */
    char owner[4];      /* owner code, 3 letters */
    char category;      /* equipment category: 'U' freight container, 'J' detachable
                           equipment, 'Z' trailer or chassis */
    char serial[7];     /* 6 digits */
    int check_digit;    /* digit as written */
    int expected_check; /* digit computed from the first ten characters (remainder 10 -> 0) */
};

/*
 * Parses a container number. Spaces, hyphens, dots and slashes are ignored and letters are
 * upper-cased ("msku 305438-3" -> "MSKU3054383"). Returns VG_OK when valid, VG_ECHECK when
 * well-formed but the check digit differs (out is filled), VG_EPARSE on a wrong length,
 * a category other than U/J/Z, or characters out of place.
 */
enum vg_status vg_container_parse(struct vg_slice text,
                                  struct vg_container_number *out,
                                  struct vg_error *err);

/* The check digit for the first ten characters (owner, category, serial) of s, or -1 when
 * they are not of the right form. */
int vg_container_check_digit(const char *s10);

enum vg_equipment_group {
    VG_EQUIP_UNKNOWN = 0,
    VG_EQUIP_GENERAL,     /* G: general purpose */
    VG_EQUIP_VENTILATED,  /* V: fantainer, ventilated */
    VG_EQUIP_BULK,        /* B: dry bulk */
    VG_EQUIP_NAMED_CARGO, /* S: named cargo (livestock, cars...) */
    VG_EQUIP_REEFER,      /* R: integral reefer */
    VG_EQUIP_INSULATED,   /* H: insulated, or refrigerated with removable equipment */
    VG_EQUIP_OPEN_TOP,    /* U: open top, hard top */
    VG_EQUIP_FLAT,        /* P: platform, flat rack */
    VG_EQUIP_TANK,        /* T, N, K: tanks */
    VG_EQUIP_AIR_SURFACE, /* A: air/surface */
};

struct vg_size_type {
    char code[5];            /* as normalised, e.g. "45R1" or legacy "4530" */
    bool legacy;             /* ISO 6346:1984 all-numeric code */
    int length_mm;           /* 0 when the length code is unknown */
    int length_ft;           /* nominal: 10, 20, 30, 40, 45... 0 when unknown */
    int height_mm;           /* nominal; 0 when unknown */
    bool high_cube;          /* 9'6" or more */
    bool wide;               /* wider than 2438 mm */
    enum vg_equipment_group group;
    const char *description; /* static text for the type code, never NULL */
};

/* Parses an ISO 6346 size-type code (1995 "22G1", "45R1", "L5G1"; legacy 1984 "2230",
 * "4510"). VG_EPARSE when the length, height or type part is unknown. */
enum vg_status vg_size_type_parse(struct vg_slice text, struct vg_size_type *out,
                                  struct vg_error *err);

/* A short lowercase name for group ("reefer", "tank"...), static. */
const char *vg_equipment_group_name(enum vg_equipment_group group);

/* ---- IMO ship numbers -------------------------------------------------------------- */

/* Parses an IMO number ("9321483", "IMO 9321483", "IMO9321483"). *out gets the 7-digit
 * number even when the check digit is wrong (VG_ECHECK). */
enum vg_status vg_imo_parse(struct vg_slice text, uint32_t *out, struct vg_error *err);

/* ---- MMSI -------------------------------------------------------------------------- */

enum vg_mmsi_kind {
    VG_MMSI_INVALID = 0,
    VG_MMSI_SHIP,          /* MIDxxxxxx */
    VG_MMSI_GROUP,         /* 0MIDxxxxx */
    VG_MMSI_COAST_STATION, /* 00MIDxxxx */
    VG_MMSI_SAR_AIRCRAFT,  /* 111MIDxxx */
    VG_MMSI_HANDHELD,      /* 8MIDxxxxx */
    VG_MMSI_SART,          /* 970xxyyyy */
    VG_MMSI_MOB,           /* 972xxyyyy */
    VG_MMSI_EPIRB,         /* 974xxyyyy */
    VG_MMSI_CRAFT_OF_SHIP, /* 98MIDxxxx: craft associated with a parent ship */
    VG_MMSI_ATON,          /* 99MIDxxxx: aid to navigation */
};

struct vg_mmsi {
    uint32_t mmsi;
    enum vg_mmsi_kind kind;
    uint16_t mid;            /* 0 when the kind has none */
    char flag[3];            /* ISO 3166 alpha-2 of the MID's country, "" when unallocated */
    const char *flag_name;   /* static country name, "" when unallocated */
};

/*
 * Parses a 9-digit MMSI and classifies it. VG_EPARSE when not 9 digits. A 9-digit number
 * whose MID is not allocated returns VG_ECHECK with kind and mid filled and flag "".
 */
enum vg_status vg_mmsi_parse(struct vg_slice text, struct vg_mmsi *out, struct vg_error *err);

/* Classifies a numeric MMSI (as decoded from AIS). Same results as vg_mmsi_parse. */
enum vg_status vg_mmsi_classify(uint32_t mmsi, struct vg_mmsi *out, struct vg_error *err);

/* Looks up a Maritime Identification Digit. Returns true and sets *alpha2 (static) and
 * *name (static) when allocated. */
bool vg_mid_lookup(unsigned mid, const char **alpha2, const char **name);

/* Calls fn for every MID in the table, in ascending order (for tests and listings). */
void vg_mid_foreach(void (*fn)(void *user, unsigned mid, const char *alpha2, const char *name),
                    void *user);

/* A short name for kind ("ship", "coast station"...), static. */
const char *vg_mmsi_kind_name(enum vg_mmsi_kind kind);

/* ---- UN/LOCODE --------------------------------------------------------------------- */

/* Normalises a UN/LOCODE ("pe cll", "PE-CLL", "PECLL" -> "PECLL"): 2 letters of country
 * then 3 characters from A-Z and 2-9. out must hold 6 bytes. VG_EPARSE otherwise; VG_ECHECK (out filled)
 * when the location part holds the digits 0 or 1, which Recommendation 16 excludes but a
 * few published codes carry. Whether
 * the code exists is answered by vg_codes_locode_lookup (vigia/codes.h). */
enum vg_status vg_locode_parse(struct vg_slice text, char out[6], struct vg_error *err);

/* ---- HS codes ---------------------------------------------------------------------- */

struct vg_hs_code {
    char digits[11]; /* normalised digits, 2 to 10 of them */
    int length;      /* 2, 4, 6, 8 or 10 */
    int chapter;     /* 1..99 (98 and 99 are national-use chapters) */
    char root6[7];   /* the 6-digit subheading ("" when shorter than 6) */
};

/* Parses an HS code: digits with optional dots or spaces ("0804.40", "080440", "0804400000").
 * Lengths 2/4/6 are Harmonized System levels, 8 and 10 national subheadings whose 6-digit
 * root is the HS subheading. VG_EPARSE on odd lengths, non-digits, chapter 00 or 77
 * (reserved for future use); 98 and 99 are accepted as national-use chapters. Existence is answered by vg_codes_hs_lookup. */
enum vg_status vg_hs_parse(struct vg_slice text, struct vg_hs_code *out, struct vg_error *err);

/* ---- Peru RUC ---------------------------------------------------------------------- */

struct vg_ruc {
    char text[12];      /* 11 digits */
    int check_digit;    /* as written */
    int expected_check; /* modulus 11 over the first ten digits with weights 5432765432 */
    const char *kind;   /* static: "person" (10), "company" (20), "non-domiciled" (15/16/17) */
};

/* Parses a Peru RUC (11 digits; separators ignored). VG_ECHECK with out filled when the
 * check digit differs; VG_EPARSE when not 11 digits or the prefix is not 10, 15, 16, 17,
 * or 20. */
enum vg_status vg_ruc_parse(struct vg_slice text, struct vg_ruc *out, struct vg_error *err);

/* The RUC check digit of the first ten digits of s, or -1 when they are not digits. */
int vg_ruc_check_digit(const char *s10);

#ifdef __cplusplus
}
#endif
#endif
