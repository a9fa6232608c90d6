/* Zipped XML documents: see zipxml.h. */
#include "ingest/zipxml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool vg__zx_has_part(const char *data, size_t len, const char *part)
{
    if (len < 4 || memcmp(data, "PK\x03\x04", 4) != 0) {
        return false;
    }
    zip_t *z = vg__zx_open(data, len, "", NULL);
    bool found = z != NULL && zip_name_locate(z, part, 0) >= 0;
    if (z != NULL) {
        zip_discard(z);
    }
    return found;
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

/* ---- reading one XML part --------------------------------------------------------------- */

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

/* Parses part with the handlers (user data user) set on p; VG_ENOTFOUND when the archive
 * has no such part and optional, VG_EFORMAT (why: the part, line, column and expat's
 * reason, or libzip's), VG_ELIMIT past the budget, VG_ENOMEM. A handler stops the parse
 * with XML_StopParser after setting *failed. */
enum vg_status
vg__zx_parse(struct vg__zx_reader *pr, XML_Parser p, bool optional, const enum vg_status *failed)
{
    zip_file_t *zf = zip_fopen(pr->zip, pr->part, 0);
    if (zf == NULL) {
        if (optional) {
            return VG_ENOTFOUND;
        }
        return vg_error_set(pr->why, VG_EFORMAT, "%s: the document has no part %s", pr->format,
                            pr->part);
    }
    char chunk[16384];
    enum vg_status st = VG_OK;
    for (;;) {
        zip_int64_t n = zip_fread(zf, chunk, sizeof(chunk));
        if (n < 0) {
            st = vg_error_set(pr->why, VG_EFORMAT, "%s: %s does not decompress: %s", pr->format,
                              pr->part, zip_error_strerror(zip_file_get_error(zf)));
            break;
        }
        if ((size_t)n > pr->budget) {
            st = vg_error_set(pr->why, VG_ELIMIT,
                              "%s: more XML than the bound (100 times the file's size: a "
                              "decompression bomb?), at %s",
                              pr->format, pr->part);
            break;
        }
        pr->budget -= (size_t)n;
        if (XML_Parse(p, chunk, (int)n, n == 0) == XML_STATUS_ERROR) {
            if (*failed != VG_OK) {
                st = *failed;
                if (pr->why != NULL && pr->why->code == VG_OK) {
                    vg_error_set(pr->why, st, "%s: %s: %s", pr->format, pr->part,
                                 st == VG_ENOMEM
                                     ? "out of memory"
                                     : "more text than the bound (100 times the file's size)");
                }
            } else {
                st = vg_error_set(pr->why, VG_EFORMAT, "%s: %s line %lu column %lu: %s", pr->format,
                                  pr->part, (unsigned long)XML_GetCurrentLineNumber(p),
                                  (unsigned long)XML_GetCurrentColumnNumber(p) + 1,
                                  XML_ErrorString(XML_GetErrorCode(p)));
            }
            break;
        }
        if (n == 0) {
            break;
        }
    }
    zip_fclose(zf);
    return st;
}

/* A parser that reports names as "uri|local". */
XML_Parser vg__zx_parser(void *user)
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
    XML_Parser p = vg__zx_parser(user);
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
    enum vg_status st = vg__zx_parse(r, p, optional, failed);
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
