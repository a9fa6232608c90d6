/*
 * AIS decoding throughput.
 *
 * Builds a recording of at least 10 million sentences (--sentences N to change) in a
 * temporary file by repeating the real recordings of ../shared/data/ais (the Danish DMA
 * stream with its $PGHP wrappers, the AISHub sample, USCG, gpsd, libais, GFW and pyais
 * files), then measures on one core:
 *   decode only      reader over the mapped file, every message decoded into a struct
 *   decode to JSON   the same plus gpsd-style JSON Lines written to /dev/null
 *   decode to CSV    the same with CSV records
 *   vigia ais decode the command (JSON Lines to /dev/null), when found next to this program
 *   gpsdecode -j     gpsd's decoder (package gpsd-clients) on the same file, same output
 *   decode + store   the same recording with a TAG block receive time (c:) on every
 *                    sentence that had none (100 sentences a second), ingested by
 *                    vg_ingest_paths into a new SQLite store: positions packed per vessel,
 *                    space-time grid, static history, committed
 *   detect events    vg_maritime_run over everything stored
 * and prints sentences per second and the JSON-to-gpsdecode ratio. Rates are given for CPU
 * time (user + system, this process or the child) and wall time: on a shared machine the CPU
 * figures are the comparable ones. --store-only skips to decode + store. The files are
 * removed at the end. Not a test: `make bench`
 * runs it.
 */
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_clock.h"

#include <vigia/ais.h>
#include <vigia/file.h>
#include <vigia/ingest.h>
#include <vigia/maritime.h>
#include <vigia/store.h>

static const char *const sources[] = {
    "ais/dma-aislib/stream_example.txt",  "ais/pyais/nmea_data_sample.txt",
    "ais/libais/test.aivdm",              "ais/gpsd/sample.aivdm",
    "ais/dma-aislib/ais250.txt",          "ais/dma-aislib/decode_encode_messages.txt",
    "ais/libais/typeexamples.nmea",       "ais/libais/tagblock.nmea",
    "ais/gfw-ais-tools/mixed_types.nmea", "ais/gfw-ais-tools/multi-part.nmea",
    "ais/gfw-ais-tools/ee-multiline.nmea", "ais/pyais/timestamped.ais",
};

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    fclose(f);
    /* Make sure every file ends with a line end so that repetitions stay line-aligned. */
    if (n > 0 && buf[n - 1] != '\n') {
        buf[n++] = '\n';
    }
    *len = (size_t)n;
    return buf;
}

/* Counts the sentences of a buffer with the reader itself. */
static unsigned long long count_sentences(const char *data, size_t len)
{
    struct vg_ais_reader *r = NULL;
    if (vg_ais_reader_new(NULL, &r) != VG_OK) {
        return 0;
    }
    vg_ais_reader_input(r, "count", data, len);
    vg_ais_reader_finish(r);
    struct vg_ais_msg m;
    struct vg_error e;
    while (vg_ais_reader_next(r, &m, &e) != VG_ENOTFOUND) {
    }
    unsigned long long n = vg_ais_reader_counts(r)->sentences;
    vg_ais_reader_free(r);
    return n;
}

enum mode { DECODE, JSON, CSV };

struct result {
    double seconds;
    double cpu;
    unsigned long long sentences, messages, rejected;
};

static int run(const char *path, enum mode mode, struct result *res)
{
    struct vg_file file;
    struct vg_error err;
    if (vg_file_open(path, &file, &err) != VG_OK) {
        fprintf(stderr, "bench_ais: cannot open %s\n", path);
        return 1;
    }
    struct vg_ais_reader *r = NULL;
    if (vg_ais_reader_new(NULL, &r) != VG_OK) {
        vg_file_close(&file);
        return 1;
    }
    FILE *out = fopen("/dev/null", "wb");
    static char buf[1 << 16];
    size_t used = 0;
    struct vg_ais_json w;
    vg_ais_json_init(&w, "stdin");
    double t0 = bench_wall();
    double c0 = bench_cpu();
    vg_ais_reader_input(r, path, file.data, file.len);
    vg_ais_reader_finish(r);
    struct vg_ais_msg m;
    enum vg_status st;
    while ((st = vg_ais_reader_next(r, &m, &err)) != VG_ENOTFOUND) {
        if (st != VG_OK || mode == DECODE) {
            continue;
        }
        if (sizeof(buf) - used < VG_AIS_TEXT_MAX) {
            fwrite(buf, 1, used, out);
            used = 0;
        }
        size_t n = 0;
        if (mode == JSON) {
            vg_ais_json_write(&w, &m, buf + used, sizeof(buf) - used, &n);
        } else {
            vg_ais_csv_write(&m, buf + used, sizeof(buf) - used, &n);
        }
        used += n;
    }
    fwrite(buf, 1, used, out);
    fflush(out);
    res->seconds = bench_wall() - t0;
    res->cpu = bench_cpu() - c0;
    const struct vg_ais_counts *c = vg_ais_reader_counts(r);
    res->sentences = c->sentences;
    res->messages = c->messages;
    res->rejected = c->rejected;
    fclose(out);
    vg_ais_reader_free(r);
    vg_file_close(&file);
    return 0;
}

