/*
 * Private model of the ingest module.
 *
 * Every input format is mapped to the same in-memory document (struct ing_document): a
 * manifest (a voyage with consignments, their parties, goods and equipment) or a list of
 * equipment events. Mappers (EDIFACT CUSCAR/CODECO/..., CSV, JSON) only fill documents;
 * the writer validates identifiers, resolves parties, vessels, port calls and containers,
 * records findings and writes rows. All strings of a document live in its arena (one per
 * message, reset between messages) and are NUL-terminated UTF-8; NULL means absent.
 * Times are UTC seconds (VG_TIME_NONE when absent); numbers NAN when absent.
 */
#ifndef VIGIA_INGEST_INT_H
#define VIGIA_INGEST_INT_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>

#include <vigia/arena.h>
#include <vigia/ingest.h>
#include <vigia/map.h>
#include <vigia/slice.h>
#include <vigia/time.h>

#include "store/store_int.h"

/* A growable array in an arena. */
struct ing_vec {
    void *items;
    size_t n, cap;
};

/* Appends a zeroed element of size bytes; NULL on OOM. */
void *vg__ing_push(struct vg_arena *arena, struct ing_vec *v, size_t size);

#define ING_AT(vec, type, i) (&((type *)(vec).items)[i])

/* Where a datum came from in its message. */
struct ing_source {
    int32_t segment_no; /* 1-based segment (EDIFACT) or record (CSV) within the message */
    int64_t offset;     /* byte offset in the file */
    uint32_t line;      /* 1-based line in the file, 0 when unknown */
    const char *tag;    /* segment tag or column name, for findings */
};

struct ing_vessel {
    const char *name, *imo, *call_sign, *mmsi, *flag;
    /* Derived by vg__ing_doc_prepare (NULL: the writer derives it): the name's key, the
     * normaliser's read as a vessel's ("" when the name folds to nothing). */
    const char *name_key;
};

struct ing_voyage {
    struct ing_vessel vessel;
    const char *voyage;
    const char *carrier;
    const char *port;     /* UN/LOCODE of the call the document describes */
    const char *terminal;
    const char *previous_port, *next_port;
    int64_t eta, etd, ata, atd;
    struct ing_source src;
};

/* Place qualifiers, by meaning (EDIFACT LOC 3227 qualifiers map onto these). */
enum ing_place_kind {
    ING_PLACE_RECEIPT,        /* LOC+88 place of receipt */
    ING_PLACE_LOADING,        /* LOC+9 port of loading */
    ING_PLACE_DISCHARGE,      /* LOC+11 port of discharge */
    ING_PLACE_DELIVERY,       /* LOC+7 place of delivery */
    ING_PLACE_TRANSHIPMENT,   /* LOC+13 */
    ING_PLACE_DEPARTURE,      /* LOC+5 */
    ING_PLACE_NEXT_CALL,      /* LOC+61 */
    ING_PLACE_ORIGIN_LOADING, /* LOC+76 original port of loading */
    ING_PLACE_DESTINATION,    /* LOC+8 / LOC+83 final destination */
    ING_PLACE_ORIGIN,         /* LOC+27/35 country/place of origin */
    ING_PLACE_OTHER,
};

/* The name stored in consignment_places.qualifier. */
const char *vg__ing_place_name(enum ing_place_kind kind);

struct ing_place {
    enum ing_place_kind kind;
    const char *locode;
    struct ing_source src;
};

struct ing_party {
    const char *role;      /* shipper, consignee, notify, forwarder, carrier, broker, ... */
    const char *id;        /* identifier as sent */
    const char *id_scheme; /* "RUC", "EORI", ... NULL when unknown */
    const char *name, *address, *city, *postcode, *country;
    /* Derived by vg__ing_doc_prepare (NULL: the writer derives them): the name's key and
     * the address's key (vg__ing_name_key, vg__ing_address_key). */
    const char *name_key, *address_key;
    struct ing_source src;
};

struct ing_seal {
    const char *number;
    const char *party;     /* CA carrier, SH shipper, CU customs, TO terminal, AC..., NULL */
};

struct ing_equipment {
    const char *number;
    const char *size_type;
    const char *full_empty;  /* "full", "empty", NULL */
    double gross_kg, tare_kg, vgm_kg;
    struct ing_vec seals;    /* struct ing_seal */
    struct ing_source src;
};

