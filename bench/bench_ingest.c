/*
 * bench_ingest: end-to-end EDIFACT ingest into SQLite, in containers per second.
 *
 * Generates a day of export traffic as ports send it: per vessel call a CUSCAR manifest
 * (consignments with shipper, consignee, goods, one container each, seals), CODECO gate-in
 * messages from the terminal (20 containers each) and a COARRI loading report, for N
 * containers (default 300,000; argument 1), writes them to a temporary file, ingests it
 * into a fresh store and prints containers/s, messages/s and MB/s. Target (README): at
 * least 50,000 containers/s, i.e. a day of the world's container moves (~1.5 million) in
 * under 30 s. With --single-thread the file is parsed and written on one thread; by
 * default the ingest parses on a second thread while the first writes. --batch M fixes
 * the messages per transaction (default: the ingest's own, which grows with the run, up to
 * --max-batch M).
 * Also prints the bytes the process had written to storage (the log's appends and the
 * checkpoints' writes) and the sizes of the store and of its log. With --files the same
 * traffic is ingested as a folder of one file per message (each its own interchange), as
 * terminals and agents drop them over SFTP. --keep FILE generates the traffic into FILE and
 * keeps it, or takes FILE as it is when it exists (repeated runs skip generating it).
 * Then ingests the same input again into the same store and prints how long that took
 * (files read whole before are recognised by their digest and not read again).
 * With --csv the same traffic goes in as the CSV layouts of docs/formats.md, for agencies
 * without EDIFACT: a folder with manifest.csv (one row per B/L) and events.csv (a gate-in
 * and a loading row per container, each row a message of its own); --keep then names the
 * folder. With --gzip the generated EDIFACT file is ingested as a gzip archive of itself
 * (FILE.gz beside it, kept with --keep), as ports keep their feeds: the read-ahead thread
 * decompresses it before parsing it. With --zip it is ingested as the one member of a zip
 * archive (FILE.zip beside it, kept with --keep), as a day's feed comes attached to a mail:
 * the read-ahead thread reads the archive member by member.
 */
#include "bench_clock.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <vigia/edifact.h>
#include <vigia/file.h>
#include <vigia/ident.h>
#include <vigia/ingest.h>
#include <vigia/store.h>
#include <zip.h>
#include <zlib.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Bytes this process has had written to storage so far (/proc/self/io, all threads:
 * the WAL appends of the commits and the checkpoints' writes into the database file);
 * -1 where the kernel does not say. */
static long long io_written(void)
{
    FILE *f = fopen("/proc/self/io", "r");
    long long v = -1;
    char line[128];
    while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
        if (sscanf(line, "write_bytes: %lld", &v) == 1) {
            break;
        }
    }
    if (f != NULL) {
        fclose(f);
    }
    return v;
}

static long long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return 0;
    }
    fseek(f, 0, SEEK_END);
    long long n = ftell(f);
    fclose(f);
    return n;
}

static void container_number(char out[12])
{
    static const char *const owners[] = { "MSC", "MAE", "CMA", "HLX", "ONE", "EVE", "COS", "TCN" };
    snprintf(out, 12, "%sU%06u0", owners[next() % 8], (unsigned)(next() % 1000000));
    out[10] = (char)('0' + vg_container_check_digit(out));
}

static void ruc(char out[12], unsigned n)
{
    snprintf(out, 12, "20%08u0", 10000000u + n * 7919u % 89999999u);
    out[10] = (char)('0' + vg_ruc_check_digit(out));
}

/* Writes each message of the interchanges in path (one per line, as generated above) into
 * dir as an interchange of its own: UNA, the UNB, the message, UNZ+1. Returns the number of
 * files, -1 on error. */
