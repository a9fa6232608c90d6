/*
 * SQL profile for developers: with VIGIA_SQL_PROFILE set in the environment, every
 * statement a store runs is counted and timed (sqlite3_trace_v2, SQLITE_TRACE_PROFILE),
 * and the table is printed to stderr, costliest first, when the store closes. Off (no
 * callback installed) otherwise.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>

struct sql_stat {
    char *text;
    int64_t count;
    int64_t ns;
};

struct vg__sql_profile {
    struct sql_stat *s;
    size_t n, cap;
};

static int on_profile(unsigned type, void *user, void *p, void *x)
{
    if (type != SQLITE_TRACE_PROFILE) {
        return 0;
    }
    struct vg__sql_profile *prof = user;
    const char *sql = sqlite3_sql((sqlite3_stmt *)p);
    if (sql == NULL) {
        return 0;
    }
    int64_t ns = *(sqlite3_int64 *)x;
    for (size_t i = 0; i < prof->n; i++) {
        if (strcmp(prof->s[i].text, sql) == 0) { /* pointers are reused after finalize */
            prof->s[i].count++;
            prof->s[i].ns += ns;
            return 0;
        }
    }
    if (prof->n == prof->cap) {
        size_t ncap = prof->cap ? prof->cap * 2 : 64;
        struct sql_stat *ns_ = vg_reallocarray(prof->s, ncap, sizeof(*ns_));
        if (ns_ == NULL) {
            return 0;
        }
        prof->s = ns_;
        prof->cap = ncap;
    }
    char *text = vg_strdup(sql);
    if (text == NULL) {
        return 0;
    }
    prof->s[prof->n++] = (struct sql_stat){ text, 1, ns };
    return 0;
}

void vg__store_profile_start(struct vg_store *store)
{
    if (getenv("VIGIA_SQL_PROFILE") == NULL) {
        return;
    }
    store->profile = vg_calloc(1, sizeof(*store->profile));
    if (store->profile != NULL) {
        sqlite3_trace_v2(store->db, SQLITE_TRACE_PROFILE, on_profile, store->profile);
    }
}

static int by_time(const void *a, const void *b)
{
    const struct sql_stat *x = a, *y = b;
    return (x->ns < y->ns) - (x->ns > y->ns);
}

void vg__store_profile_end(struct vg_store *store)
{
    struct vg__sql_profile *prof = store->profile;
    if (prof == NULL) {
        return;
    }
    sqlite3_trace_v2(store->db, 0, NULL, NULL);
    qsort(prof->s, prof->n, sizeof(*prof->s), by_time);
    int64_t total = 0;
    for (size_t i = 0; i < prof->n; i++) {
        total += prof->s[i].ns;
    }
    fprintf(stderr, "vigia: SQL profile: %.3f s in %zu statements\n", (double)total / 1e9, prof->n);
    for (size_t i = 0; i < prof->n; i++) {
        const struct sql_stat *s = &prof->s[i];
        fprintf(stderr, "%9.3f s %10lld x %7.1f us  %.160s\n", (double)s->ns / 1e9,
                (long long)s->count, (double)s->ns / 1e3 / (double)s->count, s->text);
        vg_free(s->text);
    }
    vg_free(prof->s);
    vg_free(prof);
    store->profile = NULL;
}
