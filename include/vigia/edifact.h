/*
 * vigia/edifact.h - the UN/EDIFACT syntax layer (ISO 9735, syntax versions 1 to 4).
 *
 * Two levels, both over a memory buffer the caller owns (a file mapped with vg_file_open):
 *
 *   vg_edifact_parse     the interchange reader. Walks every interchange (UNA, UNB..UNZ,
 *                        optional UNG..UNE groups) and every message (UNH..UNT, also bare
 *                        messages outside any UNB), checks the control counts and
 *                        references, and calls back once per message that is whole and
 *                        correct, once per rejected message or envelope with the reason,
 *                        and once per data-quality note. A bad message never stops the
 *                        messages around it.
 *   vg_edifact_lexer_*   the tokenizer underneath: one segment at a time, no envelope
 *                        checks. For tools and tests that look at raw segments.
 *
 * Segments, elements and components are slices into the input (zero copy). The tokenizer
 * allocates nothing per segment or element: it records separator positions in an index it
 * reuses from message to message. Release characters and line breaks stay in the raw
 * slices; vg_edifact_text / vg_edifact_str / vg_edifact_unescaped remove them on demand
 * (with a zero-copy fast path when a segment holds neither) and convert the declared
 * character set (UNB S001: UNOA..UNOY) to UTF-8.
 *
 * Addressing: element 0 is the segment tag, elements 1..n are the data elements in order;
 * components are numbered from 0; repetitions (syntax version 4) from 0. In
 * "LOC+147+0110382::5'" element 1 is "147" and component 2 of element 2 is "5". Absent
 * elements and components read as empty, as ISO 9735 makes them equivalent.
 *
 * docs/edifact.md describes what is accepted and rejected, and why.
 */
#ifndef VIGIA_EDIFACT_H
#define VIGIA_EDIFACT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vigia/audit.h>
#include <vigia/slice.h>
#include <vigia/status.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Sizes of the fixed text fields below (bytes, including the NUL). Values longer than a
 * field (which ISO 9735 does not allow) are cut at a UTF-8 character boundary. */
#define VG_EDIFACT_REF_SIZE  36 /* references, codes and identifiers (an..35 at most) */
#define VG_EDIFACT_CODE_SIZE 16 /* short codes: version, release, agency, qualifiers */
#define VG_EDIFACT_PARTY_SIZE 72 /* interchange and group sender and recipient */

/* Default limits (struct vg_edifact_options); 0 in the options selects these. */
#define VG_EDIFACT_DEFAULT_MAX_MESSAGE (32u * 1024u * 1024u) /* bytes from UNH to UNT */
#define VG_EDIFACT_DEFAULT_MAX_SEGMENTS 1000000u              /* segments from UNH to UNT */
#define VG_EDIFACT_DEFAULT_MAX_SEGMENT (1024u * 1024u)       /* bytes in one segment */

/* The service characters in force (UNA, or the defaults of ISO 9735). */
struct vg_edifact_syntax {
    char component;  /* component data element separator, ':' by default */
    char element;    /* data element separator, '+' by default */
    char decimal;    /* decimal mark as advised ('.' or ','); both are read either way */
    char release;    /* release character, '?' by default; 0 when not used */
    char repetition; /* repetition separator, '*' in syntax version 4; 0 when not used */
    char terminator; /* segment terminator, '\'' by default */
    bool advised;    /* the characters came from a UNA service string advice */
};

struct vg_edifact_lexer;

/*
 * One segment. All fields are read-only for callers; the last ones are private to the
 * library. A segment handed out by the reader or the lexer is valid until the callback
 * returns (reader) or until the next vg_edifact_lexer_next call (lexer), and its slices
 * as long as the input buffer.
 */
struct vg_edifact_segment {
    char tag[4];           /* the segment tag, e.g. "EQD", NUL-terminated */
    uint32_t number;       /* in a message: 1-based position, UNH = 1; from the lexer: the
                              1-based position in the input (UNA not counted) */
    uint32_t line;         /* 1-based line of the tag */
    uint32_t column;       /* 1-based column of the tag (bytes) */
    uint64_t offset;       /* byte offset of the tag in the input */
    struct vg_slice text;  /* from the tag up to, not including, the terminator: raw, with
                              release characters and line breaks as sent */
    uint32_t elements;     /* number of data elements (the tag not counted) */
    /* private */
    const struct vg_edifact_lexer *lexer_;
    uint32_t first_mark_;
    uint32_t marks_;
    uint32_t flags_;
};

