"""Trilingual names for the synthetic demo network. Every name carries the synthetic label in its language,
so a demo facility can never be mistaken for a real one on a screen, in an export or in a screenshot."""

from __future__ import annotations

LABEL = {"en": "(synthetic)", "ru": "(синтетический)", "kk": "(синтетикалық)"}

# kind -> (en, ru, kk); "{n}" is the number of the facility of that kind in its town.
BASE = {
    "regional_multiprofile": ("Regional Multi-profile Hospital", "Многопрофильная областная больница",
                              "Облыстық көпбейінді аурухана"),
    "city_multiprofile": ("City Multi-profile Hospital", "Многопрофильная городская больница",
                          "Қалалық көпбейінді аурухана"),
    "childrens": ("Children's Hospital", "Детская больница", "Балалар ауруханасы"),
    "perinatal": ("Perinatal Centre", "Перинатальный центр", "Перинаталдық орталық"),
    "infectious": ("Infectious Diseases Hospital", "Инфекционная больница", "Жұқпалы аурулар ауруханасы"),
    "psychiatric": ("Mental Health Centre", "Центр психического здоровья", "Психикалық денсаулық орталығы"),
    "burns": ("Burns Centre", "Ожоговый центр", "Күйік орталығы"),
    "trauma": ("City Emergency Hospital", "Городская больница скорой медицинской помощи",
               "Жедел медициналық жәрдем қалалық ауруханасы"),
    "city_hospital": ("City Hospital No. {n}", "Городская больница № {n}", "№ {n} қалалық аурухана"),
    "central_district": ("Central District Hospital", "Центральная районная больница",
                         "Орталық аудандық аурухана"),
    "district_2": ("District Hospital No. {n}", "Районная больница № {n}", "№ {n} аудандық аурухана"),
    "ambulance_station": ("Ambulance Station", "Станция скорой медицинской помощи",
                          "Жедел медициналық жәрдем станциясы"),
    "air_ambulance_base": ("Air Ambulance Base", "База медицинской авиации", "Медициналық авиация базасы"),
}

# National centres: (code suffix, (en, ru, kk), capabilities, relative size, trauma centre?, bed profile)
NCCEM_NAME = ("National Coordination Center for Emergency Medicine Hospital",
              "Больница Национального координационного центра экстренной медицины",
              "Ұлттық шұғыл медицинаны үйлестіру орталығының ауруханасы")
NCCEM_AIR_NAME = ("NCCEM Air Ambulance Base", "База медицинской авиации НКЦЭМ",
                  "ҰШМҮО медициналық авиация базасы")
NATIONAL_CENTRES = {
    "KZ-71": [
        ("NRCTO", ("National Research Centre for Traumatology and Orthopaedics",
                   "Национальный научный центр травматологии и ортопедии",
                   "Травматология және ортопедия ұлттық ғылыми орталығы"),
         ("neurosurgery", "ct", "mri", "laboratory", "helipad"), 400, True, "general"),
        ("NCMCH", ("National Centre for Maternal and Child Health",
                   "Национальный центр материнства и детства", "Ана мен бала ұлттық орталығы"),
         ("obstetric", "paediatric_surgery", "ct", "mri", "laboratory"), 450, False, "perinatal"),
        ("NRCSC", ("National Research Cardiac Surgery Centre",
                   "Национальный научный кардиохирургический центр",
                   "Ұлттық ғылыми кардиохирургиялық орталық"),
         ("cath_lab", "ct", "mri", "laboratory", "dialysis"), 250, False, "general"),
        ("NCN", ("National Centre for Neurosurgery", "Национальный центр нейрохирургии",
                 "Ұлттық нейрохирургия орталығы"), ("neurosurgery", "ct", "mri", "laboratory"), 200, False,
         "general"),
        ("NROC", ("National Research Oncology Centre", "Национальный научный онкологический центр",
                  "Ұлттық ғылыми онкологиялық орталық"), ("ct", "mri", "laboratory"), 300, False, "general"),
    ],
    "KZ-75": [
        ("NSCS", ("National Scientific Centre of Surgery", "Национальный научный центр хирургии",
                  "Ұлттық ғылыми хирургия орталығы"),
         ("ct", "mri", "laboratory", "dialysis", "cath_lab", "helipad"), 450, True, "general"),
        ("SCPPS", ("Scientific Centre of Paediatrics and Paediatric Surgery",
                   "Научный центр педиатрии и детской хирургии",
                   "Педиатрия және балалар хирургиясы ғылыми орталығы"),
         ("paediatric_surgery", "ct", "mri", "laboratory"), 300, False, "childrens"),
        ("SCOGP", ("Scientific Centre of Obstetrics, Gynaecology and Perinatology",
                   "Научный центр акушерства, гинекологии и перинатологии",
                   "Акушерлік, гинекология және перинатология ғылыми орталығы"),
         ("obstetric", "laboratory", "ct"), 250, False, "perinatal"),
        ("RICID", ("Research Institute of Cardiology and Internal Diseases",
                   "Научно-исследовательский институт кардиологии и внутренних болезней",
                   "Кардиология және ішкі аурулар ғылыми-зерттеу институты"),
         ("cath_lab", "ct", "laboratory", "dialysis"), 250, False, "general"),
        ("KRIOR", ("Kazakh Research Institute of Oncology and Radiology",
                   "Казахский научно-исследовательский институт онкологии и радиологии",
                   "Қазақ онкология және радиология ғылыми-зерттеу институты"),
         ("ct", "mri", "laboratory"), 400, False, "general"),
    ],
}


def name3(base: tuple[str, str, str], place: tuple[str, str, str], n: int = 1) -> tuple[str, str, str]:
    """(en, ru, kk) names: '<base>, <place> (synthetic)' in each language."""
    return tuple(f"{b.format(n=n)}, {p} {LABEL[lang]}"  # type: ignore[return-value]
                 for b, p, lang in zip(base, place, ("en", "ru", "kk"), strict=True))
