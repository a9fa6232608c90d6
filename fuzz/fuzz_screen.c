/*
 * Fuzz target: name normalisation and screening over arbitrary bytes (vigia/screen.h).
 *
 * The input is read as lines. The first lines (up to 8, while they start with one of the
 * type letters p, o, v, c, s followed by ':') become watch-list entries next to a few
 * fixed ones shaped like SDN entries; the rest is the subject, screened under every type
 * with and without a country and an identifier. Every normaliser entry point also sees the
 * whole input. Checked: scores in [0,1] and sorted, at most the limit, fingerprints
 * bounded, no crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/screen.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct vg_watch_entry fixed[] = {
    { "4107", "RODRIGUEZ OREJUELA, Gilberto Jose", VG_WATCH_PERSON, "CO;VE", "CEDULA 6068015",
      "RODRIGUEZ, Gilberto;EL AJEDRECISTA", "LUCAS;THE CHESS PLAYER", "SDNT", "OFAC SDN", 1 },
    { "15036", "ARTAVIL", VG_WATCH_VESSEL, "IR", "IMO 9187629;MMSI 572469210;CALLSIGN T2EU4",
      "ALPHA", "", "", "OFAC SDN", 2 },
    { "11412", "LUCERO IMPORT S.A.C.", VG_WATCH_ORGANIZATION, "PE", "RUC 20432287221", "", "", "",
      "OFAC SDN", 3 },
    { "c1", "MSCU1234566", VG_WATCH_CONTAINER, "", "", "", "", "", "PNP", 4 },
    { "s1", "SL-889911", VG_WATCH_SEAL, "", "", "", "", "", "SUNAT", 5 },
};

static enum vg_watch_type type_of(char c)
{
    switch (c) {
    case 'p':
        return VG_WATCH_PERSON;
    case 'o':
        return VG_WATCH_ORGANIZATION;
    case 'v':
        return VG_WATCH_VESSEL;
    case 'c':
        return VG_WATCH_CONTAINER;
    case 's':
        return VG_WATCH_SEAL;
    default:
        return VG_WATCH_ANY;
    }
}

static void check_name(const char *s, size_t n)
{
    static const enum vg_name_kind kinds[] = { VG_NAME_UNKNOWN, VG_NAME_PERSON,
                                               VG_NAME_ORGANIZATION, VG_NAME_VESSEL };
    for (size_t k = 0; k < 4; k++) {
        struct vg_name name;
        vg_name_normalize(s, n, kinds[k], &name);
        if (name.ntokens > VG_NAME_MAX_TOKENS || name.noptional > VG_NAME_MAX_OPTIONAL ||
            strlen(name.key) >= sizeof(name.key)) {
            abort();
        }
        for (size_t i = 0; i < name.ntokens; i++) {
            char key[VG_NAME_TOKEN_SIZE * 2];
            size_t kl = vg_phonetic_key(name.tokens[i].text, name.tokens[i].len, key, sizeof(key));
            if (kl >= sizeof(key)) {
                abort();
            }
            if (i > 0) {
                double jw = vg_jaro_winkler(name.tokens[i - 1].text, name.tokens[i - 1].len,
                                            name.tokens[i].text, name.tokens[i].len);
                if (!(jw >= 0.0 && jw <= 1.0)) {
                    abort();
                }
            }
        }
    }
    char code[3];
    (void)vg_country_code(s, n, code);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) {
        return 0;
    }
    char *text = malloc(size + 1);
    if (text == NULL) {
        return 0;
    }
    memcpy(text, data, size);
    text[size] = '\0';
    check_name(text, size);

    struct vg_screen_index *idx = NULL;
    if (vg_screen_index_new(&idx) != VG_OK) {
        free(text);
        return 0;
    }
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++) {
        if (vg_screen_index_add(idx, "fixed", (int64_t)i + 1, &fixed[i]) != VG_OK) {
            abort();
        }
    }
    /* Leading "t:name" lines become entries; the rest is the subject. */
    char *p = text;
    for (int k = 0; k < 8; k++) {
        char *nl = strchr(p, '\n');
        if (nl == NULL || nl - p < 2 || p[1] != ':' || type_of(p[0]) == VG_WATCH_ANY) {
            break;
        }
        *nl = '\0';
        struct vg_watch_entry e = { "f", p + 2, type_of(p[0]), "PE", p + 2, p + 2, p + 2,
                                    "",  "",    (uint32_t)k };
        if (vg_screen_index_add(idx, "fuzz", 100 + k, &e) != VG_OK) {
            break;
        }
        p = nl + 1;
    }
    if (vg_screen_index_finish(idx) != VG_OK) {
        vg_screen_index_free(idx);
        free(text);
        return 0;
    }
    struct vg_screener *s = NULL;
    if (vg_screener_new(idx, &s) == VG_OK) {
        static const enum vg_watch_type types[] = { VG_WATCH_ANY, VG_WATCH_PARTY, VG_WATCH_PERSON,
                                                    VG_WATCH_VESSEL, VG_WATCH_CONTAINER };
        for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++) {
            for (int variant = 0; variant < 2; variant++) {
                struct vg_screen_query q = { .name = p,
                                             .type = types[t],
                                             .country = variant ? "PE" : NULL,
                                             .identifier = variant ? p : NULL };
                struct vg_screen_options o = { .threshold = 0.3, .limit = 5 };
                const struct vg_screen_hit *hits;
                size_t n;
                if (vg_screen(s, &q, &o, &hits, &n, NULL) != VG_OK) {
                    continue;
                }
                if (n > 5) {
                    abort();
                }
                for (size_t i = 0; i < n; i++) {
                    if (!(hits[i].score >= 0.3 - 1e-6 && hits[i].score <= 1.0) ||
                        hits[i].explanation == NULL ||
                        (i > 0 && hits[i - 1].score < hits[i].score)) {
                        abort();
                    }
                }
            }
        }
        char key[VG_NAME_KEY_SIZE];
        (void)vg_screen_subject_key(p, VG_WATCH_SEAL, key, sizeof(key));
        vg_screener_free(s);
    }
    vg_screen_index_free(idx);
    free(text);
    return 0;
}