/* Runs a shell command with stdout to /dev/null; returns wall seconds (and the children's
 * CPU seconds in *cpu), or -1. */
static double time_command(const char *cmd, double *cpu)
{
    double c0 = bench_children_cpu();
    double t0 = bench_wall();
    int rc = system(cmd);
    double t = bench_wall() - t0;
    *cpu = bench_children_cpu() - c0;
    if (rc == -1 || !WIFEXITED(rc) || WEXITSTATUS(rc) == 127) {
        return -1;
    }
    return t;
}

static void line(const char *what, double cpu, double wall, unsigned long long sentences);

/* Writes rounds copies of round to f, giving every !-sentence without a TAG block one
 * with a receive time, 100 sentences a second from 2024-06-01. */
static void write_stamped(FILE *f, const char *round, size_t len, unsigned long long rounds)
{
    unsigned long long k = 0;
    for (unsigned long long r = 0; r < rounds; r++) {
        const char *p = round, *end = round + len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
            if (*p == '!') {
                char tag[32];
                int tl = snprintf(tag, sizeof(tag), "c:%llu", 1717200000ULL + k++ / 100);
                unsigned sum = 0;
                for (int i = 0; i < tl; i++) {
                    sum ^= (unsigned char)tag[i];
                }
                fprintf(f, "\\%s*%02X\\", tag, sum);
            }
            fwrite(p, 1, n, f);
            p += n;
        }
    }
}

/* Ingests path into a new store at db and detects events; prints the figures. */
static int store_run(const char *path, const char *db)
{
    char key[64];
    snprintf(key, sizeof(key), "%s.key", db);
    setenv("VIGIA_AUDIT_KEY", key, 1);
    struct vg_store_options o = { .create = true, .actor = "bench" };
    struct vg_store *store = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    if (vg_store_open(db, &o, &store, &e) != VG_OK) {
        fprintf(stderr, "bench_ais: store: %s\n", e.message);
        return 1;
    }
    struct vg_ingest_options io = { .batch_size = 0 };
    struct vg_ingest_report rep;
    const char *paths[] = { path };
    double t0 = bench_wall(), c0 = bench_cpu();
    enum vg_status st = vg_ingest_paths(store, paths, 1, &io, &rep, &e);
    double wall = bench_wall() - t0, cpu = bench_cpu() - c0;
    if (st != VG_OK && st != VG_EPARTIAL) {
        fprintf(stderr, "bench_ais: ingest: %s\n", e.message);
        vg_store_close(store);
        return 1;
    }
    printf("stored %lld positions from %lld sentences\n", (long long)rep.ais_positions,
           (long long)rep.ais_sentences);
    line("decode + store", cpu, wall, (unsigned long long)rep.ais_sentences);
    printf("%-17s %8.3f s CPU %12.0f positions/s (target: >= 500,000 sentences/s)\n", "",
           cpu, (double)rep.ais_positions / cpu);
    struct vg_maritime_report mr;
    t0 = bench_wall();
    c0 = bench_cpu();
    st = vg_maritime_run(store, INT64_MIN + 1, INT64_MAX, &mr, &e);
    wall = bench_wall() - t0;
    cpu = bench_cpu() - c0;
    if (st != VG_OK) {
        fprintf(stderr, "bench_ais: detect: %s\n", e.message);
        vg_store_close(store);
        return 1;
    }
    printf("%-17s %8.3f s CPU %12.0f positions/s   (wall %7.3f s; %lld vessels, %lld events)\n",
           "detect events", cpu, (double)mr.positions / cpu, wall, (long long)mr.vessels,
           (long long)mr.events);
    vg_store_close(store);
    struct stat sb;
    if (stat(db, &sb) == 0) {
        printf("store size %.1f MB (%.1f bytes per position)\n", (double)sb.st_size / 1e6,
               (double)sb.st_size / (double)(rep.ais_positions > 0 ? rep.ais_positions : 1));
    }
    return 0;
}

static void line(const char *what, double cpu, double wall, unsigned long long sentences)
{
    printf("%-17s %8.3f s CPU %12.0f sentences/s   (wall %7.3f s, %11.0f/s)\n", what, cpu,
           (double)sentences / cpu, wall, (double)sentences / wall);
}

