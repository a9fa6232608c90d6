/*
 * The model object and its saved form (vigia/model.h, docs/model.md "The model blob").
 *
 *   "VGMODEL1"                      8 bytes, the format
 *   header length                   4 bytes, little-endian
 *   header                          JSON: kind, trained_until, prior_shift, the encoder
 *                                   (features), the report (metrics), the parameters
 *   booster                         XGBoost's UBJSON model, to the digest
 *   digest                          32 bytes: BLAKE2b-256 of everything before it
 *
 * The version is the trained-until date and the first 12 hex digits of the digest, so the
 * same training gives the same version, and any changed byte is refused at load before
 * XGBoost reads the booster.
 */
#include "model/model_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <vigia/alloc.h>
#include <vigia/audit.h>
#include <vigia/time.h>

static const char magic[8] = { 'V', 'G', 'M', 'O', 'D', 'E', 'L', '1' };
#define BLOB_MIN   (sizeof(magic) + 4 + VG_DIGEST_SIZE)
#define HEADER_MAX (256u << 20)

void vg_model_free(struct vg_model *model)
{
    if (model == NULL) {
        return;
    }
    if (model->booster != NULL) {
        XGBoosterFree(model->booster);
    }
    vg__enc_release(&model->enc);
    vg__shap_free(model->shap);
    json_decref(model->params);
    vg_free(model->col_feature);
    vg_free(model->feat_enc);
    vg_free(model->blob);
    vg_free(model);
}

const struct vg_model_info *vg_model_info(const struct vg_model *model)
{
    return &model->info;
}

const struct vg_feature_schema *vg_model_schema(const struct vg_model *model)
{
    return model->schema;
}

static json_t *header_json(const struct vg_model *m)
{
    int major = 0, minor = 0, patch = 0;
    XGBoostVersion(&major, &minor, &patch);
    char xgb[32];
    snprintf(xgb, sizeof(xgb), "%d.%d.%d", major, minor, patch);
    json_t *features = vg__enc_to_json(&m->enc);
    json_t *metrics = vg__metrics_to_json(&m->info.metrics);
    json_t *params = json_incref(m->params);
    if (features == NULL || metrics == NULL || params == NULL) {
        json_decref(features);
        json_decref(metrics);
        json_decref(params);
        return NULL;
    }
    return json_pack("{s:i, s:s, s:s, s:I, s:f, s:s, s:o, s:o, s:o}", "format", 1, "kind",
                     VG_MODEL_KIND, "xgboost", xgb, "trained_until",
                     (json_int_t)m->info.trained_until, "prior_shift", m->prior_shift, "booster",
                     "ubj", "features", features, "metrics", metrics, "params", params);
}

static enum vg_status build_blob(struct vg_model *m, struct vg_error *err)
{
    json_t *h = header_json(m);
    char *text = h == NULL ? NULL : json_dumps(h, JSON_COMPACT | JSON_SORT_KEYS);
    json_decref(h);
    if (text == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory writing the model header");
    }
    size_t hlen = strlen(text);
    bst_ulong blen = 0;
    const char *booster = NULL;
    if (XGBoosterSaveModelToBuffer(m->booster, "{\"format\":\"ubj\"}", &blen, &booster) != 0) {
        free(text);
        return vg__xgb_error(err, VG_EINVAL, "saving the booster");
    }
    if (hlen > HEADER_MAX) {
        free(text);
        return vg_error_set(err, VG_ELIMIT, "model header of %zu bytes is too large", hlen);
    }
    size_t total = sizeof(magic) + 4 + hlen + (size_t)blen + VG_DIGEST_SIZE;
    uint8_t *b = vg_malloc(total);
    if (b == NULL) {
        free(text);
        return vg_error_set(err, VG_ENOMEM, "out of memory writing the model");
    }
    uint8_t *p = b;
    memcpy(p, magic, sizeof(magic));
    p += sizeof(magic);
    for (int i = 0; i < 4; i++) {
        *p++ = (uint8_t)(hlen >> (8 * i));
    }
    memcpy(p, text, hlen);
    p += hlen;
    memcpy(p, booster, (size_t)blen);
    p += blen;
    vg_digest(b, (size_t)(p - b), p);
    free(text);
    m->blob = b;
    m->blob_len = total;
    return VG_OK;
}