/* The interchange header (UNB) and what the reader has counted in it so far. */
struct vg_edifact_interchange {
    bool present;         /* false for messages outside any UNB (bare UNH..UNT) */
    char syntax_id[VG_EDIFACT_CODE_SIZE];        /* S001 0001, e.g. "UNOC" */
    unsigned syntax_version;                     /* S001 0002: 1..4; 0 when not a digit */
    const char *charset;  /* declared repertoire as an iconv name ("US-ASCII" for UNOA and
                             UNOB, "ISO-8859-1" for UNOC, ..., "UTF-8" for UNOW/UNOY); NULL
                             when the identifier is not one of UNOA..UNOY (e.g. "IATB") */
    char sender[VG_EDIFACT_PARTY_SIZE];          /* S002 0004 */
    char sender_qualifier[VG_EDIFACT_CODE_SIZE]; /* S002 0007 */
    char recipient[VG_EDIFACT_PARTY_SIZE];       /* S003 0010 */
    char recipient_qualifier[VG_EDIFACT_CODE_SIZE];
    char date[VG_EDIFACT_CODE_SIZE];             /* S004 0017 as sent: YYMMDD or CCYYMMDD */
    char time[VG_EDIFACT_CODE_SIZE];             /* S004 0019 as sent: HHMM */
    int64_t prepared_at;  /* date and time as UTC seconds (they carry no zone);
                             VG_TIME_NONE (INT64_MIN) when not a real date and time */
    char control_ref[VG_EDIFACT_REF_SIZE];       /* 0020 */
    char application_ref[VG_EDIFACT_REF_SIZE];   /* 0026 */
    bool test;            /* 0035 test indicator is 1 */
    struct vg_edifact_syntax syntax;
    uint64_t offset;      /* byte offset of the UNA, or of the UNB without a UNA */
    uint32_t line;
    uint32_t messages;    /* UNH seen so far in this interchange (rejected ones too) */
    uint32_t groups;      /* UNG seen so far */
};

/* A functional group header (UNG). */
struct vg_edifact_group {
    char id[VG_EDIFACT_REF_SIZE];                 /* 0038, e.g. "PAXLST" */
    char sender[VG_EDIFACT_PARTY_SIZE];           /* S006 0040 */
    char sender_qualifier[VG_EDIFACT_CODE_SIZE];
    char recipient[VG_EDIFACT_PARTY_SIZE];        /* S007 0044 */
    char recipient_qualifier[VG_EDIFACT_CODE_SIZE];
    char date[VG_EDIFACT_CODE_SIZE];              /* S004 */
    char time[VG_EDIFACT_CODE_SIZE];
    char ref[VG_EDIFACT_REF_SIZE];                /* 0048 group reference */
    char agency[VG_EDIFACT_CODE_SIZE];            /* 0051 */
    char version[VG_EDIFACT_CODE_SIZE];           /* S008 0052 */
    char release[VG_EDIFACT_CODE_SIZE];           /* S008 0054 */
    char association[VG_EDIFACT_CODE_SIZE];       /* S008 0057 */
    uint64_t offset;
    uint32_t line;
    uint32_t messages;    /* UNH seen so far in this group */
};

