/* Private interface of the outcomes module (src/outcome). */
#ifndef VIGIA_OUTCOME_INT_H
#define VIGIA_OUTCOME_INT_H

#include "target/target_int.h"

#include <stdbool.h>
#include <stdint.h>
#include <vigia/audit.h>
#include <vigia/outcome.h>

struct vg_store;

/* Whether text is a selection word (targeted, random, partner); NULL counts as valid. */
bool vg__outcome_selection_valid(const char *text);

/* What is known of an outcome for linking it to a trip. */
struct link_query {
    const char *container;
    const char *bills; /* ';'-separated, may be NULL */
    const char *port;  /* where it was examined */
    int64_t at;        /* when */
    enum vg_found_at found_at;
    const char *destination_port; /* may be NULL or "" */
};

struct link_answer {
    int64_t trip_id; /* 0: not linked */
    int64_t container_id;
    bool origin;  /* examined at the trip's own port (closes its target) */
    char how[32]; /* "container+bl+date", "container+port+date", ... */
};

/* Finds the trip an outcome concerns (docs/targeting.md, "Linking"). a->trip_id is 0 when
 * none qualifies. VG_EDB on failure. */
enum vg_status vg__outcome_find_trip(struct vg_store *store,
                                     const struct link_query *q,
                                     struct link_answer *a,
                                     struct vg_error *err);

#endif
