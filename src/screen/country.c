/*
 * Countries (vigia/screen.h): ISO 3166-1 alpha-2 codes with their English short names and
 * the spellings the OFAC lists use ("Korea, North", "Burma", "Cote d Ivoire", "Region:
 * Gaza"). Names are looked up by a compact key - the name's match tokens without
 * particles, run together ("Bosnia and Herzegovina" -> BOSNIAHERZEGOVINA) - so that case,
 * accents, punctuation and "and"/"of" do not matter. Kosovo is XK (user-assigned, as the
 * EU and OFAC use it); Netherlands Antilles keeps its withdrawn code AN, which old records
 * still carry.
 */
#include "screen/screen_int.h"

#include <string.h>

/* ISO 3166-1 alpha-2 codes, sorted (the code list of record). */
static const char *const codes[] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AN", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX",
    "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR",
    "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM",
    "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC",
    "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE",
    "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK",
    "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE",
    "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB",
    "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH",
    "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ",
    "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF",
    "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU",
    "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR",
    "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN",
    "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG",
    "VI", "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
};

/* Compact name keys, sorted, and the code of each (same index). */
static const char *const name_keys[] = {
    "AFGHANISTAN",
    "ALANDISLANDS",
    "ALBANIA",
    "ALGERIA",
    "AMERICANSAMOA",
    "ANDORRA",
    "ANGOLA",
    "ANGUILLA",
    "ANTARCTICA",
    "ANTIGUABARBUDA",
    "ARGENTINA",
    "ARMENIA",
    "ARUBA",
    "AUSTRALIA",
    "AUSTRIA",
    "AZERBAIJAN",
    "BAHAMAS",
    "BAHRAIN",
    "BANGLADESH",
    "BARBADOS",
    "BELARUS",
    "BELGIUM",
    "BELIZE",
    "BENIN",
    "BERMUDA",
    "BHUTAN",
    "BOLIVIA",
    "BONAIRESINTEUSTATIUSSABA",
    "BOSNIAHERZEGOVINA",
    "BOTSWANA",
    "BOUVETISLAND",
    "BRASIL",
    "BRAZIL",
    "BRITAIN",
    "BRITISHINDIANOCEANTERRITORY",
    "BRITISHVIRGINISLANDS",
    "BRUNEI",
    "BRUNEIDARUSSALAM",
    "BULGARIA",
    "BURKINAFASO",
    "BURMA",
    "BURUNDI",
    "CABOVERDE",
    "CAMBODIA",
    "CAMEROON",
    "CANADA",
    "CAPEVERDE",
    "CARIBBEANNETHERLANDS",
    "CAYMANISLANDS",
    "CENTRALAFRICANREPUBLIC",
    "CHAD",
    "CHILE",
    "CHINA",
    "CHRISTMASISLAND",
    "COCOSISLANDS",
    "COCOSKEELINGISLANDS",
    "COLOMBIA",
    "COMOROS",
    "CONGO",
    "CONGOBRAZZAVILLE",
    "CONGODEMOCRATICREPUBLIC",
    "CONGOKINSHASA",
    "CONGOREPUBLIC",
    "COOKISLANDS",
    "COSTARICA",
    "COTEDIVOIRE",
    "CROATIA",
    "CUBA",
    "CURACAO",
    "CYPRUS",
    "CZECHIA",
    "CZECHREPUBLIC",
    "DEMOCRATICPEOPLESREPUBLICKOREA",
    "DEMOCRATICREPUBLICCONGO",
    "DENMARK",
    "DEUTSCHLAND",
    "DJIBOUTI",
    "DOMINICA",
    "DOMINICANREPUBLIC",
    "DRCONGO",
    "EASTTIMOR",
    "ECUADOR",
    "EGYPT",
    "EQUATORIALGUINEA",
    "ERITREA",
    "ESPANA",
    "ESTONIA",
    "ESWATINI",
    "ETHIOPIA",
    "FALKLANDISLANDS",
    "FALKLANDISLANDSISLASMALVINAS",
    "FAROEISLANDS",
    "FIJI",
    "FINLAND",
    "FRANCE",
    "FRENCHGUIANA",
    "FRENCHPOLYNESIA",
    "FRENCHSOUTHERNTERRITORIES",
    "GABON",
    "GAMBIA",
    "GAZA",
    "GEORGIA",
    "GERMANY",
    "GHANA",
    "GIBRALTAR",
    "GREATBRITAIN",
    "GREECE",
    "GREENLAND",
    "GRENADA",
    "GUADELOUPE",
    "GUAM",
    "GUATEMALA",
    "GUERNSEY",
    "GUINEA",
    "GUINEABISSAU",
    "GUYANA",
    "HAITI",
    "HEARDISLANDMCDONALDISLANDS",
    "HOLLAND",
    "HOLYSEE",
    "HONDURAS",
    "HONGKONG",
    "HUNGARY",
    "ICELAND",
    "INDIA",
    "INDONESIA",
    "IRAN",
    "IRANISLAMICREPUBLIC",
    "IRAQ",
    "IRELAND",
    "ISLEMAN",
    "ISRAEL",
    "ITALY",
    "IVORYCOAST",
    "JAMAICA",
    "JAPAN",
    "JERSEY",
    "JORDAN",
    "KAZAKHSTAN",
    "KENYA",
    "KIRIBATI",
    "KOREADEMOCRATICPEOPLESREPUBLIC",
    "KOREANORTH",
    "KOREAREPUBLIC",
    "KOREASOUTH",
    "KOSOVO",
    "KUWAIT",
    "KYRGYZSTAN",
    "LAOPEOPLESDEMOCRATICREPUBLIC",
    "LAOS",
    "LATVIA",
    "LEBANON",
    "LESOTHO",
    "LIBERIA",
    "LIBYA",
    "LIECHTENSTEIN",
    "LITHUANIA",
    "LUXEMBOURG",
    "MACAO",
    "MACAU",
    "MACEDONIA",
    "MADAGASCAR",
    "MALAWI",
    "MALAYSIA",
    "MALDIVES",
    "MALI",
    "MALTA",
    "MANISLE",
    "MARSHALLISLANDS",
    "MARTINIQUE",
    "MAURITANIA",
    "MAURITIUS",
    "MAYOTTE",
    "MEXICO",
    "MICRONESIA",
    "MICRONESIAFEDERATEDSTATES",
    "MOLDOVA",
    "MOLDOVAREPUBLIC",
    "MONACO",
    "MONGOLIA",
    "MONTENEGRO",
    "MONTSERRAT",
    "MOROCCO",
    "MOZAMBIQUE",
    "MYANMAR",
    "NAMIBIA",
    "NAURU",
    "NEPAL",
    "NETHERLANDS",
    "NETHERLANDSANTILLES",
    "NEWCALEDONIA",
    "NEWZEALAND",
    "NICARAGUA",
    "NIGER",
    "NIGERIA",
    "NIUE",
    "NORFOLKISLAND",
    "NORTHERNMARIANAISLANDS",
    "NORTHKOREA",
    "NORTHMACEDONIA",
    "NORTHMACEDONIAREPUBLIC",
    "NORWAY",
    "OMAN",
    "PAKISTAN",
    "PALAU",
    "PALESTINE",
    "PALESTINIAN",
    "PALESTINIANTERRITORIES",
    "PANAMA",
    "PAPUANEWGUINEA",
    "PARAGUAY",
    "PEOPLESREPUBLICCHINA",
    "PERU",
    "PHILIPPINES",
    "PITCAIRN",
    "PITCAIRNISLANDS",
    "PLURINATIONALSTATEBOLIVIA",
    "POLAND",
    "PORTUGAL",
    "PUERTORICO",
    "QATAR",
    "REGIONGAZA",
    "REGIONWESTBANK",
    "REPUBLICCONGO",
    "REPUBLICKOREA",
    "REUNION",
    "ROMANIA",
    "RUSSIA",
    "RUSSIANFEDERATION",
    "RWANDA",
    "SAINTBARTHELEMY",
    "SAINTHELENA",
    "SAINTHELENAASCENSIONTRISTANCUNHA",
    "SAINTKITTSNEVIS",
    "SAINTLUCIA",
    "SAINTMARTIN",
    "SAINTPIERREMIQUELON",
    "SAINTVINCENTGRENADINES",
    "SALVADOR",
    "SAMOA",
    "SANMARINO",
    "SAOTOMEPRINCIPE",
    "SAUDIARABIA",
    "SENEGAL",
    "SERBIA",
    "SEYCHELLES",
    "SIERRALEONE",
    "SINGAPORE",
    "SINTMAARTEN",
    "SLOVAKIA",
    "SLOVENIA",
    "SOLOMONISLANDS",
    "SOMALIA",
    "SOUTHAFRICA",
    "SOUTHGEORGIASOUTHSANDWICHISLANDS",
    "SOUTHKOREA",
    "SOUTHSUDAN",
    "SPAIN",
    "SRILANKA",
    "SUDAN",
    "SURINAME",
    "SVALBARD",
    "SVALBARDJANMAYEN",
    "SWAZILAND",
    "SWEDEN",
    "SWITZERLAND",
    "SYRIA",
    "SYRIANARABREPUBLIC",
    "TAIWAN",
    "TAJIKISTAN",
    "TANZANIA",
    "TANZANIAUNITEDREPUBLIC",
    "THAILAND",
    "TIMORLESTE",
    "TOGO",
    "TOKELAU",
    "TONGA",
    "TRINIDADTOBAGO",
    "TUNISIA",
    "TURKEY",
    "TURKIYE",
    "TURKMENISTAN",
    "TURKSCAICOSISLANDS",
    "TUVALU",
    "UAE",
    "UGANDA",
    "UK",
    "UKRAINE",
    "UNITEDARABEMIRATES",
    "UNITEDKINGDOM",
    "UNITEDSTATES",
    "UNITEDSTATESAMERICA",
    "UNITEDSTATESMINOROUTLYINGISLANDS",
    "URUGUAY",
    "USA",
    "USVIRGINISLANDS",
    "UZBEKISTAN",
    "VANUATU",
    "VATICAN",
    "VATICANCITY",
    "VENEZUELA",
    "VENEZUELABOLIVARIANREPUBLIC",
    "VIETNAM",
    "VIRGINISLANDSBRITISH",
    "VIRGINISLANDSUS",
    "WALLISFUTUNA",
    "WESTBANK",
    "WESTERNSAHARA",
    "YEMEN",
    "ZAMBIA",
    "ZIMBABWE",
};

