/*
 * The static world: exporters with their usual products, consignees abroad, forwarders
 * and customs brokers, the watch-listed parties and the front companies (made when first
 * used), vessels, and the identifiers they carry.
 *
 * Identifiers are valid by construction and unique where they must be:
 *   - ISO 6346 container numbers: owner prefix + a serial drawn from a permutation of
 *     0..999999 per prefix (unique until a million boxes of one prefix) + check digit;
 *   - IMO numbers: 9 + five digits from a permutation + the IMO check digit;
 *   - MMSI: an allocated MID of the flag + six digits from a permutation per MID;
 *   - Peru RUC: 20 + eight digits for companies registered long ago, 2060 + six digits
 *     for recent registrations (SUNAT numbers companies in sequence), 10 + DNI for natural
 *     persons, + the modulus-11 check digit.
 * Names are made from the configuration's templates and kept unique in the world, so a
 * spelling variant or a decoy on the watch list is never by chance someone else's name.
 */
#include "sim/sim_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <utf8proc.h>

#include <vigia/alloc.h>
#include <vigia/ident.h>

#define PERM_A 7919u /* a prime, coprime with the permutation moduli below */

/* ---- identifiers ------------------------------------------------------------------------- */

int vg__sim_imo_check(uint32_t six)
{
    int sum = 0;
    for (int i = 0; i < 6; i++) {
        sum += (int)(six % 10) * (2 + i);
        six /= 10;
    }
    return sum % 10;
}

void vg__sim_container_number(struct sim_world *w, const char *prefix, char out[12])
{
    uint64_t idx;
    uint32_t k = 0;
    if (vg_map_get(&w->prefix_index, prefix, 4, &idx)) {
        k = w->serial_next[idx]++;
    } else {
        /* Unknown prefix (not from the configuration): fall back to a hash of the prefix. */
        idx = 0;
        k = w->serial_next[0]++;
    }
    uint32_t offset = (uint32_t)(vg_hash_bytes(prefix, 4) % 1000000u);
    uint32_t serial = (uint32_t)(((uint64_t)k * PERM_A + offset) % 1000000u);
    memcpy(out, prefix, 4);
    for (int i = 9; i >= 4; i--) {
        out[i] = (char)('0' + serial % 10);
        serial /= 10;
    }
    out[10] = '\0';
    int check = vg_container_check_digit(out);
    out[10] = (char)('0' + (check < 0 ? 0 : check));
    out[11] = '\0';
}

void vg__sim_ruc(struct sim_world *w, struct sim_rng *r, bool recent, bool person, char out[12])
{
    char s10[11];
    (void)r;
    if (person) {
        uint32_t k = w->ruc_next_old++;
        snprintf(s10, sizeof(s10), "10%08u",
                 10000000u + (uint32_t)(((uint64_t)k * PERM_A + 4242u) % 69999999u));
    } else if (recent) {
        uint32_t k = w->ruc_next_new++;
        snprintf(s10, sizeof(s10), "2060%06u",
                 (uint32_t)(((uint64_t)k * PERM_A + 17u) % 1000000u));
    } else {
        uint32_t k = w->ruc_next_old++;
        snprintf(s10, sizeof(s10), "20%08u",
                 10000000u + (uint32_t)(((uint64_t)k * PERM_A + 99u) % 45999999u));
    }
    int check = vg_ruc_check_digit(s10);
    snprintf(out, 12, "%s%d", s10, check < 0 ? 0 : check);
}

/* ---- names ------------------------------------------------------------------------------- */

static bool name_take(struct sim_world *w, const char *name)
{
    bool existed = true;
    if (vg_map_put(&w->names_used, name, strlen(name), 1, &existed, NULL) != VG_OK) {
        return false;
    }
    return !existed;
}

static bool name_used(const struct sim_world *w, const char *name)
{
    return vg_map_get(&w->names_used, name, strlen(name), NULL);
}

static const char *arena_str(struct sim_world *w, const char *s)
{
    return vg_arena_strndup(&w->arena, s, strlen(s));
}

/* Replaces "{W}" in templ by word into out. */
static void fill_template(const char *templ, const char *word, char *out, size_t size)
{
    const char *at = strstr(templ, "{W}");
    if (at == NULL) {
        snprintf(out, size, "%s", templ);
        return;
    }
    snprintf(out, size, "%.*s%s%s", (int)(at - templ), templ, word, at + 3);
}

static const char *unique_name(struct sim_world *w, const char *candidate)
{
    char buf[160];
    snprintf(buf, sizeof(buf), "%s", candidate);
    for (int n = 2; !name_take(w, buf); n++) {
        if (n > 100000) {
            return NULL;
        }
        /* Ordinal suffixes as companies register them: "... II", "... 3". */
        if (n <= 3) {
            snprintf(buf, sizeof(buf), "%s %s", candidate, n == 2 ? "II" : "III");
        } else {
            snprintf(buf, sizeof(buf), "%s %d", candidate, n);
        }
    }
    return arena_str(w, buf);
}

const char *vg__sim_company_name(struct sim_world *w, struct sim_rng *r, uint32_t sector)
{
    const struct sim_names *n = &w->cfg->names;
    char word[96], buf[160];
    for (int attempt = 0; attempt < 40; attempt++) {
        const char *templ = n->templ[sector][vg__sim_below(r, n->ntempl[sector])];
        snprintf(word, sizeof(word), "%s%s", n->words[vg__sim_below(r, n->nwords)],
                 n->words2[vg__sim_below(r, n->nwords2)]);
        fill_template(templ, word, buf, sizeof(buf));
        if (!name_used(w, buf)) {
            break;
        }
    }
    return unique_name(w, buf);
}

