/* Private parts of the AIS track store: the packed block format. */
#ifndef VIGIA_TRACK_INT_H
#define VIGIA_TRACK_INT_H

#include <stddef.h>
#include <stdint.h>
#include <vigia/maritime.h>
#include <vigia/slice.h>

#define TRACK_BLOCK_MAX 512

/*
 * Block format (version 1): a version byte, the count (varint), then per position the
 * zigzag-varint differences from the previous position of: time (s; the first relative
 * to the block start), latitude and longitude (1e-5 degree units, about 1 m), and plain
 * varints of speed (0.1 kn, 1023 = not available), course (0.1 degree, 3600 = n/a),
 * heading (511 = n/a), status, and the class byte.
 */
enum vg_status
vg__track_pack(const struct vg_position *p, size_t n, int64_t block_start, struct vg_buf *out);

/* Decodes a block, calling fn per position (stop when fn returns non-zero). VG_EPARSE on a
 * malformed block. */
enum vg_status vg__track_unpack(const void *data,
                                size_t len,
                                uint32_t mmsi,
                                int64_t block_start,
                                int (*fn)(void *user, const struct vg_position *p),
                                void *user,
                                int *stopped);

/* Grid cell of a position (0.1 degree). */
int64_t vg__track_cell(double lat, double lon);

#endif