enum vg_status vg__model_finish(struct vg_model *m, struct vg_error *err)
{
    m->col_feature = vg_malloc((m->enc.ncols ? m->enc.ncols : 1) * sizeof(uint32_t));
    m->feat_enc = vg_calloc(m->schema->count ? m->schema->count : 1, sizeof(*m->feat_enc));
    if (m->col_feature == NULL || m->feat_enc == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < m->enc.nf; i++) {
        const struct enc_feature *f = &m->enc.f[i];
        for (uint32_t c = 0; c < f->ncols; c++) {
            m->col_feature[f->column + c] = f->index;
        }
        if (f->index != ENC_ABSENT) {
            m->feat_enc[f->index] = f;
        }
    }
    if (m->blob == NULL) {
        enum vg_status st = build_blob(m, err);
        if (st != VG_OK) {
            return st;
        }
    }
    struct vg_civil c;
    vg_time_to_civil(m->info.trained_until, &c);
    char hex[2 * VG_DIGEST_SIZE + 1];
    vg_digest_hex(m->blob + m->blob_len - VG_DIGEST_SIZE, hex);
    snprintf(m->version, sizeof(m->version), "%04d%02d%02d-%.12s", c.year, c.month, c.day, hex);
    m->info.version = m->version;
    m->info.kind = VG_MODEL_KIND;
    m->info.columns = m->enc.ncols;
    return VG_OK;
}

enum vg_status vg_model_save(const struct vg_model *model, struct vg_buf *out, struct vg_error *err)
{
    if (model == NULL || out == NULL) {
        return vg_error_set(err, VG_EINVAL, "saving needs a model and a buffer");
    }
    enum vg_status st = vg_buf_append(out, model->blob, model->blob_len);
    if (st != VG_OK) {
        return vg_error_set(err, st, "no room for the model blob of %zu bytes", model->blob_len);
    }
    return VG_OK;
}

/* Reads and checks the header fields into m (not the encoder). */
static enum vg_status read_header(struct vg_model *m, const json_t *h, struct vg_error *err)
{
    const json_t *format = json_object_get(h, "format");
    const json_t *kind = json_object_get(h, "kind");
    const json_t *until = json_object_get(h, "trained_until");
    const json_t *shift = json_object_get(h, "prior_shift");
    const json_t *booster = json_object_get(h, "booster");
    if (!json_is_integer(format) || json_integer_value(format) != 1) {
        return vg_error_set(err, VG_EPARSE, "model header: unknown format");
    }
    if (!json_is_string(kind) || strcmp(json_string_value(kind), VG_MODEL_KIND) != 0 ||
        !json_is_string(booster) || strcmp(json_string_value(booster), "ubj") != 0) {
        return vg_error_set(err, VG_EPARSE, "model header: not an xgboost model in ubj");
    }
    if (!json_is_integer(until) || !json_is_number(shift) || !isfinite(json_number_value(shift))) {
        return vg_error_set(err, VG_EPARSE,
                            "model header: expected trained_until and "
                            "prior_shift");
    }
    m->info.trained_until = (int64_t)json_integer_value(until);
    m->prior_shift = json_number_value(shift);
    const json_t *params = json_object_get(h, "params");
    m->params = json_is_object(params) ? json_deep_copy(params) : json_object();
    if (m->params == NULL) {
        return vg_error_set(err, VG_ENOMEM, "out of memory");
    }
    vg__metrics_from_json(json_object_get(h, "metrics"), &m->info.metrics);
    return VG_OK;
}