const char *vg__sim_foreign_name(struct sim_world *w, struct sim_rng *r, uint32_t country)
{
    const struct sim_names *n = &w->cfg->names;
    const struct sim_country *ct = &w->cfg->country[country];
    char buf[160];
    for (int attempt = 0; attempt < 40; attempt++) {
        const char *a = n->foreign[vg__sim_below(r, n->nforeign)];
        const char *form = ct->forms[vg__sim_below(r, ct->nforms)];
        if (vg__sim_chance(r, 0.35)) {
            const char *b = n->foreign[vg__sim_below(r, n->nforeign)];
            snprintf(buf, sizeof(buf), "%s %s %s", a, b, form);
        } else {
            snprintf(buf, sizeof(buf), "%s %s", a, form);
        }
        if (!name_used(w, buf)) {
            break;
        }
    }
    return unique_name(w, buf);
}

static const char *person_name(struct sim_world *w, struct sim_rng *r)
{
    const struct sim_names *n = &w->cfg->names;
    char buf[160];
    snprintf(buf, sizeof(buf), "%s %s %s", n->surname[vg__sim_below(r, n->nsurname)],
             n->surname[vg__sim_below(r, n->nsurname)], n->given[vg__sim_below(r, n->ngiven)]);
    return unique_name(w, buf);
}

/* Accents dropped (NFKD, marks stripped), Ñ kept as N: how a clerk without a Spanish
 * keyboard writes a name. */
static void strip_accents(const char *in, char *out, size_t size)
{
    utf8proc_uint8_t *res = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)in, 0, &res,
                                      UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
                                          UTF8PROC_STRIPMARK);
    if (n < 0 || res == NULL) {
        snprintf(out, size, "%s", in);
    } else {
        snprintf(out, size, "%s", (const char *)res);
    }
    free(res); /* utf8proc allocates with the C library */
}

struct subst {
    const char *from, *to;
};

/* Legal forms and words as they are abbreviated or spelt out. */
static const struct subst legal_forms[] = {
    { " S.A.C.", " SAC" }, { " S.A.C.", " SOCIEDAD ANONIMA CERRADA" }, { " SAC", " S.A.C." },
    { " E.I.R.L.", " EIRL" }, { " S.A.A.", " SAA" }, { " S.A.", " SA" }, { " S.A.", "" },
    { " B.V.", " BV" }, { " N.V.", " NV" }, { " GMBH", " G.M.B.H." }, { " LTD", " LIMITED" },
    { " CO., LTD.", " COMPANY LIMITED" }, { " CO., LTD.", " CO LTD" }, { " S.L.", " SL" },
    { " LLC", " L.L.C." }, { " INC.", " INC" }, { " S.R.L.", " SRL" },
    { " S.A. DE C.V.", " SA DE CV" }, { " LTDA.", " LTDA" },
};

static const struct subst abbreviations[] = {
    { "INVERSIONES ", "INV. " }, { "COMERCIALIZADORA ", "COM. " },
    { "CORPORACION ", "CORP. " }, { "INTERNACIONAL", "INTL" },
    { "EXPORTADORA ", "EXPORT. " }, { "AGROINDUSTRIAS ", "AGROIND. " },
    { "COMPAÑÍA ", "CIA. " }, { "SOCIEDAD ", "SOC. " }, { "NEGOCIACIONES ", "NEG. " },
    { "AGRICOLA ", "AGRIC. " }, { "AGRÍCOLA ", "AGRIC. " }, { " Y ", " & " },
    { " & ", " Y " }, { " DEL ", " DE " }, { "TRADING", "TRAD." }, { "LOGISTICS", "LOGISTIC" },
    { "SERVICIOS GENERALES ", "SERV. GRALES. " }, { " GROUP", " GRUPO" },
};

static bool apply_subst(const char *in, const struct subst *s, char *out, size_t size)
{
    const char *at = strstr(in, s->from);
    if (at == NULL) {
        return false;
    }
    snprintf(out, size, "%.*s%s%s", (int)(at - in), in, s->to, at + strlen(s->from));
    return true;
}

/* One letter dropped or two neighbours swapped inside a word of ASCII letters. */
static bool typo(struct sim_rng *r, const char *in, char *out, size_t size)
{
    size_t len = strlen(in);
    if (len < 6 || len >= size) {
        return false;
    }
    for (int attempt = 0; attempt < 10; attempt++) {
        size_t i = 1 + vg__sim_below(r, (uint32_t)(len - 3));
        if (in[i] < 'A' || in[i] > 'Z' || in[i + 1] < 'A' || in[i + 1] > 'Z' || in[i] == in[i + 1]) {
            continue;
        }
        memcpy(out, in, len + 1);
        if (vg__sim_chance(r, 0.5)) {
            out[i] = in[i + 1];
            out[i + 1] = in[i];
        } else {
            memmove(out + i, out + i + 1, len - i);
        }
        return true;
    }
    return false;
}

/* "QUISPE FLORES JUAN CARLOS" <-> "QUISPE FLORES, JUAN CARLOS" <-> "JUAN CARLOS QUISPE..." */
static bool reorder_person(const char *in, char *out, size_t size)
{
    const char *comma = strchr(in, ',');
    if (comma != NULL) {
        snprintf(out, size, "%s %.*s", comma + 2 <= in + strlen(in) ? comma + 2 : "",
                 (int)(comma - in), in);
        return true;
    }
    /* Surnames are the first two words. */
    const char *sp1 = strchr(in, ' ');
    const char *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
    if (sp2 == NULL) {
        return false;
    }
    snprintf(out, size, "%.*s, %s", (int)(sp2 - in), in, sp2 + 1);
    return true;
}