struct ing_placement {
    const char *container;
    int64_t packages;        /* -1 unknown */
    double gross_kg;
};

struct ing_goods {
    int seq;
    const char *hs;
    const char *description;
    int64_t packages;        /* -1 unknown */
    const char *package_type;
    double gross_kg, net_kg, volume_m3, value;
    const char *currency;
    struct ing_vec placements; /* struct ing_placement */
    struct ing_source src;
};

struct ing_consignment {
    const char *bl;
    const char *master_bl;   /* for a house B/L */
    const char *kind;        /* "master", "house", "straight" (NULL: straight) */
    const char *carrier;
    int64_t declared_at;
    const char *goods_description;
    int64_t total_packages;  /* -1 unknown */
    double gross_kg;
    struct ing_vec places;    /* struct ing_place */
    struct ing_vec parties;   /* struct ing_party */
    struct ing_vec goods;     /* struct ing_goods */
    struct ing_vec equipment; /* struct ing_equipment */
    struct ing_source src;
    int64_t stored_id; /* the writer's: its new row, inserted ahead of the document (0: none) */
};

/* Equipment event kinds stored in equipment_events.kind. */
#define ING_EV_GATE_IN "gate_in"
#define ING_EV_GATE_OUT "gate_out"
#define ING_EV_LOAD "load"
#define ING_EV_DISCHARGE "discharge"
#define ING_EV_STUFFING "stuffing"
#define ING_EV_STRIPPING "stripping"
#define ING_EV_SEAL_CHANGE "seal_change"
#define ING_EV_INSPECTION "inspection"
#define ING_EV_STATUS "status"
#define ING_EV_STOWAGE "stowage"           /* BAPLIE: on board at a position */
#define ING_EV_LOAD_ORDER "load_order"     /* COPRAR: planned load */
#define ING_EV_DISCHARGE_ORDER "discharge_order"
#define ING_EV_SHIFT "shift"               /* restow / shift on board */

struct ing_event {
    const char *kind;         /* one of ING_EV_* */
    const char *status_code;  /* the sender's code (e.g. IFTSTA STS), as sent */
    const char *container;
    const char *size_type;
    int64_t time;
    const char *place;        /* UN/LOCODE */
    const char *terminal;
    const char *bl;
    const char *full_empty;
    double gross_kg;
    const char *stowage;      /* bay/row/tier */
    struct ing_vec seals;     /* struct ing_seal */
    const char *transport_mode; /* road, rail, barge, vessel */
    const char *vehicle;      /* truck plate, wagon, barge name */
    bool has_voyage;          /* true: voyage below applies (else the document's) */
    struct ing_voyage voyage;
    struct ing_source src;
};

/* A note the mapper wants recorded as a finding (charset, unknown qualifier...). */
struct ing_note {
    const char *kind, *field, *value, *expected, *detail;
    struct ing_source src;
};

enum ing_doc_kind { ING_DOC_MANIFEST, ING_DOC_EVENTS };

enum ing_function {
    ING_FN_ORIGINAL, /* BGM 9 */
    ING_FN_REPLACE,  /* BGM 5 */
    ING_FN_CANCEL,   /* BGM 1 */
    ING_FN_CHANGE,   /* BGM 4 */
    ING_FN_UPSERT,   /* CSV/JSON: new content for known references replaces them */
};

struct ing_document {
    struct vg_arena *arena;
    enum ing_doc_kind kind;
    const char *format;       /* "EDIFACT", "CSV", "JSON" */
    const char *msg_type;     /* "CUSCAR", "CODECO", "manifest.csv", ... */
    const char *msg_version;  /* "D:95B:UN" */
    const char *msg_ref;      /* UNH reference, row number... */
    const char *sender;       /* who sent it (UNB sender, CSV sender column, ...) */
    const char *doc_number;   /* BGM document number, B/L... : the amendment key */
    enum ing_function function;
    int64_t prepared_at;
    bool has_voyage;
    struct ing_voyage voyage;
    struct ing_vec consignments; /* struct ing_consignment */
    struct ing_vec events;       /* struct ing_event */
    struct ing_vec notes;        /* struct ing_note */
    struct vg_buf unmapped;      /* segments or fields no mapper used, one per line */
    /* The message's bytes, for the digest and the raw copy. A reader that knows a better
     * content digest (EDIFACT: independent of line breaks) sets has_digest. */
    bool has_digest;
    uint8_t digest[VG_DIGEST_SIZE];
    const char *raw;
    size_t raw_len;
    /* What messages.raw keeps of raw: raw_packed once decided (vg__raw_pack, by a reader
     * on its own thread), then stored_raw/stored_raw_len in the codec raw_codec (NULL: as
     * sent). A document not packed by its reader is packed by the writer. */
    bool raw_packed;
    bool prepared; /* vg__ing_doc_prepare has run */
    const char *raw_codec;
    const void *stored_raw;
    size_t stored_raw_len;
    int64_t offset;
    uint32_t line;
};

