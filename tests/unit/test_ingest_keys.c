/* Resolution by keys of names (src/ingest/name_key.c, store/name_fn.c): parties without a
 * RUC, their addresses and vessels known only by their name, written differently by
 * different senders (accents, case, legal forms, "SURNAMES, Given", "M/V"), resolve to one
 * record; distinct names stay distinct; a renamed vessel is found by each of its names;
 * and migrations 11 to 14 recompute the keys of a store written before (14: those of
 * watch-list vessels), so that the next ingest and screening meet them. */
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

static void test_ingest_keys__spellings_of_one_name_resolve_to_one_party(void **state)
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

static void test_ingest_keys__migration_recomputes_stored_keys(void **state)
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
                                 "INSERT INTO vessels(id, name, created_at) VALUES"
                                 " (1, 'M/V Río Amazonas', 0);"
                                 "INSERT INTO vessel_identities(vessel_id, name, source)"
                                 " VALUES(1, 'M/V Río Amazonas', 'manifest'),"
                                 " (1, 'MN RIO NAPO', 'manifest');"
                                 "INSERT INTO watchlists(id, name) VALUES(1, 'wl');"
                                 "INSERT INTO watchlist_entries(id, watchlist_id, name, type,"
                                 " entry_digest, added_at) VALUES"
                                 " (1, 1, 'M/V SEA STAR', 'vessel', x'00', 0),"
                                 " (2, 1, 'MT SERVICES SAC', 'organization', x'01', 0),"
                                 " (3, 1, 'SL-12345', 'seal', x'02', 0);"
                                 "INSERT INTO watchlist_names(entry_id, name, name_key, is_alias)"
                                 " VALUES(1, 'M/V SEA STAR', 'M V SEA STAR', 0),"
                                 " (2, 'MT SERVICES SAC', 'MT SERVICES', 0),"
                                 " (3, 'SL-12345', 'SL12345', 0);"
                                 "INSERT INTO watchlist_dismissals(entry_id, entry_digest,"
                                 " subject_kind, subject_key, reason, requested_by,"
                                 " requested_at, status) VALUES(1, x'00', 'vessel',"
                                 " 'MV SEA STAR', 'another ship', 'a', 0, 'approved');"
                                 "DROP INDEX vessels_name_key;"
                                 "ALTER TABLE vessels DROP COLUMN name_key;"
                                 "DROP INDEX vessel_identities_name_key;"
                                 "ALTER TABLE vessel_identities DROP COLUMN name_key;"
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
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM vessels WHERE id = 1 AND"
                                      " name_key = 'RIO AMAZONAS'"),
                     1);
    assert_int_equal(vg_tt_int(store,
                               "SELECT count(*) FROM vessel_identities WHERE"
                               " vessel_id = 1 AND name_key IN ('RIO AMAZONAS', 'RIO NAPO')"),
                     2);
    /* Watch-list vessels and their dismissals keyed without the type designation; other
     * entries untouched (migration 14). */
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM watchlist_names WHERE"
                                      " name_key IN ('SEA STAR', 'MT SERVICES')"),
                     2);
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM watchlist_dismissals WHERE"
                                      " subject_key = 'SEA STAR'"),
                     1);
    /* A seal stays keyed by its compact identifier, as the screening keys it. */
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM watchlist_names WHERE entry_id = 3"
                                      " AND name_key = 'SL12345'"),
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

/* Events CSV rows loading containers onto vessels named in several ways. */
static void ingest_loads(struct vg_store *store, const char *name, const char *rows)
{
    char csv[4096];
    snprintf(csv, sizeof(csv), "container,event,time,port,vessel_name,vessel_imo,voyage\n%s", rows);
    struct vg_ingest_report r;
    struct vg_error e;
    vg_error_clear(&e);
    assert_status(vg_ingest_buffer(store, name, csv, strlen(csv), NULL, &r, &e), VG_OK, &e);
    assert_int_equal(r.rejected, 0);
}

