/*
 * vigia/ais.h - AIS over NMEA 0183: sentences, reassembly, message decoding, JSON and CSV.
 *
 * Layers, each usable on its own:
 *
 *   vg_ais_sentence_parse   one !xxVDM / !xxVDO sentence (IEC 61162-1 section 7: framing,
 *                           checksum; with its optional TAG block, section 7.9 / 61162-450)
 *   vg_ais_decode           a complete armoured payload (ITU-R M.1371-5 annex 8: message
 *                           types 1-27; six-bit armouring per IEC 61162-1 table 7)
 *   struct vg_ais_reader    a whole recording: lines, receive-time wrappers, multi-sentence
 *                           reassembly with bounded memory, decoding; pull interface
 *   vg_ais_json_write /     one decoded message as a gpsd-style JSON object (field names and
 *   vg_ais_csv_write        scaling of `gpsdecode -j`, see docs/ais.md) or a CSV record
 *
 * Nothing here allocates per message: decoded messages go into caller-provided structs,
 * text goes into caller-provided buffers, and the reader allocates its reassembly table once
 * when it is created. Field values are kept as transmitted (raw integers in the units of
 * M.1371, "not available" sentinels included); vg_ais_msg_fix and vg_ais_msg_static give
 * scaled, checked views for the fields most users need.
 */
#ifndef VIGIA_AIS_H
#define VIGIA_AIS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vigia/slice.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Longest message accepted, in bits: message 26 over five slots (M.1371-5 table 83). */
#define VG_AIS_MAX_BITS  1064
/* Six-bit characters needed for VG_AIS_MAX_BITS. */
#define VG_AIS_MAX_CHARS 178
/* Most fragments one message may have (the count field is a single digit). */
#define VG_AIS_MAX_FRAGMENTS 9
/* Station names (TAG block s:, USCG r/b fields) are cut to this many bytes. */
#define VG_AIS_STATION_MAX 31

/* ---- sentences ------------------------------------------------------------------------ */

/* An IEC 61162-1 TAG block (the \...*hh\ prefix). Slices borrow the parsed text. */
struct vg_ais_tagblock {
    bool present;
    int64_t time_ms;          /* c: receive time, ms since the epoch; VG_TIME_NONE if absent.
                                 c: values of 12 digits or more are read as milliseconds */
    struct vg_slice source;   /* s: source (receiving station) identification */
    struct vg_slice text;     /* t: free text */
    uint32_t line_count;      /* n: line count, 0 when absent */
    uint8_t group_sentence;   /* g: sentence number within the group, 0 when no group */
    uint8_t group_total;      /* g: sentences in the group */
    uint32_t group_id;        /* g: group identifier */
};

/* One VDM (other ships) or VDO (own ship) sentence. Slices borrow the parsed text. */
struct vg_ais_sentence {
    char talker[3];           /* "AI", "AB", "BS", "--"... NUL-terminated */
    bool own;                 /* VDO */
    uint8_t total;            /* fragments in the message, 1..9 */
    uint8_t number;           /* this fragment, 1..total */
    int16_t seq_id;           /* sequential message identifier 0..99, -1 when empty */
    char channel;             /* 'A', 'B', '1', '2'... or '\0' when empty */
    struct vg_slice payload;  /* armoured six-bit payload */
    uint8_t fill;             /* fill bits 0..5 */
    uint8_t checksum;         /* the sentence checksum */
    struct vg_ais_tagblock tag;
    size_t start;             /* offset of the '!' within the parsed text */
    size_t end;               /* offset just past the two checksum digits */
};

/*
 * Parses one sentence at text[0..len): an optional TAG block, then "!xxVDM" or "!xxVDO"
 * with seven fields and "*hh". Both checksums (sentence and TAG block) are verified.
 * *used receives the number of bytes consumed (through the checksum digits; anything
 * after them, such as a receiver's metadata suffix, is left to the caller).
 *
 * Returns VG_OK; VG_ECHECK on a checksum mismatch (out is filled and *used is set, so that
 * the caller can go on after the sentence); VG_EUNSUPPORTED when the text is a well-formed
 * sentence of another kind (e.g. $GPGGA; *used set); VG_EPARSE for anything malformed,
 * with err->column (1-based, relative to text) and a reason. Never reads past len.
 */
