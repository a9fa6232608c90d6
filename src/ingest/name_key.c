/*
 * The keys under which parties and their addresses are resolved across shipments when no
 * tax id decides: fingerprints of the name normaliser the screening uses (vg_name_key,
 * vigia/screen.h), so that "Agro Perú S.A.C.", "AGRO PERU SAC" and "Agro Peru" resolve to
 * one party, "GARCIA PEREZ, Juan" to the person "JUAN GARCIA PEREZ", while distinct names
 * stay distinct. Migration 11 recomputes stored keys with the same functions (SQL
 * vg_name_key, vg_address_key: store/name_fn.c).
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

void vg__ing_address_key(const struct ing_party *p, char *out, size_t size)
{
    vg__store_address_key(p->address, p->city, p->country, out, size);
}
