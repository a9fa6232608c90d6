/* Party resolution without a RUC (src/ingest/name_key.c): names and addresses written
 * differently by different senders (accents, case, legal forms, "SURNAMES, Given") resolve
 * to one party and one address; distinct names stay distinct; and migration 11 recomputes
 * the keys of a store written before, so that the next ingest meets them. */
#include "ingest/ingest_int.h"
#include "store/store_int.h"
#include "vg_targeting.h"
#include "vg_test.h"

#include <sqlite3.h>
#include <vigia/ingest.h>
#include <vigia/store.h>

/* One manifest CSV row per B/L: shipper name, address, city, country; container number. */
static void ingest_rows(struct vg_store *store, const char *name, const char *rows)
{
    char csv[4096];
    snprintf(csv, sizeof(csv),
             "bill_of_lading,port_of_loading,container,shipper_name,shipper_address,"
             "shipper_city,shipper_country\n%s",
             rows);
    struct vg_ingest_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_ingest_buffer(store, name, csv, strlen(csv), NULL, &r, &e), VG_OK, &e);
    assert_int_equal(r.rejected, 0);
}

static int parties_named(struct vg_store *store, const char *key)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM parties WHERE name_key = '%s'", key);
    return (int)vg_tt_int(store, sql);
}

static void test_ingest_party_keys__spellings_of_one_name_resolve_to_one_party(void **state)
{
    (void)state;
    struct vg_store *store = vg_tt_empty("spellings.db");
    ingest_rows(store, "a.csv",
                "BL1,PECLL,MSCU1234565,Agro Perú S.A.C.,Av. Argentina 3093,Callao,PE\n"
                "BL2,PECLL,MSCU1234570,AGRO PERU SAC,AV ARGENTINA 3093,CALLAO,PE\n"
                "BL3,PECLL,MSCU1234586,agro peru,\"Av. Argentina, 3093\",Callao,PE\n"
                "BL4,PECLL,TGHU1234560,\"GARCIA PEREZ, Juan\",Jr. Ica 123,Lima,PE\n"
                "BL5,PECLL,TGHU1234575,Juan García Pérez,JR ICA 123,LIMA,PE\n"
                "BL6,PECLL,TGHU1234581,Agro Peruana SAC,Av. Argentina 3093,Callao,PE\n"
                "BL7,PECLL,TGHU1234597,Café Ñandú E.I.R.L.,Calle 1,Bogota,CO\n"
                "BL8,PECLL,TGHU1234602,CAFE NANDU EIRL,CALLE 1,BOGOTA,CO\n");
    assert_int_equal(parties_named(store, "AGRO PERU"), 1);
    assert_int_equal(parties_named(store, "JUAN GARCIA PEREZ"), 1);
    assert_int_equal(parties_named(store, "AGRO PERUANA"), 1);
    assert_int_equal(parties_named(store, "CAFE NANDU"), 1);
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM parties"), 4);
    /* The three spellings of Agro Perú's address are one address; the country code CO
     * is kept in Café Ñandú's (it is not read as a legal form). */
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM party_addresses a JOIN parties p ON"
                                      " p.id = a.party_id WHERE p.name_key = 'AGRO PERU'"),
                     1);
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM party_addresses"
                                      " WHERE address_key = 'CALLE 1 BOGOTA CO'"),
                     1);
    /* Each consignment names its shipper's party. */
    assert_int_equal(vg_tt_int(store, "SELECT count(DISTINCT party_id) FROM consignment_parties"),
                     4);
    vg_store_close(store);
}

static void test_ingest_party_keys__migration_recomputes_stored_keys(void **state)
{
    (void)state;
    const char *path = vg_test_tmpfile("migrate.db");
    struct vg_store_options o = { .create = true, .actor = "tester" };
    struct vg_store *store = NULL;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_store_open(path, &o, &store, &e), VG_OK, &e);
    /* Keys as the ingest's own normaliser wrote them before migration 11. */
    assert_status(vg__store_exec(store,
                                 "INSERT INTO parties(id, name, name_key, country, created_at)"
                                 " VALUES(1, 'Agro Perú S.A.C.', 'AGRO PERú', 'PE', 0),"
                                 " (2, '(unnamed)', '', 'PE', 0),"
                                 " (3, 'GARCIA PEREZ, Juan', 'GARCIA PEREZ JUAN', 'PE', 0);"
                                 "INSERT INTO party_addresses(party_id, address, city, country,"
                                 " address_key) VALUES"
                                 " (1, 'Av. Argentina 3093', 'Callao', 'PE', 'AV ARGENTINA 3093"
                                 " CALLAO PE'),"
                                 " (1, 'AV. ARGENTINA, 3093', 'CALLAO', 'PE', 'AV ARGENTINA 3093"
                                 " CALLAO PE x'),"
                                 " (3, 'Calle 1', 'Bogota', 'CO', 'CALLE 1 BOGOTA');"
                                 "PRAGMA user_version = 10;",
                                 &e),
                  VG_OK, &e);
    vg_store_close(store);
    assert_status(vg_store_open(path, &o, &store, &e), VG_OK, &e);
    assert_int_equal(vg_store_schema_version(store), vg_store_schema_latest());
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM parties WHERE id = 1 AND"
                                      " name_key = 'AGRO PERU'"),
                     1);
    assert_int_equal(
        vg_tt_int(store, "SELECT count(*) FROM parties WHERE id = 2 AND name_key = ''"), 1);
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM parties WHERE id = 3 AND"
                                      " name_key = 'JUAN GARCIA PEREZ'"),
                     1);
    /* Party 1's two addresses are now one. */
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM party_addresses WHERE party_id = 1"),
                     1);
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM party_addresses WHERE party_id = 3 AND"
                                      " address_key = 'CALLE 1 BOGOTA CO'"),
                     1);
    /* The next ingest of the same party finds it. */
    ingest_rows(store, "b.csv",
                "BL9,PECLL,MSCU1234565,AGRO PERU SAC,AV ARGENTINA 3093,CALLAO,PE\n");
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM parties WHERE name_key = 'AGRO PERU'"),
                     1);
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM party_addresses WHERE party_id = 1"),
                     1);
    /* The key function is the one the SQL migration calls. */
    char key[ING_KEY_SIZE];
    vg__ing_name_key("Agro Perú S.A.C.", key, sizeof(key));
    assert_string_equal(key, "AGRO PERU");
    vg__ing_name_key(NULL, key, sizeof(key));
    assert_string_equal(key, "");
    vg_store_close(store);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ingest_party_keys__spellings_of_one_name_resolve_to_one_party),
    cmocka_unit_test(test_ingest_party_keys__migration_recomputes_stored_keys),
};

VG_TEST_MAIN(tests)
