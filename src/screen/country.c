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
static const char codes[][3] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AN", "AO", "AQ", "AR", "AS", "AT", "AU", "AW",
    "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO",
    "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI",
    "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK",
    "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO",
    "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR",
    "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM",
    "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM",
    "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU",
    "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP",
    "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG",
    "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL",
    "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB",
    "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST",
    "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG",
    "VI", "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
};

struct country_name {
    const char *key; /* compact name key, sorted */
    char code[3];
};

static const struct country_name names[] = {
    { "AFGHANISTAN", "AF" },
    { "ALANDISLANDS", "AX" },
    { "ALBANIA", "AL" },
    { "ALGERIA", "DZ" },
    { "AMERICANSAMOA", "AS" },
    { "ANDORRA", "AD" },
    { "ANGOLA", "AO" },
    { "ANGUILLA", "AI" },
    { "ANTARCTICA", "AQ" },
    { "ANTIGUABARBUDA", "AG" },
    { "ARGENTINA", "AR" },
    { "ARMENIA", "AM" },
    { "ARUBA", "AW" },
    { "AUSTRALIA", "AU" },
    { "AUSTRIA", "AT" },
    { "AZERBAIJAN", "AZ" },
    { "BAHAMAS", "BS" },
    { "BAHRAIN", "BH" },
    { "BANGLADESH", "BD" },
    { "BARBADOS", "BB" },
    { "BELARUS", "BY" },
    { "BELGIUM", "BE" },
    { "BELIZE", "BZ" },
    { "BENIN", "BJ" },
    { "BERMUDA", "BM" },
    { "BHUTAN", "BT" },
    { "BOLIVIA", "BO" },
    { "BONAIRESINTEUSTATIUSSABA", "BQ" },
    { "BOSNIAHERZEGOVINA", "BA" },
    { "BOTSWANA", "BW" },
    { "BOUVETISLAND", "BV" },
    { "BRASIL", "BR" },
    { "BRAZIL", "BR" },
    { "BRITAIN", "GB" },
    { "BRITISHINDIANOCEANTERRITORY", "IO" },
    { "BRITISHVIRGINISLANDS", "VG" },
    { "BRUNEI", "BN" },
    { "BRUNEIDARUSSALAM", "BN" },
    { "BULGARIA", "BG" },
    { "BURKINAFASO", "BF" },
    { "BURMA", "MM" },
    { "BURUNDI", "BI" },
    { "CABOVERDE", "CV" },
    { "CAMBODIA", "KH" },
    { "CAMEROON", "CM" },
    { "CANADA", "CA" },
    { "CAPEVERDE", "CV" },
    { "CARIBBEANNETHERLANDS", "BQ" },
    { "CAYMANISLANDS", "KY" },
    { "CENTRALAFRICANREPUBLIC", "CF" },
    { "CHAD", "TD" },
    { "CHILE", "CL" },
    { "CHINA", "CN" },
    { "CHRISTMASISLAND", "CX" },
    { "COCOSISLANDS", "CC" },
    { "COCOSKEELINGISLANDS", "CC" },
    { "COLOMBIA", "CO" },
    { "COMOROS", "KM" },
    { "CONGO", "CG" },
    { "CONGOBRAZZAVILLE", "CG" },
    { "CONGODEMOCRATICREPUBLIC", "CD" },
    { "CONGOKINSHASA", "CD" },
    { "CONGOREPUBLIC", "CG" },
    { "COOKISLANDS", "CK" },
    { "COSTARICA", "CR" },
    { "COTEDIVOIRE", "CI" },
    { "CROATIA", "HR" },
    { "CUBA", "CU" },
    { "CURACAO", "CW" },
    { "CYPRUS", "CY" },
    { "CZECHIA", "CZ" },
    { "CZECHREPUBLIC", "CZ" },
    { "DEMOCRATICPEOPLESREPUBLICKOREA", "KP" },
    { "DEMOCRATICREPUBLICCONGO", "CD" },
    { "DENMARK", "DK" },
    { "DEUTSCHLAND", "DE" },
    { "DJIBOUTI", "DJ" },
    { "DOMINICA", "DM" },
    { "DOMINICANREPUBLIC", "DO" },
    { "DRCONGO", "CD" },
    { "EASTTIMOR", "TL" },
    { "ECUADOR", "EC" },
    { "EGYPT", "EG" },
    { "EQUATORIALGUINEA", "GQ" },
    { "ERITREA", "ER" },
    { "ESPANA", "ES" },
    { "ESTONIA", "EE" },
    { "ESWATINI", "SZ" },
    { "ETHIOPIA", "ET" },
    { "FALKLANDISLANDS", "FK" },
    { "FALKLANDISLANDSISLASMALVINAS", "FK" },
    { "FAROEISLANDS", "FO" },
    { "FIJI", "FJ" },
    { "FINLAND", "FI" },
    { "FRANCE", "FR" },
    { "FRENCHGUIANA", "GF" },
    { "FRENCHPOLYNESIA", "PF" },
    { "FRENCHSOUTHERNTERRITORIES", "TF" },
    { "GABON", "GA" },
    { "GAMBIA", "GM" },
    { "GAZA", "PS" },
    { "GEORGIA", "GE" },
    { "GERMANY", "DE" },
    { "GHANA", "GH" },
    { "GIBRALTAR", "GI" },
    { "GREATBRITAIN", "GB" },
    { "GREECE", "GR" },
    { "GREENLAND", "GL" },
    { "GRENADA", "GD" },
    { "GUADELOUPE", "GP" },
    { "GUAM", "GU" },
    { "GUATEMALA", "GT" },
    { "GUERNSEY", "GG" },
    { "GUINEA", "GN" },
    { "GUINEABISSAU", "GW" },
    { "GUYANA", "GY" },
    { "HAITI", "HT" },
    { "HEARDISLANDMCDONALDISLANDS", "HM" },
    { "HOLLAND", "NL" },
    { "HOLYSEE", "VA" },
    { "HONDURAS", "HN" },
    { "HONGKONG", "HK" },
    { "HUNGARY", "HU" },
    { "ICELAND", "IS" },
    { "INDIA", "IN" },
    { "INDONESIA", "ID" },
    { "IRAN", "IR" },
    { "IRANISLAMICREPUBLIC", "IR" },
    { "IRAQ", "IQ" },
    { "IRELAND", "IE" },
    { "ISLEMAN", "IM" },
    { "ISRAEL", "IL" },
    { "ITALY", "IT" },
    { "IVORYCOAST", "CI" },
    { "JAMAICA", "JM" },
    { "JAPAN", "JP" },
    { "JERSEY", "JE" },
    { "JORDAN", "JO" },
    { "KAZAKHSTAN", "KZ" },
    { "KENYA", "KE" },
    { "KIRIBATI", "KI" },
    { "KOREADEMOCRATICPEOPLESREPUBLIC", "KP" },
    { "KOREANORTH", "KP" },
    { "KOREAREPUBLIC", "KR" },
    { "KOREASOUTH", "KR" },
    { "KOSOVO", "XK" },
    { "KUWAIT", "KW" },
    { "KYRGYZSTAN", "KG" },
    { "LAOPEOPLESDEMOCRATICREPUBLIC", "LA" },
    { "LAOS", "LA" },
    { "LATVIA", "LV" },
    { "LEBANON", "LB" },
    { "LESOTHO", "LS" },
    { "LIBERIA", "LR" },
    { "LIBYA", "LY" },
    { "LIECHTENSTEIN", "LI" },
    { "LITHUANIA", "LT" },
    { "LUXEMBOURG", "LU" },
    { "MACAO", "MO" },
    { "MACAU", "MO" },
    { "MACEDONIA", "MK" },
    { "MADAGASCAR", "MG" },
    { "MALAWI", "MW" },
    { "MALAYSIA", "MY" },
    { "MALDIVES", "MV" },
    { "MALI", "ML" },
    { "MALTA", "MT" },
    { "MANISLE", "IM" },
    { "MARSHALLISLANDS", "MH" },
    { "MARTINIQUE", "MQ" },
    { "MAURITANIA", "MR" },
    { "MAURITIUS", "MU" },
    { "MAYOTTE", "YT" },
    { "MEXICO", "MX" },
    { "MICRONESIA", "FM" },
    { "MICRONESIAFEDERATEDSTATES", "FM" },
    { "MOLDOVA", "MD" },
    { "MOLDOVAREPUBLIC", "MD" },
    { "MONACO", "MC" },
    { "MONGOLIA", "MN" },
    { "MONTENEGRO", "ME" },
    { "MONTSERRAT", "MS" },
    { "MOROCCO", "MA" },
    { "MOZAMBIQUE", "MZ" },
    { "MYANMAR", "MM" },
    { "NAMIBIA", "NA" },
    { "NAURU", "NR" },
    { "NEPAL", "NP" },
    { "NETHERLANDS", "NL" },
    { "NETHERLANDSANTILLES", "AN" },
    { "NEWCALEDONIA", "NC" },
    { "NEWZEALAND", "NZ" },
    { "NICARAGUA", "NI" },
    { "NIGER", "NE" },
    { "NIGERIA", "NG" },
    { "NIUE", "NU" },
    { "NORFOLKISLAND", "NF" },
    { "NORTHERNMARIANAISLANDS", "MP" },
    { "NORTHKOREA", "KP" },
    { "NORTHMACEDONIA", "MK" },
    { "NORTHMACEDONIAREPUBLIC", "MK" },
    { "NORWAY", "NO" },
    { "OMAN", "OM" },
    { "PAKISTAN", "PK" },
    { "PALAU", "PW" },
    { "PALESTINE", "PS" },
    { "PALESTINIAN", "PS" },
    { "PALESTINIANTERRITORIES", "PS" },
    { "PANAMA", "PA" },
    { "PAPUANEWGUINEA", "PG" },
    { "PARAGUAY", "PY" },
    { "PEOPLESREPUBLICCHINA", "CN" },
    { "PERU", "PE" },
    { "PHILIPPINES", "PH" },
    { "PITCAIRN", "PN" },
    { "PITCAIRNISLANDS", "PN" },
    { "PLURINATIONALSTATEBOLIVIA", "BO" },
    { "POLAND", "PL" },
    { "PORTUGAL", "PT" },
    { "PUERTORICO", "PR" },
    { "QATAR", "QA" },
    { "REGIONGAZA", "PS" },
    { "REGIONWESTBANK", "PS" },
    { "REPUBLICCONGO", "CG" },
    { "REPUBLICKOREA", "KR" },
    { "REUNION", "RE" },
    { "ROMANIA", "RO" },
    { "RUSSIA", "RU" },
    { "RUSSIANFEDERATION", "RU" },
    { "RWANDA", "RW" },
    { "SAINTBARTHELEMY", "BL" },
    { "SAINTHELENA", "SH" },
    { "SAINTHELENAASCENSIONTRISTANCUNHA", "SH" },
    { "SAINTKITTSNEVIS", "KN" },
    { "SAINTLUCIA", "LC" },
    { "SAINTMARTIN", "MF" },
    { "SAINTPIERREMIQUELON", "PM" },
    { "SAINTVINCENTGRENADINES", "VC" },
    { "SALVADOR", "SV" },
    { "SAMOA", "WS" },
    { "SANMARINO", "SM" },
    { "SAOTOMEPRINCIPE", "ST" },
    { "SAUDIARABIA", "SA" },
    { "SENEGAL", "SN" },
    { "SERBIA", "RS" },
    { "SEYCHELLES", "SC" },
    { "SIERRALEONE", "SL" },
    { "SINGAPORE", "SG" },
    { "SINTMAARTEN", "SX" },
    { "SLOVAKIA", "SK" },
    { "SLOVENIA", "SI" },
    { "SOLOMONISLANDS", "SB" },
    { "SOMALIA", "SO" },
    { "SOUTHAFRICA", "ZA" },
    { "SOUTHGEORGIASOUTHSANDWICHISLANDS", "GS" },
    { "SOUTHKOREA", "KR" },
    { "SOUTHSUDAN", "SS" },
    { "SPAIN", "ES" },
    { "SRILANKA", "LK" },
    { "SUDAN", "SD" },
    { "SURINAME", "SR" },
    { "SVALBARD", "SJ" },
    { "SVALBARDJANMAYEN", "SJ" },
    { "SWAZILAND", "SZ" },
    { "SWEDEN", "SE" },
    { "SWITZERLAND", "CH" },
    { "SYRIA", "SY" },
    { "SYRIANARABREPUBLIC", "SY" },
    { "TAIWAN", "TW" },
    { "TAJIKISTAN", "TJ" },
    { "TANZANIA", "TZ" },
    { "TANZANIAUNITEDREPUBLIC", "TZ" },
    { "THAILAND", "TH" },
    { "TIMORLESTE", "TL" },
    { "TOGO", "TG" },
    { "TOKELAU", "TK" },
    { "TONGA", "TO" },
    { "TRINIDADTOBAGO", "TT" },
    { "TUNISIA", "TN" },
    { "TURKEY", "TR" },
    { "TURKIYE", "TR" },
    { "TURKMENISTAN", "TM" },
    { "TURKSCAICOSISLANDS", "TC" },
    { "TUVALU", "TV" },
    { "UAE", "AE" },
    { "UGANDA", "UG" },
    { "UK", "GB" },
    { "UKRAINE", "UA" },
    { "UNITEDARABEMIRATES", "AE" },
    { "UNITEDKINGDOM", "GB" },
    { "UNITEDSTATES", "US" },
    { "UNITEDSTATESAMERICA", "US" },
    { "UNITEDSTATESMINOROUTLYINGISLANDS", "UM" },
    { "URUGUAY", "UY" },
    { "USA", "US" },
    { "USVIRGINISLANDS", "VI" },
    { "UZBEKISTAN", "UZ" },
    { "VANUATU", "VU" },
    { "VATICAN", "VA" },
    { "VATICANCITY", "VA" },
    { "VENEZUELA", "VE" },
    { "VENEZUELABOLIVARIANREPUBLIC", "VE" },
    { "VIETNAM", "VN" },
    { "VIRGINISLANDSBRITISH", "VG" },
    { "VIRGINISLANDSUS", "VI" },
    { "WALLISFUTUNA", "WF" },
    { "WESTBANK", "PS" },
    { "WESTERNSAHARA", "EH" },
    { "YEMEN", "YE" },
    { "ZAMBIA", "ZM" },
    { "ZIMBABWE", "ZW" },
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool known_code(const char *code)
{
    size_t lo = 0, hi = COUNT(codes);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(codes[mid], code);
        if (c == 0) {
            return true;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}

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
        if (known_code(code)) {
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
    key[k] = '\0';
    if (k == 0) {
        return false;
    }
    size_t lo = 0, hi = COUNT(names);
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(names[mid].key, key);
        if (c == 0) {
            memcpy(out, names[mid].code, 3);
            return true;
        }
        if (c < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return false;
}
