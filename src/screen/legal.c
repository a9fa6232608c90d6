/*
 * Legal forms, name particles and generic business words (screen_int.h).
 *
 * Legal forms are written as the normaliser leaves them: upper-case ASCII words, dots
 * joined (S.A.C. -> SAC), "&" and "/" gone ("GmbH & Co. KG" -> GMBH CO KG, "S/A" -> S A,
 * which the normaliser merges into SA). The table follows the company-type lists of the
 * registries vigia meets first - Peru (SUNARP: S.A., S.A.A., S.A.C., S.R.L., E.I.R.L.,
 * S.C.R.L.), the rest of Latin America (Ltda., Cía., S.A. de C.V., S. de R.L., C.A., S.A.S.,
 * EIRELI), Europe (GmbH, AG, KG, B.V., N.V., S.L., S.p.A., S.r.l., SARL, A/S, AB, Oy), the
 * English-speaking world (Ltd, Limited, Inc, Corp, LLC, LLP, PLC, Pte, Pty), and the
 * Russian, Ukrainian and Gulf forms that fill the OFAC list (OOO, ZAO, OAO, PAO, AO, JSC,
 * TOV, FZE, FZCO, WLL) - and ISO 20275 (Entity Legal Forms) for their abbreviations.
 *
 * end_forms is sorted by its last word and start_forms by its first word (strcmp order),
 * so that a name's last or first token finds its candidates by binary search; a unit test
 * checks the order.
 */
#include "screen/screen_int.h"

#include <string.h>

/* Forms that close a name. Sorted by last word. */
static const char *const end_forms[] = {
    "AB",
    "SOCIEDAD ANONIMA ABIERTA",
    "AG",
    "AKTIENGESELLSCHAFT",
    "SOCIEDAD ANONIMA",
    "SOCIEDADE ANONIMA",
    "SOCIETE ANONYME",
    "APS",
    "AS",
    "ASA",
    "SOCIETA PER AZIONI",
    "BHD",
    "SDN BHD",
    "BV",
    "S EN C",
    "CA",
    "SOCIEDAD ANONIMA CERRADA",
    "CIA",
    "Y CIA",
    "CJSC",
    "CO",
    "CLOSED JOINT STOCK COMPANY",
    "COMPANY",
    "JOINT STOCK COMPANY",
    "LIMITED LIABILITY COMPANY",
    "OPEN JOINT STOCK COMPANY",
    "PRIVATE JOINT STOCK COMPANY",
    "PUBLIC JOINT STOCK COMPANY",
    "CORP",
    "CORPORATION",
    "S EN CS",
    "CV",
    "S DE RL DE CV",
    "SA DE CV",
    "SAB DE CV",
    "SAPI DE CV",
    "DOO",
    "EAD",
    "EIRELI",
    "EIRL",
    "SA DE CV SOFOM ENR",
    "SOFOM ENR",
    "EOOD",
    "EURL",
    "FZC",
    "FZCO",
    "FZE",
    "GMBH",
    "GESELLSCHAFT MIT BESCHRANKTER HAFTUNG",
    "INC",
    "INCORPORATED",
    "JSC",
    "KABUSHIKI KAISHA",
    "KFT",
    "AG CO KG",
    "GMBH CO KG",
    "KG",
    "KK",
    "LDA",
    "EMPRESA INDIVIDUAL DE RESPONSABILIDAD LIMITADA",
    "LIMITADA",
    "SOCIEDAD COMERCIAL DE RESPONSABILIDAD LIMITADA",
    "SOCIEDAD DE RESPONSABILIDAD LIMITADA",
    "CO LIMITED",
    "COMPANY LIMITED",
    "LIMITED",
    "PRIVATE LIMITED",
    "FZ LLC",
    "LLC",
    "LLP",
    "LP",
    "CO LTD",
    "LTD",
    "PRIVATE LTD",
    "PTE LTD",
    "PTY LTD",
    "PVT LTD",
    "CIA LTDA",
    "LTDA",
    "Y CIA LTDA",
    "NV",
    "NYRT",
    "OAO",
    "OJSC",
    "OOD",
    "OOO",
    "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU",
    "OY",
    "OYJ",
    "PAO",
    "LIMITED LIABILITY PARTNERSHIP",
    "LIMITED PARTNERSHIP",
    "PJSC",
    "PLC",
    "PTE",
    "PTY",
    "S DE RL",
    "SC DE RL",
    "SPR DE RL",
    "SA",
    "Y CIA SA",
    "SAA",
    "SAB",
    "SAC",
    "SAL",
    "SAOG",
    "SAPI",
    "SARL",
    "SAS",
    "SASU",
    "SAU",
    "SC",
    "SCA",
    "SCRL",
    "SCS",
    "SOCIEDAD POR ACCIONES SIMPLIFICADA",
    "SL",
    "SLU",
    "SNC",
    "SOFOM",
    "SPA",
    "SRL",
    "SRO",
    "TBK",
    "UAB",
    "UG",
    "VOF",
    "WLL",
    "ZAO",
    "ZRT",
};

