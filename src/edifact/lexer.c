/*
 * The EDIFACT tokenizer (ISO 9735-1: clause 7 service characters, clause 8 syntax
 * structure; Annex B, the UNA service string advice).
 *
 * Model: the input is a sequence of segments, each ended by the segment terminator.
 * Inside a segment the data element separator splits elements, the component separator
 * splits components, and (syntax version 4) the repetition separator splits repetitions
 * of an element. The release character makes the next byte literal. The first element's
 * first component is the tag: three upper-case letters or digits.
 *
 * One pass over the bytes with a 256-entry class table built from the service characters
 * in force: ordinary bytes cost one table load. Each separator appends one 32-bit mark to
 * the index (offset and kind, see edifact_int.h); the index is reused, so reading
 * allocates nothing once it has grown to the size of the largest message. Line breaks
 * and white space between segments are skipped; a line break inside a segment is kept in
 * the raw text, counted, and flagged so that values drop it when decoded (transports wrap
 * long lines; CR and LF are not in any EDIFACT character repertoire).
 *
 * Service characters: a UNA applies to the interchange that follows it. A UNB without a
 * UNA restores the defaults: ISO 9735 level A (":+.? '") when the byte after "UNB" is
 * '+', level B information separators (IS1 component, IS3 element, IS4 terminator, no
 * release character) when it is IS3. A syntax version 4 UNB without a UNA also turns on
 * the default repetition separator '*'.
 */
#include "edifact/edifact_int.h"

#include <string.h>

#include <vigia/alloc.h>

/* The scan has a 16-bytes-at-a-time path with SSE2 (every x86-64 CPU has it); elsewhere
 * the byte loop does all the work. */
#if defined(__SSE2__)
# include <emmintrin.h>
# define EDI_SIMD 1
# define VEC(lx, i) _mm_loadu_si128((const __m128i *)(const void *)(lx)->vec[i])
#else
# define EDI_SIMD 0
#endif

#define LEVEL_B_COMPONENT 0x1F /* IS1 */
#define LEVEL_B_REPETITION 0x1E /* IS2 */
#define LEVEL_B_ELEMENT 0x1D   /* IS3 */
#define LEVEL_B_TERMINATOR 0x1C /* IS4 */

static void build_classes(struct vg_edifact_lexer *lx)
{
    const struct vg_edifact_syntax *sx = &lx->syntax;
    memset(lx->cls, EDI_C_DATA, 0x80);
    memset(lx->cls + 0x80, EDI_C_HIGH, 0x80);
    lx->cls['\n'] = EDI_C_LF;
    lx->cls['\r'] = EDI_C_CR;
    /* Service characters win over the line-break classes (a terminator may be LF). */
    lx->cls[(unsigned char)sx->component] = EDI_C_COMP;
    lx->cls[(unsigned char)sx->element] = EDI_C_ELEM;
    if (sx->repetition != 0) {
        lx->cls[(unsigned char)sx->repetition] = EDI_C_REP;
    }
    if (sx->release != 0) {
        lx->cls[(unsigned char)sx->release] = EDI_C_RELEASE;
    }
    lx->cls[(unsigned char)sx->terminator] = EDI_C_TERM;
    const char bytes[EDI_V_COUNT] = { sx->component, sx->element, sx->repetition, sx->release,
                                      sx->terminator, '\n', '\r' };
    for (int i = 0; i < EDI_V_COUNT; i++) {
        memset(lx->vec[i], bytes[i], sizeof(lx->vec[i]));
    }
}

static void set_level_a(struct vg_edifact_lexer *lx)
{
    lx->syntax = (struct vg_edifact_syntax){ .component = ':',
                                             .element = '+',
                                             .decimal = '.',
                                             .release = '?',
                                             .repetition = 0,
                                             .terminator = '\'',
                                             .advised = false };
    build_classes(lx);
}

static void set_level_b(struct vg_edifact_lexer *lx)
{
    lx->syntax = (struct vg_edifact_syntax){ .component = LEVEL_B_COMPONENT,
                                             .element = LEVEL_B_ELEMENT,
                                             .decimal = '.',
                                             .release = 0,
                                             .repetition = 0,
                                             .terminator = LEVEL_B_TERMINATOR,
                                             .advised = false };
    build_classes(lx);
}