const char *vg__sim_name_variant(struct sim_world *w, struct sim_rng *r, const char *name,
                                 int kind)
{
    bool person = kind == 4 || kind == -2;
    if (kind < 0) {
        kind = -1;
    }
    char a[192], b[192];
    snprintf(a, sizeof(a), "%s", name);
    /* One or two transformations; kind >= 0 forces the first. */
    int steps = 1 + (vg__sim_chance(r, 0.4) ? 1 : 0);
    for (int step = 0; step < steps; step++) {
        bool done = false;
        for (int attempt = 0; attempt < 12 && !done; attempt++) {
            /* Accents and legal forms vary most, abbreviations often, typos now and then;
             * word order changes only for persons ("SURNAMES, GIVEN"). */
            static const int kinds[10] = { 0, 0, 0, 1, 1, 1, 3, 3, 2, 2 };
            int k = (step == 0 && kind >= 0) ? kind : kinds[vg__sim_below(r, 10)];
            if (person && k != 0 && vg__sim_chance(r, 0.4)) {
                k = 4;
            }
            switch (k) {
            case 0:
                strip_accents(a, b, sizeof(b));
                done = strcmp(a, b) != 0;
                break;
            case 1: {
                const struct subst *s = &legal_forms[vg__sim_below(
                    r, (uint32_t)(sizeof(legal_forms) / sizeof(legal_forms[0])))];
                done = apply_subst(a, s, b, sizeof(b));
                break;
            }
            case 2:
                done = typo(r, a, b, sizeof(b));
                break;
            case 3: {
                const struct subst *s = &abbreviations[vg__sim_below(
                    r, (uint32_t)(sizeof(abbreviations) / sizeof(abbreviations[0])))];
                done = apply_subst(a, s, b, sizeof(b));
                break;
            }
            default:
                done = reorder_person(a, b, sizeof(b));
                break;
            }
            if (done) {
                memcpy(a, b, sizeof(a));
            }
            kind = -1;
        }
    }
    if (strcmp(a, name) == 0) {
        /* Nothing applied: drop the dots, the commonest variant of all. */
        size_t j = 0;
        for (size_t i = 0; a[i] != '\0' && j + 1 < sizeof(b); i++) {
            if (a[i] != '.') {
                b[j++] = a[i];
            }
        }
        b[j] = '\0';
        if (strcmp(b, name) == 0) {
            snprintf(b, sizeof(b), "%s.", name);
        }
        memcpy(a, b, sizeof(a));
    }
    return arena_str(w, a);
}

const char *vg__sim_decoy_name(struct sim_world *w, struct sim_rng *r, const char *name,
                               const char *country)
{
    /* Another company that shares the distinctive words: drop the legal form, add a word
     * the name does not have, put one of the country's legal forms back. */
    static const char *const peru_forms[] = { "S.A.C.", "S.A.", "E.I.R.L.", "S.R.L.", "S.A.A." };
    static const char *const extra[] = { " DEL NORTE", " DEL SUR", " PERU", " GROUP", " 2000",
                                         " INTERNACIONAL", " & ASOCIADOS", " HOLDING", " EXPORT" };
    const char *const *forms = peru_forms;
    uint32_t nforms = sizeof(peru_forms) / sizeof(peru_forms[0]);
    int ci = vg__sim_country_index(w->cfg, country);
    if (strcmp(country, "PE") != 0 && ci >= 0) {
        forms = w->cfg->country[ci].forms;
        nforms = w->cfg->country[ci].nforms;
    }
    char core[160];
    snprintf(core, sizeof(core), "%s", name);
    for (uint32_t i = 0; i < nforms; i++) {
        size_t a = strlen(core), b = strlen(forms[i]);
        if (a > b + 1 && core[a - b - 1] == ' ' && strcmp(core + a - b, forms[i]) == 0) {
            core[a - b - 1] = '\0';
            break;
        }
    }
    char buf[200];
    for (int attempt = 0; attempt < 20; attempt++) {
        const char *x = extra[vg__sim_below(r, sizeof(extra) / sizeof(extra[0]))];
        if (strstr(core, x) != NULL) {
            continue;
        }
        snprintf(buf, sizeof(buf), "%s%s %s", core, x, forms[vg__sim_below(r, nforms)]);
        if (!name_used(w, buf)) {
            return unique_name(w, buf);
        }
    }
    return vg__sim_name_variant(w, r, name, 1);
}

/* ---- parties ----------------------------------------------------------------------------- */

uint32_t vg__sim_party_add(struct sim_world *w, const struct sim_party *p)
{
    if (!vg__sim_grow((void **)&w->party, &w->party_cap, w->nparty + 1, sizeof(*w->party),
                      1024)) {
        return SIM_NONE;
    }
    w->party[w->nparty] = *p;
    return w->nparty++;
}

static void peru_address(struct sim_world *w, struct sim_rng *r, struct sim_party *p)
{
    const struct sim_names *n = &w->cfg->names;
    char buf[96];
    snprintf(buf, sizeof(buf), "%s %d", n->streets[vg__sim_below(r, n->nstreets)],
             vg__sim_range(r, 100, 4999));
    p->street = arena_str(w, buf);
    const struct sim_city *c = &n->cities[vg__sim_below(r, n->ncities)];
    p->city = c->name;
    p->postcode = c->postcode;
    memcpy(p->country, "PE", 3);
}

static void foreign_address(struct sim_world *w, struct sim_rng *r, uint32_t country,
                            struct sim_party *p)
{
    const struct sim_country *ct = &w->cfg->country[country];
    const struct sim_city *c = &ct->cities[vg__sim_below(r, ct->ncities)];
    char buf[96];
    snprintf(buf, sizeof(buf), "%s %d", c->street, vg__sim_range(r, 1, 480));
    p->street = arena_str(w, buf);
    p->city = c->name;
    p->postcode = c->postcode;
    memcpy(p->country, ct->code, 3);
}

