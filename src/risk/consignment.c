/*
 * Evidence shared by the containers of one consignment (docs/scoring.md, "Consignment
 * evidence").
 *
 * Much of what vigia knows describes a bill of lading, not a box: its parties, their
 * history and links, the goods, the route, the documents. Every container the bill lists
 * shows the same signs. A trafficking consignment rarely carries drugs in all of its
 * boxes, so a sign that raises the odds of the consignment k-fold raises those of each of
 * its n boxes about k/n-fold: a watch-listed consignee's 36-box bill is one suspicion,
 * not 36. The score therefore counts the points of the rules that rest on consignment
 * features alone less 10 x log10(n) (the scale of the rule weights), never below zero;
 * evidence about the box itself (seals, weights, moves, its own history), the vessel and
 * a watch-list identifier match is never shared out.
 */
#include "risk/risk_int.h"

#include <math.h>

/* The scale of the rule weights: points per tenfold likelihood ratio (rules/default.rules). */
#define POINTS_PER_TENFOLD 10.0

/* Features whose value is the same for every container of the trip's bill on its call. */
static const bool consignment_feature[VG_F_COUNT] = {
    [VG_F_PORT] = true,
    [VG_F_DIRECTION] = true,
    [VG_F_CARRIER] = true,
    [VG_F_PLACE_OF_RECEIPT] = true,
    [VG_F_RECEIPT_REGION] = true,
    [VG_F_DISCHARGE_PORT] = true,
    [VG_F_DESTINATION_COUNTRY] = true,
    [VG_F_TRANSHIPMENT_PORTS] = true,
    [VG_F_TRANSHIPMENT_COUNTRIES] = true,
    [VG_F_TRANSHIPMENT_COUNT] = true,
    [VG_F_ORIGIN_PORT] = true,
    [VG_F_CONSIGNEE_COUNTRY] = true,
    [VG_F_CONSIGNEE_COUNTRY_MISMATCH] = true,
    [VG_F_HS_CODE] = true,
    [VG_F_COMMODITY_GROUP] = true,
    [VG_F_REEFER] = true,
    [VG_F_GOODS_DESCRIPTION_VAGUE] = true,
    [VG_F_KG_PER_PACKAGE] = true,
    [VG_F_KG_PER_PACKAGE_Z] = true,
    [VG_F_VALUE_PER_KG] = true,
    [VG_F_VALUE_PER_KG_RATIO] = true,
    [VG_F_SHIPPER_IS_NEW] = true,
    [VG_F_SHIPPER_SHIPMENTS] = true,
    [VG_F_SHIPPER_DAYS_SINCE_FIRST] = true,
    [VG_F_SHIPPER_NEW_PRODUCT] = true,
    [VG_F_SHIPPER_NEW_DESTINATION] = true,
    [VG_F_SHIPPER_REGISTERED_DAYS] = true,
    [VG_F_SHIPPER_ACTIVITY_MISMATCH] = true,
    [VG_F_SHIPPER_UNKNOWN_BEHIND_NVOCC] = true,
    [VG_F_SHIPPER_NAME_ACTIVITY_MISMATCH] = true,
    [VG_F_SHIPPER_NEW_SHARE] = true,
    [VG_F_CONSIGNEE_IS_NEW] = true,
    [VG_F_CONSIGNEE_SHIPMENTS] = true,
    [VG_F_CONSIGNEE_DAYS_SINCE_FIRST] = true,
    [VG_F_CONSIGNEE_NEW_PRODUCT] = true,
    [VG_F_CONSIGNEE_NEW_CONTACT] = true,
    [VG_F_CONSIGNEE_IS_CARRIER] = true,
    [VG_F_CONSIGNEE_NEW_DELIVERY_COUNTRY] = true,
    [VG_F_CONSIGNEE_NEW_SHARE] = true,
    [VG_F_FREIGHT_PREPAID] = true,
    [VG_F_DELIVERY_REDIRECTED] = true,
    [VG_F_FORWARDER_PRIOR_POSITIVES] = true,
    [VG_F_FORWARDER_HIT_RATE_RATIO] = true,
    [VG_F_PRIOR_SEIZURE_PARTY] = true,
    [VG_F_PRIOR_SEIZURE_ADDRESS] = true,
    [VG_F_PRIOR_SEIZURE_FORWARDER] = true,
    [VG_F_PRIOR_SEIZURE_MATCH] = true,
    [VG_F_PRIOR_SEIZURE_DAYS] = true,
    [VG_F_PRIOR_SEIZURE_IN_GOODS] = true,
    [VG_F_PRIOR_SEIZURE_SHARE] = true,
    [VG_F_FILING_LEAD_HOURS] = true,
    [VG_F_MANIFEST_AMENDMENTS] = true,
    [VG_F_HOUSE_MASTER_INCONSISTENT] = true,
    [VG_F_BILL_CONTAINERS] = true,
    [VG_F_ROUTE_SHARE] = true,
    [VG_F_WATCHLIST_PARTY_SCORE] = true,
    [VG_F_WATCHLIST_PARTY_SHIPMENTS] = true,
};

bool rk_feature_of_consignment(uint32_t feature, const struct vg_value *value)
{
    /* No identifier on a watch list is what every box of the bill reads unless its own
     * number is listed (then it matches, and that match is the box's own evidence): the
     * name rules read it to leave an identifier match to WL-01. */
    if (feature == VG_F_WATCHLIST_IDENTIFIER_MATCH) {
        return value != NULL && value->kind == VG_VALUE_BOOL && !value->as.boolean;
    }
    return feature < VG_F_COUNT && consignment_feature[feature];
}

double rk_consignment_discount(double containers, double shared_points)
{
    if (!(containers >= 2) || !(shared_points > 0)) {
        return 0;
    }
    return fmin(shared_points, POINTS_PER_TENFOLD * log10(containers));
}
