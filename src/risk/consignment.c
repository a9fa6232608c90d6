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

/* Features whose value is the same for every container of the trip's bill on its call. */
static const uint16_t consignment_features[] = {
    VG_F_PORT,
    VG_F_DIRECTION,
    VG_F_CARRIER,
    VG_F_PLACE_OF_RECEIPT,
    VG_F_RECEIPT_REGION,
    VG_F_DISCHARGE_PORT,
    VG_F_DESTINATION_COUNTRY,
    VG_F_TRANSHIPMENT_PORTS,
    VG_F_TRANSHIPMENT_COUNTRIES,
    VG_F_TRANSHIPMENT_COUNT,
    VG_F_ORIGIN_PORT,
    VG_F_CONSIGNEE_COUNTRY,
    VG_F_CONSIGNEE_COUNTRY_MISMATCH,
    VG_F_HS_CODE,
    VG_F_COMMODITY_GROUP,
    VG_F_REEFER,
    VG_F_GOODS_DESCRIPTION_VAGUE,
    VG_F_KG_PER_PACKAGE,
    VG_F_KG_PER_PACKAGE_Z,
    VG_F_VALUE_PER_KG,
    VG_F_VALUE_PER_KG_RATIO,
    VG_F_SHIPPER_IS_NEW,
    VG_F_SHIPPER_SHIPMENTS,
    VG_F_SHIPPER_DAYS_SINCE_FIRST,
    VG_F_SHIPPER_NEW_PRODUCT,
    VG_F_SHIPPER_NEW_DESTINATION,
    VG_F_SHIPPER_REGISTERED_DAYS,
    VG_F_SHIPPER_ACTIVITY_MISMATCH,
    VG_F_SHIPPER_UNKNOWN_BEHIND_NVOCC,
    VG_F_SHIPPER_NAME_ACTIVITY_MISMATCH,
    VG_F_SHIPPER_NEW_SHARE,
    VG_F_CONSIGNEE_IS_NEW,
    VG_F_CONSIGNEE_SHIPMENTS,
    VG_F_CONSIGNEE_DAYS_SINCE_FIRST,
    VG_F_CONSIGNEE_NEW_PRODUCT,
    VG_F_CONSIGNEE_NEW_CONTACT,
    VG_F_CONSIGNEE_IS_CARRIER,
    VG_F_CONSIGNEE_NEW_DELIVERY_COUNTRY,
    VG_F_CONSIGNEE_NEW_SHARE,
    VG_F_FREIGHT_PREPAID,
    VG_F_DELIVERY_REDIRECTED,
    VG_F_FORWARDER_PRIOR_POSITIVES,
    VG_F_FORWARDER_HIT_RATE_RATIO,
    VG_F_PRIOR_SEIZURE_PARTY,
    VG_F_PRIOR_SEIZURE_ADDRESS,
    VG_F_PRIOR_SEIZURE_FORWARDER,
    VG_F_PRIOR_SEIZURE_MATCH,
    VG_F_PRIOR_SEIZURE_DAYS,
    VG_F_PRIOR_SEIZURE_IN_GOODS,
    VG_F_PRIOR_SEIZURE_SHARE,
    VG_F_FILING_LEAD_HOURS,
    VG_F_MANIFEST_AMENDMENTS,
    VG_F_HOUSE_MASTER_INCONSISTENT,
    VG_F_BILL_CONTAINERS,
    VG_F_ROUTE_SHARE,
    VG_F_WATCHLIST_PARTY_SCORE,
    VG_F_WATCHLIST_PARTY_SHIPMENTS,
};

bool rk_feature_of_consignment(uint32_t feature, const struct vg_value *value)
{
    /* No identifier on a watch list is what every box of the bill reads unless its own
     * number is listed (then it matches, and that match is the box's own evidence): the
     * name rules read it to leave an identifier match to WL-01. */
    if (feature == VG_F_WATCHLIST_IDENTIFIER_MATCH) {
        return value != NULL && value->kind == VG_VALUE_BOOL && !value->as.boolean;
    }
    for (size_t i = 0; i < sizeof(consignment_features) / sizeof(consignment_features[0]); i++) {
        if (consignment_features[i] == feature) {
            return true;
        }
    }
    return false;
}

double rk_consignment_discount(double containers, double shared_points)
{
    if (!(containers >= 2) || !(shared_points > 0)) {
        return 0;
    }
    return fmin(shared_points, VG_RISK_MODEL_WEIGHT * log10(containers));
}
