/*
 * bench_sim: how fast vigia sim makes a world.
 *
 *   bench_sim [SCALE] [DAYS] [DIR]
 *
 * Generates DAYS (default 1) of the built-in world at SCALE (default 1400, about a day of
 * the world's container traffic, ~1.5 million container trips) into DIR (default a fresh
 * directory under $TMPDIR or /tmp, removed afterwards), twice: the container feeds alone
 * (EDIFACT, truth, outcomes) and then everything with the AIS. Prints container trips per
 * second, AIS sentences per second and MB/s written. Not a test: run it with `make bench`
 * or by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench_clock.h"

#include <vigia/sim.h>

static int remove_tree(const char *dir)
{
    char cmd[1200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

static int run(const char *dir, double scale, int days, unsigned flags, const char *label)
{
    struct vg_sim_options o;
    vg_sim_options_init(&o);
    o.seed = 1;
    o.days = days;
    o.scale = scale;
    o.out_dir = dir;
    o.flags = flags;
    struct vg_sim_report r;
    struct vg_error err;
    vg_error_clear(&err);
    double t0 = bench_wall();
    enum vg_status st = vg_sim_run(&o, &r, &err);
    double secs = bench_wall() - t0;
    if (st != VG_OK) {
        fprintf(stderr, "bench_sim: %s: %s\n", vg_strerror(st), err.message);
        return 1;
    }
    printf("%-22s %9.2f s  %10llu trips %9.0f trips/s  %11llu AIS %9.0f sentences/s  "
           "%8.1f MB  %6.1f MB/s\n",
           label, secs, (unsigned long long)r.trips, (double)r.trips / secs,
           (unsigned long long)r.ais_sentences, (double)r.ais_sentences / secs,
           (double)r.bytes / 1e6, (double)r.bytes / 1e6 / secs);
    fflush(stdout);
    return remove_tree(dir) == 0 ? 0 : 1;
}

int main(int argc, char **argv)
{
    double scale = argc > 1 ? atof(argv[1]) : 1400;
    int days = argc > 2 ? atoi(argv[2]) : 1;
    char dir[1024];
    if (argc > 3) {
        snprintf(dir, sizeof(dir), "%s", argv[3]);
    } else {
        const char *tmp = getenv("TMPDIR");
        snprintf(dir, sizeof(dir), "%s/bench_sim.%ld", tmp ? tmp : "/tmp", (long)getpid());
    }
    if (!(scale > 0) || days < 1) {
        fprintf(stderr, "usage: bench_sim [SCALE] [DAYS] [DIR]\n");
        return 2;
    }
    printf("bench_sim: built-in world, scale %g, %d day(s), into %s\n", scale, days, dir);
    int rc = run(dir, scale, days, VG_SIM_NO_AIS, "containers (no AIS)");
    if (rc == 0) {
        rc = run(dir, scale, days, 0, "containers and AIS");
    }
    return rc;
}