static uint32_t new_consignee(struct sim_world *w, struct sim_rng *r, uint32_t country,
                              int32_t since)
{
    struct sim_party p = { 0 };
    p.role = SIM_ROLE_CONSIGNEE;
    p.name = vg__sim_foreign_name(w, r, country);
    if (p.name == NULL) {
        return SIM_NONE;
    }
    foreign_address(w, r, country, &p);
    p.since_day = since;
    p.broker = p.forwarder = SIM_NONE;
    p.commodity = SIM_NONE;
    return vg__sim_party_add(w, &p);
}

/* A natural person trading under a RUC (10 + DNI). */
static uint32_t new_person(struct sim_world *w, struct sim_rng *r, uint8_t role, int32_t since)
{
    struct sim_party p = { 0 };
    p.role = role;
    p.name = person_name(w, r);
    if (p.name == NULL) {
        return SIM_NONE;
    }
    p.flags = SIM_PARTY_PERSON;
    vg__sim_ruc(w, r, false, true, p.ruc);
    peru_address(w, r, &p);
    p.since_day = since;
    p.broker = p.forwarder = p.commodity = SIM_NONE;
    return vg__sim_party_add(w, &p);
}

static uint32_t new_peru_company(struct sim_world *w, struct sim_rng *r, uint8_t role,
                                 uint32_t sector, const char *const *templ, uint32_t ntempl,
                                 bool recent)
{
    struct sim_party p = { 0 };
    p.role = role;
    if (templ != NULL) {
        char word[96], buf[160];
        snprintf(word, sizeof(word), "%s%s",
                 w->cfg->names.words[vg__sim_below(r, w->cfg->names.nwords)],
                 w->cfg->names.words2[vg__sim_below(r, w->cfg->names.nwords2)]);
        fill_template(templ[vg__sim_below(r, ntempl)], word, buf, sizeof(buf));
        p.name = unique_name(w, buf);
    } else {
        p.name = vg__sim_company_name(w, r, sector);
    }
    if (p.name == NULL) {
        return SIM_NONE;
    }
    p.sector = sector;
    vg__sim_ruc(w, r, recent, false, p.ruc);
    peru_address(w, r, &p);
    p.since_day = recent ? 0 : -vg__sim_range(r, 400, 9000);
    p.broker = p.forwarder = SIM_NONE;
    p.commodity = SIM_NONE;
    return vg__sim_party_add(w, &p);
}

/* An exporter of commodity c with its usual consignees, broker and forwarder. */
static uint32_t new_exporter(struct sim_world *w, struct sim_rng *r, uint32_t c, bool trader,
                             bool newcomer)
{
    const struct sim_config *cfg = w->cfg;
    const struct sim_commodity *cm = &cfg->commodity[c];
    uint32_t sector = trader ? cfg->names.sector_trade : cm->sector;
    bool person = !trader && vg__sim_chance(r, 0.03);
    uint32_t id;
    if (person) {
        id = new_person(w, r, SIM_ROLE_EXPORTER, -vg__sim_range(r, 400, 9000));
    } else {
        id = new_peru_company(w, r, SIM_ROLE_EXPORTER, sector, NULL, 0, newcomer);
    }
    if (id == SIM_NONE) {
        return SIM_NONE;
    }
    struct sim_party *p = &w->party[id];
    p->commodity = c;
    p->sector = sector;
    if (trader) {
        p->flags |= SIM_PARTY_TRADER;
    }
    if (newcomer) {
        p->flags |= SIM_PARTY_NEWCOMER;
        p->since_day = vg__sim_range(r, 1, w->days > 2 ? w->days - 1 : 1);
    }
    p->broker = w->broker[vg__sim_below(r, w->nbroker)];
    p->forwarder = w->forwarder[vg__sim_below(r, w->nforwarder)];
    p->prepaid = vg__sim_chance(r, cfg->prepaid_share) ? 0.9 : 0.08;
    p->last_day = INT32_MIN;
    /* Usual consignees in the commodity's markets. */
    struct sim_choice dest;
    if (vg__sim_choice_build(&dest, &w->arena, cm->dest_w, cfg->ncountry) != VG_OK) {
        return SIM_NONE;
    }
    uint32_t k = (uint32_t)vg__sim_range(r, cfg->cons_per_exporter[0], cfg->cons_per_exporter[1]);
    uint32_t *cons = vg_arena_alloc(&w->arena, sizeof(uint32_t) * k);
    if (cons == NULL) {
        return SIM_NONE;
    }
    for (uint32_t i = 0; i < k; i++) {
        uint32_t country = vg__sim_pick(&dest, r);
        cons[i] = w->cons_pool[country][vg__sim_below(r, w->ncons_pool[country])];
    }
    p = &w->party[id];
    p->cons = cons;
    p->ncons = k;
    return id;
}

uint32_t vg__sim_front_company(struct sim_world *w, struct sim_rng *r, int day,
                               uint32_t commodity)
{
    const struct sim_config *cfg = w->cfg;
    const struct sim_pattern_cfg *pc = &cfg->pattern[SIM_P_FRONT];
    /* Reuse a company that still has loads to ship, most of the time. */
    if (w->nfront > 0 && vg__sim_chance(r, 0.6)) {
        uint32_t f = w->front[vg__sim_below(r, w->nfront)];
        struct sim_party *p = &w->party[f];
        if ((int)p->loaded < (int)p->size && p->commodity == commodity) {
            return f;
        }
    }
    bool inconsistent = vg__sim_chance(r, pc->ind_p[SIM_I_PRODUCT_INCONSISTENT]);
    bool established = !vg__sim_chance(r, pc->ind_p[SIM_I_NEW_EXPORTER]);
    uint32_t sector = inconsistent ? cfg->names.sector_other
                                   : (vg__sim_chance(r, 0.5) ? cfg->names.sector_trade
                                                             : cfg->commodity[commodity].sector);
    uint32_t id = new_peru_company(w, r, SIM_ROLE_EXPORTER, sector, NULL, 0, !established);
    if (id == SIM_NONE) {
        return SIM_NONE;
    }
    if (!vg__sim_grow((void **)&w->front, &w->front_cap, w->nfront + 1, sizeof(uint32_t), 64)) {
        return SIM_NONE;
    }
    w->front[w->nfront++] = id;
    struct sim_party *p = &w->party[id];
    p->flags |= SIM_PARTY_FRONT | (inconsistent ? SIM_PARTY_INCONSISTENT : 0);
    p->commodity = commodity;
    p->since_day = established ? -vg__sim_range(r, 200, 3000) : day - vg__sim_range(r, 5, 40);
    p->broker = w->broker[vg__sim_below(r, w->nbroker)];
    p->forwarder = w->forwarder[vg__sim_below(r, w->nforwarder)];
    p->prepaid = 0.9;
    p->size = vg__sim_range(r, pc->loaded_min, pc->loaded_max); /* loads it will carry */
    p->last_day = INT32_MIN;
    return id;
}