/* A message, UNH to UNT. */
struct vg_edifact_message {
    const struct vg_edifact_interchange *interchange; /* never NULL; see ->present */
    const struct vg_edifact_group *group;             /* NULL outside a UNG..UNE group */
    char ref[VG_EDIFACT_REF_SIZE];                /* UNH 0062 message reference */
    char type[VG_EDIFACT_CODE_SIZE];              /* S009 0065, e.g. "CUSCAR" */
    char version[VG_EDIFACT_CODE_SIZE];           /* S009 0052, e.g. "D" */
    char release[VG_EDIFACT_CODE_SIZE];           /* S009 0054, e.g. "95B" */
    char agency[VG_EDIFACT_CODE_SIZE];            /* S009 0051, e.g. "UN" */
    char association[VG_EDIFACT_CODE_SIZE];       /* S009 0057, e.g. "SMDG22" */
    uint32_t number;      /* 1-based position among the UNH of its interchange (or of the
                             bare messages of the input) */
    uint64_t offset;      /* byte offset of the UNH tag */
    uint32_t line;        /* line of the UNH tag */
    uint32_t column;
    struct vg_slice raw;  /* the bytes from the UNH tag through the UNT terminator (for a
                             rejected message: through the last byte read of it) */
    const char *charset;  /* how its text is read (iconv name); differs from the declared
                             one when the bytes say otherwise (a note reports it); NULL
                             when the message is pure ASCII under an unknown syntax id */
    const struct vg_edifact_segment *segments; /* UNH first, UNT last; NULL in a reject */
    size_t nsegments;
};

/* What a reject or a note is about. */
enum vg_edifact_scope {
    VG_EDIFACT_SCOPE_MESSAGE = 1,     /* one message (->message is set) */
    VG_EDIFACT_SCOPE_GROUP = 2,       /* a UNG..UNE group's envelope */
    VG_EDIFACT_SCOPE_INTERCHANGE = 3, /* an interchange's envelope (UNA, UNB, UNZ) */
    VG_EDIFACT_SCOPE_SEGMENT = 4,     /* a segment outside any message */
};

/*
 * A rejected message or envelope, or a data-quality note. Everything is borrowed and valid
 * during the callback only.
 *
 * kind is a stable identifier (see docs/edifact.md), for example:
 *   rejects: "message-cut-off", "unt-mismatch", "segment-syntax", "segment-too-long",
 *            "message-too-long", "interchange-rejected", "outside-message", "unz-missing",
 *            "unz-mismatch", "une-missing", "une-mismatch", "una-syntax", "unb-syntax"
 *   notes:   "charset-utf8", "charset-not-utf8", "charset-repertoire", "charset-unknown",
 *            "unt-count"
 * error->code is VG_EPARSE (syntax), VG_ETRUNC (cut off), VG_ECONFLICT (counts and
 * references that disagree) or VG_ELIMIT; for notes VG_OK. error holds the position
 * (source, line, column, byte offset, item = segment number in the message, or in the
 * input outside messages) and a lowercase sentence saying what is wrong and what was
 * expected. field / value / expected (may be NULL) name the data element concerned
 * ("UNT 0074"), what was sent and what was expected, for data-quality records.
 */
struct vg_edifact_issue {
    enum vg_edifact_scope scope;
    const char *kind;
    const struct vg_error *error;
    const struct vg_edifact_interchange *interchange; /* never NULL; see ->present */
    const struct vg_edifact_group *group;             /* NULL outside a group */
    const struct vg_edifact_message *message;         /* the message concerned, or NULL */
    struct vg_slice excerpt; /* the bytes concerned: the whole rejected message, or the
                                segment or envelope at fault */
    const char *field;
    const char *value;
    const char *expected;
};

/* Callbacks of vg_edifact_parse. Any may be NULL. A status other than VG_OK stops the
 * parse, which returns that status. */
struct vg_edifact_handler {
    enum vg_status (*message)(void *user, const struct vg_edifact_message *msg);
    enum vg_status (*reject)(void *user, const struct vg_edifact_issue *issue);
    enum vg_status (*note)(void *user, const struct vg_edifact_issue *issue);
    void *user;
};

enum vg_edifact_flags {
    /* A UNT segment count that disagrees with the message is reported as a note
     * ("unt-count") instead of rejecting the message. The UNT reference must still match. */
    VG_EDIFACT_TOLERATE_COUNTS = 1u << 0,
};

/*
 * Limits bound the memory one message may take while it is read (about 64 bytes per
 * segment plus at most max_message bytes of index), whatever the input. A message over a
 * limit is rejected ("message-too-long"); the largest real messages (bay plans of the
 * biggest ships, some 250,000 segments and 10 MB) are far below the defaults.
 */
