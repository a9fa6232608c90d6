/*
 * The key under which parties are resolved across shipments when no tax id is given:
 * the name case- and accent-folded (utf8proc), punctuation dropped, spaces collapsed and
 * common legal-form tokens removed, so that "Agro Norte S.A.C." and "AGRO NORTE SAC"
 * resolve to one party while distinct names stay distinct.
 */
#include "ingest/session_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static const char *const legal_forms[] = {
    "SAC", "SA", "SAA", "SRL", "EIRL", "SCRL", "LTDA", "LTD", "LIMITED", "INC", "CORP",
    "LLC", "BV", "NV", "GMBH", "AG", "SL", "SPA", "SAS", "CIA", "CO", "PLC", "SE",
};

static bool is_legal_form(const char *tok, size_t n)
{
    for (size_t i = 0; i < sizeof(legal_forms) / sizeof(legal_forms[0]); i++) {
        if (strlen(legal_forms[i]) == n && memcmp(legal_forms[i], tok, n) == 0) {
            return true;
        }
    }
    return false;
}

void vg__ing_name_key(const char *name, char *out, size_t size)
{
    out[0] = '\0';
    if (name == NULL || size < 2) {
        return;
    }
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)name, 0, &folded,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT |
                                          UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK);
    const char *src = n >= 0 ? (const char *)folded : name;
    /* Tokens of letters and digits, upper-cased; "S.A.C." joins into "SAC". */
    char tok[128];
    size_t tn = 0, w = 0;
    for (const char *p = src;; p++) {
        char c = *p;
        bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     (unsigned char)c >= 0x80;
        if (alnum) {
            if (tn + 1 < sizeof(tok)) {
                tok[tn++] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
            }
            continue;
        }
        if (c == '.' || c == '\'') {
            continue; /* S.A.C. -> SAC, O'Brien -> OBRIEN */
        }
        if (tn > 0) {
            if (!is_legal_form(tok, tn) && w + tn + 2 < size) {
                if (w > 0) {
                    out[w++] = ' ';
                }
                memcpy(out + w, tok, tn);
                w += tn;
            }
            tn = 0;
        }
        if (c == '\0') {
            break;
        }
    }
    out[w] = '\0';
    free(folded);
}

void vg__ing_address_key(const struct ing_party *p, char *out, size_t size)
{
    char joined[600];
    snprintf(joined, sizeof(joined), "%s %s %s", p->address ? p->address : "",
             p->city ? p->city : "", p->country ? p->country : "");
    vg__ing_name_key(joined, out, size);
}