enum vg_status vg_ais_sentence_parse(const char *text,
                                     size_t len,
                                     struct vg_ais_sentence *out,
                                     size_t *used,
                                     struct vg_error *err);

/* NMEA checksum (XOR of the bytes) of data[0..len). */
uint8_t vg_ais_checksum(const char *data, size_t len);

/* ---- decoded messages --------------------------------------------------------------- */

/* Raw "not available" values of M.1371-5, as they appear in the structs below. */
#define VG_AIS_LON_NA      108600000 /* 181 degrees in 1/10000 minute */
#define VG_AIS_LAT_NA      54600000  /* 91 degrees */
#define VG_AIS_SPEED_NA    1023      /* 1/10 knot */
#define VG_AIS_SPEED_FAST  1022      /* 102.2 knots or more */
#define VG_AIS_COURSE_NA   3600      /* 1/10 degree */
#define VG_AIS_HEADING_NA  511
#define VG_AIS_TURN_NA     (-128)
#define VG_AIS_SECOND_NA   60
#define VG_AIS_STATUS_NA   15
#define VG_AIS_DRAUGHT_NA  0

/* Text fields are NUL-terminated, six-bit decoded, cut at the first '@' and with trailing
 * spaces removed (as gpsd does). Sizes include the terminator. */

struct vg_ais_t1 {        /* 1, 2, 3: class A position report */
    uint8_t status;       /* navigational status 0..15 */
    int8_t turn;          /* ROT_AIS -128..127 (-128 n/a, +-127 turning fast, no indicator) */
    uint16_t speed;       /* 1/10 knot */
    bool accuracy;
    int32_t lon, lat;     /* 1/10000 minute */
    uint16_t course;      /* 1/10 degree */
    uint16_t heading;     /* degrees */
    uint8_t second;       /* UTC second, 60..63 special */
    uint8_t maneuver;
    bool raim;
    uint32_t radio;       /* 19 bits */
};

struct vg_ais_t4 {        /* 4 base station report, 11 UTC/date response */
    uint16_t year;        /* 0 n/a */
    uint8_t month, day, hour, minute, second;
    bool accuracy;
    int32_t lon, lat;
    uint8_t epfd;
    bool raim;
    uint32_t radio;
};

struct vg_ais_t5 {        /* 5: static and voyage related data */
    uint8_t ais_version;
    uint32_t imo;
    char callsign[8];
    char shipname[21];
    uint8_t shiptype;
    uint16_t to_bow, to_stern;
    uint8_t to_port, to_starboard;
    uint8_t epfd;
    uint8_t month, day, hour, minute; /* ETA: 0, 0, 24, 60 when n/a */
    uint8_t draught;      /* 1/10 m */
    char destination[21];
    uint8_t dte;
};

/* Binary payloads (6, 8, 17, 25, 26) keep their application data as bytes, MSB first. */
#define VG_AIS_DATA_MAX ((VG_AIS_MAX_BITS + 7) / 8)

/* Application-specific contents decoded from 6 and 8 (see docs/ais.md for the list). */
enum vg_ais_app {
    VG_AIS_APP_NONE = 0,       /* only the raw data */
    VG_AIS_APP_TEXT,           /* 6 DAC 1 FI 30 / 8 DAC 1 FI 29: text description */
    VG_AIS_APP_ATON_MONITOR,   /* 6 DAC 235/250 FI 10: UK/ROI AtoN monitoring */
    VG_AIS_APP_INLAND_STATIC,  /* 8 DAC 200 FI 10: inland ship static and voyage data */
};

struct vg_ais_app_text {
    uint16_t linkage;
    char text[162];
};

struct vg_ais_app_aton {
    uint16_t ana_int, ana_ext1, ana_ext2; /* 0.05 V */
    uint8_t racon, light;
    bool alarm;
    uint8_t stat_ext;
    bool off_pos;
};

struct vg_ais_app_inland {
    char vin[9];          /* European vessel identification number */
    uint16_t length;      /* 1/10 m */
    uint16_t beam;        /* 1/10 m */
    uint16_t shiptype;    /* ERI ship or combination type */
    uint8_t hazard;       /* 0..3 blue cones, 4 B-flag, 5 unknown */
    uint16_t draught;     /* 1/100 m */
    uint8_t loaded;       /* 0 n/a, 1 loaded, 2 unloaded */
    bool speed_q, course_q, heading_q;
};