struct vg_edifact_options {
    unsigned flags;      /* enum vg_edifact_flags */
    size_t max_message;  /* bytes from UNH to UNT, and four times the separators in it;
                            0 = VG_EDIFACT_DEFAULT_MAX_MESSAGE */
    size_t max_segments; /* segments from UNH to UNT; 0 = VG_EDIFACT_DEFAULT_MAX_SEGMENTS */
    size_t max_segment;  /* bytes in one segment; 0 = VG_EDIFACT_DEFAULT_MAX_SEGMENT; at
                            most 2^30 - 1 (larger values are lowered to that) */
};

/* What one parse saw. */
struct vg_edifact_stats {
    uint64_t interchanges; /* UNB */
    uint64_t groups;       /* UNG */
    uint64_t messages;     /* UNH */
    uint64_t accepted;     /* messages handed to the message callback */
    uint64_t rejected;     /* messages rejected */
    uint64_t envelope_errors; /* rejects about envelopes and stray segments */
    uint64_t notes;
    uint64_t segments;     /* segments read, UNA not counted */
};

/*
 * Reads every interchange and message of data[0..len) (borrowed; a leading UTF-8
 * byte-order mark, white space and line breaks between segments are skipped). source
 * names the input in positions (a file name; may be NULL). options and stats may be NULL.
 *
 * Calls handler->message for each message that is whole and correct, ->reject for each
 * message refused (with the reason; the messages around it go on) and for each envelope
 * or stray-segment problem, ->note for data-quality notes. Messages are delivered as soon
 * as their UNT is read, so an interchange trailer problem found later (a missing UNZ, a
 * wrong UNZ count) is reported as an interchange reject and does not withdraw them.
 *
 * Returns VG_OK when the whole input was read (rejects included: see stats), VG_ENOMEM,
 * VG_EINVAL for a NULL handler or data, or the status of a callback that stopped the
 * parse. err (may be NULL) gets the reason for those.
 */
VG_NODISCARD enum vg_status vg_edifact_parse(const char *data,
                                             size_t len,
                                             const char *source,
                                             const struct vg_edifact_options *options,
                                             const struct vg_edifact_handler *handler,
                                             struct vg_edifact_stats *stats,
                                             struct vg_error *err);

/* True when buf starts (after a UTF-8 byte-order mark and white space) with a UNA service
 * string advice, or with a UNB or UNH tag followed by a separator. Reads at most the first
 * kilobyte. */
bool vg_edifact_sniff(const char *buf, size_t len);

/* BLAKE2b-256 of a message as content: each segment's text and terminator, UNH to UNT,
 * without the line breaks or white space between segments, so that the same message sent
 * with CR LF, LF or no line breaks has one digest. msg must have its segments (a message
 * from the message callback). */
void vg_edifact_message_digest(const struct vg_edifact_message *msg,
                               uint8_t out[VG_DIGEST_SIZE]);

/* ---- segments: addressing and values ------------------------------------------------ */

/* True when seg's tag is the three-letter tag. */
bool vg_edifact_is(const struct vg_edifact_segment *seg, const char *tag);

/* Component `component` of repetition 0 of element `element`, raw (release characters and
 * line breaks as sent); the empty slice when absent. */
struct vg_slice vg_edifact_raw(const struct vg_edifact_segment *seg, size_t element,
                               size_t component);

/* As vg_edifact_raw, in repetition `repetition` of the element. */
struct vg_slice vg_edifact_raw_rep(const struct vg_edifact_segment *seg, size_t element,
                                   size_t repetition, size_t component);

/* The whole of element `element`, all repetitions and components with their separators,
 * raw; the empty slice when absent. */
struct vg_slice vg_edifact_element_raw(const struct vg_edifact_segment *seg, size_t element);

/* Number of components in repetition 0 of element `element` (0 when absent). */
size_t vg_edifact_components(const struct vg_edifact_segment *seg, size_t element);

/* Number of repetitions of element `element` (1 for a present element without repetition
 * separators, 0 when absent). */
size_t vg_edifact_repetitions(const struct vg_edifact_segment *seg, size_t element);

/*
 * The value of raw (a slice of seg, from the functions above) with release characters and
 * line breaks removed, not converted. When raw holds neither, returns raw itself (zero
 * copy); otherwise writes into scratch[0..cap) and returns a slice of it, cut at cap bytes
 * (cap >= raw.len never cuts).
 */