static long split_messages(const char *path, const char *dir)
{
    FILE *in = fopen(path, "rb");
    if (in == NULL) {
        return -1;
    }
    long files = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, in)) > 0) {
        const char *una = "UNA:+.? '";
        size_t ul = strlen(una);
        if ((size_t)n < ul || strncmp(line, una, ul) != 0) {
            continue;
        }
        const char *unb = line + ul;
        const char *unb_end = strchr(unb, '\'');
        const char *ref = unb_end;
        while (ref > unb && ref[-1] != '+') {
            ref--;
        }
        const char *p = unb_end + 1;
        while (strncmp(p, "UNH+", 4) == 0) {
            const char *q = strstr(p, "'UNT+");
            const char *end = q != NULL ? strchr(q + 1, '\'') : NULL;
            if (end == NULL) {
                break;
            }
            char name[512];
            snprintf(name, sizeof(name), "%s/%08ld.edi", dir, files++);
            FILE *out = fopen(name, "wb");
            if (out == NULL) {
                free(line);
                fclose(in);
                return -1;
            }
            fprintf(out, "%s%.*s'%.*s'UNZ+1+%.*s'\n", una, (int)(unb_end - unb), unb,
                    (int)(end - p), p, (int)(unb_end - ref), ref);
            fclose(out);
            p = end + 1;
        }
    }
    free(line);
    fclose(in);
    return files;
}

/* The two CSV files of the traffic in dir. */
static const char *const csv_files[2] = { "manifest.csv", "events.csv" };

static void csv_path(char *out, size_t size, const char *dir, int which)
{
    snprintf(out, size, "%s/%s", dir, csv_files[which]);
}

/* Writes the traffic of n containers into dir as manifest.csv and events.csv (the same
 * content as the EDIFACT traffic: vessel call, shipper with RUC, consignee, goods, seal;
 * gate-in with seal and truck, loading with stowage). Returns the bytes written, -1 on
 * error. */
static long long generate_csv(const char *dir, long containers)
{
    char mpath[4200], epath[4200];
    csv_path(mpath, sizeof(mpath), dir, 0);
    csv_path(epath, sizeof(epath), dir, 1);
    FILE *m = fopen(mpath, "w"), *ev = fopen(epath, "w");
    if (m == NULL || ev == NULL) {
        if (m != NULL) {
            fclose(m);
        }
        if (ev != NULL) {
            fclose(ev);
        }
        return -1;
    }
    fputs("sender,bill_of_lading,carrier,vessel_name,vessel_imo,voyage,port_of_loading,"
          "port_of_discharge,departure,declared_at,shipper_name,shipper_id,shipper_address,"
          "shipper_city,shipper_country,consignee_name,consignee_address,consignee_city,"
          "consignee_country,container,size_type,full_empty,seals,seal_party,"
          "container_gross_kg,hs_code,description,packages,package_type,gross_kg\n",
          m);
    fputs("sender,container,size_type,event,time,port,terminal,vessel_name,vessel_imo,voyage,"
          "full_empty,stowage,seals,seal_party,transport_mode,vehicle\n",
          ev);
    for (long i = 0; i < containers; i++) {
        long call = i / 2000;
        char num[12], r[12];
        container_number(num);
        ruc(r, (unsigned)(next() % 3000));
        unsigned seal = (unsigned)(next() % 1000000);
        fprintf(m,
                "MSCPE,BL%ld%06ld,MSC,MSC ANNA,9074729,V%ld,PECLL,BEANR,2024-05-03T22:00,"
                "2024-05-02T09:30,EXPORTADORA %05u SAC,%s,AV INDUSTRIAL 100,LIMA,PE,"
                "IMPORT %04u BV,KAAI 12,ANTWERPEN,BE,%s,45R1,F,SL%06u,SH,25480,080440,"
                "FRESH AVOCADOS,1800,CT,21600\n",
                call, i % 2000, call, (unsigned)(next() % 3000), r, (unsigned)(next() % 2000), num,
                seal);
        fprintf(ev,
                "DPWC,%s,45R1,gate_in,2024-05-0%ld %02ld:%02ld,PECLL,DPW,,,,F,,SL%06u,SH,road,"
                "T%04u\n",
                num, 1 + i % 2, (long)(next() % 24), (long)(next() % 60), seal,
                (unsigned)(next() % 10000));
        fprintf(ev,
                "DPWC,%s,45R1,load,2024-05-03 1%ld:%02ld,PECLL,DPW,MSC ANNA,9074729,V%ld,F,"
                "0%02ld%02ld%02ld,,,,\n",
                num, i % 10, i % 60, call, i % 40, i % 20, i % 10);
    }
    long long bytes = ftell(m) + ftell(ev);
    bool ok = !ferror(m) && !ferror(ev);
    ok = (fclose(m) == 0) && ok;
    ok = (fclose(ev) == 0) && ok;
    return ok ? bytes : -1;
}