struct vg_ais_binary {    /* 6 addressed, 8 broadcast binary message */
    uint8_t seqno;        /* 6 only */
    uint32_t dest_mmsi;   /* 6 only */
    bool retransmit;      /* 6 only */
    uint16_t dac;
    uint8_t fid;
    uint16_t bitcount;    /* application data bits (after DAC/FI) */
    uint8_t data[VG_AIS_DATA_MAX];
    enum vg_ais_app app;
    union {
        struct vg_ais_app_text text;
        struct vg_ais_app_aton aton;
        struct vg_ais_app_inland inland;
    } a;
};

struct vg_ais_ack {       /* 7 binary acknowledge, 13 safety related acknowledge */
    uint8_t count;        /* 1..4 */
    uint32_t mmsi[4];     /* 0 beyond count */
    uint8_t seqno[4];
};

struct vg_ais_t9 {        /* 9: standard SAR aircraft position report */
    uint16_t alt;         /* m, 4095 n/a, 4094 = 4094 m or higher */
    uint16_t speed;       /* knots, 1023 n/a, 1022 = 1022 knots or higher */
    bool accuracy;
    int32_t lon, lat;
    uint16_t course;
    uint8_t second;
    uint8_t regional;
    uint8_t dte;
    bool assigned, raim;
    uint32_t radio;       /* 20 bits */
};

struct vg_ais_t10 {
    uint32_t dest_mmsi;
};

struct vg_ais_safety {    /* 12 addressed, 14 broadcast safety related message */
    uint8_t seqno;        /* 12 only */
    uint32_t dest_mmsi;   /* 12 only */
    bool retransmit;      /* 12 only */
    char text[162];
};

struct vg_ais_t15 {       /* 15: interrogation */
    uint32_t mmsi1;
    uint8_t type1_1;
    uint16_t offset1_1;
    uint8_t type1_2;
    uint16_t offset1_2;
    uint32_t mmsi2;
    uint8_t type2_1;
    uint16_t offset2_1;
};

struct vg_ais_t16 {       /* 16: assignment mode command */
    uint32_t mmsi1;
    uint16_t offset1, increment1;
    uint32_t mmsi2;       /* 0 when only one station is addressed */
    uint16_t offset2, increment2;
};

struct vg_ais_t17 {       /* 17: GNSS broadcast binary message */
    int32_t lon, lat;     /* 1/10 minute */
    uint16_t bitcount;
    uint8_t data[VG_AIS_DATA_MAX];
};

/* The leading fields of the class B position reports 18 and 19 (same layout in both). */
struct vg_ais_classb {
    uint8_t reserved;     /* regional reserved bits */
    uint16_t speed;       /* 1/10 knot */
    bool accuracy;
    int32_t lon, lat;     /* 1/10000 minute */
    uint16_t course;      /* 1/10 degree */
    uint16_t heading;
    uint8_t second;
    uint8_t regional;     /* 2 bits in 18, 4 bits in 19 */
};

struct vg_ais_t18 {       /* 18: class B position report */
    struct vg_ais_classb pos;
    bool cs, display, dsc, band, msg22, assigned, raim;
    uint32_t radio;       /* 20 bits */
};

struct vg_ais_t19 {       /* 19: extended class B position report */
    struct vg_ais_classb pos;
    char shipname[21];
    uint8_t shiptype;
    uint16_t to_bow, to_stern;
    uint8_t to_port, to_starboard;
    uint8_t epfd;
    bool raim;
    uint8_t dte;
    bool assigned;
};

struct vg_ais_t20 {       /* 20: data link management */
    uint8_t count;        /* reservation blocks present, 1..4 */
    uint16_t offset[4];
    uint8_t number[4];
    uint8_t timeout[4];
    uint16_t increment[4];
};

struct vg_ais_t21 {       /* 21: aid to navigation report */
    uint8_t aid_type;
    char name[35];        /* name and name extension */
    bool accuracy;
    int32_t lon, lat;
    uint16_t to_bow, to_stern;
    uint8_t to_port, to_starboard;
    uint8_t epfd;
    uint8_t second;
    bool off_position;
    uint8_t regional;
    bool raim, virtual_aid, assigned;
};