int main(int argc, char **argv)
{
    unsigned long long target = 10000000ULL;
    bool store_only = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--sentences") == 0 && i + 1 < argc) {
            target = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--store-only") == 0) {
            store_only = true;
        }
    }
    const char *root = getenv("VIGIA_SHARED_DATA");
    if (root == NULL) {
        root = VIGIA_SHARED_DATA_DIR;
    }

    /* One round of all the recordings. */
    size_t round_len = 0, round_cap = 1 << 20;
    char *round = malloc(round_cap);
    for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", root, sources[i]);
        size_t n;
        char *data = read_all(path, &n);
        if (data == NULL) {
            fprintf(stderr, "bench_ais: %s missing (shared data not found); skipped\n", path);
            free(round);
            return 0;
        }
        while (round_len + n > round_cap) {
            round_cap *= 2;
            round = realloc(round, round_cap);
        }
        memcpy(round + round_len, data, n);
        round_len += n;
        free(data);
    }
    unsigned long long per_round = count_sentences(round, round_len);
    unsigned long long rounds = (target + per_round - 1) / per_round;

    char path[] = "/tmp/vigia-bench-ais-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        perror("bench_ais: mkstemp");
        return 1;
    }
    FILE *f = fdopen(fd, "wb");
    for (unsigned long long k = 0; k < rounds; k++) {
        fwrite(round, 1, round_len, f);
    }
    fclose(f);
    char stamped[] = "/tmp/vigia-bench-ais-stamped-XXXXXX";
    int sfd = mkstemp(stamped);
    if (sfd < 0) {
        perror("bench_ais: mkstemp");
        unlink(path);
        return 1;
    }
    f = fdopen(sfd, "wb");
    write_stamped(f, round, round_len, rounds);
    fclose(f);
    free(round);
    printf("bench_ais: %llu rounds of %zu bytes (%llu sentences each) = %.1f MB\n", rounds,
           round_len, per_round, (double)(rounds * round_len) / 1e6);

    struct result dec, json, csv;
    if (store_only) {
        unlink(path);
        goto store;
    }
    if (run(path, DECODE, &dec) != 0 || run(path, JSON, &json) != 0 || run(path, CSV, &csv) != 0) {
        unlink(path);
        return 1;
    }
    printf("sentences %llu, messages %llu, rejected %llu\n", dec.sentences, dec.messages,
           dec.rejected);
    line("decode only", dec.cpu, dec.seconds, dec.sentences);
    line("decode to JSON", json.cpu, json.seconds, json.sentences);
    line("decode to CSV", csv.cpu, csv.seconds, csv.sentences);

    /* The command, when it sits next to the bench directory (build/vigia). */
    char self[PATH_MAX];
    snprintf(self, sizeof(self), "%s", argv[0]);
    char cli[PATH_MAX + 32];
    snprintf(cli, sizeof(cli), "%s/../vigia", dirname(self));
    struct stat st;
    if (stat(cli, &st) == 0) {
        char cmd[2 * PATH_MAX + 64];
        snprintf(cmd, sizeof(cmd), "'%s' -q ais decode '%s' > /dev/null", cli, path);
        double cpu;
        double t = time_command(cmd, &cpu);
        if (t > 0) {
            line("vigia ais decode", cpu, t, dec.sentences);
        }
    }

    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof(cmd), "gpsdecode -j < '%s' > /dev/null 2>&1", path);
    double gcpu;
    double g = time_command(cmd, &gcpu);
    if (g > 0) {
        line("gpsdecode -j", gcpu, g, dec.sentences);
        printf("JSON vs gpsdecode: %.1fx on CPU time, %.1fx on wall time (target >= 5x)\n",
               gcpu / json.cpu, g / json.seconds);
    } else {
        printf("gpsdecode not found (package gpsd-clients): no comparison\n");
    }
    unlink(path);

store:;
    char db[] = "/tmp/vigia-bench-ais-db-XXXXXX";
    int dfd = mkstemp(db);
    if (dfd >= 0) {
        close(dfd);
        unlink(db); /* the store creates it */
    }
    int rc = dfd >= 0 ? store_run(stamped, db) : 1;
    unlink(stamped);
    char side[sizeof(db) + 8];
    unlink(db);
    snprintf(side, sizeof(side), "%s-wal", db);
    unlink(side);
    snprintf(side, sizeof(side), "%s-shm", db);
    unlink(side);
    snprintf(side, sizeof(side), "%s.audit-heads", db);
    unlink(side);
    snprintf(side, sizeof(side), "%s.key", db);
    unlink(side);
    return rc;
}