static enum vg_status
load_booster(struct vg_model *m, const uint8_t *b, size_t len, struct vg_error *err)
{
    if (XGBoosterCreate(NULL, 0, &m->booster) != 0) {
        return vg__xgb_error(err, VG_EINVAL, "creating the booster");
    }
    if (XGBoosterLoadModelFromBuffer(m->booster, b, len) != 0) {
        return vg__xgb_error(err, VG_EPARSE, "reading the booster");
    }
    if (XGBoosterSetParam(m->booster, "verbosity", "0") != 0 ||
        XGBoosterSetParam(m->booster, "nthread", "1") != 0) {
        return vg__xgb_error(err, VG_EINVAL, "setting up the booster");
    }
    bst_ulong nfeat = 0;
    int rounds = 0;
    if (XGBoosterGetNumFeature(m->booster, &nfeat) != 0 ||
        XGBoosterBoostedRounds(m->booster, &rounds) != 0) {
        return vg__xgb_error(err, VG_EPARSE, "reading the booster");
    }
    if ((size_t)nfeat != m->enc.ncols) {
        return vg_error_set(err, VG_EPARSE,
                            "model: the booster reads %lu columns, the encoder writes %zu",
                            (unsigned long)nfeat, m->enc.ncols);
    }
    m->info.rounds = rounds < 0 ? 0 : (unsigned)rounds;
    return VG_OK;
}

enum vg_status vg_model_load(const void *blob,
                             size_t len,
                             const struct vg_feature_schema *schema,
                             struct vg_model **out,
                             struct vg_error *err)
{
    if (out != NULL) {
        *out = NULL;
    }
    if (blob == NULL || schema == NULL || out == NULL) {
        return vg_error_set(err, VG_EINVAL, "loading needs a blob, a schema and out");
    }
    const uint8_t *b = blob;
    if (len < BLOB_MIN || memcmp(b, magic, sizeof(magic)) != 0) {
        return vg_error_set(err, VG_EPARSE, "not a vigia model blob");
    }
    size_t hlen = 0;
    for (int i = 0; i < 4; i++) {
        hlen |= (size_t)b[sizeof(magic) + (size_t)i] << (8 * i);
    }
    if (hlen > len - BLOB_MIN) {
        return vg_error_set(err, VG_EPARSE, "model blob cut off: header of %zu bytes in %zu", hlen,
                            len);
    }
    uint8_t digest[VG_DIGEST_SIZE];
    vg_digest(b, len - VG_DIGEST_SIZE, digest);
    if (memcmp(digest, b + len - VG_DIGEST_SIZE, VG_DIGEST_SIZE) != 0) {
        return vg_error_set(err, VG_EINTEGRITY, "model blob digest mismatch: changed or cut off");
    }
    const uint8_t *htext = b + sizeof(magic) + 4;
    const uint8_t *booster = htext + hlen;
    size_t blen = len - BLOB_MIN - hlen;
    json_error_t jerr;
    json_t *h =
        json_loadb((const char *)htext, hlen, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
    if (!json_is_object(h)) {
        json_decref(h);
        vg_error_at(err, NULL, 0, 0, sizeof(magic) + 4 + (uint64_t)jerr.position, 0);
        return vg_error_set(err, VG_EPARSE, "model header: %s", jerr.text);
    }
    struct vg_model *m = vg_calloc(1, sizeof(*m));
    enum vg_status st = m == NULL ? vg_error_set(err, VG_ENOMEM, "out of memory") : VG_OK;
    if (st == VG_OK) {
        m->schema = schema;
        st = read_header(m, h, err);
    }
    if (st == VG_OK) {
        st = vg__enc_from_json(&m->enc, json_object_get(h, "features"), schema, err);
    }
    json_decref(h);
    if (st == VG_OK) {
        st = load_booster(m, booster, blen, err);
    }
    if (st == VG_OK) {
        m->blob = vg_malloc(len);
        if (m->blob == NULL) {
            st = vg_error_set(err, VG_ENOMEM, "out of memory");
        } else {
            memcpy(m->blob, b, len);
            m->blob_len = len;
            st = vg__model_finish(m, err);
        }
    }
    if (st != VG_OK) {
        vg_model_free(m);
        return st;
    }
    *out = m;
    return VG_OK;
}
