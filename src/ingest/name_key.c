/*
 * The keys under which parties and their addresses are resolved across shipments when no
 * tax id decides: fingerprints of the name normaliser the screening uses (vg_name_key,
 * vigia/screen.h), so that "Agro Perú S.A.C.", "AGRO PERU SAC" and "Agro Peru" resolve to
 * one party, "GARCIA PEREZ, Juan" to the person "JUAN GARCIA PEREZ", while distinct names
 * stay distinct. Migration 11 recomputes stored keys with the same function (SQL
 * vg_name_key), and the address text is joined here exactly as it does there.
 */
#include "ingest/session_int.h"

#include <string.h>
#include <vigia/screen.h>

void vg__ing_name_key(const char *name, char *out, size_t size)
{
    if (name == NULL) {
        if (size > 0) {
            out[0] = '\0';
        }
        return;
    }
    vg_name_key(name, strlen(name), VG_NAME_UNKNOWN, out, size);
}

/* Appends text (NULL as empty) to buf at *w, cut at size. */
static void append(char *buf, size_t size, size_t *w, const char *text)
{
    for (const char *p = text != NULL ? text : ""; *p != '\0' && *w < size; p++) {
        buf[(*w)++] = *p;
    }
}

void vg__ing_address_key(const struct ing_party *p, char *out, size_t size)
{
    /* "address city country", as migration 11 joins the stored columns. The normaliser
     * reads at most 40 words of at most 48 bytes, all within this buffer. */
    char joined[4096];
    size_t w = 0;
    append(joined, sizeof(joined) - 1, &w, p->address);
    append(joined, sizeof(joined) - 1, &w, " ");
    append(joined, sizeof(joined) - 1, &w, p->city);
    append(joined, sizeof(joined) - 1, &w, " ");
    append(joined, sizeof(joined) - 1, &w, p->country);
    joined[w] = '\0';
    /* As a vessel's name: commas are punctuation and no word is a legal form (country
     * codes CO, SA, SE stay). */
    vg_name_key(joined, w, VG_NAME_VESSEL, out, size);
}