/* Decides what messages.raw keeps of doc's raw bytes (vg__raw_pack with packer, NULL when
 * they are not kept): stored_raw, stored_raw_len and raw_codec are set and raw_packed is
 * true. Done once: a document already packed is left as it is. */
struct vg__raw_packer;
void vg__ing_doc_pack_raw(struct ing_document *doc, struct vg__raw_packer *packer);

/* Prepares an empty document using arena (which the caller resets between messages). */
void vg__ing_doc_init(struct ing_document *doc, struct vg_arena *arena);

/* Key of a party name (name_key.c): the name normaliser's fingerprint (vg_name_key, read as
 * a name of unknown kind: folded, legal forms and particles set apart, "SURNAMES, Given"
 * read as a person). Writes into out (size bytes, NUL-terminated, cut to fit); NULL name:
 * the empty key. */
void vg__ing_name_key(const char *name, char *out, size_t size);

/* Key of a party's address: vg__store_address_key of its address, city and country. Same
 * output contract. */
void vg__ing_address_key(const struct ing_party *p, char *out, size_t size);

/* Size of the buffers the writer derives the keys into (keys are cut to fit). */
#define ING_KEY_SIZE 256

/*
 * Derives what the writer would otherwise derive per record and that depends on the
 * document alone (the parties' name and address keys, the vessels' name keys), so that a
 * parse thread can take the work off the writing thread. Optional; once per document (a
 * second call does nothing). VG_ENOMEM when the arena is exhausted.
 */
enum vg_status vg__ing_doc_prepare(struct ing_document *doc);

/* Releases the document's own buffer (not the arena). */
void vg__ing_doc_release(struct ing_document *doc);

/* Copies a slice into the arena as a trimmed NUL-terminated string; NULL when empty
 * (absent). On OOM returns NULL and sets *oom. */
const char *vg__ing_str(struct ing_document *doc, struct vg_slice s, bool *oom);

/* Records an unmapped item ("LOC+999+XXX" or "column=value"). */
enum vg_status vg__ing_unmapped(struct ing_document *doc, struct vg_slice text);

/* Adds a note (finding) from a mapper. Strings are copied. */
enum vg_status vg__ing_note(struct ing_document *doc, const struct ing_source *src,
                            const char *kind, const char *field, const char *value,
                            const char *expected, const char *detail);

/* The writing side: one per ingest run, holding caches of resolved ids. */
struct ing_session;

enum ing_outcome {
    ING_ACCEPTED,
    ING_DUPLICATE,
    ING_AMENDED,
    ING_CANCELLED,
    ING_COLLISION,
};

enum vg_status vg__ing_session_new(struct vg_store *store, const struct vg_ingest_options *opts,
                                   struct vg_ingest_report *report, struct ing_session **out,
                                   struct vg_error *err);
void vg__ing_session_free(struct ing_session *s);

/* The file being read (set before its documents are written). */
void vg__ing_session_file(struct ing_session *s, int64_t file_id, const char *path);

/* The interchange being read (0 = none). */
void vg__ing_session_interchange(struct ing_session *s, int64_t interchange_id);

/* Forgets cached ids (after a rollback). */
void vg__ing_session_forget(struct ing_session *s);

/*
 * Writes one document in the caller's transaction: dedupe by (sender, digest), amendment
 * logic by (sender, type, doc number), then the records. *outcome says what happened.
 */
enum vg_status vg__ing_write(struct ing_session *s, struct ing_document *doc,
                             enum ing_outcome *outcome, struct vg_error *err);

