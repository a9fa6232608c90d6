/* Zipped XML documents: see zipxml.h. */
#include "ingest/zipxml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool vg__zx_magic(const char *data, size_t len)
{
    return len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0;
}

zip_t *vg__zx_open(const char *data, size_t len, const char *format, struct vg_error *why)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *z = src != NULL ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (z == NULL) {
        vg_error_set(why, VG_EFORMAT, "%s: not a readable zip archive: %s", format,
                     zip_error_strerror(&ze));
        if (src != NULL) {
            zip_source_free(src);
        }
    }
    zip_error_fini(&ze);
    return z;
}

enum vg__zx_kind vg__zx_kind(zip_t *z)
{
    if (zip_name_locate(z, "xl/workbook.xml", 0) >= 0) {
        return VG__ZX_XLSX;
    }
    static const char ods_mime[] = "application/vnd.oasis.opendocument.spreadsheet";
    char mime[sizeof(ods_mime) + 1];
    zip_int64_t n = -1;
    zip_file_t *zf = zip_name_locate(z, "content.xml", 0) >= 0 ? zip_fopen(z, "mimetype", 0) : NULL;
    if (zf != NULL) {
        n = zip_fread(zf, mime, sizeof(mime));
        zip_fclose(zf);
    }
    return n == (zip_int64_t)sizeof(ods_mime) - 1 && memcmp(mime, ods_mime, (size_t)n) == 0
               ? VG__ZX_ODS
               : VG__ZX_FILES;
}

/* ---- reading a part ---------------------------------------------------------------------- */

/* Where a part's bytes go, a chunk at a time (last: the end, n 0); a status other than
 * VG_OK stops the reading, why set by the sink. */
typedef enum vg_status (*zx_sink)(
    void *user, struct vg__zx_reader *r, const char *chunk, size_t n, bool last);

/* The one loop over a part's bytes: each chunk counted against r->budget, then sunk. */
static enum vg_status stream(struct vg__zx_reader *r, zip_file_t *zf, zx_sink sink, void *user)
{
    char chunk[16384];
    enum vg_status st = VG_OK;
    for (;;) {
        zip_int64_t n = zip_fread(zf, chunk, sizeof(chunk));
        if (n < 0) {
            st = vg_error_set(r->why, VG_EFORMAT, "%s: %s does not decompress: %s", r->format,
                              r->part, zip_error_strerror(zip_file_get_error(zf)));
            break;
        }
        if ((size_t)n > r->budget) {
            st = vg_error_set(r->why, VG_ELIMIT,
                              "%s: more than the bound (100 times the file's size: a "
                              "decompression bomb?), at %s",
                              r->format, r->part);
            break;
        }
        r->budget -= (size_t)n;
        if ((st = sink(user, r, chunk, (size_t)n, n == 0)) != VG_OK || n == 0) {
            break;
        }
    }
    zip_fclose(zf);
    return st;
}

static enum vg_status
buf_sink(void *user, struct vg__zx_reader *r, const char *chunk, size_t n, bool last)
{
    (void)last;
    enum vg_status st = vg_buf_append(user, chunk, n);
    return st == VG_OK ? VG_OK
                       : vg_error_set(r->why, st, "%s: %s: out of memory", r->format, r->part);
}

enum vg_status vg__zx_member(struct vg__zx_reader *r,
                             zip_uint64_t index,
                             const char *path,
                             const uint8_t digest[VG_DIGEST_SIZE],
                             char label[VG_ERROR_SOURCE_MAX],
                             struct vg_buf *member,
                             uint8_t md[VG_DIGEST_SIZE])
{
    const char *name = zip_get_name(r->zip, index, 0);
    size_t n = name != NULL ? strlen(name) : 0;
    if (n == 0 || name[n - 1] == '/') {
        return VG_ENOTFOUND; /* a folder */
    }
    snprintf(label, VG_ERROR_SOURCE_MAX, "%s!%s", path, name);
    vg_error_clear(r->why);
    r->part = name;
    enum vg_status st = vg__zx_read_member(r, index, member);
    if (st == VG_EFORMAT || st == VG_ELIMIT) {
        struct vg_hasher h;
        vg_hasher_init(&h);
        vg_hasher_update(&h, digest, VG_DIGEST_SIZE);
        vg_hasher_update(&h, name, n);
        vg_hasher_final(&h, md);
    }
    return st;
}

enum vg_status vg__zx_read_member(struct vg__zx_reader *r, zip_uint64_t index, struct vg_buf *out)
{
    vg_buf_reset(out);
    zip_file_t *zf = zip_fopen_index(r->zip, index, 0);
    if (zf == NULL) {
        return vg_error_set(r->why, VG_EFORMAT, "%s: %s cannot be read: %s", r->format, r->part,
                            zip_error_strerror(zip_get_error(r->zip)));
    }
    return stream(r, zf, buf_sink, out);
}

/* An XML part's sink: its parser, and the status its handlers set when they stop it. */
struct xml_sink_ctx {
    XML_Parser p;
    const enum vg_status *failed;
};

