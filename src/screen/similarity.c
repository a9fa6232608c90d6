/*
 * Token similarity (vigia/screen.h): Jaro-Winkler and a phonetic key for Spanish names.
 *
 * Jaro-Winkler follows W. E. Winkler, "String Comparator Metrics and Enhanced Decision
 * Rules in the Fellegi-Sunter Model of Record Linkage" (1990): matching characters within
 * half the longer length, half the transpositions, and a bonus of 0.1 per common prefix
 * character (at most 4).
 *
 * The phonetic key folds the spellings that sound alike in Latin American Spanish, the
 * variation that registries, manifests and transliterations actually show: B/V
 * (betacismo), S/Z/soft C (seseo), hard C/K/QU, LL/Y (yeísmo), G/J (with the silent U of
 * GUE/GUI), silent H, and doubled letters. Vowels are kept: dropping them would make MARIA, MORA
 * and MIRO one key.
 */
#include "screen/screen_int.h"

#include <string.h>

#define JW_MAX 64

double vg_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen == 0 || blen == 0) {
        return 0.0;
    }
    if (alen == blen && memcmp(a, b, alen) == 0) {
        return 1.0;
    }
    if (alen > JW_MAX) {
        alen = JW_MAX;
    }
    if (blen > JW_MAX) {
        blen = JW_MAX;
    }
    size_t longer = alen > blen ? alen : blen;
    size_t window = longer / 2 > 0 ? longer / 2 - 1 : 0;
    bool amatch[JW_MAX] = { false };
    bool bmatch[JW_MAX] = { false };
    size_t matches = 0;
    for (size_t i = 0; i < alen; i++) {
        size_t lo = i > window ? i - window : 0;
        size_t hi = i + window + 1 < blen ? i + window + 1 : blen;
        for (size_t j = lo; j < hi; j++) {
            if (!bmatch[j] && a[i] == b[j]) {
                amatch[i] = bmatch[j] = true;
                matches++;
                break;
            }
        }
    }
    if (matches == 0) {
        return 0.0;
    }
    size_t half_transpositions = 0;
    size_t k = 0;
    for (size_t i = 0; i < alen; i++) {
        if (!amatch[i]) {
            continue;
        }
        while (!bmatch[k]) {
            k++;
        }
        if (a[i] != b[k]) {
            half_transpositions++;
        }
        k++;
    }
    double m = (double)matches;
    double jaro =
        (m / (double)alen + m / (double)blen + (m - (double)half_transpositions / 2.0) / m) / 3.0;
    if (jaro <= 0.7) {
        return jaro; /* Winkler's boost applies to strings that are already similar */
    }
    size_t prefix = 0;
    while (prefix < 4 && prefix < alen && prefix < blen && a[prefix] == b[prefix]) {
        prefix++;
    }
    return jaro + (double)prefix * 0.1 * (1.0 - jaro);
}

static bool is_vowel(char c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

static bool front_vowel(char c)
{
    return c == 'E' || c == 'I';
}

size_t vg_phonetic_key(const char *token, size_t len, char *out, size_t size)
{
    if (size == 0) {
        return 0;
    }
    for (size_t i = 0; i < len; i++) {
        if (token[i] < 'A' || token[i] > 'Z') {
            out[0] = '\0';
            return 0;
        }
    }
    size_t n = 0;
    char last = '\0';
#define EMIT(ch)                    \
 do {                               \
  char c_ = (ch);                   \
  if (c_ != last && n + 1 < size) { \
   out[n++] = c_;                   \
  }                                 \
  last = c_;                        \
 } while (0)
    for (size_t i = 0; i < len; i++) {
        char c = token[i];
        char next = i + 1 < len ? token[i + 1] : '\0';
        char next2 = i + 2 < len ? token[i + 2] : '\0';
        switch (c) {
        case 'B':
        case 'V':
            EMIT('B');
            break;
        case 'W':
            EMIT('U');
            break;
        case 'C':
            if (front_vowel(next)) {
                EMIT('S');
            } else if (next == 'H') {
                EMIT('X');
                i++;
            } else {
                EMIT('K');
            }
            break;
        case 'S':
            if (next == 'H') {
                EMIT('X');
                i++;
            } else {
                EMIT('S');
            }
            break;
        case 'Z':
            EMIT('S');
            break;
        case 'Q':
            EMIT('K');
            if (next == 'U') {
                i++;
            }
            break;
        case 'K':
            EMIT('K');
            break;
        case 'G':
            /* G and J fold together: soft G is J, and a hard G before E or I loses the U
             * that keeps it hard in writing as often as not (RODRIGES, GILLERMO). */
            EMIT('J');
            if (next == 'U' && front_vowel(next2)) {
                i++;
            } else if (next == 'H') {
                i++;
            }
            break;
        case 'J':
            EMIT('J');
            break;
        case 'H':
            break; /* silent; CH, SH, PH, TH and GH were read with the letter before */
        case 'L':
            if (next == 'L') {
                EMIT('Y');
                i++;
            } else {
                EMIT('L');
            }
            break;
        case 'P':
            if (next == 'H') {
                EMIT('F');
                i++;
            } else {
                EMIT('P');
            }
            break;
        case 'T':
            EMIT('T');
            if (next == 'H') {
                i++;
            }
            break;
        case 'X':
            EMIT('K');
            EMIT('S');
            break;
        case 'Y':
            EMIT(is_vowel(next) ? 'Y' : 'I');
            break;
        default:
            EMIT(c);
            break;
        }
    }
#undef EMIT
    out[n] = '\0';
    return n;
}
