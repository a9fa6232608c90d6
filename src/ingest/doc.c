/* The in-memory document every mapper fills (ingest_int.h). */
#include "ingest/ingest_int.h"
#include "store/store_int.h"

#include <string.h>
#include <vigia/screen.h>

void *vg__ing_push(struct vg_arena *arena, struct ing_vec *v, size_t size)
{
    if (v->n == v->cap) {
        size_t ncap = v->cap == 0 ? 4 : v->cap * 2;
        void *items = vg_arena_alloc(arena, ncap * size);
        if (items == NULL) {
            return NULL;
        }
        if (v->n > 0) {
            memcpy(items, v->items, v->n * size);
        }
        v->items = items;
        v->cap = ncap;
    }
    void *p = (char *)v->items + v->n * size;
    memset(p, 0, size);
    v->n++;
    return p;
}

const char *vg__ing_place_name(enum ing_place_kind kind)
{
    switch (kind) {
    case ING_PLACE_RECEIPT: return "receipt";
    case ING_PLACE_LOADING: return "loading";
    case ING_PLACE_DISCHARGE: return "discharge";
    case ING_PLACE_DELIVERY: return "delivery";
    case ING_PLACE_TRANSHIPMENT: return "transhipment";
    case ING_PLACE_DEPARTURE: return "departure";
    case ING_PLACE_NEXT_CALL: return "next_call";
    case ING_PLACE_ORIGIN_LOADING: return "origin_loading";
    case ING_PLACE_DESTINATION: return "destination";
    case ING_PLACE_ORIGIN: return "origin";
    case ING_PLACE_OTHER: break;
    }
    return "other";
}

void vg__ing_doc_pack_raw(struct ing_document *doc, struct vg__raw_packer *packer)
{
    if (!doc->raw_packed) {
        doc->raw_packed = true;
        doc->raw_codec = vg__raw_pack(packer, doc->raw, doc->raw_len, doc->arena, &doc->stored_raw,
                                      &doc->stored_raw_len);
    }
}

void vg__ing_doc_init(struct ing_document *doc, struct vg_arena *arena)
{
    memset(doc, 0, sizeof(*doc));
    doc->arena = arena;
    doc->prepared_at = VG_TIME_NONE;
    doc->voyage.eta = doc->voyage.etd = doc->voyage.ata = doc->voyage.atd = VG_TIME_NONE;
    vg_buf_init(&doc->unmapped, 1u << 20);
}

static const char *derived_key(struct ing_document *doc, const char *key, bool *oom)
{
    char *copy = vg_arena_strndup(doc->arena, key, strlen(key));
    *oom = *oom || copy == NULL;
    return copy;
}

/* The vessel's name key into v->name_key (from the document's arena). */
static void vessel_key(struct ing_document *doc, struct ing_vessel *v, bool *oom)
{
    if (v->name == NULL || v->name_key != NULL) {
        return;
    }
    char key[ING_KEY_SIZE];
    vg_name_key(v->name, strlen(v->name), VG_NAME_VESSEL, key, sizeof(key));
    v->name_key = derived_key(doc, key, oom);
}

enum vg_status vg__ing_doc_prepare(struct ing_document *doc)
{
    if (doc->prepared) {
        return VG_OK;
    }
    doc->prepared = true;
    bool oom = false;
    char key[ING_KEY_SIZE];
    vessel_key(doc, &doc->voyage.vessel, &oom);
    for (size_t i = 0; i < doc->events.n; i++) {
        vessel_key(doc, &ING_AT(doc->events, struct ing_event, i)->voyage.vessel, &oom);
    }
    for (size_t i = 0; i < doc->consignments.n; i++) {
        struct ing_consignment *c = ING_AT(doc->consignments, struct ing_consignment, i);
        for (size_t k = 0; k < c->parties.n; k++) {
            struct ing_party *p = ING_AT(c->parties, struct ing_party, k);
            vg__ing_name_key(p->name, key, sizeof(key));
            p->name_key = derived_key(doc, key, &oom);
            if (p->address != NULL || p->city != NULL) {
                vg__ing_address_key(p, key, sizeof(key));
                p->address_key = derived_key(doc, key, &oom);
            }
        }
    }
    return oom ? VG_ENOMEM : VG_OK;
}

void vg__ing_doc_release(struct ing_document *doc)
{
    vg_buf_release(&doc->unmapped);
}

const char *vg__ing_str(struct ing_document *doc, struct vg_slice s, bool *oom)
{
    s = vg_slice_trim(s);
    if (s.len == 0) {
        return NULL;
    }
    char *p = vg_arena_strndup(doc->arena, s.ptr, s.len);
    if (p == NULL && oom != NULL) {
        *oom = true;
    }
    return p;
}

enum vg_status vg__ing_unmapped(struct ing_document *doc, struct vg_slice text)
{
    enum vg_status st = vg_buf_append(&doc->unmapped, text.ptr, text.len);
    if (st == VG_OK) {
        st = vg_buf_append_char(&doc->unmapped, '\n');
    }
    /* A message whose unmapped part exceeds the buffer keeps the raw copy anyway. */
    return st == VG_ELIMIT ? VG_OK : st;
}

enum vg_status vg__ing_note(struct ing_document *doc, const struct ing_source *src,
                            const char *kind, const char *field, const char *value,
                            const char *expected, const char *detail)
{
    struct ing_note *n = vg__ing_push(doc->arena, &doc->notes, sizeof(*n));
    if (n == NULL) {
        return VG_ENOMEM;
    }
    n->src = *src;
    n->kind = kind;
    n->field = field != NULL ? vg_arena_strndup(doc->arena, field, strlen(field)) : NULL;
    n->value = value != NULL ? vg_arena_strndup(doc->arena, value, strlen(value)) : NULL;
    n->expected = expected != NULL ? vg_arena_strndup(doc->arena, expected, strlen(expected)) : NULL;
    n->detail = detail != NULL ? vg_arena_strndup(doc->arena, detail, strlen(detail)) : NULL;
    return VG_OK;
}