enum vg_status vg_edifact_lexer_new(const char *data, size_t len, const char *source,
                                    size_t max_segment, struct vg_edifact_lexer **out)
{
    *out = NULL;
    struct vg_edifact_lexer *lx = vg_calloc(1, sizeof(*lx));
    if (lx == NULL) {
        return VG_ENOMEM;
    }
    lx->data = data != NULL ? data : "";
    lx->len = data != NULL ? len : 0;
    lx->source = source;
    lx->line = 1;
    lx->max_segment = max_segment == 0 ? VG_EDIFACT_DEFAULT_MAX_SEGMENT : max_segment;
    if (lx->max_segment > EDI_MARK_OFF) {
        lx->max_segment = EDI_MARK_OFF;
    }
    if (lx->len >= 3 && memcmp(lx->data, "\xEF\xBB\xBF", 3) == 0) {
        lx->pos = 3;
        lx->line_start = 3;
    }
    set_level_a(lx);
    *out = lx;
    return VG_OK;
}

void vg_edifact_lexer_free(struct vg_edifact_lexer *lx)
{
    if (lx == NULL) {
        return;
    }
    vg_free(lx->marks);
    vg_free(lx->segs);
    vg_free(lx);
}

const struct vg_edifact_syntax *vg_edifact_lexer_syntax(const struct vg_edifact_lexer *lx)
{
    return &lx->syntax;
}

void vg__edifact_lexer_reset(struct vg_edifact_lexer *lx)
{
    lx->nsegs = 0;
    lx->nmarks = 0;
}

void vg__edifact_lexer_keep_last(struct vg_edifact_lexer *lx)
{
    if (lx->nsegs <= 1) {
        return;
    }
    struct vg_edifact_segment last = lx->segs[lx->nsegs - 1];
    memmove(lx->marks, lx->marks + last.first_mark_, last.marks_ * sizeof(*lx->marks));
    last.first_mark_ = 0;
    lx->nmarks = last.marks_;
    lx->segs[0] = last;
    lx->nsegs = 1;
}

const char *vg__edifact_charset(struct vg_slice id, bool *seven_bit)
{
    static const struct {
        char id[5];
        bool seven_bit;
        const char *charset;
    } sets[] = {
        { "UNOA", true, "US-ASCII" },    { "UNOB", true, "US-ASCII" },
        { "UNOC", false, "ISO-8859-1" }, { "UNOD", false, "ISO-8859-2" },
        { "UNOE", false, "ISO-8859-5" }, { "UNOF", false, "ISO-8859-7" },
        { "UNOG", false, "ISO-8859-3" }, { "UNOH", false, "ISO-8859-4" },
        { "UNOI", false, "ISO-8859-6" }, { "UNOJ", false, "ISO-8859-8" },
        { "UNOK", false, "ISO-8859-9" }, { "UNOL", false, "ISO-8859-15" },
        { "UNOW", false, "UTF-8" },      { "UNOY", false, "UTF-8" },
    };
    *seven_bit = false;
    if (id.len == 4) {
        for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
            if (memcmp(id.ptr, sets[i].id, 4) == 0) {
                *seven_bit = sets[i].seven_bit;
                return sets[i].charset;
            }
        }
    }
    return NULL;
}

static bool is_space(unsigned char c)
{
    /* White space, line breaks, and the NUL / Ctrl-Z padding some transports add. */
    return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' ||
           c == 0 || c == 0x1A;
}

static bool is_tag_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool is_alnum(unsigned char c)
{
    return is_tag_char(c) || (c >= 'a' && c <= 'z');
}

/* Moves lx->pos to target, counting the line breaks on the way. */
static void advance_to(struct vg_edifact_lexer *lx, size_t target)
{
    const char *p = lx->data + lx->pos;
    const char *end = lx->data + target;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (nl == NULL) {
            break;
        }
        lx->line++;
        lx->line_start = (size_t)(nl - lx->data) + 1;
        p = nl + 1;
    }
    lx->pos = target;
}

static void set_error_here(struct vg_edifact_lexer *lx, struct vg_error *err, size_t at,
                           uint32_t line, size_t line_start)
{
    vg_error_at(err, lx->source != NULL ? lx->source : "", line,
                (uint32_t)(at - line_start + 1), at, lx->seq + 1);
}