/* Records a rejected message or record (in the caller's transaction) and reports it. */
enum vg_status vg__ing_reject(struct ing_session *s, const struct vg_error *reason,
                              const char *format, const char *msg_ref, const char *excerpt,
                              size_t excerpt_len, struct vg_error *err);

/* Records a finding and reports it. */
enum vg_status vg__ing_finding(struct ing_session *s, int64_t message_id,
                               const struct ing_source *src, const char *kind,
                               const char *field, const char *value, const char *expected,
                               const char *detail, struct vg_error *err);

/* Digest of every accepted message of the current batch (for the audit entry). */
void vg__ing_session_batch_digest(struct ing_session *s, uint8_t out[VG_DIGEST_SIZE],
                                  int64_t *messages);
void vg__ing_session_batch_reset(struct ing_session *s);

/* ---- format readers: each reads one mapped file and writes through the session ------ */

struct ing_book;

struct ing_file {
    const char *path;
    const char *data;
    size_t len;
    int64_t file_id;
    uint32_t first_line; /* the line data begins on (0: 1); a worksheet's header row */
    uint64_t base;       /* the byte offset data begins at, for positions (a worksheet's
                          * place in the text made of its workbook; 0 for a file) */
    const struct ing_book *book; /* a workbook's sheets (vg__ing_read_book); else NULL */
};

/* CSV manifests and equipment events (docs/formats.md). */
bool vg__ing_csv_sniff(const char *data, size_t len, const char **layout);

/* The CSV layouts as spreadsheets write them (csv_dialect.c). */

/* Reads v as a number: '.' or ',' as the decimal mark, thousands grouped by the other
 * ("12,500.5", "12.500,5"); a lone mark that groups thousands ("12.500") is read as the
 * file's locale has it: grouping when decimal_comma, else a decimal point (and a lone
 * ',' the other way round). False when v is not such a number. */
bool vg__ing_number_text(struct vg_slice v, bool decimal_comma, double *out);

/* What v, a number as written, says of its file's decimal mark: 1 a comma ("12,5",
 * "1.234,5", "1.234.567"), -1 a point ("12.5", "1,234.5"), 0 either ("12.500", "12,500",
 * "12500") or not a number. */
int vg__ing_decimal_hint(struct vg_slice v);

/* Reads v as ISO 8601 (vg_time_parse_iso8601) or day first, as Peru and Europe write
 * dates: "03/05/2024", "3-5-2024 10:20", "03.05.2024 10:20:30"; a time without a zone is
 * in zone. VG_EPARSE with err set (may be NULL) otherwise. */
enum vg_status vg__ing_time_text(struct vg_slice v,
                                 const struct vg_zone *zone,
                                 int64_t *out,
                                 struct vg_error *err);

/* When data[0..len) is not valid UTF-8, appends it to out (caller-initialised, caller
 * frees), each line that is not UTF-8 read as Windows-1252 (ISO 8859-1 where the C
 * library lacks it) and the others as they are, and counts those lines in *converted (the first in
 * *first_line); otherwise leaves out alone and *converted 0. VG_ENOMEM. */
enum vg_status vg__ing_csv_utf8(
    const char *data, size_t len, struct vg_buf *out, size_t *converted, uint32_t *first_line);

/* Compressed input (compressed.c). */
enum ing_compression { ING_PLAIN, ING_GZIP, ING_ZSTD };

/* The compression data[0..len) starts with (by its magic bytes). */
enum ing_compression vg__ing_compression(const char *data, size_t len);

/* The most a compressed file of len bytes may hold: a hundred times its size (feeds
 * compress five to twenty times), at least 256 MiB, at most 8 GiB; past it the file is
 * refused whole (a decompression bomb). The max to initialise vg__ing_decompress's out with. */
size_t vg__ing_decompressed_max(size_t len);

/* Appends what data[0..len), compressed as c, holds to out (caller-initialised with the
 * largest size it may reach; caller frees). VG_EFORMAT for a corrupt or cut-off stream and
 * VG_ELIMIT past out's max, err naming path and the compressed byte offset; VG_ENOMEM. */
enum vg_status vg__ing_decompress(enum ing_compression c,
                                  const char *path,
                                  const char *data,
                                  size_t len,
                                  struct vg_buf *out,
                                  struct vg_error *err);

