"""Search keys for family reunification: one spelling of a name whatever the case, the alphabet or the ё.

Relatives spell a name as they know it: «Иванов», «ИВАНОВ», "Ivanov"; «Алёна» or «Алена»; a Kazakh name with
«Қ» or without it. Every name (and description) is stored once more as a *key* and every query is keyed the
same way, then matched word by word as substrings. The key:

1. NFKC, then lower case (``str.casefold``): case never matters;
2. Kazakh letters to their nearest Russian ones (ә→а, ғ→г, қ→к, ң→н, ө→о, ұ→у, ү→у, һ→х, і→и), ё→е and
   й→и, ъ/ь dropped — the spellings a Russian keyboard or a passport clerk would use;
3. Cyrillic to Latin by the ICAO Doc 9303 table (the transliteration printed in Kazakh and Russian passports,
   ж→zh, х→kh, ц→ts, ч→ch, ш→sh, щ→shch, ю→iu, я→ia, ы→y), Latin accents removed;
4. two folds on the Latin result that the common informal spellings need: y→i ("Yuliya" = «Юлия» = iuliia,
   "Dmitriy" = «Дмитрий») and kh→h ("Hasanov" = «Хасанов»);
5. anything that is not a letter or digit separates words.

So «Юлия Ёлкина», "YULIYA YOLKINA" and "Iuliia Elkina" all key to ``iuliia elkina`` except "Yolkina"
(ё written *yo* is not the passport spelling: searching "olkina" finds it). Keys are ASCII, so the database
compares them alike on SQLite and PostgreSQL. Pure functions, no Django.
"""

from __future__ import annotations

import re
import unicodedata

_TO_RUSSIAN = str.maketrans({"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
                             "і": "и", "ё": "е", "й": "и", "ъ": "", "ь": ""})
# ICAO Doc 9303 (8th ed., 2021), Part 3, Table of transliteration of Cyrillic characters.
_ICAO = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y", "э": "e", "ю": "iu", "я": "ia",
})
_NOT_WORD = re.compile(r"[^0-9a-z\u0080-\uffff]+")


def search_key(text: str) -> str:
    """The key of a name or description: lower-case Latin words separated by single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold().translate(_TO_RUSSIAN).translate(_ICAO)
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.replace("kh", "h").replace("y", "i")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def query_words(text: str) -> list[str]:
    """The words of a query, keyed; a casualty matches when its key contains every one of them."""
    return [w for w in dict.fromkeys(search_key(text).split()) if w]