/* Skips a bad UNA and the interchange it announced: reading resumes at the next UNA, or
 * at the next UNB other than the one that follows the bad advice. */
static void resync_after_bad_una(struct vg_edifact_lexer *lx, size_t una_at)
{
    const unsigned char term = (unsigned char)lx->data[una_at + 8];
    size_t from = una_at + 3;
    bool first_unb = true;
    for (;;) {
        const char *hit = NULL;
        const char *p = lx->data + from;
        const char *end = lx->data + lx->len;
        while (p + 3 <= end) {
            const char *u = memchr(p, 'U', (size_t)(end - p) - 2);
            if (u == NULL) {
                break;
            }
            /* Only where a segment can start: after a terminator or white space. */
            unsigned char before = u > lx->data ? (unsigned char)u[-1] : ' ';
            if (u[1] == 'N' && (u[2] == 'A' || u[2] == 'B') &&
                (is_space(before) || before == '\'' || before == term)) {
                hit = u;
                break;
            }
            p = u + 1;
        }
        if (hit == NULL) {
            advance_to(lx, lx->len);
            return;
        }
        if (hit[2] == 'B' && first_unb) {
            first_unb = false;
            from = (size_t)(hit - lx->data) + 3;
            continue;
        }
        advance_to(lx, (size_t)(hit - lx->data));
        return;
    }
}

/* Reads the UNA at lx->pos. VG_OK when applied; VG_EPARSE with err otherwise (reading
 * then resumes after the interchange it announced). */
static enum vg_status read_una(struct vg_edifact_lexer *lx, struct vg_error *err)
{
    size_t at = lx->pos;
    uint32_t line = lx->line;
    size_t line_start = lx->line_start;
    if (lx->len - at < 9) {
        set_error_here(lx, err, at, line, line_start);
        advance_to(lx, lx->len);
        return vg_error_set(err, VG_EPARSE,
                            "UNA service string advice cut off: expected 6 service characters");
    }
    const unsigned char *c = (const unsigned char *)lx->data + at + 3;
    const char *names[6] = { "component separator", "element separator", "decimal mark",
                             "release character", "repetition separator", "segment terminator" };
    const char *problem = NULL;
    int bad = -1;
    for (int i = 0; i < 6 && problem == NULL; i++) {
        bool optional = i == 2 || i == 3 || i == 4; /* space means "not used" for these */
        if (c[i] == 0) {
            problem = "is a NUL byte";
            bad = i;
        } else if (is_alnum(c[i])) {
            problem = "is a letter or digit";
            bad = i;
        } else if (c[i] == ' ' && !optional) {
            problem = "is a space";
            bad = i;
        }
    }
    /* The separators, the terminator and the release character in use must differ. */
    static const int used[] = { 0, 1, 3, 4, 5 };
    for (size_t i = 0; i < 5 && problem == NULL; i++) {
        for (size_t j = i + 1; j < 5 && problem == NULL; j++) {
            unsigned char a = c[used[i]], b = c[used[j]];
            if (a == b && a != ' ') {
                problem = "is also used for another service function";
                bad = used[j];
            }
        }
    }
    if (problem != NULL) {
        set_error_here(lx, err, at, line, line_start);
        vg_error_set(err, VG_EPARSE,
                     "UNA service string advice '%.9s': the %s (0x%02X) %s; the interchange "
                     "that follows is skipped",
                     lx->data + at, names[bad], c[bad], problem);
        resync_after_bad_una(lx, at);
        return VG_EPARSE;
    }
    lx->syntax = (struct vg_edifact_syntax){ .component = (char)c[0],
                                             .element = (char)c[1],
                                             .decimal = (char)c[2],
                                             .release = c[3] == ' ' ? 0 : (char)c[3],
                                             .repetition = c[4] == ' ' ? 0 : (char)c[4],
                                             .terminator = (char)c[5],
                                             .advised = true };
    build_classes(lx);
    lx->una_pending = true;
    lx->una_offset = at;
    lx->una_line = line;
    lx->pos = at + 9;
    return VG_OK;
}