static void test_ingest_keys__vessels_known_by_name_resolve_by_its_key(void **state)
{
    (void)state;
    struct vg_store *store = vg_tt_empty("vessels.db");
    /* A vessel sent with its IMO first, then by name alone in other spellings. */
    ingest_loads(store, "imo.csv",
                 "MSCU1234565,load,2024-05-03T10:00,PECLL,MSC ANNA,9074729,FA1\n");
    ingest_loads(store, "names.csv",
                 "MSCU1234570,load,2024-05-03T11:00,PECLL,M/V MSC Anna,,FA1\n"
                 "MSCU1234586,load,2024-05-03T12:00,PECLL,msc anna.,,FA1\n"
                 "TGHU1234560,load,2024-06-01T08:00,PEIQT,B/M Amazonas I,,R7\n"
                 "TGHU1234575,load,2024-06-01T09:00,PEIQT,BM AMAZONAS I,,R7\n"
                 "TGHU1234581,load,2024-06-01T10:00,PEIQT,Amazonas II,,R8\n"
                 "TGHU1234597,load,2024-06-01T11:00,PEIQT,M/N Río Napo,,R9\n"
                 "TGHU1234602,load,2024-06-01T12:00,PEIQT,RIO NAPO,,R9\n");
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM vessels"), 4);
    assert_int_equal(vg_tt_int(store, "SELECT count(DISTINCT vessel_id) FROM equipment_events"
                                      " WHERE place = 'PECLL'"),
                     1);
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM equipment_events e JOIN vessels v ON"
                                      " v.id = e.vessel_id WHERE v.imo = 9074729"),
                     3);
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM vessels WHERE name_key IN"
                                      " ('AMAZONAS I', 'AMAZONAS II', 'RIO NAPO', 'MSC ANNA')"),
                     4);
    /* A vessel first sent by IMO alone takes the key of the name it is later sent under,
     * and is then found by that name. */
    ingest_loads(store, "later.csv",
                 "CSQU3054383,load,2024-06-02T08:00,PEPAI,,9321483,S1\n"
                 "MSCU1000017,load,2024-06-02T09:00,PEPAI,Mar del Sur,9321483,S1\n"
                 "MSCU1000022,load,2024-06-02T10:00,PEPAI,M/V MAR DEL SUR,,S1\n");
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM vessels WHERE imo = 9321483 AND"
                                      " name = 'Mar del Sur' AND name_key = 'MAR SUR'"),
                     1);
    assert_int_equal(vg_tt_int(store, "SELECT count(DISTINCT vessel_id) FROM equipment_events"
                                      " WHERE place = 'PEPAI'"),
                     1);
    /* Each spelling is kept as an identity of its vessel. */
    assert_int_equal(vg_tt_int(store, "SELECT count(*) FROM vessel_identities i JOIN vessels v ON"
                                      " v.id = i.vessel_id WHERE v.imo = 9074729"),
                     3);
    vg_store_close(store);
}

/* Rows of a vessel renamed, and of its old name passing to another vessel: a vessel sent by
 * name alone is the one with an IMO that was last seen under that name. */
static const char renamed_rows[] = "MSCU1234565,load,2024-05-03T10:00,PECLL,MSC ANNA,9074729,FA1\n"
                                   "MSCU1234570,load,2024-07-01T10:00,PECLL,MSC Bella,9074729,FB1\n"
                                   "MSCU1234586,load,2024-07-02T10:00,PECLL,M/V MSC BELLA,,FB1\n"
                                   "TGHU1234560,load,2024-07-03T10:00,PECLL,msc anna,,FA2\n"
                                   "TGHU1234575,load,2024-08-01T10:00,PECLL,MSC ANNA,9321483,FC1\n"
                                   "TGHU1234581,load,2024-08-02T10:00,PECLL,MSC Anna,,FC1\n";

static int64_t vessel_imo_of(struct vg_store *store, const char *container)
{
    char sql[256];
    snprintf(sql, sizeof(sql),
             "SELECT coalesce(v.imo, -v.id) FROM equipment_events e JOIN containers c ON"
             " c.id = e.container_id JOIN vessels v ON v.id = e.vessel_id WHERE c.number = '%s'",
             container);
    return vg_tt_int(store, sql);
}

static void test_ingest_keys__renamed_vessel_is_found_by_each_name(void **state)
{
    (void)state;
    /* One run with every row, and one run per row (as a run resumed after each): the same
     * vessel for each row. */
    struct vg_store *one = vg_tt_empty("renamed_one.db");
    struct vg_store *each = vg_tt_empty("renamed_each.db");
    ingest_loads(one, "all.csv", renamed_rows);
    const char *row = renamed_rows;
    for (int i = 0; *row != '\0'; i++) {
        const char *eol = strchr(row, '\n');
        char line[256], name[32];
        snprintf(line, sizeof(line), "%.*s\n", (int)(eol - row), row);
        snprintf(name, sizeof(name), "row%d.csv", i);
        ingest_loads(each, name, line);
        row = eol + 1;
    }
    struct vg_store *stores[] = { one, each };
    for (size_t i = 0; i < 2; i++) {
        struct vg_store *s = stores[i];
        assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM vessels"), 2);
        /* Renamed: its new name finds it though its first name is another. */
        assert_int_equal(vessel_imo_of(s, "MSCU1234586"), 9074729);
        /* Its old name, sent alone before another vessel took it, is still it... */
        assert_int_equal(vessel_imo_of(s, "TGHU1234560"), 9074729);
        /* ...and after, the vessel that took it. */
        assert_int_equal(vessel_imo_of(s, "TGHU1234581"), 9321483);
        assert_int_equal(vg_tt_int(s, "SELECT count(*) FROM vessel_identities WHERE"
                                      " name_key = 'MSC BELLA'"),
                         2);
    }
    vg_store_close(one);
    vg_store_close(each);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_ingest_keys__renamed_vessel_is_found_by_each_name),
    cmocka_unit_test(test_ingest_keys__vessels_known_by_name_resolve_by_its_key),
    cmocka_unit_test(test_ingest_keys__spellings_of_one_name_resolve_to_one_party),
    cmocka_unit_test(test_ingest_keys__migration_recomputes_stored_keys),
};

VG_TEST_MAIN(tests)
