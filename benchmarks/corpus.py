"""A deterministic synthetic news corpus in English and Indonesian (same seed, same corpus), for benchmarks.

Sentences are built from templates written for this project: actors, actions, dates and places are drawn
at random, mixed with sentences that hold no event, the way real articles mix them.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

ACTORS = {
    "en": ["Indonesian police", "Chinese President Xi Jinping", "Russian President Vladimir Putin", "the United States",
           "Malaysia", "Israeli troops", "Hamas", "the United Nations", "Japanese Prime Minister", "Sudanese army",
           "Rapid Support Forces", "Philippine coast guard", "Australian Foreign Minister", "NATO", "Iran",
           "Thai protesters", "the European Union", "Indian troops", "Pakistani officials", "Turkey"],
    "id": ["polisi Indonesia", "Presiden Tiongkok Xi Jinping", "Presiden Rusia Vladimir Putin", "Amerika Serikat",
           "Malaysia", "pasukan Israel", "Hamas", "PBB", "Perdana Menteri Jepang", "militer Sudan", "TNI", "KKB",
           "Menteri Luar Negeri Sugiono", "NATO", "Iran", "mahasiswa", "Uni Eropa", "tentara India", "Polri", "Turki"],
}
ACTIONS = {
    "en": ["met {t}", "visited {t}", "condemned {t}", "signed an agreement with {t}", "arrested members of {t}",
           "attacked {t}", "called for talks with {t}", "accused {t} of violating the truce", "hosted {t}",
           "threatened {t} with sanctions", "sent humanitarian aid to {t}", "expelled diplomats of {t}",
           "praised {t}", "rejected the proposal of {t}", "did not attack {t}"],
    "id": ["bertemu dengan {t}", "mengunjungi {t}", "mengecam {t}", "menandatangani kesepakatan dengan {t}",
           "menangkap anggota {t}", "menyerang {t}", "mendesak {t} untuk berunding", "menuduh {t} melanggar gencatan senjata",
           "menerima kunjungan {t}", "mengancam {t} dengan sanksi", "mengirim bantuan kemanusiaan ke {t}",
           "mengusir diplomat {t}", "memuji {t}", "menolak usulan {t}", "tidak menyerang {t}"],
}
WHEN = {
    "en": ["on Tuesday", "on Friday", "yesterday", "on May 8", "last week", "on Sunday night", ""],
    "id": ["pada Selasa (4/3)", "Jumat (7/3)", "kemarin", "pada 8 Mei 2025", "pekan lalu", "Minggu malam", ""],
}
WHERE = {
    "en": ["in Jakarta", "in Moscow", "in Geneva", "near Khartoum", "in Manila", ""],
    "id": ["di Jakarta", "di Moskow", "di Jenewa", "di Khartoum", "di Jayapura", ""],
}
FILLER = {
    "en": ["Markets closed slightly higher as investors awaited inflation figures.",
           "The weather agency forecast heavy rain for the weekend.",
           "Analysts said the talks could take several months.",
           "The national team won the match two goals to one."],
    "id": ["Harga cabai di pasar tradisional naik dua persen pekan ini.",
           "BMKG memperkirakan hujan lebat akan turun pada akhir pekan.",
           "Pengamat menilai perundingan itu bisa memakan waktu berbulan-bulan.",
           "Tim nasional menang dua gol tanpa balas dalam laga tersebut."],
}


def sentences(lang: str, rng: random.Random) -> Iterator[str]:
    while True:
        if rng.random() < 0.35:
            yield rng.choice(FILLER[lang])
            continue
        source, target = rng.sample(ACTORS[lang], 2)
        action = rng.choice(ACTIONS[lang]).format(t=target)
        parts = [source[:1].upper() + source[1:], action, rng.choice(WHERE[lang]), rng.choice(WHEN[lang])]
        yield " ".join(part for part in parts if part) + "."


def documents(count: int, *, seed: int = 7, sentences_per_doc: int = 20) -> Iterator[dict]:
    """`count` documents, alternating languages, each of `sentences_per_doc` sentences."""
    rng = random.Random(seed)
    streams = {lang: sentences(lang, rng) for lang in ("en", "id")}
    start = dt.date(2025, 1, 1)
    for number in range(count):
        lang = "en" if number % 2 == 0 else "id"
        text = " ".join(next(streams[lang]) for _ in range(sentences_per_doc))
        yield {"id": f"bench-{number:06d}", "lang": lang, "text": text,
               "published_at": (start + dt.timedelta(days=number % 365)).isoformat()}
