/*
 * EDIFACT syntax layer throughput (one core).
 *
 * Generates in memory a set of interchanges (default 1 GiB; `bench_edifact MB` for another
 * size) of CUSCAR- and CODECO-like messages with varied lengths, some UNA service strings,
 * release characters in names and free text, and LF, CR LF or no line breaks, then times:
 *
 *   tokenizer      vg_edifact_lexer_next over every segment (segments and the element
 *                  index; no envelope logic)
 *   reader         vg_edifact_parse: tokenizer, envelopes, UNT/UNZ checks, one callback per
 *                  message (empty)
 *   reader+values  as above, and the callback reads what a mapper reads: the tag and the
 *                  first two elements of every segment as text, every EQD container number
 *                  and every MEA weight as a number
 *
 * Prints MB/s (10^6 bytes per second) and messages and segments per second, each the best
 * of three runs in thread CPU time.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bench_clock.h"

#include <vigia/edifact.h>

struct gen {
    char *buf;
    size_t len;
    size_t cap;
    uint64_t rng;
    const char *eol;
    unsigned segments; /* in the current message */
};

static uint64_t next_rand(struct gen *g)
{
    /* xorshift64* */
    g->rng ^= g->rng >> 12;
    g->rng ^= g->rng << 25;
    g->rng ^= g->rng >> 27;
    return g->rng * 2685821657736338717ull;
}

static unsigned pick(struct gen *g, unsigned n)
{
    return (unsigned)(next_rand(g) % n);
}

static void put(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct gen *g, const char *fmt, ...)
{
    if (g->cap - g->len < 1024) {
        fprintf(stderr, "bench_edifact: generator buffer too small\n");
        exit(1);
    }
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g->buf + g->len, g->cap - g->len, fmt, ap);
    va_end(ap);
    g->len += (size_t)n;
}