static enum vg_status grow(void **arr, size_t *cap, size_t elem)
{
    size_t n = *cap == 0 ? 256 : *cap * 2;
    void *p = vg_reallocarray(*arr, n, elem);
    if (p == NULL) {
        return VG_ENOMEM;
    }
    *arr = p;
    *cap = n;
    return VG_OK;
}

/* After a UNB: its syntax identifier sets the declared repertoire, and syntax version 4
 * without a UNA brings the default repetition separator. */
static void apply_unb(struct vg_edifact_lexer *lx, const struct vg_edifact_segment *seg)
{
    struct vg_slice id = vg_slice_trim(vg_edifact_raw(seg, 1, 0));
    struct vg_slice ver = vg_slice_trim(vg_edifact_raw(seg, 1, 1));
    vg_slice_copy(id, lx->syntax_id, sizeof(lx->syntax_id));
    lx->declared = vg__edifact_charset(id, &lx->seven_bit);
    lx->charset = lx->seven_bit ? NULL : lx->declared;
    lx->syntax_version = ver.len == 1 && ver.ptr[0] >= '1' && ver.ptr[0] <= '9'
                             ? (unsigned)(ver.ptr[0] - '0')
                             : 0;
    if (!lx->unb_advised && lx->syntax_version >= 4 && lx->syntax.repetition == 0) {
        lx->syntax.repetition = lx->syntax.element == LEVEL_B_ELEMENT ? LEVEL_B_REPETITION : '*';
        build_classes(lx);
    }
}

enum vg_status vg_edifact_lexer_next(struct vg_edifact_lexer *lx,
                                     const struct vg_edifact_segment **out,
                                     struct vg_error *err)
{
    *out = NULL;
    if (!lx->keep) {
        vg__edifact_lexer_reset(lx);
    }
    const unsigned char *data = (const unsigned char *)lx->data;
    size_t len = lx->len;
    size_t p;
    bool is_unb;
    for (;;) {
        p = lx->pos;
        while (p < len && is_space(data[p])) {
            if (data[p] == '\n') {
                lx->line++;
                lx->line_start = p + 1;
            }
            p++;
        }
        lx->pos = p;
        if (p >= len) {
            return VG_ENOTFOUND;
        }
        if (len - p >= 3 && data[p] == 'U' && data[p + 1] == 'N' && data[p + 2] == 'A') {
            enum vg_status st = read_una(lx, err);
            if (st != VG_OK) {
                return st;
            }
            continue;
        }
        break;
    }
    is_unb = len - p >= 3 && data[p] == 'U' && data[p + 1] == 'N' && data[p + 2] == 'B';
    if (is_unb) {
        lx->unb_advised = lx->una_pending;
        lx->unb_origin_offset = lx->una_pending ? lx->una_offset : p;
        lx->unb_origin_line = lx->una_pending ? lx->una_line : lx->line;
        if (!lx->una_pending) {
            if (len - p > 3 && data[p + 3] == LEVEL_B_ELEMENT) {
                set_level_b(lx);
            } else {
                set_level_a(lx);
            }
        }
        lx->una_pending = false;
    }

