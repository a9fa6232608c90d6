/*
 * EDIFACT message mappers: each maps one message type to an ingest document
 * (docs/edifact-messages.md lists the segments and qualifiers, by meaning). Shared helpers
 * read values out of segments into the document's arena.
 */
#ifndef VIGIA_INGEST_EDI_INT_H
#define VIGIA_INGEST_EDI_INT_H

#include <vigia/edifact.h>

#include "ingest/ingest_int.h"

struct edi_ctx {
    struct ing_session *s;
    const struct ing_file *f;
    struct vg_buf text;    /* scratch for decoded values */
    struct vg_zone zone;   /* local zone of the message's port (times without a zone) */
    bool zone_known;
    bool oom;
};

/* Component `comp` of element `e` as trimmed UTF-8 in the document's arena; NULL when
 * empty or absent. */
const char *vg__edi_str(struct edi_ctx *c, struct ing_document *doc,
                        const struct vg_edifact_segment *seg, size_t e, size_t comp);

/* True when component `comp` of element `e` equals text (raw comparison). */
bool vg__edi_is(const struct vg_edifact_segment *seg, size_t e, size_t comp, const char *text);

/* A DTM segment: *qualifier gets 2005 (as an int, -1 unknown) and the instant is returned
 * (VG_TIME_NONE with a note when unreadable). */
int64_t vg__edi_dtm(struct edi_ctx *c, struct ing_document *doc,
                    const struct vg_edifact_segment *seg, int *qualifier);

/* A MEA segment's value in kilograms (NAN unless a weight in KGM, TNE, LBR, GRM or the
 * KGS/KG senders use for kilograms; a weight in another unit gets an unknown_unit note);
 * *what gets the measurement qualifier (element 2, e.g. "G" gross, "T" tare, "VGM"). */
double vg__edi_weight(struct edi_ctx *c, struct ing_document *doc,
                      const struct vg_edifact_segment *seg, const char **what);

/* Where a segment is, for findings. */
struct ing_source vg__edi_src(const struct vg_edifact_segment *seg);

/* Keeps a segment no mapper used (its raw text) with the message. */
void vg__edi_unmapped(struct edi_ctx *c, struct ing_document *doc,
                      const struct vg_edifact_segment *seg);

/* Place kind of a LOC qualifier (3227); ING_PLACE_OTHER when not a route place. */
enum ing_place_kind vg__edi_place_kind(const struct vg_edifact_segment *loc);

/* A TDT segment into a voyage (voyage number, carrier, vessel IMO/call sign/name/flag). */
void vg__edi_tdt(struct edi_ctx *c, struct ing_document *doc,
                 const struct vg_edifact_segment *tdt, struct ing_voyage *v);

/* A NAD segment into a party (role from the qualifier). */
void vg__edi_nad(struct edi_ctx *c, struct ing_document *doc,
                 const struct vg_edifact_segment *nad, struct ing_party *p);

/* The role name of a NAD qualifier, NULL for parties that are not cargo parties. */
const char *vg__edi_party_role(const char *qualifier);

/* A SEL segment appended to seals. */
void vg__edi_sel(struct edi_ctx *c, struct ing_document *doc,
                 const struct vg_edifact_segment *sel, struct ing_vec *seals);

/* BGM: document number and message function into the document. */
void vg__edi_bgm(struct edi_ctx *c, struct ing_document *doc,
                 const struct vg_edifact_segment *bgm);

/* The full/empty indicator of an EQD (8169: 5 full, 4 empty) as "full"/"empty"/NULL. */
const char *vg__edi_full_empty(const struct vg_edifact_segment *eqd);

/* Mappers. Each fills doc from msg; VG_ENOMEM on memory exhaustion. */
enum vg_status vg__edi_map_cuscar(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                  struct ing_document *doc);
enum vg_status vg__edi_map_codeco(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                  struct ing_document *doc);
enum vg_status vg__edi_map_coarri(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                  struct ing_document *doc);
enum vg_status vg__edi_map_coprar(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                  struct ing_document *doc);
enum vg_status vg__edi_map_baplie(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                  struct ing_document *doc);
enum vg_status vg__edi_map_iftsta(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                  struct ing_document *doc);

/* Shared by the event messages (CODECO, COARRI, COPRAR, IFTSTA): reads the EQD groups of
 * msg into events of the given kind; kind_of (may be NULL) overrides it per group from
 * the group's segments (IFTSTA status codes). */
enum vg_status vg__edi_equipment_events(struct edi_ctx *c, const struct vg_edifact_message *msg,
                                        struct ing_document *doc, const char *kind);

#endif
