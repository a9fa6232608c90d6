/*
 * Fuzz target: model blobs (vg_model_load) and what a loaded model does with them.
 *
 * A small model is trained once, with a fixed seed, on a five-feature schema. The first
 * input byte picks the mode:
 *   even  the rest is a whole blob, fed as is (framing, digest, cut-offs)
 *   odd   the rest is a model header (JSON): it is framed with the trained model's booster
 *         and a correct digest, so that the header parser and the encoder it describes are
 *         reached past the digest check
 * A blob that loads is used: records with every kind of value (unknown, wrong kind, NaN,
 * strings and list items from a pool) are scored with exact and approximate
 * contributions, explained, checked for novelty and saved again, which must give the
 * same bytes.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/audit.h>
#include <vigia/features.h>
#include <vigia/model.h>
#include <vigia/slice.h>

#define NFEAT 5
#define ROWS  600

static const struct vg_feature_def defs[NFEAT] = {
    { "dwell_hours", VG_FEATURE_NUMBER, "hours", VG_FEED_GATE, "hours from gate-in to loading" },
    { "reefer", VG_FEATURE_BOOL, "", VG_FEED_MANIFEST, "the container is a reefer" },
    { "seal_chain", VG_FEATURE_STRING, "", VG_FEED_GATE, "worst seal relation" },
    { "transhipment_ports", VG_FEATURE_LIST, "", VG_FEED_MANIFEST, "transhipment ports" },
    { "kg_per_package_z", VG_FEATURE_NUMBER, "", VG_FEED_MANIFEST, "robust z-score" },
};
static const struct vg_feature_schema schema = { defs, NFEAT };

static const struct vg_slice pool[] = {
    { "same", 4 },  { "one_off", 7 }, { "different", 9 }, { "PAMIT", 5 }, { "COCTG", 5 },
    { "ECGYE", 5 }, { "", 0 },        { "\xff\xfe", 2 },  { "other", 5 },
};
#define POOL_N (sizeof(pool) / sizeof(pool[0]))

/* The trained model's blob, made once. */
static struct vg_buf trained;

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

static void train_once(void)
{
    static struct vg_value rec[ROWS * NFEAT];
    static struct vg_slice items[ROWS * 2];
    static struct vg_model_example ex[ROWS];
    for (size_t i = 0; i < ROWS; i++) {
        uint64_t r = mix(i + 1);
        struct vg_value *v = rec + i * NFEAT;
        bool risky = (r & 15) == 0;
        v[0] = (r >> 8 & 7) == 0 ? vg_value_unknown(VG_SLICE_EMPTY)
                                 : vg_value_number((double)(r >> 16 & 255));
        v[1] = vg_value_bool(r >> 24 & 1);
        v[2] = vg_value_string(pool[risky ? 2 : (r >> 25 & 1)]);
        items[i * 2] = pool[3 + (r >> 26 & 1)];
        items[i * 2 + 1] = pool[5];
        v[3] = vg_value_list(items + i * 2, risky ? 2 : (r >> 27 & 1));
        v[4] = vg_value_number(risky ? 4.0 : (double)(r >> 28 & 3) - 1.5);
        ex[i] = (struct vg_model_example){ v, 1767225600 + (int64_t)i * 3600,
                                           risky && (r >> 40 & 3) != 0,
                                           (r >> 42 & 7) == 0 ? VG_MODEL_RANDOM : VG_MODEL_TARGETED,
                                           0 };
    }
    struct vg_model_options o;
    vg_model_options_default(&o);
    o.max_rounds = 5;
    o.min_category_rows = 3;
    struct vg_model *m = NULL;
    struct vg_error err;
    vg_buf_init(&trained, 0);
    if (vg_model_train(&schema, ex, ROWS, &o, &m, NULL, &err) != VG_OK ||
        vg_model_save(m, &trained, &err) != VG_OK) {
        abort();
    }
    vg_model_free(m);
}