    if (lx->nsegs == lx->cap_segs &&
        grow((void **)&lx->segs, &lx->cap_segs, sizeof(*lx->segs)) != VG_OK) {
        return VG_ENOMEM;
    }
    const size_t start = p;
    const uint32_t seg_line = lx->line;
    const size_t seg_line_start = lx->line_start;
    const size_t first = lx->nmarks;
    const size_t max = lx->max_segment;
    const unsigned char *cls = lx->cls;
    uint32_t *marks = lx->marks;
    size_t nmarks = lx->nmarks;
    size_t cap = lx->cap_marks;
    uint32_t flags = 0;
    uint32_t elements = 0;
    bool over = false;
    enum vg_status st = VG_OK;

#if EDI_SIMD
    const bool has_rep = lx->syntax.repetition != 0;
    const bool has_rel = lx->syntax.release != 0;
    const bool simd = !lx->scalar_only;
#endif
    for (;;) {
#if EDI_SIMD
        /* Sixteen bytes at a time, without a branch per byte: one bit mask per class of
         * byte, the separators recorded from the masks, and the two classes that change
         * the scan (terminator, release character) left to the byte loop below, which
         * comes back here after them. Service characters win over CR and LF, as in the
         * class table. */
        while (simd && !over && len - p >= 16 && p + 16 - start <= max) {
            if (cap - nmarks < 16) {
                lx->marks = marks;
                lx->nmarks = nmarks;
                if (grow((void **)&lx->marks, &lx->cap_marks, sizeof(*lx->marks)) != VG_OK) {
                    lx->nmarks = first;
                    return VG_ENOMEM;
                }
                marks = lx->marks;
                cap = lx->cap_marks;
            }
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(data + p));
            const __m128i v_comp = VEC(lx, EDI_V_COMP), v_elem = VEC(lx, EDI_V_ELEM);
            const __m128i v_rep = VEC(lx, EDI_V_REP), v_rel = VEC(lx, EDI_V_REL);
            const __m128i v_term = VEC(lx, EDI_V_TERM), v_lf = VEC(lx, EDI_V_LF);
            const __m128i v_cr = VEC(lx, EDI_V_CR);
            unsigned m_comp = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, v_comp));
            unsigned m_elem = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, v_elem));
            unsigned m_rep =
                has_rep ? (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, v_rep)) : 0u;
            unsigned m_rare = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, v_term)) |
                              (has_rel ? (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, v_rel))
                                       : 0u);
            unsigned svc = m_comp | m_elem | m_rep | m_rare;
            unsigned m_lf = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, v_lf)) & ~svc;
            unsigned m_other =
                ((unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, v_cr), v)) & ~svc) |
                m_lf;
            unsigned limit = 0xFFFFu;
            if (m_rare != 0) {
                limit = (1u << __builtin_ctz(m_rare)) - 1u;
            }
            unsigned seps = (m_comp | m_elem | m_rep) & limit;
            while (seps != 0) {
                unsigned i = (unsigned)__builtin_ctz(seps);
                unsigned is_elem = (m_elem >> i) & 1u;
                marks[nmarks++] =
                    (uint32_t)(p + i - start) | (is_elem << 30) | (((m_rep >> i) & 1u) << 31);
                elements += is_elem;
                seps &= seps - 1;
            }
            m_other &= limit;
            if (m_other != 0) {
                /* CR, LF or bytes >= 0x80: flags and line numbers. */
                unsigned lf = m_lf & limit;
                if (lf != 0) {
                    lx->line_start = p + (31u - (unsigned)__builtin_clz(lf)) + 1;
                    for (; lf != 0; lf &= lf - 1) {
                        lx->line++;
                    }
                    flags |= EDI_SEG_BREAK;
                }
                unsigned high = (unsigned)_mm_movemask_epi8(v) & ~svc & limit;
                if (high != 0) {
                    flags |= EDI_SEG_HIGH;
                }
                if ((m_other & ~(m_lf & limit) & ~high) != 0) {
                    flags |= EDI_SEG_BREAK; /* CR */
                }
            }
            if (m_rare != 0) {
                p += (unsigned)__builtin_ctz(m_rare);
                break;
            }
            p += 16;
        }