static enum vg_status
xml_sink(void *user, struct vg__zx_reader *r, const char *chunk, size_t n, bool last)
{
    struct xml_sink_ctx *c = user;
    if (XML_Parse(c->p, chunk, (int)n, last) != XML_STATUS_ERROR) {
        return VG_OK;
    }
    enum vg_status st = *c->failed;
    if (st == VG_OK) {
        return vg_error_set(r->why, VG_EFORMAT, "%s: %s line %lu column %lu: %s", r->format,
                            r->part, (unsigned long)XML_GetCurrentLineNumber(c->p),
                            (unsigned long)XML_GetCurrentColumnNumber(c->p) + 1,
                            XML_ErrorString(XML_GetErrorCode(c->p)));
    }
    if (r->why != NULL && r->why->code == VG_OK) {
        vg_error_set(r->why, st, "%s: %s: %s", r->format, r->part,
                     st == VG_ENOMEM ? "out of memory"
                                     : "more text than the bound (100 times the file's size)");
    }
    return st;
}


/* The local part of an expat name "uri|local" (or the name, without a namespace). */
const char *vg__zx_local(const XML_Char *name)
{
    const char *bar = strrchr(name, '|');
    return bar != NULL ? bar + 1 : name;
}

/* The value of the attribute of local name want (in any namespace, or in the one whose
 * URI ends with uri_end when it is not NULL); NULL when absent. */
const char *vg__zx_attr(const XML_Char **atts, const char *want, const char *uri_end)
{
    for (size_t i = 0; atts[i] != NULL; i += 2) {
        const char *bar = strrchr(atts[i], '|');
        const char *name = bar != NULL ? bar + 1 : atts[i];
        if (strcmp(name, want) != 0) {
            continue;
        }
        if (uri_end == NULL) {
            return atts[i + 1];
        }
        size_t ul = bar != NULL ? (size_t)(bar - atts[i]) : 0, el = strlen(uri_end);
        if (ul >= el && memcmp(atts[i] + ul - el, uri_end, el) == 0) {
            return atts[i + 1];
        }
    }
    return NULL;
}

/* Parses part pr->part with the handlers set on p (vg__zx_read_part). */
static enum vg_status
zx_parse(struct vg__zx_reader *pr, XML_Parser p, bool optional, const enum vg_status *failed)
{
    zip_file_t *zf = zip_fopen(pr->zip, pr->part, 0);
    if (zf == NULL) {
        if (optional) {
            return VG_ENOTFOUND;
        }
        return vg_error_set(pr->why, VG_EFORMAT, "%s: the document has no part %s", pr->format,
                            pr->part);
    }
    struct xml_sink_ctx c = { p, failed };
    return stream(pr, zf, xml_sink, &c);
}

/* A parser that reports names as "uri|local", with user as its handlers' data; NULL when
 * out of memory. */
static XML_Parser zx_parser(void *user)
{
    XML_Parser p = XML_ParserCreateNS("UTF-8", '|');
    if (p != NULL) {
        XML_SetUserData(p, user);
    }
    return p;
}

enum vg_status vg__zx_read_part(struct vg__zx_reader *r,
                                const char *part,
                                bool optional,
                                void *user,
                                XML_StartElementHandler start,
                                XML_EndElementHandler end,
                                XML_CharacterDataHandler text,
                                XML_Parser *slot,
                                const enum vg_status *failed)
{
    XML_Parser p = zx_parser(user);
    if (p == NULL) {
        return vg_error_set(r->why, VG_ENOMEM, "out of memory reading %s", part);
    }
    XML_SetElementHandler(p, start, end);
    if (text != NULL) {
        XML_SetCharacterDataHandler(p, text);
    }
    if (slot != NULL) {
        *slot = p;
    }
    r->part = part;
    enum vg_status st = zx_parse(r, p, optional, failed);
    if (slot != NULL) {
        *slot = NULL;
    }
    XML_ParserFree(p);
    return st;
}

enum vg_status vg__zx_put_field(struct vg_buf *out, const char *text, size_t len)
{
    bool quote = false;
    for (size_t i = 0; i < len && !quote; i++) {
        quote = text[i] == ',' || text[i] == '"';
    }
    enum vg_status st = quote ? vg_buf_append_char(out, '"') : VG_OK;
    for (size_t i = 0; i < len && st == VG_OK; i++) {
        char c = text[i] == '\n' || text[i] == '\r' ? ' ' : text[i];
        st = c == '"' ? vg_buf_append(out, "\"\"", 2) : vg_buf_append_char(out, c);
    }
    return st == VG_OK && quote ? vg_buf_append_char(out, '"') : st;
}

void vg__zx_format_number(double d, char *buf, size_t size)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, d);
        if (strtod(buf, NULL) == d) {
            break;
        }
    }
    /* No exponent for the magnitudes of weights, values and codes. */
    if (strchr(buf, 'e') != NULL && fabs(d) >= 1e-6 && fabs(d) < 1e15) {
        snprintf(buf, size, "%.6f", d);
        char *end = buf + strlen(buf) - 1;
        while (end > buf && *end == '0') {
            *end-- = 0;
        }
        if (*end == '.') {
            *end = 0;
        }
    }
}