/* The EDIFACT tokenizer alone over the file at path, on this thread, with its MB/s (the
 * issue's other figure: >= 500 MB/s on one core; bench_edifact measures it over 1 GiB of
 * varied syntax). False when the file cannot be read or does not tokenize. */
static bool tokenize(const char *path)
{
    struct vg_file file;
    struct vg_error err;
    struct vg_edifact_lexer *lx = NULL;
    if (vg_file_open(path, &file, &err) != VG_OK ||
        vg_edifact_lexer_new(file.data, file.len, path, 0, &lx) != VG_OK) {
        fprintf(stderr, "bench_ingest: cannot tokenize %s\n", path);
        vg_file_close(&file);
        return false;
    }
    /* The best of three passes over the mapping, as bench_edifact takes: the first also
     * pays the page faults that map the file in. */
    const struct vg_edifact_segment *seg;
    long long segments = 0;
    enum vg_status st = VG_ENOTFOUND;
    double dt = 1e30;
    for (int run = 0; run < 3 && st == VG_ENOTFOUND; run++) {
        if (run > 0 && vg_edifact_lexer_new(file.data, file.len, path, 0, &lx) != VG_OK) {
            break;
        }
        segments = 0;
        double t0 = bench_thread_cpu();
        while ((st = vg_edifact_lexer_next(lx, &seg, &err)) == VG_OK) {
            segments++;
        }
        double t = bench_thread_cpu() - t0;
        dt = t < dt ? t : dt;
        vg_edifact_lexer_free(lx);
    }
    if (st != VG_ENOTFOUND) {
        fprintf(stderr, "bench_ingest: tokenizer stopped: %s\n", err.message);
        vg_file_close(&file);
        return false;
    }
    printf("  tokenizer over the same file: %.0f MB/s on one core, %lld segments (target: >= "
           "500 MB/s)\n",
           (double)file.len / 1e6 / dt, segments);
    vg_file_close(&file);
    return true;
}

/* Writes src gzip-compressed (gzip's default level) into dst; false on error. */
static bool gzip_file(const char *src, const char *dst)
{
    FILE *in = fopen(src, "rb");
    gzFile out = gzopen(dst, "wb6");
    bool ok = in != NULL && out != NULL;
    static char chunk[1 << 20];
    size_t n;
    while (ok && (n = fread(chunk, 1, sizeof(chunk), in)) > 0) {
        ok = gzwrite(out, chunk, (unsigned)n) == (int)n;
    }
    ok = ok && !ferror(in);
    if (in != NULL) {
        fclose(in);
    }
    if (out != NULL && gzclose(out) != Z_OK) {
        ok = false;
    }
    return ok;
}

/* Writes src as the one member of a new zip archive dst (deflated, libzip's default level);
 * false on error. */
static bool zip_file(const char *src, const char *dst)
{
    int ze = 0;
    zip_t *z = zip_open(dst, ZIP_CREATE | ZIP_TRUNCATE, &ze);
    if (z == NULL) {
        return false;
    }
    const char *name = strrchr(src, '/');
    zip_source_t *member = zip_source_file(z, src, 0, 0);
    bool ok = member != NULL &&
              zip_file_add(z, name != NULL ? name + 1 : src, member, ZIP_FL_OVERWRITE) >= 0;
    if (!ok && member != NULL) {
        zip_source_free(member);
    }
    if (zip_close(z) != 0) {
        zip_discard(z);
        ok = false;
    }
    return ok;
}

static const char usage[] =
    "usage: bench_ingest [CONTAINERS] [--single-thread] [--files] [--csv] [--gzip] [--zip]\n"
    "                    [--batch N] [--max-batch N] [--keep PATH]\n"
    "Generates CONTAINERS containers' day of traffic (default 300000), ingests it into a\n"
    "fresh store and prints containers/s (see the comment at the top of bench_ingest.c).\n";

