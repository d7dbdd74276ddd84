"""The vocabulary of the demo city: name pools, employer names and sectors, occupation mixes.

Written for Jangkau. Given names come from Faker's ``id_ID`` pools; the family names (marga) of North
Sumatra, the name prefixes and every rate below are our own plausible choices for a synthetic Kota Medan,
not statistics.
"""

from __future__ import annotations

from faker.providers.person.id_ID import Provider as _Names

MALE_NAMES: tuple[str, ...] = tuple(_Names.first_names_male)
FEMALE_NAMES: tuple[str, ...] = tuple(_Names.first_names_female)
FAMILY_NAMES: tuple[str, ...] = tuple(sorted(set(_Names.last_names_male) | set(_Names.last_names_female)))
MARGA: tuple[str, ...] = (
    "Siregar",
    "Nasution",
    "Lubis",
    "Harahap",
    "Hasibuan",
    "Simanjuntak",
    "Sitompul",
    "Sinaga",
    "Simatupang",
    "Panjaitan",
    "Pardede",
    "Manurung",
    "Tampubolon",
    "Sihombing",
    "Situmorang",
    "Ginting",
    "Tarigan",
    "Sembiring",
    "Purba",
    "Saragih",
    "Damanik",
    "Pohan",
    "Daulay",
    "Rangkuti",
    "Batubara",
    "Tanjung",
    "Matondang",
    "Hutapea",
)
MALE_PREFIXES = (("Muhammad", 0.14), ("Ahmad", 0.04), ("Abdul", 0.03))
FEMALE_PREFIXES = (("Siti", 0.12), ("Nur", 0.05), ("Nurul", 0.02))

STREETS = (
    "Sisingamangaraja",
    "Gatot Subroto",
    "Brigjend Katamso",
    "Juanda",
    "Asia",
    "Thamrin",
    "Sutomo",
    "Pancing",
    "Setia Budi",
    "Jamin Ginting",
    "Ngumban Surbakti",
    "Karya",
    "Marelan Raya",
    "Yos Sudarso",
    "Pelabuhan Raya",
    "Bilal",
    "Krakatau",
    "Aksara",
    "Denai",
    "Menteng Raya",
    "Sakti Lubis",
    "Garu",
    "Pasar Merah",
    "Starban",
    "Amaliun",
    "Halat",
    "Mandala By Pass",
    "Tuasan",
    "Cemara",
    "Kapten Muslim",
    "Gagak Hitam",
    "Ring Road",
)

EMPLOYER_FORMS = ("PT", "PT", "PT", "CV", "CV", "UD", "Koperasi")
EMPLOYER_WORDS_A = (
    "Sinar",
    "Maju",
    "Deli",
    "Mitra",
    "Karya",
    "Bumi",
    "Cahaya",
    "Sumber",
    "Tunas",
    "Mega",
    "Prima",
    "Bintang",
    "Nusa",
    "Sejahtera",
    "Berkah",
    "Harapan",
    "Mandiri",
    "Andalas",
    "Toba",
    "Horas",
)
EMPLOYER_WORDS_B = (
    "Jaya",
    "Abadi",
    "Makmur",
    "Sentosa",
    "Perkasa",
    "Utama",
    "Lestari",
    "Gemilang",
    "Sukses",
    "Agung",
    "Raya",
    "Indah",
    "Permai",
    "Nusantara",
    "Medan",
    "Sumatera",
    "Baru",
    "Bersama",
)

# business sector -> (JKK risk group used for the demo, occupation of its workers, share of employers).
# The real mapping of business type to risk group is PP 82/2019 Lampiran I (UNCONFIRMED, REFERENCE.md §1.2);
# these groups are demo assumptions.
SECTORS: dict[str, tuple[int, str, float]] = {
    "perdagangan": (2, "pegawai_toko", 0.30),
    "industri_makanan": (3, "buruh_pabrik", 0.10),
    "industri_karet_plastik": (4, "buruh_pabrik", 0.05),
    "konstruksi": (5, "pekerja_konstruksi", 0.08),
    "transportasi_logistik": (4, "sopir_perusahaan", 0.07),
    "perhotelan_restoran": (2, "karyawan_swasta", 0.12),
    "jasa_keuangan": (1, "karyawan_swasta", 0.04),
    "pendidikan": (1, "karyawan_swasta", 0.06),
    "kesehatan": (2, "karyawan_swasta", 0.05),
    "jasa_keamanan": (3, "satpam", 0.05),
    "perkebunan_pengolahan": (4, "buruh_pabrik", 0.03),
    "pelabuhan_perikanan": (5, "buruh_pabrik", 0.05),
}

# size class -> (share of employers, (min, max) workforce, share of its workers it registers in PU)
SIZE_CLASSES: dict[str, tuple[float, tuple[int, int], float]] = {
    "micro": (0.70, (1, 9), 0.35),
    "small": (0.20, (10, 49), 0.65),
    "medium": (0.08, (50, 249), 0.88),
    "large": (0.02, (250, 1500), 0.96),
}

INFORMAL_OCCUPATIONS: tuple[tuple[str, float], ...] = (
    ("pedagang_kaki_lima", 0.18),
    ("pedagang_pasar", 0.08),
    ("pengemudi_ojek", 0.14),
    ("pengemudi_becak", 0.05),
    ("sopir_angkot", 0.05),
    ("pekerja_rumah_tangga", 0.09),
    ("nelayan", 0.03),
    ("petani", 0.02),
    ("buruh_harian_lepas", 0.17),
    ("tukang", 0.10),
    ("marbot", 0.02),
    ("usaha_mikro", 0.07),
)

MOBILE_PREFIXES = (
    "0811",
    "0812",
    "0813",
    "0821",
    "0822",
    "0852",
    "0853",
    "0857",
    "0858",
    "0878",
    "0877",
    "0895",
    "0896",
    "0881",
    "0882",
)
