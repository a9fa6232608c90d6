/*
 * Watch-list entries: type names, the entry digest, list fields, and the identifiers an
 * entry carries (schemes and their normalised values).
 */
#include "screen/screen_int.h"

#include <string.h>
#include <vigia/alloc.h>
#include <vigia/audit.h>
#include <vigia/ident.h>

static const char *const type_names[] = {
    [VG_WATCH_ANY] = "any",
    [VG_WATCH_PARTY] = "party",
    [VG_WATCH_PERSON] = "person",
    [VG_WATCH_ORGANIZATION] = "organization",
    [VG_WATCH_VESSEL] = "vessel",
    [VG_WATCH_AIRCRAFT] = "aircraft",
    [VG_WATCH_CONTAINER] = "container",
    [VG_WATCH_SEAL] = "seal",
};

const char *vg_watch_type_name(enum vg_watch_type type)
{
    if ((size_t)type < sizeof(type_names) / sizeof(type_names[0])) {
        return type_names[type];
    }
    return "any";
}

bool vg__ieq(const char *a, const char *b)
{
    for (; *a != '\0' && *b != '\0'; a++, b++) {
        char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
        char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;
        if (x != y) {
            return false;
        }
    }
    return *a == '\0' && *b == '\0';
}

ptrdiff_t vg__table_find(const char *const *table, size_t count, const char *key, size_t len)
{
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strncmp(table[mid], key, len);
        if (c == 0 && table[mid][len] != '\0') {
            c = 1; /* the table word is longer */
        }
        if (c == 0) {
            return (ptrdiff_t)mid;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return -1;
}

bool vg_watch_type_parse(const char *text, enum vg_watch_type *out)
{
    static const struct {
        const char *name;
        enum vg_watch_type type;
    } names[] = {
        { "party", VG_WATCH_PARTY },
        { "person", VG_WATCH_PERSON },
        { "individual", VG_WATCH_PERSON },
        { "organization", VG_WATCH_ORGANIZATION },
        { "organisation", VG_WATCH_ORGANIZATION },
        { "company", VG_WATCH_ORGANIZATION },
        { "entity", VG_WATCH_ORGANIZATION },
        { "vessel", VG_WATCH_VESSEL },
        { "aircraft", VG_WATCH_AIRCRAFT },
        { "container", VG_WATCH_CONTAINER },
        { "seal", VG_WATCH_SEAL },
        { "any", VG_WATCH_ANY },
    };
    if (text == NULL) {
        return false;
    }
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (vg__ieq(text, names[i].name)) {
            *out = names[i].type;
            return true;
        }
    }
    return false;
}

static void hash_field(struct vg_hasher *h, const char *s)
{
    if (s == NULL) {
        s = "";
    }
    uint64_t n = strlen(s);
    uint8_t len[8];
    for (int i = 0; i < 8; i++) {
        len[i] = (uint8_t)(n >> (8 * i));
    }
    vg_hasher_update(h, len, sizeof(len));
    vg_hasher_update(h, s, (size_t)n);
}

void vg_watch_entry_digest(const struct vg_watch_entry *e, uint8_t out[32])
{
    struct vg_hasher h;
    vg_hasher_init(&h);
    hash_field(&h, "vigia.watch_entry.v1");
    hash_field(&h, e->external_id);
    hash_field(&h, e->name);
    hash_field(&h, vg_watch_type_name(e->type));
    hash_field(&h, e->countries);
    hash_field(&h, e->identifiers);
    hash_field(&h, e->aliases);
    hash_field(&h, e->weak_aliases);
    hash_field(&h, e->note);
    hash_field(&h, e->source);
    vg_hasher_final(&h, out);
}

int vg__split_list(const char *list,
                   int (*fn)(void *user, const char *item, size_t len),
                   void *user)
{
    if (list == NULL) {
        return 0;
    }
    const char *p = list;
    for (;;) {
        const char *end = strchr(p, ';');
        size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
        const char *a = p;
        while (n > 0 && (*a == ' ' || *a == '\t')) {
            a++;
            n--;
        }
        while (n > 0 &&
               (a[n - 1] == ' ' || a[n - 1] == '\t' || a[n - 1] == '\r' || a[n - 1] == '\n')) {
            n--;
        }
        if (n > 0) {
            int rc = fn(user, a, n);
            if (rc != 0) {
                return rc;
            }
        }
        if (end == NULL) {
            return 0;
        }
        p = end + 1;
    }
}