int main(int argc, char **argv)
{
    char *end = NULL;
    long containers = argc > 1 ? strtol(argv[1], &end, 10) : 300000;
    if (argc > 1 && (*end != '\0' || containers <= 0)) {
        fputs(usage,
              strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ? stdout : stderr);
        return strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ? 0 : 2;
    }
    bool single = false;
    bool per_file = false;
    int batch = 0, max_batch = 0;
    const char *keep = NULL;
    bool csv = false, gzip = false, zipped = false;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--single-thread") == 0) {
            single = true;
        } else if (strcmp(argv[i], "--files") == 0) {
            per_file = true;
        } else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc) {
            batch = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--max-batch") == 0 && i + 1 < argc) {
            max_batch = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc) {
            keep = argv[++i];
        } else if (strcmp(argv[i], "--gzip") == 0) {
            gzip = true;
        } else if (strcmp(argv[i], "--zip") == 0) {
            zipped = true;
        } else if (strcmp(argv[i], "--csv") == 0) {
            csv = true;
        } else {
            fprintf(stderr, "bench_ingest: unknown option '%s'\n%s", argv[i], usage);
            return 2;
        }
    }
    char path[4096] = "/tmp/vigia-bench-ingest-XXXXXX";
    FILE *f = NULL;
    double csv_mb = 0;
    if (csv) {
        /* A folder of two CSV files; an existing --keep folder is taken as generated. */
        char probe[4200];
        snprintf(path, sizeof(path), "%s", keep != NULL ? keep : "/tmp/vigia-bench-csv-XXXXXX");
        csv_path(probe, sizeof(probe), path, 1);
        long long bytes = 0;
        if (keep != NULL && access(probe, R_OK) == 0) {
            for (int k = 0; k < 2; k++) {
                csv_path(probe, sizeof(probe), path, k);
                bytes += file_size(probe);
            }
        } else if ((keep != NULL ? mkdir(path, 0700) != 0 && access(path, W_OK) != 0
                                 : mkdtemp(path) == NULL) ||
                   (bytes = generate_csv(path, containers)) < 0) {
            perror(path);
            return 1;
        }
        csv_mb = (double)bytes / 1e6;
        per_file = false;
    } else if (keep != NULL) {
        snprintf(path, sizeof(path), "%s", keep);
        /* An existing file is taken as generated before with the same N. */
        if (access(path, R_OK) != 0 && (f = fopen(path, "w")) == NULL) {
            perror(path);
            return 1;
        }
    } else {
        f = fdopen(mkstemp(path), "w");
        if (f == NULL) {
            perror("tmp");
            return 1;
        }
    }
    const long per_call = 2000;
    long written = 0, call = 0;
    char (*numbers)[12] = malloc((size_t)per_call * 12);
    while (f != NULL && written < containers) {
        long n = containers - written < per_call ? containers - written : per_call;
        for (long i = 0; i < n; i++) {
            container_number(numbers[i]);
        }
        fprintf(f, "UNA:+.? 'UNB+UNOC:3+MSCPE:ZZZ+SUNAT:ZZZ+240502:0930+IC%ld'", call);
        /* Manifests: 50 consignments per CUSCAR. */
        for (long m = 0; m < n; m += 50) {
            long k = n - m < 50 ? n - m : 50;
            long segs = 0;
            fprintf(f, "UNH+%ld+CUSCAR:D:95B:UN'BGM+785+CUS%ld-%ld+9'DTM+137:202405020930:203'"
                       "TDT+20+V%ld+1++MSC:172:20+++9074729:146:11:MSC ANNA:PA'"
                       "LOC+9+PECLL:139:6'DTM+133:202405032200:203'",
                    m + 1, call, m, call);
            segs += 6;
            for (long j = 0; j < k; j++) {
                char r[12];
                ruc(r, (unsigned)(next() % 3000));
                const char *num = numbers[m + j];
                fprintf(f, "CNI+%ld+BL%ld%06ld'LOC+9+PECLL:139:6'LOC+11+BEANR:139:6'"
                           "NAD+CZ+%s:RUC:ZZZ++EXPORTADORA %05u SAC+AV INDUSTRIAL 100+LIMA++15001+PE'"
                           "NAD+CN+++IMPORT %04u BV+KAAI 12+ANTWERPEN++2000+BE'"
                           "GID+1+1800:CT'FTX+AAA+++FRESH AVOCADOS'PIA+5+080440:HS'"
                           "MEA+WT+G+KGM:21600'SGP+%s+1800'EQD+CN+%s+45R1:102:5+++5'"
                           "MEA+AAE+G+KGM:25480'SEL+SL%06u+SH'",
                        j + 1, call, m + j, r, (unsigned)(next() % 3000),
                        (unsigned)(next() % 2000), num, num, (unsigned)(next() % 1000000));
                segs += 13;
            }
            fprintf(f, "UNT+%ld+%ld'", segs + 1, m + 1);
        }
        fprintf(f, "UNZ+%ld+IC%ld'\n", (n + 49) / 50, call);
        /* Gate-in and loading reports from the terminal. */
        fprintf(f, "UNA:+.? 'UNB+UNOC:3+DPWC:ZZZ+MSC:ZZZ+240501:2345+GT%ld'", call);
        long gm = 0;
        for (long m = 0; m < n; m += 20, gm++) {
            long k = n - m < 20 ? n - m : 20;
            fprintf(f, "UNH+%ld+CODECO:D:95B:UN'BGM+34+GI%ld-%ld+9'LOC+165+PECLL:139:6+DPW:TER:ZZZ'",
                    m + 1, call, m);
            for (long j = 0; j < k; j++) {
                fprintf(f, "EQD+CN+%s+45R1:102:5++2+5'DTM+7:2024050%ld%02ld%02ld:203'"
                           "SEL+SL%06u+SH'TDT+1++3+++++T%04u'",
                        numbers[m + j], 1 + j % 2, (long)(next() % 24), (long)(next() % 60),
                        (unsigned)(next() % 1000000), (unsigned)(next() % 10000));
            }
            fprintf(f, "UNT+%ld+%ld'", 3 + 4 * k + 1, m + 1);
        }
        fprintf(f, "UNH+L%ld+COARRI:D:95B:UN'BGM+46+LR%ld+9'"
                   "TDT+20+V%ld+1++MSC:172:20+++9074729:146:11:MSC ANNA'LOC+9+PECLL:139:6'",
                call, call, call);
        for (long j = 0; j < n; j++) {
            fprintf(f, "EQD+CN+%s+45R1:102:5++2+5'DTM+203:202405031%ld%02ld:203'LOC+147+0%02ld%02ld%02ld::5'",
                    numbers[j], j % 10, j % 60, j % 40, j % 20, j % 10);
        }
        fprintf(f, "UNT+%ld+L%ld'UNZ+%ld+GT%ld'\n", 4 + 3 * n + 1, call, gm + 1, call);
        written += n;
        call++;
    }
    if (f != NULL) {
        fclose(f);
    }
    free(numbers);
    double mb = csv_mb;
    if (!csv) {
        FILE *sz = fopen(path, "rb");
        fseek(sz, 0, SEEK_END);
        mb = (double)ftell(sz) / 1e6;
        fclose(sz);
    }

    /* The archive of the file, beside it (an existing one taken as made before). */
    char gz_path[4200] = "";
    double gz_mb = 0;
    if ((gzip || zipped) && !csv && !per_file) {
        snprintf(gz_path, sizeof(gz_path), "%s.%s", path, zipped ? "zip" : "gz");
        if ((keep == NULL || access(gz_path, R_OK) != 0) &&
            !(zipped ? zip_file(path, gz_path) : gzip_file(path, gz_path))) {
            perror(gz_path);
            return 1;
        }
        gz_mb = (double)file_size(gz_path) / 1e6;
    }

    char folder[] = "/tmp/vigia-bench-files-XXXXXX";
    long nfiles = 0;
    if (per_file) {
        if (mkdtemp(folder) == NULL || (nfiles = split_messages(path, folder)) < 0) {
            perror("split");
            return 1;
        }
    }

    char db[] = "/tmp/vigia-bench-db-XXXXXX";
    int dfd = mkstemp(db);
    close(dfd);
    unlink(db);
    char key[64];
    snprintf(key, sizeof(key), "%s.key", db);
    setenv("VIGIA_AUDIT_KEY", key, 1);
    struct vg_store_options o = { .create = true, .actor = "bench", .bulk = true };
    struct vg_store *store;
    struct vg_error e;
    /* Timed apart: a bulk open reserves SQLite's page cache up front (page_cache.c), which
     * an ingest pays once at start. */
    double open0 = bench_wall();
    if (vg_store_open(db, &o, &store, &e) != VG_OK) {
        fprintf(stderr, "store: %s\n", e.message);
        return 1;
    }
    double open_s = bench_wall() - open0;
    const char *paths[1] = { per_file ? folder : gz_path[0] != 0 ? gz_path : path };
    struct vg_ingest_options io = { .batch_size = batch, .max_batch = max_batch,
                                    .single_thread = single };
    struct vg_ingest_report r;
    long long io0 = io_written();
    double t0 = bench_wall(), c0 = bench_cpu(), w0 = bench_thread_cpu();
    enum vg_status st = vg_ingest_paths(store, paths, 1, &io, &r, &e);
    double dt = bench_wall() - t0, dc = bench_cpu() - c0, dw = bench_thread_cpu() - w0;
    long long io1 = io_written();
    char extra[128];
    snprintf(extra, sizeof(extra), "%s-wal", db);
    long long wal_left = file_size(extra);
    /* The same input again (a folder that keeps its files, ingested on a schedule): files
     * read whole are recognised by their digest and not read. */
    struct vg_ingest_report again;
    double a0 = bench_wall();
    enum vg_status ast = st == VG_OK ? vg_ingest_paths(store, paths, 1, &io, &again, &e) : st;
    double da = bench_wall() - a0;
    vg_store_close(store);
    long long db_size = file_size(db);
    if (st != VG_OK) {
        fprintf(stderr, "ingest: %s (%s)\n", vg_strerror(st), e.message);
    }
    printf("bench_ingest: %ld containers in %ld messages, %.1f MB of %s (%s, %s)\n", containers,
           (long)r.messages, mb, csv ? "CSV (manifest and events)" : "EDIFACT",
           single ? "one thread" : "parse and write on two threads",
           batch > 0 ? "fixed batches" : "default batches");
    if (per_file) {
        printf("  as %ld files of one message each, in a folder\n", nfiles);
    }
    if (gz_path[0] != 0) {
        printf(zipped ? "  as a zip archive of %.1f MB (one member), read member by member\n"
                      : "  as a gzip archive of %.1f MB, decompressed by the ingest\n",
               gz_mb);
    }
    printf("  store opened in %.2f s (new store, page cache reserved for a bulk write)\n", open_s);
    printf("  ingest %.2f s: %.0f containers/s, %.0f messages/s, %.1f MB/s "
           "(%lld events, %lld consignments, %lld findings)\n",
           dt, (double)containers / dt, (double)r.messages / dt, mb / dt, (long long)r.events,
           (long long)r.consignments, (long long)r.findings);
    printf("  cpu %.2f s: %.0f containers/s per core\n", dc, (double)containers / dc);
    /* The writing (calling) thread is the critical path: with a free core for the parse
     * thread, the wall time approaches its CPU time. */
    printf("  writing thread cpu %.2f s: %.0f containers/s when the parse thread has its own "
           "core\n", dw, (double)containers / dw);
    if (io0 >= 0 && io1 >= 0) {
        printf("  written to storage %.0f MB (%.0f bytes per container; WAL and checkpoints), "
               "store %.0f MB, WAL %.0f MB at the end\n",
               (double)(io1 - io0) / 1e6, (double)(io1 - io0) / (double)containers,
               (double)db_size / 1e6, (double)wal_left / 1e6);
    }
    if (ast == VG_OK) {
        printf("  the same input again: %.2f s (%lld of %lld files unchanged, %lld messages read)\n",
               da, (long long)again.files_unchanged, (long long)again.files,
               (long long)again.messages);
    }
    printf("  target: >= 50000 containers/s\n");
    if (!csv && !tokenize(path)) {
        return 1;
    }
    if (keep == NULL && csv) {
        for (int k = 0; k < 2; k++) {
            char name[4200];
            csv_path(name, sizeof(name), path, k);
            unlink(name);
        }
        rmdir(path);
    } else if (keep == NULL) {
        unlink(path);
    }
    if (keep == NULL && gz_path[0] != 0) {
        unlink(gz_path);
    }
    for (long i = 0; i < nfiles; i++) {
        char name[512];
        snprintf(name, sizeof(name), "%s/%08ld.edi", folder, i);
        unlink(name);
    }
    if (per_file) {
        rmdir(folder);
    }
    unlink(db);
    snprintf(extra, sizeof(extra), "%s-wal", db);
    unlink(extra);
    snprintf(extra, sizeof(extra), "%s-shm", db);
    unlink(extra);
    snprintf(extra, sizeof(extra), "%s.audit-heads", db);
    unlink(extra);
    unlink(key);
    return st == VG_OK ? 0 : 1;
}
