/*
 * Where a reader hands what it reads (ingest/pipeline.c). A reader (EDIFACT, CSV, JSON)
 * turns a file into a sequence of items: documents, rejects, findings about no document.
 * Read on the writing thread (vg__ing_read_here), each item is written through the session
 * as soon as it is made. Read ahead on the second thread (vg__ing_read_ahead), each is
 * queued, and the writing thread writes the items in the same order, so that the store
 * receives the same statements either way. A reader never touches the session or the
 * store itself.
 */
#ifndef VG_INGEST_EMIT_H
#define VG_INGEST_EMIT_H

#include "ingest/ingest_int.h"

#include <vigia/edifact.h>

struct ing_item;
struct ing_queue;
struct ing_writer;
struct vg__raw_packer;

struct ing_emit {
    bool tolerate_counts;    /* the run's --tolerate-counts (the EDIFACT reader's) */
    struct ing_item *single; /* written at once: the one slot, written through w */
    struct ing_writer *w;
    struct ing_queue *q;           /* read ahead: the ring the writing thread takes from */
    struct vg__raw_packer *packer; /* read ahead: compresses the documents' raw bytes here
                                    * (NULL: raw bytes are not kept) */
    struct ing_item *open;         /* the slot of the document begun, if any */
};

/* A reader: every item of f (f->data, f->len; f->path names it in positions) through e.
 * Returns VG_OK, or the status that stopped it: its own failure (out of memory) with err
 * set, or ING_EMIT_STOPPED / the writing side's status when an emit function said the
 * writing side has stopped (its error is already where the writing side reports it). */
typedef enum vg_status (*ing_read_fn)(struct ing_emit *e,
                                      const struct ing_file *f,
                                      struct vg_error *err);

/* The status emit functions return when the writing side has stopped (a run read ahead);
 * the reader returns it at once. */
#define ING_EMIT_STOPPED VG_EINVAL

/* Reads f with read on this thread, each item written through s (the file already begun
 * by the caller: f->file_id set). Returns the first failure (err says why) or VG_OK. */
enum vg_status vg__ing_read_here(struct ing_session *s,
                                 const struct ing_file *f,
                                 ing_read_fn read,
                                 struct vg_error *err);

/* A document to fill, initialised in an arena of its own (reset for it); NULL when the
 * writing side has stopped. Exactly one may be open: hand it over (vg__ing_emit_doc) or
 * drop it (vg__ing_emit_drop) before the next item. */
struct ing_document *vg__ing_emit_begin(struct ing_emit *e);

/* Hands the open document over (ic: the interchange it came in, NULL for none): written
 * now, or queued once its digest is taken (when its reader did not) and its raw bytes are
 * compressed, so that what doc->raw points at need not outlive the call. Returns the
 * write's status (an error is in the writing side's vg_error) or VG_OK. */
enum vg_status vg__ing_emit_doc(struct ing_emit *e, const struct vg_edifact_interchange *ic);

/* Releases the open document unwritten (its slot is reused). */
void vg__ing_emit_drop(struct ing_emit *e);

/* A rejected record or message: why (position and reason), the layout or syntax it was
 * read as (format, a static string), its reference if known, and an excerpt of what was
 * refused (copied, up to 2,048 bytes). No document may be open. */
enum vg_status vg__ing_emit_reject(struct ing_emit *e,
                                   const struct vg_error *why,
                                   const char *format,
                                   const char *ref,
                                   const char *excerpt,
                                   size_t excerpt_len);

/* A finding about no document (of the file): where (src; its tag a static string or
 * NULL), kind, and the optional field, value, expected and detail (NULL or empty: none;
 * copied, cut to 47/95/95/255 bytes). No document may be open. */
enum vg_status vg__ing_emit_note(struct ing_emit *e,
                                 const struct ing_source *src,
                                 const char *kind,
                                 const char *field,
                                 const char *value,
                                 const char *expected,
                                 const char *detail);

/* From here on, findings of the file being written name label (a worksheet: book.xlsx[Events]);
 * NULL: the file's own path again. label is copied. No document may be open. */
enum vg_status vg__ing_emit_label(struct ing_emit *e, const char *label);

/* The reader of a format as vg__ing_ahead_format and ingest.c's detection name it
 * ("edifact", "json", "csv-manifest", "csv-events"; "xlsx", "ods", "xls": a workbook, its
 * sheets in f->book); NULL for one read otherwise (NMEA). */
ing_read_fn vg__ing_reader_of(const char *format);

/* The readers. */
enum vg_status
vg__ing_read_edifact(struct ing_emit *e, const struct ing_file *f, struct vg_error *err);
enum vg_status vg__ing_read_csv(struct ing_emit *e, const struct ing_file *f, struct vg_error *err);
enum vg_status
vg__ing_read_json(struct ing_emit *e, const struct ing_file *f, struct vg_error *err);
/* A workbook (f->book, read with vg__ing_book_read; f->path names the file): each sheet
 * with a header row read as a CSV file of its layout, its positions the sheet's rows under
 * the label path[sheet] when the workbook has several sheets; each other sheet a finding
 * (sheet_skipped) naming it (workbook.c). */
enum vg_status
vg__ing_read_book(struct ing_emit *e, const struct ing_file *f, struct vg_error *err);

#endif