/* Forms that open a name ("OOO ROMASHKA", "PT BANK ..."). Sorted by first word. */
static const char *const start_forms[] = {
    "AKTSIONERNOE OBSHCHESTVO",
    "AO",
    "CIA",
    "CJSC",
    "CLOSED JOINT STOCK COMPANY",
    "CV",
    "JOINT STOCK COMPANY",
    "JSC",
    "LIMITED LIABILITY COMPANY",
    "LLC",
    "OAO",
    "OBSHCHESTVO S OGRANICHENNOI OTVETSTVENNOSTYU",
    "OJSC",
    "OOO",
    "OPEN JOINT STOCK COMPANY",
    "OTKRYTOE AKTSIONERNOE OBSHCHESTVO",
    "PAO",
    "PJSC",
    "PRIVATE JOINT STOCK COMPANY",
    "PT",
    "PUBLIC JOINT STOCK COMPANY",
    "PUBLICHNOE AKTSIONERNOE OBSHCHESTVO",
    "TOV",
    "ZAKRYTOE AKTSIONERNOE OBSHCHESTVO",
    "ZAO",
};

/* Name particles and connectives, sorted. */
static const char *const particles[] = {
    "AND", "DA", "DAS", "DE", "DEL", "DELLA", "DEN", "DER", "DES", "DI",  "DO",  "DOS", "DU", "EL",
    "ET",  "LA", "LAS", "LE", "LES", "LO",    "LOS", "OF",  "THE", "UND", "VAN", "VON", "Y",
};

