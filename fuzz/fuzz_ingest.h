/*
 * Shared set-up of the ingest fuzz targets: one in-memory store for the process (renewed
 * every few thousand inputs so it stays small), audit key and export in a temporary
 * place, and a function that ingests a buffer. Invariants checked after each input: the
 * report's counts add up.
 */
#ifndef VIGIA_FUZZ_INGEST_H
#define VIGIA_FUZZ_INGEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <vigia/alloc.h>
#include <vigia/ingest.h>
#include <vigia/store.h>

static struct vg_store *fuzz_store;
static unsigned fuzz_runs;
static char fuzz_key_path[64];

static inline void fuzz_ingest_setup(void)
{
    if (fuzz_store != NULL && fuzz_runs++ % 2000 != 0) {
        return;
    }
    vg_store_close(fuzz_store);
    fuzz_store = NULL;
    if (fuzz_key_path[0] == '\0') {
        snprintf(fuzz_key_path, sizeof(fuzz_key_path), "/tmp/vigia-fuzz-%d.key", (int)getpid());
        setenv("VIGIA_AUDIT_KEY", fuzz_key_path, 0);
        setenv("VIGIA_AUDIT_EXPORT", "/dev/null", 0);
    }
    struct vg_store_options o = { .create = true, .actor = "fuzz" };
    if (vg_store_open(":memory:", &o, &fuzz_store, NULL) != VG_OK) {
        abort();
    }
}

static inline void fuzz_ingest_run(const char *name, const char *data, size_t len, bool tolerate)
{
    fuzz_ingest_setup();
    struct vg_ingest_options o = { .tolerate_counts = tolerate, .default_sender = "fuzz" };
    struct vg_ingest_report r;
    struct vg_error e;
    enum vg_status st = vg_ingest_buffer(fuzz_store, name, data, len, &o, &r, &e);
    /* The store made the audit key at its first entry and keeps it in memory: the file
     * goes at once (libFuzzer ends a run with _Exit, so nothing at exit would remove it,
     * and each run and corpus replay left one in /tmp). */
    unlink(fuzz_key_path);
    if (st != VG_OK && st != VG_EPARTIAL && st != VG_ENOMEM) {
        fprintf(stderr, "ingest failed: %s\n", e.message);
        abort();
    }
    if (r.messages != r.accepted + r.duplicates) {
        abort();
    }
}

/* Wraps body into an interchange with one message of type `type` (UNT count ignored). */
static inline void fuzz_ingest_message(const char *type, const uint8_t *body, size_t len)
{
    char head[128];
    int h = snprintf(head, sizeof(head),
                     "UNA:+.? 'UNB+UNOC:3+FUZZ+VIGIA+240101:0000+1'UNH+1+%s:D:95B:UN'", type);
    static const char tail[] = "UNT+2+1'UNZ+1+1'";
    size_t total = (size_t)h + len + sizeof(tail) - 1;
    char *buf = malloc(total);
    if (buf == NULL) {
        return;
    }
    memcpy(buf, head, (size_t)h);
    memcpy(buf + h, body, len);
    memcpy(buf + h + len, tail, sizeof(tail) - 1);
    fuzz_ingest_run("fuzz.edi", buf, total, true);
    free(buf);
}

#endif