/* Values for one record from the input bytes. */
static void make_record(const uint8_t *p, size_t n, struct vg_value *v, struct vg_slice *items)
{
    for (size_t f = 0; f < NFEAT; f++) {
        uint8_t b = n > 0 ? p[f % n] : 0;
        switch (b & 7) {
        case 0:
            v[f] = vg_value_unknown(VG_SLICE_EMPTY);
            break;
        case 1:
            v[f] = vg_value_number(b & 8 ? NAN : (double)(int8_t)b * 1e30);
            break;
        case 2:
            v[f] = vg_value_bool(b & 8);
            break;
        case 3:
            v[f] = vg_value_string(pool[(b >> 3) % POOL_N]);
            break;
        case 4:
            items[f * 2] = pool[(b >> 3) % POOL_N];
            items[f * 2 + 1] = pool[(b >> 4) % POOL_N];
            v[f] = vg_value_list(items + f * 2, b & 8 ? 2 : 0);
            break;
        default:
            v[f] = vg_value_number((double)b - 100);
            break;
        }
    }
}

static void use(struct vg_model *m, const uint8_t *data, size_t size)
{
    struct vg_value rec[3 * NFEAT];
    struct vg_slice items[3 * NFEAT * 2];
    for (size_t r = 0; r < 3; r++) {
        make_record(data + (size > r * 7 ? r * 7 : 0), size > r * 7 ? size - r * 7 : 0,
                    rec + r * NFEAT, items + r * NFEAT * 2);
    }
    double s[3];
    float c[3 * (NFEAT + 1)];
    struct vg_error err;
    for (int how = VG_MODEL_CONTRIB_NONE; how <= VG_MODEL_CONTRIB_APPROX; how++) {
        if (vg_model_predict(m, rec, 3, s, (enum vg_model_contrib)how, c, &err) == VG_OK) {
            for (size_t r = 0; r < 3; r++) {
                if (!(s[r] >= 0 && s[r] <= 1)) {
                    abort();
                }
            }
        }
    }
    struct vg_model_reason top[NFEAT];
    size_t k = vg_model_top(m, c, NFEAT, 0, false, top);
    struct vg_buf b;
    vg_buf_init(&b, 1 << 16);
    for (uint32_t f = 0; f < NFEAT; f++) {
        enum vg_status st = vg_model_explain(m, rec, f, f < k ? top[f].contribution : -0.5, &b);
        if (st != VG_OK && st != VG_ELIMIT) {
            abort();
        }
    }
    vg_buf_release(&b);
    uint32_t nov[NFEAT];
    if (vg_model_novelty(m, rec, nov, NFEAT) > NFEAT) {
        abort();
    }
    struct vg_buf again;
    vg_buf_init(&again, 0);
    if (vg_model_save(m, &again, &err) != VG_OK) {
        abort();
    }
    vg_buf_release(&again);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (trained.data == NULL) {
        train_once();
    }
    if (size == 0) {
        return 0;
    }
    const uint8_t *blob = data + 1;
    size_t len = size - 1;
    uint8_t *framed = NULL;
    if (data[0] & 1) {
        /* header from the input, booster from the trained blob, correct digest */
        const uint8_t *t = (const uint8_t *)trained.data;
        size_t hlen = (size_t)t[8] | (size_t)t[9] << 8 | (size_t)t[10] << 16 | (size_t)t[11] << 24;
        const uint8_t *booster = t + 12 + hlen;
        size_t blen = trained.len - 12 - hlen - VG_DIGEST_SIZE;
        len = 12 + (size - 1) + blen + VG_DIGEST_SIZE;
        framed = malloc(len);
        if (framed == NULL) {
            return 0;
        }
        memcpy(framed, t, 8);
        size_t h = size - 1;
        for (int i = 0; i < 4; i++) {
            framed[8 + i] = (uint8_t)(h >> (8 * i));
        }
        memcpy(framed + 12, data + 1, h);
        memcpy(framed + 12 + h, booster, blen);
        vg_digest(framed, len - VG_DIGEST_SIZE, framed + len - VG_DIGEST_SIZE);
        blob = framed;
    }
    struct vg_model *m = NULL;
    struct vg_error err;
    if (vg_model_load(blob, len, &schema, &m, &err) == VG_OK) {
        use(m, data, size);
        vg_model_free(m);
    } else if (m != NULL) {
        abort();
    }
    free(framed);
    return 0;
}