/* One segment: the text, the terminator, the line break of this interchange. */
static void seg(struct gen *g, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void seg(struct gen *g, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(g->buf + g->len, g->cap - g->len, fmt, ap);
    va_end(ap);
    g->len += (size_t)n;
    put(g, "'%s", g->eol);
    g->segments++;
}

static const char *const shippers[] = {
    "AGRO NORTE S.A.C.", "PESQUERA DEL PACIFICO?+ CIA", "MINERA ANDINA S.A.",
    "EXPORTADORA O??BRIEN E.I.R.L.", "CAFE VILLA RICA?: COOPERATIVA", "TEXTIL LIMA S.A.C.",
};
static const char *const goods[] = {
    "FRESH AVOCADOS HASS, 4KG BOXES", "FROZEN GIANT SQUID?: TUBES AND WINGS",
    "COPPER CONCENTRATE IN BULK BAGS", "GREEN COFFEE BEANS, 69KG JUTE BAGS",
    "ALPACA WOOL YARN?' 100 PCT", "TABLE GRAPES RED GLOBE",
};
static const char *const ports[] = { "PECLL", "PECHY", "PEPAI", "PEIQT", "NLRTM", "USLGB",
                                      "CNSHA", "ESALG", "MXZLO", "COCTG" };
static const char *const owners[] = { "MSKU", "TGHU", "CSQU", "MEDU", "HLXU", "SEGU" };

static void cuscar(struct gen *g, unsigned ref)
{
    g->segments = 0;
    seg(g, "UNH+M%u+CUSCAR:D:95B:UN:LOT10", ref);
    seg(g, "BGM+85+DOC%08u+9", ref);
    seg(g, "DTM+137:2024050%u%02u%02u:203", 1 + pick(g, 9), pick(g, 24), pick(g, 60));
    seg(g, "TDT+20+V%03uE+1++CARRIER:172:20+++9V%04u:103::X-PRESS EUPHRATES", pick(g, 999),
        pick(g, 9999));
    seg(g, "LOC+5+%s:139:6", ports[pick(g, 10)]);
    seg(g, "LOC+61+%s:139:6", ports[pick(g, 10)]);
    unsigned consignments = 1 + pick(g, 25);
    for (unsigned k = 1; k <= consignments; k++) {
        unsigned bl = (unsigned)next_rand(g) % 100000000u;
        seg(g, "CNI+%u+BL%08u", k, bl);
        seg(g, "RFF+BM:BL%08u", bl);
        seg(g, "LOC+9+%s:139:6", ports[pick(g, 10)]);
        seg(g, "LOC+11+%s:139:6", ports[pick(g, 10)]);
        seg(g, "NAD+CZ+%011u:ZZZ:RUC+%s+AV. ARGENTINA %u+CALLAO++07001+PE",
            20100000u + pick(g, 900000), shippers[pick(g, 6)], pick(g, 9000));
        seg(g, "NAD+CN++%s+%u HARBOUR ROAD+ROTTERDAM++3011+NL", shippers[pick(g, 6)],
            pick(g, 900));
        unsigned items = 1 + pick(g, 3);
        for (unsigned i = 1; i <= items; i++) {
            seg(g, "GID+%u+%u:CT", i, 10 + pick(g, 3000));
            seg(g, "FTX+AAA+++%s", goods[pick(g, 6)]);
            seg(g, "PIA+5+%06u:HS", 80000 + pick(g, 9999));
            seg(g, "MEA+AAE+G+KGM:%u.%u", 100 + pick(g, 30000), pick(g, 10));
            seg(g, "SGP+%s%07u", owners[pick(g, 6)], pick(g, 9999999));
        }
        seg(g, "EQD+CN+%s%07u+45G1:102:5++3+5", owners[pick(g, 6)], pick(g, 9999999));
        seg(g, "SEL+H%06u+SH", pick(g, 999999));
        seg(g, "MEA+AAE+T+KGM:%u", 2000 + pick(g, 3000));
    }
    unsigned n = g->segments + 1;
    seg(g, "UNT+%u+M%u", n, ref);
}

static void codeco(struct gen *g, unsigned ref)
{
    g->segments = 0;
    seg(g, "UNH+M%u+CODECO:D:95B:UN:ITG14", ref);
    seg(g, "BGM+%u+GATE%08u+9", pick(g, 2) ? 34 : 36, ref);
    seg(g, "NAD+MS+TERMINAL:172:20");
    unsigned boxes = 1 + pick(g, 40);
    for (unsigned k = 0; k < boxes; k++) {
        seg(g, "EQD+CN+%s%07u+%s:102:5++2+%u", owners[pick(g, 6)], pick(g, 9999999),
            pick(g, 2) ? "22G1" : "45R1", 4 + pick(g, 2));
        seg(g, "RFF+BN:BKG%07u", pick(g, 9999999));
        seg(g, "DTM+7:2024050%u%02u%02u:203", 1 + pick(g, 9), pick(g, 24), pick(g, 60));
        seg(g, "LOC+165+%s:139:6+CALLAO TERMINAL:TER:ZZZ", ports[pick(g, 4)]);
        seg(g, "MEA+AAE+G+KGM:%u", 2000 + pick(g, 28000));
        seg(g, "SEL+%06u+CA", pick(g, 999999));
        seg(g, "TDT+1++3+31+++++ABC%04u:146", pick(g, 9999));
    }
    seg(g, "CNT+16:%u", boxes);
    unsigned n = g->segments + 1;
    seg(g, "UNT+%u+M%u", n, ref);
}

static void generate(struct gen *g, size_t target)
{
    static const char *const eols[] = { "\n", "\r\n", "" };
    unsigned ic = 0;
    while (g->len + 256 * 1024 < target) {
        ic++;
        g->eol = eols[pick(g, 3)];
        if (pick(g, 4) == 0) {
            put(g, "UNA:+.? '%s", g->eol);
        }
        put(g, "UNB+UNOC:3+SENDER%u:ZZ+PECLL:ZZ+240503:1020+IC%u'%s", pick(g, 50), ic, g->eol);
        unsigned msgs = 1 + pick(g, 40);
        for (unsigned m = 1; m <= msgs; m++) {
            if (pick(g, 3) == 0) {
                codeco(g, m);
            } else {
                cuscar(g, m);
            }
        }
        put(g, "UNZ+%u+IC%u'%s", msgs, ic, g->eol);
    }
}

/* CPU time of this thread: the machine is shared, and time spent descheduled is not the
 * parser's. Each figure is the best of RUNS runs. */
#define RUNS 3

struct counts {
    uint64_t messages, segments, values, bytes_of_values;
    double weight;
};

static enum vg_status count_message(void *user, const struct vg_edifact_message *m)
{
    struct counts *c = user;
    c->messages++;
    c->segments += m->nsegments;
    return VG_OK;
}

static enum vg_status read_values(void *user, const struct vg_edifact_message *m)
{
    struct counts *c = user;
    char buf[128];
    c->messages++;
    c->segments += m->nsegments;
    for (size_t i = 0; i < m->nsegments; i++) {
        const struct vg_edifact_segment *s = &m->segments[i];
        for (size_t e = 1; e <= 2; e++) {
            if (vg_edifact_str(s, e, 0, buf, sizeof(buf)) == VG_OK) {
                c->values++;
                c->bytes_of_values += strlen(buf);
            }
        }
        if (vg_edifact_is(s, "EQD")) {
            if (vg_edifact_str(s, 2, 0, buf, sizeof(buf)) == VG_OK && buf[0] != '\0') {
                c->values++;
            }
        } else if (vg_edifact_is(s, "MEA")) {
            double w;
            if (vg_edifact_decimal(s, 3, 1, &w) == VG_OK) {
                c->weight += w;
            }
        }
    }
    return VG_OK;
}

static enum vg_status on_reject(void *user, const struct vg_edifact_issue *issue)
{
    (void)user;
    char buf[600];
    fprintf(stderr, "bench_edifact: unexpected reject: %s\n",
            vg_error_format(issue->error, buf, sizeof(buf)));
    return VG_EPARSE;
}

static void report(const char *what, size_t bytes, double secs, uint64_t msgs, uint64_t segs)
{
    printf("%-14s %8.1f MB/s  %6.2f s  %10.0f messages/s  %12.0f segments/s\n", what,
           (double)bytes / secs / 1e6, secs, (double)msgs / secs, (double)segs / secs);
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1024;
    if (mb == 0) {
        mb = 1024;
    }
    size_t target = mb * 1024 * 1024;
    struct gen g = { .cap = target + 1024 * 1024, .rng = 0x9E3779B97F4A7C15ull };
    g.buf = malloc(g.cap);
    if (g.buf == NULL) {
        fprintf(stderr, "bench_edifact: cannot allocate %zu MiB\n", mb);
        return 1;
    }
    double t0 = bench_wall();
    generate(&g, target);
    printf("generated %.1f MB of EDIFACT in %.1f s\n", (double)g.len / 1e6, bench_wall() - t0);

    /* Tokenizer alone. */
    uint64_t segs = 0, marks = 0;
    double best = 1e30;
    for (int run = 0; run < RUNS; run++) {
        struct vg_edifact_lexer *lx;
        if (vg_edifact_lexer_new(g.buf, g.len, "bench", 0, &lx) != VG_OK) {
            return 1;
        }
        const struct vg_edifact_segment *s;
        struct vg_error err;
        segs = marks = 0;
        t0 = bench_thread_cpu();
        enum vg_status st;
        while ((st = vg_edifact_lexer_next(lx, &s, &err)) == VG_OK) {
            segs++;
            marks += s->elements;
        }
        double secs = bench_thread_cpu() - t0;
        vg_edifact_lexer_free(lx);
        if (st != VG_ENOTFOUND) {
            fprintf(stderr, "bench_edifact: lexer stopped: %s\n", err.message);
            return 1;
        }
        best = secs < best ? secs : best;
    }
    report("tokenizer", g.len, best, 0, segs);

    struct vg_edifact_stats stats;
    struct counts c;
    struct counts v;
    for (int pass = 0; pass < 2; pass++) {
        best = 1e30;
        for (int run = 0; run < RUNS; run++) {
            struct counts *k = pass == 0 ? &c : &v;
            memset(k, 0, sizeof(*k));
            struct vg_edifact_handler h = { pass == 0 ? count_message : read_values, on_reject,
                                            NULL, k };
            struct vg_error err;
            t0 = bench_thread_cpu();
            enum vg_status st = vg_edifact_parse(g.buf, g.len, "bench", NULL, &h, &stats, &err);
            double secs = bench_thread_cpu() - t0;
            if (st != VG_OK || stats.rejected != 0) {
                fprintf(stderr, "bench_edifact: parse failed: %s\n", err.message);
                return 1;
            }
            best = secs < best ? secs : best;
        }
        if (pass == 0) {
            report("reader", g.len, best, c.messages, c.segments);
        } else {
            report("reader+values", g.len, best, v.messages, v.segments);
        }
    }
    printf("%llu interchanges, %llu messages, %llu segments, %llu data elements, "
           "%llu values read (checksum %.1f)\n",
           (unsigned long long)stats.interchanges, (unsigned long long)stats.messages,
           (unsigned long long)segs, (unsigned long long)marks,
           (unsigned long long)v.values, v.weight);
    free(g.buf);
    return 0;
}