struct vg_ais_t22 {       /* 22: channel management */
    uint16_t channel_a, channel_b;
    uint8_t txrx;
    bool power;
    bool addressed;
    int32_t ne_lon, ne_lat, sw_lon, sw_lat; /* 1/10 minute, when !addressed */
    uint32_t dest1, dest2;                  /* when addressed */
    bool band_a, band_b;
    uint8_t zonesize;
};

struct vg_ais_t23 {       /* 23: group assignment command */
    int32_t ne_lon, ne_lat, sw_lon, sw_lat; /* 1/10 minute */
    uint8_t stationtype;
    uint8_t shiptype;
    uint8_t txrx;
    uint8_t interval;
    uint8_t quiet;
};

struct vg_ais_t24 {       /* 24: static data report, part A (0) or B (1) */
    uint8_t partno;
    char shipname[21];    /* part A */
    uint8_t shiptype;     /* part B from here */
    char vendorid[4];
    uint8_t model;
    uint32_t serial;
    char callsign[8];
    uint32_t mothership_mmsi; /* auxiliary craft (MMSI 98MIDxxxx) instead of dimensions */
    uint16_t to_bow, to_stern;
    uint8_t to_port, to_starboard;
};

struct vg_ais_t25 {       /* 25 single slot, 26 multiple slot binary message */
    bool addressed, structured;
    uint32_t dest_mmsi;
    uint16_t app_id;      /* DAC (10 bits) and FI (6 bits) when structured */
    uint16_t bitcount;
    uint8_t data[VG_AIS_DATA_MAX];
    uint32_t radio;       /* 26 only: communication state (20 bits) */
};

struct vg_ais_t27 {       /* 27: long-range position report */
    bool accuracy, raim;
    uint8_t status;
    int32_t lon, lat;     /* 1/10 minute */
    uint8_t speed;        /* knots, 63 n/a */
    uint16_t course;      /* degrees, 511 n/a */
    bool gnss;            /* bit 94 as sent (gpsd's "gnss"; M.1371-5 calls it position
                             latency: 1 = older than 5 s) */
};

/* Where a message came from: filled by the reader (zero / VG_TIME_NONE from vg_ais_decode). */
struct vg_ais_meta {
    int64_t rx_time_ms;   /* receive time, ms since the epoch, VG_TIME_NONE when unknown */
    char station[VG_AIS_STATION_MAX + 1]; /* receiving station, "" when unknown */
    char talker[3];
    bool own;             /* from a VDO sentence */
    char channel;
    uint8_t fragments;
    uint32_t line;        /* line of the first fragment (1-based) */
    uint64_t offset;      /* byte offset of that line */
    uint32_t item;        /* sentence number of the first fragment within the input */
};

struct vg_ais_msg {
    uint8_t type;         /* 1..27 */
    uint8_t repeat;
    uint32_t mmsi;
    uint16_t bits;        /* payload length in bits */
    struct vg_ais_meta meta;
    union {
        struct vg_ais_t1 t1;      /* 1, 2, 3 */
        struct vg_ais_t4 t4;      /* 4, 11 */
        struct vg_ais_t5 t5;
        struct vg_ais_binary bin; /* 6, 8 */
        struct vg_ais_ack ack;    /* 7, 13 */
        struct vg_ais_t9 t9;
        struct vg_ais_t10 t10;
        struct vg_ais_safety safety; /* 12, 14 */
        struct vg_ais_t15 t15;
        struct vg_ais_t16 t16;
        struct vg_ais_t17 t17;
        struct vg_ais_t18 t18;
        struct vg_ais_t19 t19;
        struct vg_ais_t20 t20;
        struct vg_ais_t21 t21;
        struct vg_ais_t22 t22;
        struct vg_ais_t23 t23;
        struct vg_ais_t24 t24;
        struct vg_ais_t25 t25;    /* 25, 26 */
        struct vg_ais_t27 t27;
    } u;
};

