/*
 * Zipped XML documents (zipxml.c): what the XLSX and OpenDocument spreadsheet readers share
 * - the archive opened from memory (libzip), its parts streamed through expat with a bound
 * on the XML they may inflate to, and the CSV text both make of their sheets.
 */
#ifndef VIGIA_INGEST_ZIPXML_H
#define VIGIA_INGEST_ZIPXML_H

#include <expat.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vigia/audit.h>
#include <vigia/slice.h>
#include <vigia/status.h>
#include <zip.h>

/* Whether data[0..len) begins as a zip archive does (a local file header). */
bool vg__zx_magic(const char *data, size_t len);

/* The zip archive data[0..len) (not copied: data must outlive it; close with zip_discard);
 * NULL with why set ("<format>: not a readable zip archive: ...") when it is not one. */
zip_t *vg__zx_open(const char *data, size_t len, const char *format, struct vg_error *why);

/* What a zip archive holds, by its parts: an Excel workbook (xl/workbook.xml), an
 * OpenDocument spreadsheet (its mimetype part says so), or files. */
enum vg__zx_kind { VG__ZX_FILES, VG__ZX_XLSX, VG__ZX_ODS };
enum vg__zx_kind vg__zx_kind(zip_t *z);

/* One part being read: the archive, the part's name, the bytes the archive may still
 * inflate to (shared by its parts), the format named in messages, and why. */
struct vg__zx_reader {
    zip_t *zip;
    const char *part;
    size_t budget;
    const char *format; /* "xlsx", "ods", "zip" */
    struct vg_error *why;
};

/* Member index of the zip archive of files r->zip at path, whose content digest is digest, as
 * a file of its own (both sides of an ingest read archives so: ingest.c, pipeline.c): its
 * name path!member into label (cut at VG_ERROR_SOURCE_MAX), its bytes into member (reset
 * first). VG_ENOTFOUND for a folder or a member without a name (nothing to read); VG_EFORMAT
 * or VG_ELIMIT when it cannot be read (why says why; md: the digest it is refused by, of the
 * archive's digest and the member's name, so that it is refused once); VG_ENOMEM. */
enum vg_status vg__zx_member(struct vg__zx_reader *r,
                             zip_uint64_t index,
                             const char *path,
                             const uint8_t digest[VG_DIGEST_SIZE],
                             char label[VG_ERROR_SOURCE_MAX],
                             struct vg_buf *member,
                             uint8_t md[VG_DIGEST_SIZE]);

/* Reads member index of r->zip (named r->part in messages) whole into out (reset first).
 * VG_EFORMAT when it cannot be read or does not decompress, VG_ELIMIT past r->budget (why
 * says which), VG_ENOMEM. */
enum vg_status vg__zx_read_member(struct vg__zx_reader *r, zip_uint64_t index, struct vg_buf *out);

/* Streams part through a new parser with these handlers (end and text may be NULL) and
 * user as their data; *slot (may be NULL) holds the parser while it runs, for handlers that
 * stop it. VG_ENOTFOUND when the archive has no such part and optional; VG_EFORMAT (why: the
 * format, part, line, column and expat's reason, or libzip's), VG_ELIMIT past r->budget,
 * VG_ENOMEM. A handler that fails sets *failed and stops the parser (XML_StopParser); that
 * status is returned. */
enum vg_status vg__zx_read_part(struct vg__zx_reader *r,
                                const char *part,
                                bool optional,
                                void *user,
                                XML_StartElementHandler start,
                                XML_EndElementHandler end,
                                XML_CharacterDataHandler text,
                                XML_Parser *slot,
                                const enum vg_status *failed);

/* The local part of an expat name "uri|local" (or the name, without a namespace). */
const char *vg__zx_local(const XML_Char *name);

/* The value of the attribute of local name want (in any namespace, or in the one whose URI
 * ends with uri_end when that is not NULL); NULL when absent. */
const char *vg__zx_attr(const XML_Char **atts, const char *want, const char *uri_end);

/* Appends text[0..len) to out as one CSV field (',' between fields): quoted when it holds a
 * comma or a quote, line breaks as spaces (one line per sheet row). VG_ELIMIT, VG_ENOMEM. */
enum vg_status vg__zx_put_field(struct vg_buf *out, const char *text, size_t len);

/* d as the shortest decimal that reads back the same, '.' as the mark, no exponent for
 * the magnitudes of weights, values and codes. */
void vg__zx_format_number(double d, char *buf, size_t size);

#endif