/* Spreadsheet workbooks (xlsx.c, ods.c): each worksheet as CSV text (',' between fields;
 * numbers with '.', dates as ISO 8601 local times), one line per sheet row. */
struct ing_sheet {
    char name[64];
    size_t offset, len; /* its text in ing_workbook.text; line 1 is the sheet's row 1 */
};

struct ing_workbook {
    struct vg_buf text;
    struct ing_sheet *sheets; /* in the workbook's order, every sheet it names */
    size_t nsheets;
};

/* Frees what a reader made. NULL-safe. */
void vg__ing_workbook_release(struct ing_workbook *x);

/* A workbook read (workbook.c) with the header row of each of its sheets found: what
 * vg__ing_read_book (emit.h) reads. */
struct ing_book {
    struct ing_workbook x;
    size_t *at;     /* per sheet, the offset of its header row in its text; SIZE_MAX: none */
    uint32_t *line; /* per sheet, that row's line */
    size_t known;   /* the sheets that have one: read; the others are recorded as skipped */
};

struct zip; /* libzip's zip_t (zipxml.h) */

/* Reads the workbook data[0..len) into *b (released with vg__ing_book_release): an Excel
 * or OpenDocument workbook in the zip archive z (the caller's, opened on data; vg__zx_kind
 * says it holds no files), else (z NULL) an OLE2 file as an Excel 97-2003 workbook; *format
 * is set to "xlsx", "ods" or "xls". Then finds each sheet's header row: the first of its
 * first ten non-empty rows that is a CSV layout's header (rows above it are a title, as
 * exports often have). Returns what the workbook's reader returned (VG_EFORMAT, VG_ELIMIT,
 * and for .xls VG_ENOTFOUND, VG_EDENIED, VG_EUNSUPPORTED, VG_EIO; why says which) or
 * VG_ENOMEM; on error *b is empty. */
enum vg_status vg__ing_book_read(const char *data,
                                 size_t len,
                                 struct zip *z,
                                 struct ing_book *b,
                                 const char **format,
                                 struct vg_error *why);

/* Frees what vg__ing_book_read made. NULL-safe. */
void vg__ing_book_release(struct ing_book *b);


/* Reads the Excel workbook in the zip archive z (the caller's; vg__zx_kind says
 * VG__ZX_XLSX) into *x (released with vg__ing_workbook_release). VG_EFORMAT for XML that
 * cannot be read and VG_ELIMIT past max_text bytes inflated or made (against decompression
 * bombs: vg__ing_decompressed_max of the file's size), why saying which part and where;
 * VG_ENOMEM. On error *x is empty. */
enum vg_status
vg__ing_xlsx_read(struct zip *z, size_t max_text, struct ing_workbook *x, struct vg_error *why);

/* Whether data is an OLE2 compound file (an Excel 97-2003 .xls, or another Office file). */
bool vg__ing_ole2_magic(const char *data, size_t len);

/* Reads the Excel 97-2003 workbook data[0..len) (.xls) into *x (released with
 * vg__ing_workbook_release), as vg__ing_xlsx_read does an .xlsx, through the child process
 * vigia-xls (xls.c). VG_ENOTFOUND when it is an Office file of another kind (no workbook
 * in it), VG_EDENIED when a password protects it, VG_EFORMAT when it cannot be read or the
 * reader failed on it, VG_ELIMIT past max_text bytes of text, VG_EUNSUPPORTED when
 * vigia-xls is not found, VG_EIO when no temporary copy could be written or the reader
 * could not be started or did not answer in time, VG_ENOMEM; why says which. On error *x
 * is empty. */
enum vg_status vg__ing_xls_read(
    const char *data, size_t len, size_t max_text, struct ing_workbook *x, struct vg_error *why);

/* As vg__ing_xlsx_read, for an OpenDocument spreadsheet (LibreOffice Calc's .ods). */
enum vg_status
vg__ing_ods_read(struct zip *z, size_t max_text, struct ing_workbook *x, struct vg_error *why);

/* JSON documents (docs/formats.md). */
bool vg__ing_json_sniff(const char *data, size_t len);

/* Batch control used by the readers: commits every batch_size documents. */
enum vg_status vg__ing_batch_tick(struct ing_session *s, struct vg_error *err);

#endif