/* ---- vessels ----------------------------------------------------------------------------- */

/* Dimensions by kind: length, beam (0: a quarter of the length), draught, AIS type. */
static const struct {
    int len_lo, len_hi, beam_lo, beam_hi;
    double draught_lo, draught_hi;
    uint8_t ship_type;
} vessel_kinds[] = {
    [SIM_V_CONTAINER] = { 200, 366, 32, 51, 10.5, 14.5, 71 },
    [SIM_V_BULK] = { 180, 230, 30, 38, 9, 13, 70 },
    [SIM_V_TANKER] = { 150, 250, 24, 44, 8, 14, 80 },
    [SIM_V_GENERAL] = { 90, 160, 15, 25, 6, 9, 70 },
    [SIM_V_FISHING] = { 12, 60, 0, 0, 2, 5, 30 },
    [SIM_V_LAUNCH] = { 8, 18, 0, 0, 1, 2, 37 },
    [SIM_V_RIVER] = { 25, 70, 7, 14, 1.5, 3, 69 },
    [SIM_V_BARGE] = { 40, 90, 10, 18, 2, 3.5, 79 },
};

static void vessel_dims(struct sim_rng *r, uint8_t kind, struct sim_vessel *v)
{
    const size_t n = sizeof(vessel_kinds) / sizeof(vessel_kinds[0]);
    uint8_t k = kind < n ? kind : SIM_V_GENERAL;
    v->length = (uint16_t)vg__sim_range(r, vessel_kinds[k].len_lo, vessel_kinds[k].len_hi);
    v->beam = vessel_kinds[k].beam_hi == 0
                  ? (uint16_t)(v->length / 4 + 2)
                  : (uint16_t)vg__sim_range(r, vessel_kinds[k].beam_lo, vessel_kinds[k].beam_hi);
    v->draught = vg__sim_uniform(r, vessel_kinds[k].draught_lo, vessel_kinds[k].draught_hi);
    v->ship_type = vessel_kinds[k].ship_type;
}

uint32_t vg__sim_vessel_new(struct sim_world *w, struct sim_rng *r, uint8_t kind,
                            uint32_t carrier, uint32_t flag, const char *name_hint,
                            bool with_imo)
{
    const struct sim_config *cfg = w->cfg;
    if (!vg__sim_grow((void **)&w->vessel, &w->vessel_cap, w->nvessel + 1, sizeof(*w->vessel),
                      256)) {
        return SIM_NONE;
    }
    struct sim_vessel v;
    memset(&v, 0, sizeof(v));
    v.kind = kind;
    v.carrier = carrier;
    v.home = SIM_NONE;
    /* AIS names are 20 characters of the 6-bit alphabet: no accents. */
    char name[64], ascii[64];
    snprintf(name, sizeof(name), "%s", name_hint);
    strip_accents(name, ascii, sizeof(ascii));
    ascii[20] = '\0';
    /* Unique names: "MSC ANNA", then "MSC ANNA 2", "MSC ANNA 3"... A counter per 14-letter
     * stem keeps this linear however many ships share a stem ("COSCO SHIPPING ..."). */
    char key[80];
    snprintf(key, sizeof(key), "V:%s", ascii);
    if (!name_take(w, key)) {
        char stem[16];
        snprintf(stem, sizeof(stem), "%.14s", ascii);
        size_t sl = strlen(stem);
        if (strlen(ascii) > 14) {
            /* Cut at a word: "SENOR DE LOS 5", not "SENOR DE LOS M 5". */
            char *sp = strrchr(stem, ' ');
            if (sp != NULL && sp > stem + 4) {
                *sp = '\0';
                sl = strlen(stem);
            }
        }
        while (sl > 0 && stem[sl - 1] == ' ') {
            stem[--sl] = '\0';
        }
        char ckey[32];
        snprintf(ckey, sizeof(ckey), "N:%s", stem);
        uint64_t count = 1;
        vg_map_get(&w->names_used, ckey, strlen(ckey), &count);
        for (uint64_t n = count + 1;; n++) {
            snprintf(key, sizeof(key), "V:%s %llu", stem, (unsigned long long)n);
            if (name_take(w, key)) {
                if (vg_map_set(&w->names_used, ckey, strlen(ckey), n) != VG_OK) {
                    return SIM_NONE;
                }
                break;
            }
            if (n > count + 1000000) {
                return SIM_NONE;
            }
        }
    }
    snprintf(v.name, sizeof(v.name), "%s", key + 2);
    const struct sim_flag *f = &cfg->flag[flag];
    memcpy(v.flag, f->code, 3);
    unsigned mid = f->mids[vg__sim_below(r, f->nmid)];
    uint32_t k = w->mmsi_next[mid - 200]++;
    v.mmsi = (uint32_t)mid * 1000000u +
             (uint32_t)(((uint64_t)k * PERM_A + (uint64_t)mid * 31u) % 1000000u);
    if (with_imo) {
        uint32_t ik = w->imo_next++;
        uint32_t six = 910000u + (uint32_t)(((uint64_t)ik * PERM_A + 1234u) % 80000u);
        v.imo = six * 10u + (uint32_t)vg__sim_imo_check(six);
    }
    /* Call sign: the flag's ITU prefix and 2-4 letters or digits, unique. */
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int attempt = 0; attempt < 64; attempt++) {
        const char *pre = f->cs[vg__sim_below(r, f->ncs)];
        int extra = 2 + (int)vg__sim_below(r, 3);
        char cs[8];
        memcpy(cs, pre, 2);
        for (int i = 0; i < extra; i++) {
            cs[2 + i] = alnum[vg__sim_below(r, 36)];
        }
        cs[2 + extra] = '\0';
        snprintf(key, sizeof(key), "C:%s", cs);
        if (name_take(w, key) || attempt == 63) {
            memcpy(v.call_sign, cs, sizeof(cs));
            break;
        }
    }
    v.class_b = kind == SIM_V_LAUNCH ||
                (kind == SIM_V_FISHING && vg__sim_chance(r, cfg->craft.class_b)) ||
                (kind == SIM_V_RIVER && vg__sim_chance(r, 0.5));
    vessel_dims(r, kind, &v);
    w->vessel[w->nvessel] = v;
    return w->nvessel++;
}