#endif
        while (p < len && cls[data[p]] == EDI_C_DATA) {
            p++;
        }
        if (p >= len) {
            st = VG_ETRUNC;
            break;
        }
        unsigned k = cls[data[p]];
        if (k <= EDI_C_REP) {
            uint32_t kind = k == EDI_C_COMP ? EDI_MARK_COMP
                            : k == EDI_C_ELEM ? EDI_MARK_ELEM
                                              : EDI_MARK_REP;
            elements += k == EDI_C_ELEM;
            if (p - start > max) {
                over = true;
            }
            if (!over) {
                if (nmarks == cap) {
                    lx->marks = marks;
                    lx->nmarks = nmarks;
                    if (grow((void **)&lx->marks, &lx->cap_marks, sizeof(*lx->marks)) !=
                        VG_OK) {
                        lx->nmarks = first;
                        return VG_ENOMEM;
                    }
                    marks = lx->marks;
                    cap = lx->cap_marks;
                }
                marks[nmarks++] = (uint32_t)(p - start) | kind;
            }
        } else if (k == EDI_C_TERM) {
            if (data[p] == '\n') {
                lx->line++;
                lx->line_start = p + 1;
            }
            break;
        } else if (k == EDI_C_RELEASE) {
            flags |= EDI_SEG_RELEASE;
            if (p + 1 >= len) {
                p = len;
                st = VG_ETRUNC;
                break;
            }
            p++;
            if (data[p] == '\n') {
                lx->line++;
                lx->line_start = p + 1;
            } else if (data[p] >= 0x80) {
                flags |= EDI_SEG_HIGH;
            }
        } else if (k == EDI_C_LF) {
            lx->line++;
            lx->line_start = p + 1;
            flags |= EDI_SEG_BREAK;
        } else if (k == EDI_C_CR) {
            flags |= EDI_SEG_BREAK;
        } else {
            flags |= EDI_SEG_HIGH;
        }
        p++;
    }
    lx->nmarks = nmarks;
    size_t text_len = p - start;
    if (text_len > max) {
        over = true;
    }
    lx->pos = p < len ? p + 1 : len;
    lx->seq++;

    struct vg_edifact_segment *seg = &lx->segs[lx->nsegs++];
    memset(seg->tag, 0, sizeof(seg->tag));
    seg->number = lx->seq;
    seg->line = seg_line;
    seg->column = (uint32_t)(start - seg_line_start + 1);
    seg->offset = start;
    seg->text = vg_slice_make(lx->data + start, text_len);
    seg->elements = over ? 0 : elements;
    seg->lexer_ = lx;
    seg->first_mark_ = (uint32_t)first;
    seg->marks_ = over ? 0 : (uint32_t)(lx->nmarks - first);
    seg->flags_ = flags;
    if (over) {
        lx->nmarks = first;
    }
    *out = seg;

    size_t tag_len = seg->marks_ > 0 ? (lx->marks[first] & EDI_MARK_OFF) : text_len;
    bool tag_ok = tag_len == 3 && is_tag_char(data[start]) && is_tag_char(data[start + 1]) &&
                  is_tag_char(data[start + 2]);
    if (tag_ok || (over && text_len >= 3)) {
        memcpy(seg->tag, lx->data + start, 3);
    }
    if (st == VG_ETRUNC) {
        vg_error_at(err, lx->source != NULL ? lx->source : "", seg_line, seg->column, start,
                    lx->seq);
        return vg_error_set(err, VG_ETRUNC,
                            "input ends inside segment '%.*s': no segment terminator '%c'",
                            (int)(text_len < 20 ? text_len : 20), lx->data + start,
                            lx->syntax.terminator);
    }
    if (over) {
        vg_error_at(err, lx->source != NULL ? lx->source : "", seg_line, seg->column, start,
                    lx->seq);
        return vg_error_set(err, VG_ELIMIT, "segment '%.3s' is %zu bytes long, more than %zu",
                            seg->tag, text_len, max);
    }
    if (!tag_ok) {
        vg_error_at(err, lx->source != NULL ? lx->source : "", seg_line, seg->column, start,
                    lx->seq);
        if (text_len == 0) {
            return vg_error_set(err, VG_EPARSE, "empty segment: a segment terminator '%c' "
                                "with no segment before it", lx->syntax.terminator);
        }
        return vg_error_set(err, VG_EPARSE,
                            "segment tag '%.*s' is not 3 upper-case letters or digits",
                            (int)(tag_len > 20 ? 20 : tag_len), lx->data + start);
    }
    if (is_unb) {
        apply_unb(lx, seg);
    }
    return VG_OK;
}

bool vg_edifact_sniff(const char *buf, size_t len)
{
    const unsigned char *p = (const unsigned char *)buf;
    size_t n = len < 1024 ? len : 1024;
    size_t i = 0;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
        i = 3;
    }
    while (i < n && is_space(p[i])) {
        i++;
    }
    if (n - i < 4 || p[i] != 'U' || p[i + 1] != 'N') {
        return false;
    }
    if (p[i + 2] == 'A') {
        return n - i >= 9 && !is_alnum(p[i + 3]) && !is_alnum(p[i + 4]) && p[i + 3] != ' ';
    }
    if (p[i + 2] == 'B' || p[i + 2] == 'H') {
        return !is_alnum(p[i + 3]) && !is_space(p[i + 3]);
    }
    return false;
}
