/*
 * Private parts of the EDIFACT syntax layer: the lexer's state and index, shared by the
 * tokenizer (lexer.c), the value accessors (values.c) and the interchange reader
 * (reader.c).
 */
#ifndef VIGIA_EDIFACT_INT_H
#define VIGIA_EDIFACT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vigia/edifact.h>

/*
 * The index: one 32-bit mark per separator of a segment, in order. The low 30 bits hold
 * the separator's offset from the start of the segment text, the top two its kind. A
 * component runs from just after the previous mark (or the segment start) to its mark
 * (or the segment end). Segments therefore cannot be longer than EDI_MARK_OFF bytes.
 */
#define EDI_MARK_COMP 0x00000000u
#define EDI_MARK_ELEM 0x40000000u
#define EDI_MARK_REP  0x80000000u
#define EDI_MARK_KIND 0xC0000000u
#define EDI_MARK_OFF  0x3FFFFFFFu

/* Segment flags (vg_edifact_segment.flags_). */
enum {
    EDI_SEG_RELEASE = 1u << 0, /* a release character occurs */
    EDI_SEG_BREAK = 1u << 1,   /* an unescaped CR or LF occurs inside the segment */
    EDI_SEG_HIGH = 1u << 2,    /* a byte >= 0x80 occurs */
};

/* Byte classes of the tokenizer's table; 0 is "ordinary data". */
enum {
    EDI_C_DATA = 0,
    EDI_C_COMP,
    EDI_C_ELEM,
    EDI_C_REP,
    EDI_C_RELEASE,
    EDI_C_TERM,
    EDI_C_LF,
    EDI_C_CR,
    EDI_C_HIGH,
};

/* The bytes the 16-at-a-time scan looks for (lexer.c), each repeated 16 times. */
enum { EDI_V_COMP, EDI_V_ELEM, EDI_V_REP, EDI_V_REL, EDI_V_TERM, EDI_V_LF, EDI_V_CR, EDI_V_COUNT };

struct vg_edifact_lexer {
    const char *data;
    size_t len;
    size_t pos;           /* next byte to read */
    const char *source;   /* borrowed, may be NULL */
    uint32_t line;        /* line of data[pos] */
    size_t line_start;    /* offset of the first byte of that line */
    uint32_t seq;         /* segments returned so far */
    size_t max_segment;

    struct vg_edifact_syntax syntax;
    unsigned char cls[256];
    unsigned char vec[EDI_V_COUNT][16];
    bool una_pending;     /* a UNA was read and its UNB not yet */
    uint64_t una_offset;
    uint32_t una_line;
    /* Set when the last segment returned is a UNB: whether a UNA preceded it, and where
     * the interchange starts (the UNA, or the UNB itself). */
    bool unb_advised;
    uint64_t unb_origin_offset;
    uint32_t unb_origin_line;

    char syntax_id[VG_EDIFACT_CODE_SIZE]; /* S001 of the last UNB */
    unsigned syntax_version;
    const char *declared; /* iconv name of the declared repertoire, NULL when unknown */
    bool seven_bit;       /* UNOA / UNOB: bytes >= 0x80 are outside the repertoire */
    const char *charset;  /* what decode converts from; NULL = decide per value */

    bool keep;            /* keep earlier segments in the index (inside a message) */
    bool scalar_only;     /* tests: scan byte by byte only, to compare with the fast path */
    uint32_t *marks;
    size_t nmarks;
    size_t cap_marks;
    struct vg_edifact_segment *segs;
    size_t nsegs;
    size_t cap_segs;
};

/* Empties the index (segments and marks). */
void vg__edifact_lexer_reset(struct vg_edifact_lexer *lx);

/* Drops every segment of the index but the last one, which becomes the first. */
void vg__edifact_lexer_keep_last(struct vg_edifact_lexer *lx);

/* Maps a syntax identifier (UNOA..UNOY) to an iconv charset name; NULL when unknown.
 * *seven_bit says whether it is a 7-bit repertoire. */
const char *vg__edifact_charset(struct vg_slice syntax_id, bool *seven_bit);

/* Text of a component as trimmed UTF-8 into a fixed field, cut at a character boundary
 * when too long (not an error here). VG_OK or VG_ENOMEM. */
enum vg_status vg__edifact_field(const struct vg_edifact_segment *seg, size_t element,
                                 size_t component, char *buf, size_t size);

#endif