/* ---- the watch-listed parties ------------------------------------------------------------ */

static enum vg_status build_listed(struct sim_world *w, struct sim_rng *r, double expected_cases)
{
    const struct sim_config *cfg = w->cfg;
    const struct sim_pattern_cfg *pc = &cfg->pattern[SIM_P_WATCHLIST];
    int n = (int)ceil(expected_cases * 0.6) + cfg->watch.listed_min;
    int max = cfg->watch.listed_max * (w->copies > 1 ? w->copies : 1);
    if (n > max) {
        n = max;
    }
    if (n < cfg->watch.listed_min) {
        n = cfg->watch.listed_min;
    }
    w->listed = vg_arena_calloc(&w->arena, (size_t)n, sizeof(*w->listed));
    if (w->listed == NULL) {
        return VG_ENOMEM;
    }
    double role_w[3] = { pc->present ? pc->role_w[0] : 1, pc->present ? pc->role_w[1] : 1,
                         pc->present ? pc->role_w[2] : 1 };
    struct sim_choice roles;
    enum vg_status st = vg__sim_choice_build(&roles, &w->arena, role_w, 3);
    if (st != VG_OK) {
        return st;
    }
    double eur_w[64] = { 0 };
    for (uint32_t i = 0; i < cfg->ncountry && i < 64; i++) {
        int reg = cfg->country[i].region;
        eur_w[i] = reg == SIM_EUR ? 3 : (reg == SIM_NAM ? 1 : 0.2);
    }
    struct sim_choice countries;
    st = vg__sim_choice_build(&countries, &w->arena, eur_w, cfg->ncountry < 64 ? cfg->ncountry : 64);
    if (st != VG_OK) {
        return st;
    }
    for (int i = 0; i < n; i++) {
        uint32_t role = vg__sim_pick(&roles, r);
        uint32_t id;
        bool person = false;
        if (role == 0) {
            person = vg__sim_chance(r, 0.3);
            if (person) {
                id = new_person(w, r, SIM_ROLE_EXPORTER, -vg__sim_range(r, 100, 2000));
                if (id != SIM_NONE) {
                    w->party[id].sector = cfg->names.sector_trade;
                }
            } else {
                id = new_peru_company(w, r, SIM_ROLE_EXPORTER, cfg->names.sector_trade, NULL, 0,
                                      vg__sim_chance(r, 0.5));
            }
            if (id != SIM_NONE) {
                /* Listed exporters ship a high-risk cover product. */
                uint32_t c = 0;
                for (int a = 0; a < 50; a++) {
                    c = vg__sim_below(r, cfg->ncommodity);
                    if (cfg->commodity[c].high_risk) {
                        break;
                    }
                }
                w->party[id].commodity = c;
                w->party[id].broker = w->broker[vg__sim_below(r, w->nbroker)];
                w->party[id].forwarder = w->forwarder[vg__sim_below(r, w->nforwarder)];
                w->party[id].prepaid = 0.8;
                w->party[id].since_day = w->party[id].since_day > -30 ? -vg__sim_range(r, 60, 400)
                                                                      : w->party[id].since_day;
            }
        } else if (role == 1) {
            id = new_consignee(w, r, vg__sim_pick(&countries, r), -vg__sim_range(r, 100, 2000));
        } else {
            id = new_peru_company(w, r, SIM_ROLE_FORWARDER, 0, cfg->names.fw, cfg->names.nfw,
                                  false);
        }
        if (id == SIM_NONE) {
            return VG_ENOMEM;
        }
        struct sim_party *p = &w->party[id];
        p->flags |= SIM_PARTY_LISTED;
        p->last_day = INT32_MIN;
        struct sim_listed *l = &w->listed[w->nlisted];
        l->party = id;
        p->listed = w->nlisted + 1;
        l->listed_name = p->name;
        /* The list carries the name as investigators wrote it, sometimes with aliases. */
        /* The feeds carry these spellings; the list knows some of them as aliases. */
        int vkind = person ? -2 : -1;
        l->nvariants = 1 + vg__sim_below(r, 3);
        for (uint32_t a = 0; a < l->nvariants; a++) {
            l->variants[a] = vg__sim_name_variant(w, r, p->name, vkind);
        }
        uint32_t want = vg__sim_chance(r, 0.6) ? 1 + vg__sim_below(r, 2) : 0;
        l->naliases = 0;
        for (uint32_t a = 0; a < want; a++) {
            const char *alias = a == 0 && vg__sim_chance(r, 0.5)
                                    ? l->variants[0]
                                    : vg__sim_name_variant(w, r, p->name, person ? 4 : vkind);
            bool dup = alias == NULL || strcmp(alias, p->name) == 0;
            for (uint32_t b = 0; b < l->naliases && !dup; b++) {
                dup = strcmp(alias, l->aliases[b]) == 0;
            }
            if (!dup) {
                l->aliases[l->naliases++] = alias;
            }
        }
        l->source = cfg->watch.sources[vg__sim_pick(&cfg->watch.source_pick, r)];
        l->note = cfg->watch.notes[vg__sim_below(r, cfg->watch.nnotes)];
        l->with_id = p->ruc[0] != '\0' && vg__sim_chance(r, 0.4);
        w->nlisted++;
    }
    return VG_OK;
}