static const char name_codes[][3] = {
    "AF", "AX", "AL", "DZ", "AS", "AD", "AO", "AI", "AQ", "AG", "AR", "AM", "AW", "AU", "AT", "AZ",
    "BS", "BH", "BD", "BB", "BY", "BE", "BZ", "BJ", "BM", "BT", "BO", "BQ", "BA", "BW", "BV", "BR",
    "BR", "GB", "IO", "VG", "BN", "BN", "BG", "BF", "MM", "BI", "CV", "KH", "CM", "CA", "CV", "BQ",
    "KY", "CF", "TD", "CL", "CN", "CX", "CC", "CC", "CO", "KM", "CG", "CG", "CD", "CD", "CG", "CK",
    "CR", "CI", "HR", "CU", "CW", "CY", "CZ", "CZ", "KP", "CD", "DK", "DE", "DJ", "DM", "DO", "CD",
    "TL", "EC", "EG", "GQ", "ER", "ES", "EE", "SZ", "ET", "FK", "FK", "FO", "FJ", "FI", "FR", "GF",
    "PF", "TF", "GA", "GM", "PS", "GE", "DE", "GH", "GI", "GB", "GR", "GL", "GD", "GP", "GU", "GT",
    "GG", "GN", "GW", "GY", "HT", "HM", "NL", "VA", "HN", "HK", "HU", "IS", "IN", "ID", "IR", "IR",
    "IQ", "IE", "IM", "IL", "IT", "CI", "JM", "JP", "JE", "JO", "KZ", "KE", "KI", "KP", "KP", "KR",
    "KR", "XK", "KW", "KG", "LA", "LA", "LV", "LB", "LS", "LR", "LY", "LI", "LT", "LU", "MO", "MO",
    "MK", "MG", "MW", "MY", "MV", "ML", "MT", "IM", "MH", "MQ", "MR", "MU", "YT", "MX", "FM", "FM",
    "MD", "MD", "MC", "MN", "ME", "MS", "MA", "MZ", "MM", "NA", "NR", "NP", "NL", "AN", "NC", "NZ",
    "NI", "NE", "NG", "NU", "NF", "MP", "KP", "MK", "MK", "NO", "OM", "PK", "PW", "PS", "PS", "PS",
    "PA", "PG", "PY", "CN", "PE", "PH", "PN", "PN", "BO", "PL", "PT", "PR", "QA", "PS", "PS", "CG",
    "KR", "RE", "RO", "RU", "RU", "RW", "BL", "SH", "SH", "KN", "LC", "MF", "PM", "VC", "SV", "WS",
    "SM", "ST", "SA", "SN", "RS", "SC", "SL", "SG", "SX", "SK", "SI", "SB", "SO", "ZA", "GS", "KR",
    "SS", "ES", "LK", "SD", "SR", "SJ", "SJ", "SZ", "SE", "CH", "SY", "SY", "TW", "TJ", "TZ", "TZ",
    "TH", "TL", "TG", "TK", "TO", "TT", "TN", "TR", "TR", "TM", "TC", "TV", "AE", "UG", "GB", "UA",
    "AE", "GB", "US", "US", "UM", "UY", "US", "VI", "UZ", "VU", "VA", "VA", "VE", "VE", "VN", "VG",
    "VI", "WF", "PS", "EH", "YE", "ZM", "ZW",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

bool vg_country_code(const char *text, size_t len, char out[3])
{
    out[0] = '\0';
    /* Two letters: a code. */
    size_t a = 0, b = len;
    while (a < b && (text[a] == ' ' || text[a] == '\t')) {
        a++;
    }
    while (b > a && (text[b - 1] == ' ' || text[b - 1] == '\t' || text[b - 1] == '\r' ||
                     text[b - 1] == '\n')) {
        b--;
    }
    if (b - a == 2) {
        char code[3] = { text[a], text[a + 1], '\0' };
        for (int i = 0; i < 2; i++) {
            if (code[i] >= 'a' && code[i] <= 'z') {
                code[i] = (char)(code[i] - 'a' + 'A');
            }
        }
        if (vg__table_find(codes, COUNT(codes), code, 2) >= 0) {
            memcpy(out, code, 3);
            return true;
        }
        return false;
    }
    struct vg_name n;
    vg_name_normalize(text + a, b - a, VG_NAME_VESSEL, &n);
    char key[VG_NAME_KEY_SIZE];
    size_t k = 0;
    for (size_t i = 0; i < n.ntokens; i++) {
        if (k + n.tokens[i].len >= sizeof(key)) {
            return false;
        }
        memcpy(key + k, n.tokens[i].text, n.tokens[i].len);
        k += n.tokens[i].len;
    }
    if (k == 0) {
        return false;
    }
    ptrdiff_t at = vg__table_find(name_keys, COUNT(name_keys), key, k);
    if (at < 0) {
        return false;
    }
    memcpy(out, name_codes[at], 3);
    return true;
}

bool vg__country_tables_sorted(void)
{
    for (size_t i = 1; i < COUNT(codes); i++) {
        if (strcmp(codes[i - 1], codes[i]) >= 0) {
            return false;
        }
    }
    for (size_t i = 1; i < COUNT(name_keys); i++) {
        if (strcmp(name_keys[i - 1], name_keys[i]) >= 0) {
            return false;
        }
    }
    return COUNT(name_keys) == COUNT(name_codes);
}