/* Words so common in company names that they say little: their weight is capped. */
static const char *const generic_words[] = {
    "AGRICOLA",
    "AGRO",
    "AGROINDUSTRIAL",
    "AGROINDUSTRIAS",
    "AGROPECUARIA",
    "ASOCIACION",
    "CENTER",
    "CENTRO",
    "COMERCIAL",
    "COMERCIALIZADORA",
    "COMPANIA",
    "CONSORCIO",
    "CONSTRUCCIONES",
    "CONSTRUCTORA",
    "CORPORACION",
    "DEVELOPMENT",
    "DISTRIBUCIONES",
    "DISTRIBUIDORA",
    "EMPRESA",
    "ENTERPRISE",
    "ENTERPRISES",
    "EXPORT",
    "EXPORTACIONES",
    "EXPORTADORA",
    "EXPORTS",
    "GENERAL",
    "GLOBAL",
    "GROUP",
    "GRUPO",
    "HOLDING",
    "HOLDINGS",
    "IMPORT",
    "IMPORTACIONES",
    "IMPORTADORA",
    "IMPORTS",
    "INDUSTRIAL",
    "INDUSTRIAS",
    "INDUSTRIES",
    "INTERNACIONAL",
    "INTERNATIONAL",
    "INVERSIONES",
    "INVESTMENT",
    "INVESTMENTS",
    "LOGISTICA",
    "LOGISTICS",
    "MANAGEMENT",
    "NACIONAL",
    "NATIONAL",
    "NEGOCIACIONES",
    "NEGOCIOS",
    "PERU",
    "PERUANA",
    "REPRESENTACIONES",
    "SERVICES",
    "SERVICIOS",
    "SHIPPING",
    "SOCIEDAD",
    "SOLUCIONES",
    "TRADE",
    "TRADING",
    "TRANSPORT",
    "TRANSPORTES",
    "TRANSPORTS",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Compares a NUL-terminated table word with a token of known length. */
static int word_cmp(const char *word, size_t wlen, const char *tok, size_t tlen)
{
    size_t n = wlen < tlen ? wlen : tlen;
    int c = memcmp(word, tok, n);
    if (c != 0) {
        return c;
    }
    return wlen < tlen ? -1 : (wlen > tlen ? 1 : 0);
}

bool vg__is_particle(const char *tok, size_t len)
{
    return vg__table_find(particles, COUNT(particles), tok, len) >= 0;
}

bool vg__is_generic_word(const char *tok, size_t len)
{
    return vg__table_find(generic_words, COUNT(generic_words), tok, len) >= 0;
}

/* The key word of a form: its last word (end forms) or its first (start forms). */
static void form_key(const char *form, int where, const char **key, size_t *len)
{
    size_t n = strlen(form);
    if (where == LEGAL_END) {
        const char *sp = strrchr(form, ' ');
        *key = sp != NULL ? sp + 1 : form;
        *len = (size_t)(form + n - *key);
    } else {
        const char *sp = strchr(form, ' ');
        *key = form;
        *len = sp != NULL ? (size_t)(sp - form) : n;
    }
}

/* Number of words of form, and whether they equal tok[from..from+words). */
static size_t form_words(const char *form)
{
    size_t w = 1;
    for (const char *p = form; *p != '\0'; p++) {
        w += *p == ' ';
    }
    return w;
}

static bool form_equals(const char *form, const char *const *tok, const uint8_t *len, size_t from)
{
    const char *p = form;
    size_t i = from;
    for (;;) {
        const char *sp = strchr(p, ' ');
        size_t wl = sp != NULL ? (size_t)(sp - p) : strlen(p);
        if (word_cmp(p, wl, tok[i], len[i]) != 0) {
            return false;
        }
        if (sp == NULL) {
            return true;
        }
        p = sp + 1;
        i++;
    }
}

size_t vg__legal_form_match(const char *const *tok, const uint8_t *len, size_t n, int where)
{
    if (n == 0) {
        return 0;
    }
    const char *const *table = where == LEGAL_END ? end_forms : start_forms;
    size_t count = where == LEGAL_END ? COUNT(end_forms) : COUNT(start_forms);
    const char *probe = where == LEGAL_END ? tok[n - 1] : tok[0];
    size_t probe_len = where == LEGAL_END ? len[n - 1] : len[0];
    /* First form whose key word is >= the probe. */
    size_t lo = 0, hi = count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *k;
        size_t kl;
        form_key(table[mid], where, &k, &kl);
        if (word_cmp(k, kl, probe, probe_len) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    size_t best = 0;
    for (size_t i = lo; i < count; i++) {
        const char *k;
        size_t kl;
        form_key(table[i], where, &k, &kl);
        if (word_cmp(k, kl, probe, probe_len) != 0) {
            break;
        }
        size_t w = form_words(table[i]);
        if (w > n || w <= best) {
            continue;
        }
        size_t from = where == LEGAL_END ? n - w : 0;
        if (form_equals(table[i], tok, len, from)) {
            best = w;
        }
    }
    return best;
}

bool vg__legal_tables_sorted(void)
{
    for (int where = LEGAL_END; where <= LEGAL_START; where++) {
        const char *const *table = where == LEGAL_END ? end_forms : start_forms;
        size_t count = where == LEGAL_END ? COUNT(end_forms) : COUNT(start_forms);
        for (size_t i = 1; i < count; i++) {
            const char *a, *b;
            size_t al, bl;
            form_key(table[i - 1], where, &a, &al);
            form_key(table[i], where, &b, &bl);
            if (word_cmp(a, al, b, bl) > 0) {
                return false;
            }
        }
    }
    for (size_t i = 1; i < COUNT(particles); i++) {
        if (strcmp(particles[i - 1], particles[i]) >= 0) {
            return false;
        }
    }
    for (size_t i = 1; i < COUNT(generic_words); i++) {
        if (strcmp(generic_words[i - 1], generic_words[i]) >= 0) {
            return false;
        }
    }
    return true;
}