struct vg_slice vg_edifact_unescaped(const struct vg_edifact_segment *seg, struct vg_slice raw,
                                     char *scratch, size_t cap);

/*
 * Appends the text of raw (a slice of seg) to out: release characters and line breaks
 * removed, converted from the message's character set to UTF-8 (bytes with no mapping
 * become U+FFFD). Not trimmed. VG_ENOMEM / VG_ELIMIT from the buffer leave it unchanged.
 */
VG_NODISCARD enum vg_status vg_edifact_decode(const struct vg_edifact_segment *seg,
                                              struct vg_slice raw, struct vg_buf *out);

/* vg_edifact_decode of component `component` of element `element`. */
VG_NODISCARD enum vg_status vg_edifact_text(const struct vg_edifact_segment *seg,
                                            size_t element, size_t component,
                                            struct vg_buf *out);

/*
 * Component `component` of element `element` as trimmed UTF-8 text in buf[0..size), NUL
 * terminated ("" when absent or empty). VG_ELIMIT when it did not fit (buf then holds the
 * start of it, cut at a character boundary), VG_ENOMEM (only for sets converted through
 * iconv), VG_EINVAL when size is 0.
 */
VG_NODISCARD enum vg_status vg_edifact_str(const struct vg_edifact_segment *seg,
                                           size_t element, size_t component, char *buf,
                                           size_t size);

/* Component as an integer: optional '-', digits, surrounding spaces allowed.
 * VG_ENOTFOUND when absent or empty, VG_EPARSE when not an integer (or out of range);
 * *out untouched on error. */
VG_NODISCARD enum vg_status vg_edifact_int(const struct vg_edifact_segment *seg,
                                           size_t element, size_t component, int64_t *out);

/* Component as a decimal number: optional '-', digits, one decimal mark ('.' or ',', as
 * ISO 9735 allows either), digits; no exponent and no group separators. VG_ENOTFOUND when
 * absent or empty, VG_EPARSE otherwise; *out untouched on error. */
VG_NODISCARD enum vg_status vg_edifact_decimal(const struct vg_edifact_segment *seg,
                                               size_t element, size_t component,
                                               double *out);

/* ---- the tokenizer alone ------------------------------------------------------------ */

/*
 * Creates a lexer over data[0..len) (borrowed, must outlive the lexer). source (borrowed,
 * may be NULL) names the input in errors. max_segment 0 selects the default. VG_ENOMEM.
 * Free with vg_edifact_lexer_free.
 */
VG_NODISCARD enum vg_status vg_edifact_lexer_new(const char *data, size_t len, const char *source,
                                                 size_t max_segment,
                                                 struct vg_edifact_lexer **out);

/* Frees a lexer. NULL-safe. */
void vg_edifact_lexer_free(struct vg_edifact_lexer *lx);

/*
 * Reads the next segment into *seg (valid until the next call). A UNA service string
 * advice is applied and skipped (the segment after it is returned); a UNB without one
 * resets the defaults, and a syntax version 4 UNB turns on the default repetition
 * separator. Returns:
 *   VG_OK         a segment
 *   VG_ENOTFOUND  end of input (*seg NULL)
 *   VG_EPARSE     a malformed segment (bad tag, empty segment): *seg is set to it (its
 *                 elements may not be meaningful) and reading goes on after it; or a
 *                 malformed UNA: *seg is NULL and reading resumes at the next UNA, or at
 *                 the next UNB after the one the bad UNA announced
 *   VG_ELIMIT     a segment longer than max_segment; *seg is set, not indexed (no elements)
 *   VG_ETRUNC     the input ends inside a segment (no terminator); *seg holds the rest
 *   VG_ENOMEM
 * err (may be NULL) gets the reason and position for the errors.
 */
VG_NODISCARD enum vg_status vg_edifact_lexer_next(struct vg_edifact_lexer *lx,
                                                  const struct vg_edifact_segment **seg,
                                                  struct vg_error *err);

/* The service characters in force. */
const struct vg_edifact_syntax *vg_edifact_lexer_syntax(const struct vg_edifact_lexer *lx);

#ifdef __cplusplus
}
#endif
#endif