/* ---- build -------------------------------------------------------------------------------- */

static double expected_full(const struct sim_config *cfg, int days, double scale)
{
    double total = 0;
    for (uint32_t s = 0; s < cfg->nservice; s++) {
        const struct sim_service *sv = &cfg->service[s];
        for (uint32_t i = 0; i < sv->nrot; i++) {
            if (sv->rot[i].peru >= 0) {
                total += sv->rot[i].exports * (double)days / sv->freq;
            }
        }
    }
    return total * scale;
}

enum vg_status vg__sim_world_build(struct sim_world *w, const struct sim_config *cfg,
                                   uint64_t seed, int days, double scale, int64_t t0,
                                   double history_share, struct vg_error *err)
{
    memset(w, 0, sizeof(*w));
    w->cfg = cfg;
    w->seed = seed;
    w->days = days;
    w->scale = scale;
    w->copies = scale >= 1 ? (int)floor(scale) : 1;
    w->factor = scale / w->copies;
    w->t0 = t0;
    w->t_end = t0 + (int64_t)days * SIM_DAY;
    w->history_days = (int)floor(days * history_share + 1e-9);
    w->t_split = t0 + (int64_t)w->history_days * SIM_DAY;
    vg_arena_init(&w->arena, 1 << 16, 0);
    vg_map_init(&w->names_used);
    vg_map_init(&w->prefix_index);
    enum vg_status st = VG_ENOMEM;

    w->mmsi_next = vg_calloc(600, sizeof(uint32_t));
    /* Owner prefixes of every carrier and lessor, each with its own serial counter. */
    uint32_t nprefix = cfg->nlessor + 1;
    for (uint32_t i = 0; i < cfg->ncarrier; i++) {
        nprefix += cfg->carrier[i].nprefix;
    }
    w->serial_next = vg_calloc(nprefix, sizeof(uint32_t));
    if (w->mmsi_next == NULL || w->serial_next == NULL) {
        goto fail;
    }
    uint32_t pi = 1;
    for (uint32_t i = 0; i < cfg->ncarrier; i++) {
        for (uint32_t j = 0; j < cfg->carrier[i].nprefix; j++) {
            bool existed;
            if (vg_map_put(&w->prefix_index, cfg->carrier[i].prefix[j], 4, pi, &existed, NULL) !=
                VG_OK) {
                goto fail;
            }
            pi += existed ? 0 : 1;
        }
    }
    for (uint32_t i = 0; i < cfg->nlessor; i++) {
        bool existed;
        if (vg_map_put(&w->prefix_index, cfg->lessor[i], 4, pi, &existed, NULL) != VG_OK) {
            goto fail;
        }
        pi += existed ? 0 : 1;
    }

    struct sim_rng r;
    vg__sim_rng_init(&r, seed, SIM_S_WORLD, 0, 0);

    /* Customs brokers and forwarders. */
    w->nbroker = (uint32_t)cfg->brokers;
    w->nforwarder = (uint32_t)cfg->forwarders;
    w->broker = vg_arena_alloc(&w->arena, sizeof(uint32_t) * w->nbroker);
    w->forwarder = vg_arena_alloc(&w->arena, sizeof(uint32_t) * w->nforwarder);
    if (w->broker == NULL || w->forwarder == NULL) {
        goto fail;
    }
    for (uint32_t i = 0; i < w->nbroker; i++) {
        w->broker[i] = new_peru_company(w, &r, SIM_ROLE_BROKER, 0, cfg->names.broker,
                                        cfg->names.nbroker, false);
        if (w->broker[i] == SIM_NONE) {
            goto fail;
        }
    }
    for (uint32_t i = 0; i < w->nforwarder; i++) {
        w->forwarder[i] = new_peru_company(w, &r, SIM_ROLE_FORWARDER, 0, cfg->names.fw,
                                           cfg->names.nfw, false);
        if (w->forwarder[i] == SIM_NONE) {
            goto fail;
        }
    }

    /* Consignee pools per country, sized by the exporters that sell there. */
    w->cons_pool = vg_arena_calloc(&w->arena, cfg->ncountry, sizeof(uint32_t *));
    w->ncons_pool = vg_arena_calloc(&w->arena, cfg->ncountry, sizeof(uint32_t));
    if (w->cons_pool == NULL || w->ncons_pool == NULL) {
        goto fail;
    }
    for (uint32_t c = 0; c < cfg->ncountry; c++) {
        double n = 3;
        for (uint32_t k = 0; k < cfg->ncommodity; k++) {
            const struct sim_commodity *cm = &cfg->commodity[k];
            double total = 0;
            for (uint32_t j = 0; j < cfg->ncountry; j++) {
                total += cm->dest_w[j];
            }
            n += total > 0 ? cm->exporters * cm->dest_w[c] / total * 0.8 : 0;
        }
        w->ncons_pool[c] = (uint32_t)n;
        w->cons_pool[c] = vg_arena_alloc(&w->arena, sizeof(uint32_t) * w->ncons_pool[c]);
        if (w->cons_pool[c] == NULL) {
            goto fail;
        }
        for (uint32_t i = 0; i < w->ncons_pool[c]; i++) {
            w->cons_pool[c][i] = new_consignee(w, &r, c, -vg__sim_range(&r, 200, 5000));
            if (w->cons_pool[c][i] == SIM_NONE) {
                goto fail;
            }
        }
    }

    /* Exporters per commodity: a few large ones and many small ones (Zipf sizes), some
     * newcomers, some traders who also ship other products. */
    w->exporters = vg_arena_calloc(&w->arena, cfg->ncommodity, sizeof(uint32_t *));
    w->nexporters = vg_arena_calloc(&w->arena, cfg->ncommodity, sizeof(uint32_t));
    w->exporter_pick = vg_arena_calloc(&w->arena, cfg->ncommodity, sizeof(struct sim_choice));
    uint32_t *extra_n = vg_calloc(cfg->ncommodity, sizeof(uint32_t));
    if (w->exporters == NULL || w->nexporters == NULL || w->exporter_pick == NULL ||
        extra_n == NULL) {
        vg_free(extra_n);
        goto fail;
    }
    uint32_t total_exporters = 0;
    for (uint32_t c = 0; c < cfg->ncommodity; c++) {
        total_exporters += (uint32_t)cfg->commodity[c].exporters;
    }
    /* Room for traders joining other pools. */
    for (uint32_t c = 0; c < cfg->ncommodity; c++) {
        uint32_t cap = (uint32_t)cfg->commodity[c].exporters + 8 +
                       (uint32_t)(total_exporters * cfg->conf_rate[SIM_C_TRADER] * 3 / cfg->ncommodity + 4);
        w->exporters[c] = vg_arena_alloc(&w->arena, sizeof(uint32_t) * cap);
        if (w->exporters[c] == NULL) {
            vg_free(extra_n);
            goto fail;
        }
        extra_n[c] = cap;
    }
    for (uint32_t c = 0; c < cfg->ncommodity; c++) {
        for (int i = 0; i < cfg->commodity[c].exporters; i++) {
            bool trader = vg__sim_chance(&r, cfg->conf_rate[SIM_C_TRADER]);
            bool newcomer = vg__sim_chance(&r, cfg->conf_rate[SIM_C_NEWCOMER]);
            uint32_t id = new_exporter(w, &r, c, trader, newcomer);
            if (id == SIM_NONE) {
                vg_free(extra_n);
                goto fail;
            }
            w->party[id].size = 1.0 / pow(i + 1.0, 0.8);
            w->exporters[c][w->nexporters[c]++] = id;
            if (trader) {
                /* A trader also ships two or three unrelated products. */
                int others = vg__sim_range(&r, 2, 3);
                for (int o = 0; o < others; o++) {
                    uint32_t c2 = vg__sim_below(&r, cfg->ncommodity);
                    if (c2 != c && w->nexporters[c2] < extra_n[c2]) {
                        w->exporters[c2][w->nexporters[c2]++] = id;
                    }
                }
            }
        }
    }
    vg_free(extra_n);
    /* A few exporters whose names carry EDIFACT service characters (' + : ?), so that the
     * release character is exercised on every run. */
    for (uint32_t i = 0; i < cfg->names.nspecial; i++) {
        uint32_t c = vg__sim_below(&r, cfg->ncommodity);
        if (w->nexporters[c] == 0 || !name_take(w, cfg->names.special[i])) {
            continue;
        }
        uint32_t e = w->exporters[c][vg__sim_below(&r, w->nexporters[c])];
        if (!(w->party[e].flags & SIM_PARTY_PERSON)) {
            w->party[e].name = cfg->names.special[i];
        }
    }
    for (uint32_t c = 0; c < cfg->ncommodity; c++) {
        double *sz = vg_calloc(w->nexporters[c] ? w->nexporters[c] : 1, sizeof(double));
        if (sz == NULL) {
            goto fail;
        }
        for (uint32_t i = 0; i < w->nexporters[c]; i++) {
            struct sim_party *p = &w->party[w->exporters[c][i]];
            sz[i] = p->commodity == c ? p->size : p->size * 0.3;
        }
        st = w->nexporters[c] ? vg__sim_choice_build(&w->exporter_pick[c], &w->arena, sz,
                                                     w->nexporters[c])
                              : VG_EINVAL;
        vg_free(sz);
        if (st != VG_OK) {
            goto fail;
        }
    }

    /* Watch-listed parties. */
    double full = expected_full(cfg, days, scale);
    const struct sim_pattern_cfg *wp = &cfg->pattern[SIM_P_WATCHLIST];
    st = build_listed(w, &r, wp->present ? wp->rate * full / 1000 : 0);
    if (st != VG_OK) {
        goto fail;
    }
    return VG_OK;

fail:
    if (st == VG_OK || st == VG_EINVAL) {
        st = VG_ENOMEM;
    }
    vg__sim_world_release(w);
    return vg_error_set(err, st, "cannot build the world: %s", vg_strerror(st));
}

void vg__sim_world_release(struct sim_world *w)
{
    if (w == NULL) {
        return;
    }
    vg_free(w->party);
    vg_free(w->vessel);
    vg_free(w->front);
    vg_free(w->mmsi_next);
    vg_free(w->serial_next);
    vg_free(w->extra);
    vg_free(w->craft);
    vg_free(w->craft_by_port_start);
    vg_free(w->craft_by_port_n);
    vg_map_release(&w->names_used);
    vg_map_release(&w->prefix_index);
    vg_arena_release(&w->arena);
    memset(w, 0, sizeof(*w));
}