char *vg__clean_dup(struct vg_arena *arena, const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)*s <= 0x20 || *s == 0x7f)) {
        s++;
        n--;
    }
    while (n > 0 && ((unsigned char)s[n - 1] <= 0x20 || s[n - 1] == 0x7f)) {
        n--;
    }
    char *out = vg_arena_strndup(arena, s, n);
    if (out != NULL) {
        for (size_t i = 0; i < n; i++) {
            if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f) {
                out[i] = ' ';
            }
        }
    }
    return out;
}

/* ---- identifiers ------------------------------------------------------------------------ */

bool vg__scheme_strong(enum ident_scheme s)
{
    return s == SCHEME_IMO || s == SCHEME_MMSI || s == SCHEME_RUC || s == SCHEME_CONTAINER ||
           s == SCHEME_SEAL;
}

const char *vg__scheme_label(enum ident_scheme s)
{
    switch (s) {
    case SCHEME_IMO:
        return "IMO";
    case SCHEME_MMSI:
        return "MMSI";
    case SCHEME_RUC:
        return "RUC";
    case SCHEME_CONTAINER:
        return "container";
    case SCHEME_SEAL:
        return "seal";
    case SCHEME_CALLSIGN:
        return "call sign";
    case SCHEME_OTHER:
        break;
    }
    return "identifier";
}

size_t vg__ident_compact(const char *text, size_t len, char *out, size_t size)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c >= 'a' && c <= 'z') {
            c = (char)(c - 'a' + 'A');
        }
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            if (n + 1 < size) {
                out[n] = c;
            }
            n++;
        }
    }
    if (size > 0) {
        out[n < size ? n : size - 1] = '\0';
    }
    return n < size ? n : (size > 0 ? size - 1 : 0);
}

static bool all_digits(const char *s, size_t n)
{
    if (n == 0) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    return true;
}

static bool word_is(const char *w, size_t wl, const char *name)
{
    size_t n = strlen(name);
    if (wl != n) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        char c = w[i] >= 'a' && w[i] <= 'z' ? (char)(w[i] - 'a' + 'A') : w[i];
        if (c != name[i]) {
            return false;
        }
    }
    return true;
}

/* The scheme a bare value has, from its syntax and the entry's type. */
static enum ident_scheme guess_scheme(const char *v, size_t n, enum vg_watch_type type)
{
    struct vg_container_number cn;
    bool container = n == 11 && vg_container_parse(vg_slice_make(v, n), &cn, NULL) != VG_EPARSE;
    switch (type) {
    case VG_WATCH_CONTAINER:
        return SCHEME_CONTAINER;
    case VG_WATCH_SEAL:
        return SCHEME_SEAL;
    case VG_WATCH_VESSEL:
        if (all_digits(v, n) && n == 7) {
            return SCHEME_IMO;
        }
        if (all_digits(v, n) && n == 9) {
            return SCHEME_MMSI;
        }
        return SCHEME_OTHER;
    case VG_WATCH_PARTY:
    case VG_WATCH_PERSON:
    case VG_WATCH_ORGANIZATION: {
        struct vg_ruc ruc;
        if (n == 11 && all_digits(v, n) &&
            vg_ruc_parse(vg_slice_make(v, n), &ruc, NULL) != VG_EPARSE) {
            return SCHEME_RUC;
        }
        return SCHEME_OTHER;
    }
    case VG_WATCH_ANY:
    case VG_WATCH_AIRCRAFT:
        break;
    }
    if (container) {
        return SCHEME_CONTAINER;
    }
    uint32_t imo;
    if (n == 7 && all_digits(v, n) && vg_imo_parse(vg_slice_make(v, n), &imo, NULL) == VG_OK) {
        return SCHEME_IMO;
    }
    if (n == 9 && all_digits(v, n)) {
        return SCHEME_MMSI;
    }
    struct vg_ruc ruc;
    if (n == 11 && all_digits(v, n) && vg_ruc_parse(vg_slice_make(v, n), &ruc, NULL) == VG_OK) {
        return SCHEME_RUC;
    }
    return SCHEME_OTHER;
}