/*
 * Decodes an armoured payload (the sixth field of a VDM sentence, or several fragments'
 * payloads concatenated) with fill bits 0..5 into out. The header (type, repeat, MMSI) of
 * every type is decoded; the fields of types 1-27 as listed above.
 *
 * Returns VG_OK; VG_EPARSE when the payload is empty, holds a character outside the six-bit
 * alphabet, the fill is above 5, or the bit count is outside what the type allows
 * (docs/ais.md lists the accepted lengths); VG_EUNSUPPORTED for type 0 or above 27 (not
 * defined by M.1371-5; out->type, repeat and mmsi are still filled); VG_ELIMIT when longer
 * than VG_AIS_MAX_BITS. err gets the reason. A field is only read when the payload holds all
 * of it; fields of a shorter accepted variant are 0. out->meta is reset (rx_time_ms =
 * VG_TIME_NONE). Does not allocate.
 */
enum vg_status vg_ais_decode(const char *payload,
                             size_t len,
                             unsigned fill,
                             struct vg_ais_msg *out,
                             struct vg_error *err);

/* ---- convenience views ---------------------------------------------------------------- */

/* A position report in plain units, from any type that carries one (1, 2, 3, 4, 9, 11, 18,
 * 19, 21, 27). Each has_ flag says whether the value was transmitted (not the M.1371
 * "not available" value and within range). */
struct vg_ais_fix {
    bool has_position;
    double lat, lon;      /* degrees, WGS 84 */
    bool has_speed;
    double speed;         /* knots (102.2 means 102.2 or more) */
    bool has_course;
    double course;        /* degrees */
    bool has_heading;
    uint16_t heading;     /* degrees */
    bool has_status;
    uint8_t status;       /* navigational status (1, 2, 3, 27) */
    bool has_turn;
    double turn;          /* degrees per minute, signed (right positive) */
    bool accuracy;        /* high (< 10 m) */
    uint8_t second;       /* UTC second of the fix, 60..63 when n/a */
};

/* Fills out and returns true when msg carries a position report; false (out zeroed)
 * otherwise. */
bool vg_ais_msg_fix(const struct vg_ais_msg *msg, struct vg_ais_fix *out);

/* Static and voyage data from 5, 19, 21 and 24 (A or B). Absent values are 0 / "". */
struct vg_ais_static {
    uint32_t imo;         /* 0 when not sent */
    char callsign[8];
    char name[35];
    bool has_shiptype;
    uint8_t shiptype;
    bool has_dimensions;
    uint16_t to_bow, to_stern;
    uint8_t to_port, to_starboard;
    bool has_eta;
    uint8_t eta_month, eta_day, eta_hour, eta_minute;
    bool has_draught;
    double draught;       /* m */
    char destination[21];
};

/* Fills out and returns true when msg carries static data; false (out zeroed) otherwise. */
bool vg_ais_msg_static(const struct vg_ais_msg *msg, struct vg_ais_static *out);

/* Static English texts (never NULL) as gpsd prints them: navigational status, ship and
 * cargo type, EPFD type, aid-to-navigation type, station type. Out-of-range values give
 * gpsd's "INVALID ..." texts. */
const char *vg_ais_status_text(unsigned status);
const char *vg_ais_shiptype_text(unsigned shiptype);
const char *vg_ais_epfd_text(unsigned epfd);
const char *vg_ais_aid_type_text(unsigned aid_type);
const char *vg_ais_station_type_text(unsigned stationtype);

/* ---- the reader: whole recordings ------------------------------------------------------- */

struct vg_ais_reader_options {
    uint32_t max_pending; /* partial multi-sentence messages held at once (0: 64; 1..4096).
                             When full, the oldest is rejected to make room */
    uint32_t max_age;     /* a partial message is rejected when this many sentences have been
                             read since its first fragment (0: 1000) */
};

struct vg_ais_counts {
    uint64_t lines;       /* lines read */
    uint64_t sentences;   /* VDM/VDO sentences seen, well-formed or not */
    uint64_t messages;    /* messages decoded */
    uint64_t rejected;    /* rejections reported (a sentence or a whole message each) */
    uint64_t skipped;     /* lines that are not AIS: blank, comments, other sentences */
    uint64_t wrappers;    /* $PGHP lines and lines holding only a TAG block */
    uint64_t by_type[28]; /* messages decoded per type (index = type) */
};

struct vg_ais_reader;

