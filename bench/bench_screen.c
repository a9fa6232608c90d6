/*
 * Benchmark: screening 1.5 million party names - a day of the world's container traffic -
 * against the full OFAC SDN list with its aliases (../shared/data/sanctions/ofac: sdn.csv,
 * alt.csv, add.csv), on one core. Target: under 30 s.
 *
 * The names come from a seeded generator of Peruvian and Latin American company names
 * (activity word, place or brand, legal form in its usual spellings) and person names
 * (one or two given names, two surnames, in the orders registries use). Every 2,000th
 * name is planted: a variant of a real SDN narcotics entry (SDNT, SDNTK) - given names
 * first, a second given name dropped, the second surname as an initial, a typo, another
 * legal form, words rotated. The benchmark prints names per second, how many names hit
 * something, and how many planted variants found their entry.
 *
 * Usage: bench_screen [NAMES] [SEED]   (BENCH_SHOW_HITS=N: print N sample hits)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "bench_clock.h"

#include <vigia/file.h>
#include <vigia/screen.h>

#define PLANT_EVERY 2000

static uint64_t rng_next(uint64_t *s)
{
    /* splitmix64 */
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static size_t pick(uint64_t *s, size_t n)
{
    return (size_t)(rng_next(s) % n);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const activities[] = {
    "INVERSIONES",
    "AGROINDUSTRIAS",
    "EXPORTADORA",
    "IMPORTADORA",
    "COMERCIAL",
    "TRANSPORTES",
    "CORPORACION",
    "GRUPO",
    "NEGOCIACIONES",
    "DISTRIBUIDORA",
    "AGRICOLA",
    "PESQUERA",
    "MINERA",
    "SERVICIOS",
    "CONSTRUCTORA",
    "EMPRESA DE TRANSPORTES",
    "FRUTICOLA",
    "TEXTIL",
    "LOGISTICA",
    "INDUSTRIAS",
    "AGROEXPORTADORA",
    "FRIGORIFICO",
    "CAFETALERA",
    "REPRESENTACIONES",
    "MULTISERVICIOS",
    "ALIMENTOS",
    "CONSERVERA",
    "PACKING",
    "NAVIERA",
    "AGENCIA DE ADUANAS",
    "OPERADOR LOGISTICO",
};
static const char *const places[] = {
    "SAN JUAN",     "SANTA ROSA",   "LOS ANDES",     "DEL NORTE",   "DEL SUR",       "PACIFICO",
    "INCA",         "CHAVIN",       "VIRU",          "OLMOS",       "PIURA",         "TUMBES",
    "ICA",          "AREQUIPA",     "CALLAO",        "CHANCAY",     "PAITA",         "MATARANI",
    "IQUITOS",      "AMAZONICA",    "SELVA",         "COSTA VERDE", "VALLE SAGRADO", "EL SOL",
    "LA ESPERANZA", "MANTARO",      "HUALLAGA",      "UCAYALI",     "TITICACA",      "CUSCO",
    "MOCHICA",      "NAZCA",        "PARACAS",       "CHIMU",       "LIMA",          "TRUJILLO",
    "CHICLAYO",     "CAJAMARCA",    "HUANCAYO",      "AYACUCHO",    "PUNO",          "TACNA",
    "MOQUEGUA",     "ANCASH",       "HUARAZ",        "LAMBAYEQUE",  "SULLANA",       "CHIRA",
    "MARANON",      "SAN MARTIN",   "MADRE DE DIOS", "CHINCHA",     "PISCO",         "CAÑETE",
    "HUACHO",       "BARRANCA",     "ILO",           "JAEN",        "BAGUA",         "TARAPOTO",
    "PUCALLPA",     "YURIMAGUAS",   "ATLANTICO",     "ANDINO",      "PERUANO",       "LATINO",
    "AMERICA",      "DEL PACIFICO", "SAN MIGUEL",    "SANTA ANA",   "LOS OLIVOS",    "VILLA RICA",
};
static const char *const syllables[] = {
    "AGRO", "FRU", "TI",  "MAR", "PE", "RU", "VI",  "SA",  "NOR", "TE", "CA", "MI", "LO", "PA",
    "CHA",  "QUI", "HUA", "YU",  "TA", "RI", "SOL", "MAN", "GO",  "BA", "NA", "KA", "LI", "DO",
};
static const char *const legal[] = {
    "S.A.C.", "SAC",   "S.A.",  "E.I.R.L.", "EIRL", "S.R.L.", "S.A.A.", "SOCIEDAD ANONIMA CERRADA",
    "",       "LTDA.", "S.A.C", "SAC.",
};
static const char *const given[] = {
    "JUAN",    "CARLOS",   "JOSE",      "LUIS",      "JORGE",    "MIGUEL",  "PEDRO",     "VICTOR",
    "CESAR",   "RAUL",     "MARIO",     "JULIO",     "ANGEL",    "MANUEL",  "FRANCISCO", "RICARDO",
    "ALBERTO", "FERNANDO", "EDUARDO",   "HUGO",      "WILLIAM",  "JHON",    "ROBERTO",   "SERGIO",
    "PABLO",   "DANIEL",   "DAVID",     "ALEJANDRO", "MARIA",    "ROSA",    "ANA",       "CARMEN",
    "ELENA",   "LUZ",      "JULIA",     "MERCEDES",  "GLORIA",   "SONIA",   "PATRICIA",  "MARTHA",
    "TERESA",  "NANCY",    "ELIZABETH", "MILAGROS",  "ROCIO",    "YESENIA", "KATHERINE", "DIANA",
    "CLAUDIA", "FLOR",     "LUCIA",     "SILVIA",    "VERONICA", "BEATRIZ", "IRMA",
};
static const char *const surnames[] = {
    "QUISPE",   "FLORES",  "SANCHEZ",  "RODRIGUEZ", "GARCIA",     "CHAVEZ",    "RAMOS",
    "TORRES",   "DIAZ",    "MENDOZA",  "HUAMAN",    "MAMANI",     "ROJAS",     "VASQUEZ",
    "CASTILLO", "LOPEZ",   "GONZALES", "PEREZ",     "CRUZ",       "GUTIERREZ", "ESPINOZA",
    "VARGAS",   "SALAZAR", "MORALES",  "RIOS",      "HERNANDEZ",  "CONDORI",   "RAMIREZ",
    "ALVAREZ",  "CASTRO",  "ROMERO",   "MEDINA",    "REYES",      "SILVA",     "FERNANDEZ",
    "CORDOVA",  "AGUILAR", "PAREDES",  "MARTINEZ",  "CARDENAS",   "HUANCA",    "CCAHUANA",
    "APAZA",    "TICONA",  "CHOQUE",   "VILCA",     "PUMA",       "CAHUANA",   "YUPANQUI",
    "INGA",     "LEON",    "VEGA",     "ZAPATA",    "PALOMINO",   "BENDEZU",   "ZEVALLOS",
    "VALDIVIA", "OBANDO",  "SOTO",     "CAMPOS",    "NUÑEZ",      "PEÑA",      "MUÑOZ",
    "ORTIZ",    "MIRANDA", "CARRASCO", "OCHOA",     "BUSTAMANTE", "LOZANO",
};

/* A made-up brand word from two or three syllables (AGROVI, MARTISA...). */
static size_t brand(uint64_t *s, char *out, size_t size)
{
    size_t n = 0;
    size_t k = 2 + pick(s, 2);
    for (size_t i = 0; i < k; i++) {
        n += (size_t)snprintf(out + n, size - n, "%s", syllables[pick(s, N(syllables))]);
    }
    return n;
}

static void company(uint64_t *s, char *out, size_t size)
{
    char b[32];
    brand(s, b, sizeof(b));
    const char *act = activities[pick(s, N(activities))];
    const char *place = places[pick(s, N(places))];
    const char *form = legal[pick(s, N(legal))];
    switch (pick(s, 4)) {
    case 0:
        snprintf(out, size, "%s %s %s", act, place, form);
        break;
    case 1:
        snprintf(out, size, "%s %s %s", b, act, form);
        break;
    case 2:
        snprintf(out, size, "%s %s %s %s", act, b, place, form);
        break;
    default:
        snprintf(out, size, "%s %s %s", act, b, form);
        break;
    }
}

static void person(uint64_t *s, char *out, size_t size)
{
    const char *g1 = given[pick(s, N(given))];
    const char *g2 = pick(s, 2) ? given[pick(s, N(given))] : NULL;
    const char *s1 = surnames[pick(s, N(surnames))];
    const char *s2 = surnames[pick(s, N(surnames))];
    switch (pick(s, 3)) {
    case 0: /* SUNAT's order: surnames first */
        snprintf(out, size, "%s %s %s%s%s", s1, s2, g1, g2 ? " " : "", g2 ? g2 : "");
        break;
    case 1:
        snprintf(out, size, "%s %s, %s%s%s", s1, s2, g1, g2 ? " " : "", g2 ? g2 : "");
        break;
    default:
        snprintf(out, size, "%s%s%s %s %s", g1, g2 ? " " : "", g2 ? g2 : "", s1, s2);
        break;
    }
}

/* ---- the SDN list and the planted variants ------------------------------------------ */

struct target {
    char ext[16];
    char name[160];
    enum vg_watch_type type;
};

struct load {
    struct vg_screen_index *idx;
    struct target *targets;
    size_t ntargets, cap;
};

static enum vg_status on_entry(void *user, const struct vg_watch_entry *e)
{
    struct load *l = user;
    bool narcotics = strstr(e->note, "SDNT") != NULL || strstr(e->note, "ILLICIT-DRUGS") != NULL;
    if (narcotics && (e->type == VG_WATCH_PERSON || e->type == VG_WATCH_ORGANIZATION) &&
        strlen(e->name) < 150) {
        if (l->ntargets == l->cap) {
            l->cap = l->cap ? l->cap * 2 : 1024;
            l->targets = realloc(l->targets, l->cap * sizeof(*l->targets));
            if (l->targets == NULL) {
                return VG_ENOMEM;
            }
        }
        struct target *t = &l->targets[l->ntargets++];
        snprintf(t->ext, sizeof(t->ext), "%s", e->external_id);
        snprintf(t->name, sizeof(t->name), "%s", e->name);
        t->type = e->type;
    }
    return vg_screen_index_add(l->idx, "OFAC SDN", 0, e);
}

/* Swaps two adjacent letters (or replaces one) inside the longest word. */
static void typo(uint64_t *s, char *text)
{
    size_t best = 0, best_len = 0, i = 0, n = strlen(text);
    while (i < n) {
        while (i < n && text[i] == ' ') {
            i++;
        }
        size_t st = i;
        while (i < n && text[i] != ' ') {
            i++;
        }
        if (i - st > best_len) {
            best = st;
            best_len = i - st;
        }
    }
    if (best_len < 5) {
        return;
    }
    size_t at = best + 2 + pick(s, best_len - 3);
    if (pick(s, 2)) {
        char c = text[at];
        text[at] = text[at + 1];
        text[at + 1] = c;
    } else {
        static const char swaps[] = "SZVBIYKC";
        for (size_t k = 0; k + 1 < sizeof(swaps); k += 2) {
            if (text[at] == swaps[k]) {
                text[at] = swaps[k + 1];
                return;
            }
            if (text[at] == swaps[k + 1]) {
                text[at] = swaps[k];
                return;
            }
        }
        text[at] = text[at] == 'E' ? 'A' : 'E';
    }
}

/* A variant of a listed name, the way it turns up on a manifest. */
static void variant(uint64_t *s, const struct target *t, char *out, size_t size)
{
    struct vg_name n;
    vg_name_normalize(t->name, strlen(t->name),
                      t->type == VG_WATCH_PERSON ? VG_NAME_PERSON : VG_NAME_ORGANIZATION, &n);
    char buf[256] = "";
    size_t k = 0;
    int how = (int)pick(s, 5);
    if (n.person) {
        for (size_t i = 0; i < n.ntokens; i++) {
            const struct vg_name_token *tok = &n.tokens[i];
            if (how == 0 && tok->role == VG_ROLE_GIVEN_OTHER) {
                continue; /* second given name left out */
            }
            if (how == 1 && tok->role == VG_ROLE_SURNAME_OTHER) {
                k +=
                    (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%c.", k ? " " : "", tok->text[0]);
                continue; /* second surname as an initial */
            }
            k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s", k ? " " : "", tok->text);
        }
        if (how == 2) {
            typo(s, buf);
        }
        if (how == 3) {
            snprintf(buf, sizeof(buf), "%s", t->name); /* as listed, with its comma */
            typo(s, buf);
        }
    } else {
        size_t first = how == 4 && n.ntokens > 1 ? 1 : 0; /* words rotated */
        for (size_t i = 0; i < n.ntokens; i++) {
            const struct vg_name_token *tok = &n.tokens[(first + i) % n.ntokens];
            k += (size_t)snprintf(buf + k, sizeof(buf) - k, "%s%s", k ? " " : "", tok->text);
        }
        if (how == 2) {
            typo(s, buf);
        }
        if (how != 1) {
            k = strlen(buf);
            snprintf(buf + k, sizeof(buf) - k, " %s", legal[pick(s, N(legal))]);
        }
    }
    snprintf(out, size, "%s", buf);
}

int main(int argc, char **argv)
{
    size_t count = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1500000;
    uint64_t seed = argc > 2 ? strtoull(argv[2], NULL, 10) : 20240503;
    static const char *const files[3] = { "sdn.csv", "alt.csv", "add.csv" };
    struct vg_file f[3];
    struct vg_watch_file wf[3];
    char path[3][1024];
    for (int i = 0; i < 3; i++) {
        snprintf(path[i], sizeof(path[i]), "%s/sanctions/ofac/%s", VIGIA_SHARED_DATA_DIR, files[i]);
        if (vg_file_open(path[i], &f[i], NULL) != VG_OK) {
            fprintf(stderr, "bench_screen: cannot read %s\n", path[i]);
            return 1;
        }
        wf[i] = (struct vg_watch_file){ f[i].data, f[i].len, path[i] };
    }
    struct load l = { 0 };
    if (vg_screen_index_new(&l.idx) != VG_OK) {
        return 1;
    }
    double t0 = bench_wall();
    struct vg_watch_sink sink = { on_entry, NULL, NULL, &l };
    struct vg_error err;
    if (vg_watchlist_parse_ofac(&wf[0], &wf[1], &wf[2], &sink, NULL, &err) != VG_OK ||
        vg_screen_index_finish(l.idx) != VG_OK) {
        fprintf(stderr, "bench_screen: loading the SDN list failed: %s\n", err.message);
        return 1;
    }
    double t1 = bench_wall();
    struct vg_screen_index_stats is;
    vg_screen_index_stats(l.idx, &is);
    printf("index: %zu entries, %zu names, %zu tokens, %zu postings, %zu identifiers, %.1f MB, "
           "built in %.2f s\n",
           is.entries, is.names, is.vocabulary, is.postings, is.identifiers, (double)is.bytes / 1e6,
           t1 - t0);

    /* Generate the names first, so that the timing is screening alone. */
    char **names = malloc(count * sizeof(char *));
    size_t *planted = calloc(count / PLANT_EVERY + 1, sizeof(size_t));
    char *pool = malloc(count * 96);
    if (names == NULL || planted == NULL || pool == NULL || l.ntargets == 0) {
        return 1;
    }
    uint64_t s = seed;
    size_t nplanted = 0;
    for (size_t i = 0; i < count; i++) {
        names[i] = pool + i * 96;
        if (i % PLANT_EVERY == PLANT_EVERY / 2) {
            size_t t = pick(&s, l.ntargets);
            variant(&s, &l.targets[t], names[i], 96);
            planted[nplanted++] = t;
        } else if (pick(&s, 10) < 7) {
            company(&s, names[i], 96);
        } else {
            person(&s, names[i], 96);
        }
    }
    struct vg_screener *sc = NULL;
    if (vg_screener_new(l.idx, &sc) != VG_OK) {
        return 1;
    }
    size_t with_hits = 0, hits_total = 0, found = 0, k = 0, shown = 0;
    /* BENCH_SHOW_HITS=N prints the first N hits of generated (not planted) names. */
    const char *show = getenv("BENCH_SHOW_HITS");
    long show_hits = show != NULL ? strtol(show, NULL, 10) : 0;
    double t2 = bench_wall();
    clock_t c2 = clock();
    for (size_t i = 0; i < count; i++) {
        struct vg_screen_query q = { .name = names[i], .type = VG_WATCH_PARTY };
        const struct vg_screen_hit *hits;
        size_t n;
        if (vg_screen(sc, &q, NULL, &hits, &n, &err) != VG_OK) {
            fprintf(stderr, "bench_screen: %s\n", err.message);
            return 1;
        }
        with_hits += n > 0;
        hits_total += n;
        if (n > 0 && show_hits > 0 && i % PLANT_EVERY != PLANT_EVERY / 2) {
            printf("  hit: %s\n", hits[0].explanation);
            show_hits--;
        }
        if (i % PLANT_EVERY == PLANT_EVERY / 2) {
            const struct target *t = &l.targets[planted[k++]];
            bool ok = false;
            for (size_t h = 0; h < n && !ok; h++) {
                ok = strcmp(hits[h].external_id, t->ext) == 0;
            }
            found += ok;
            if (!ok && shown < 5) {
                printf("  missed: \"%s\" for SDN %s \"%s\"\n", names[i], t->ext, t->name);
                shown++;
            }
        }
    }
    double t3 = bench_wall();
    double cpu = (double)(clock() - c2) / CLOCKS_PER_SEC;
    double el = t3 - t2;
    printf("screened %zu names in %.2f s on one core (%.2f s of CPU): %.0f names/s, %.1f us per "
           "name\n",
           count, el, cpu, (double)count / el, el * 1e6 / (double)count);
    printf("names with a hit at >= %.2f: %zu (%.3f%%), hits %zu\n", VG_SCREEN_THRESHOLD, with_hits,
           100.0 * (double)with_hits / (double)count, hits_total);
    printf("planted SDN variants found: %zu of %zu (%.1f%%)\n", found, nplanted,
           100.0 * (double)found / (double)(nplanted ? nplanted : 1));
    vg_screener_free(sc);
    vg_screen_index_free(l.idx);
    free(names);
    free(planted);
    free(pool);
    free(l.targets);
    for (int i = 0; i < 3; i++) {
        vg_file_close(&f[i]);
    }
    return 0;
}