bool vg__ident_read(const char *text,
                    size_t len,
                    enum vg_watch_type entry_type,
                    enum ident_scheme *scheme,
                    char *out,
                    size_t size)
{
    /* Split into words; a leading scheme word names the scheme, and the value starts at
     * the first word holding a digit ("Cedula No. 6068015", "RUC # 20108363101"). */
    const char *w[16];
    size_t wl[16];
    size_t nw = 0;
    for (size_t i = 0; i < len && nw < 16;) {
        while (i < len && (text[i] == ' ' || text[i] == '\t')) {
            i++;
        }
        size_t s = i;
        while (i < len && text[i] != ' ' && text[i] != '\t') {
            i++;
        }
        if (i > s) {
            w[nw] = text + s;
            wl[nw] = i - s;
            nw++;
        }
    }
    if (nw == 0) {
        return false;
    }
    enum ident_scheme named = SCHEME_OTHER;
    bool has_name = false;
    if (word_is(w[0], wl[0], "IMO")) {
        named = SCHEME_IMO, has_name = true;
    } else if (word_is(w[0], wl[0], "MMSI")) {
        named = SCHEME_MMSI, has_name = true;
    } else if (word_is(w[0], wl[0], "RUC")) {
        named = SCHEME_RUC, has_name = true;
    } else if (word_is(w[0], wl[0], "CONTAINER") || word_is(w[0], wl[0], "CNTR")) {
        named = SCHEME_CONTAINER, has_name = true;
    } else if (word_is(w[0], wl[0], "SEAL")) {
        named = SCHEME_SEAL, has_name = true;
    } else if (word_is(w[0], wl[0], "CALLSIGN")) {
        named = SCHEME_CALLSIGN, has_name = true;
    }
    size_t first = has_name ? 1 : 0;
    /* Container, seal and call-sign numbers are all that follows ("MSCU 123456-7"). */
    enum vg_watch_type t = entry_type;
    bool whole = named == SCHEME_CONTAINER || named == SCHEME_SEAL || named == SCHEME_CALLSIGN ||
                 (!has_name && (t == VG_WATCH_CONTAINER || t == VG_WATCH_SEAL));
    if (!whole && !has_name) {
        /* An untyped container number written in parts. */
        char c[16];
        struct vg_container_number cn;
        if (vg__ident_compact(text, len, c, sizeof(c)) == 11 &&
            vg_container_parse(vg_slice_make(c, 11), &cn, NULL) != VG_EPARSE) {
            whole = true;
        }
    }
    if (!whole) {
        size_t k = first;
        while (k < nw) {
            bool digit = false;
            for (size_t j = 0; j < wl[k]; j++) {
                digit = digit || (w[k][j] >= '0' && w[k][j] <= '9');
            }
            if (digit) {
                break;
            }
            k++;
        }
        if (k < nw) {
            first = k;
        } else if (!has_name && nw > 1) {
            return false; /* words without a number: not an identifier */
        }
    }
    if (first >= nw) {
        return false;
    }
    /* The value runs to the end, or to a parenthesis ("6068015 (Colombia)"). */
    const char *vs = w[first];
    const char *ve = text + len;
    const char *paren = memchr(vs, '(', (size_t)(ve - vs));
    if (paren != NULL) {
        ve = paren;
    }
    size_t n = vg__ident_compact(vs, (size_t)(ve - vs), out, size);
    /* "IMO9187629" written together. */
    if (!has_name && n > 3 && memcmp(out, "IMO", 3) == 0 && all_digits(out + 3, n - 3)) {
        memmove(out, out + 3, n - 3 + 1);
        n -= 3;
        named = SCHEME_IMO;
        has_name = true;
    }
    if (n < 4 && !(named == SCHEME_CALLSIGN && n >= 3)) {
        return false;
    }
    *scheme = has_name ? named : guess_scheme(out, n, entry_type);
    return true;
}