/* Creates a reader (opts may be NULL for the defaults). Its memory is allocated here, once,
 * and bounded by max_pending. VG_EINVAL for an option out of range, VG_ENOMEM. Free with
 * vg_ais_reader_free. */
enum vg_status vg_ais_reader_new(const struct vg_ais_reader_options *opts,
                                 struct vg_ais_reader **out);

/* Frees the reader. NULL-safe. */
void vg_ais_reader_free(struct vg_ais_reader *r);

/*
 * Gives the reader the next piece of input: data[0..len), borrowed until vg_ais_reader_next
 * returns VG_ENOTFOUND. source names it in errors ("-" for standard input; copied). Each call
 * starts a new source: line numbers restart at 1. Partial messages from earlier input stay
 * pending and may complete with fragments from this one. Give whole lines: a last line
 * without a line end is read as a complete line (a live feed should be cut at line ends).
 */
void vg_ais_reader_input(struct vg_ais_reader *r, const char *source, const char *data,
                         size_t len);

/* Declares the end of all input: the partial messages still pending are rejected, one per
 * following call of vg_ais_reader_next. */
void vg_ais_reader_finish(struct vg_ais_reader *r);

/*
 * Produces the next event:
 *   VG_OK         a message was decoded into *msg (with msg->meta filled);
 *   VG_ENOTFOUND  the input given so far is used up (after vg_ais_reader_finish: everything
 *                 is done);
 *   anything else a sentence or a message was rejected: err says where (source, line,
 *                 column, byte offset, sentence number as item) and why, and reading goes
 *                 on with the next call. VG_ECHECK checksum mismatch, VG_EPARSE malformed,
 *                 VG_ETRUNC incomplete multi-sentence message, VG_ELIMIT message too long
 *                 or reassembly table full, VG_EUNSUPPORTED undefined message type.
 * Lines that are not AIS are skipped and counted. Never allocates.
 */
enum vg_status vg_ais_reader_next(struct vg_ais_reader *r, struct vg_ais_msg *msg,
                                  struct vg_error *err);

/* The running counts (valid while the reader lives). */
const struct vg_ais_counts *vg_ais_reader_counts(const struct vg_ais_reader *r);

/* ---- output ------------------------------------------------------------------------------ */

/* Buffer size that always holds one JSON object or CSV record of a message, line end
 * included. */
#define VG_AIS_TEXT_MAX 4096

/* JSON writer settings; prepare with vg_ais_json_init. */
struct vg_ais_json {
    char prefix[1280];    /* pre-rendered {"class":"AIS","device":"...","type": (the device
                             name escaped: 200 bytes at 6 bytes each at most) */
    size_t prefix_len;
};

/* Prepares JSON output naming device (gpsd's "device" field; the input's name, "stdin" for
 * standard input; NULL gives "stdin"). Names longer than 200 bytes are cut. */
void vg_ais_json_init(struct vg_ais_json *w, const char *device);

/*
 * Writes msg as one JSON object followed by '\n' into buf[0..cap). The fields are gpsd's
 * (`gpsdecode -j`, scaled) in gpsd's order, then "rxtime" (ISO 8601 UTC) and "station" when
 * the reader knew them; docs/ais.md lists where vigia departs from gpsd. Numbers are
 * formatted by hand (no printf). *len receives the bytes written (no NUL is added).
 * VG_ELIMIT when cap is too small (nothing useful is left in buf); cap >= VG_AIS_TEXT_MAX
 * always suffices.
 */
enum vg_status vg_ais_json_write(const struct vg_ais_json *w,
                                 const struct vg_ais_msg *msg,
                                 char *buf,
                                 size_t cap,
                                 size_t *len);

/* The CSV header line (RFC 4180, CRLF-terminated), static. */
const char *vg_ais_csv_header(void);

/* Writes msg as one CSV record (the columns of vg_ais_csv_header, CRLF-terminated) into
 * buf[0..cap). Values are scaled as in JSON; "not available" values are empty. *len
 * receives the bytes written. VG_ELIMIT when cap is too small. */
enum vg_status vg_ais_csv_write(const struct vg_ais_msg *msg, char *buf, size_t cap,
                                size_t *len);

#ifdef __cplusplus
}
#endif
#endif
