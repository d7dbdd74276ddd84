"""UI text in Bahasa Indonesia (default) and English. Keys are short English phrases."""

from __future__ import annotations

LANGUAGES = ("id", "en")
DEFAULT_LANGUAGE = "id"

TEXT: dict[str, tuple[str, str]] = {
    # key: (Bahasa Indonesia, English)
    "home": ("Beranda", "Home"),
    "registry": ("Registri", "Registry"),
    "enrol": ("Daftarkan pekerja", "Enrol a worker"),
    "register_other": ("Daftarkan orang lain", "Register someone else"),
    "coverage_check": ("Cek perlindungan", "Check coverage"),
    "users": ("Pengguna", "Users"),
    "audit": ("Log audit", "Audit log"),
    "login": ("Masuk", "Sign in"),
    "logout": ("Keluar", "Sign out"),
    "username": ("Nama pengguna", "Username"),
    "password": ("Kata sandi", "Password"),
    "my_villages": ("Desa/kelurahan saya", "My villages"),
    "my_target": ("Target saya", "My target"),
    "today_work": ("Pekerjaan hari ini", "Today's work"),
    "nik": ("NIK", "NIK"),
    "full_name": ("Nama lengkap", "Full name"),
    "birth_date": ("Tanggal lahir", "Birth date"),
    "sex": ("Jenis kelamin", "Sex"),
    "male": ("Laki-laki", "Male"),
    "female": ("Perempuan", "Female"),
    "village": ("Desa/kelurahan", "Village"),
    "phone": ("Nomor HP", "Mobile number"),
    "address": ("Alamat", "Address"),
    "occupation": ("Pekerjaan", "Occupation"),
    "programs": ("Program", "Programmes"),
    "declared_income": ("Penghasilan per bulan", "Monthly income"),
    "payer": ("Yang membayar", "Who pays"),
    "payer_self": ("Pekerja sendiri", "The worker"),
    "save": ("Simpan", "Save"),
    "check": ("Periksa", "Check"),
    "monthly_contribution": ("Iuran per bulan", "Monthly contribution"),
    "protects_against": ("Melindungi dari", "Protects against"),
    "receipt": ("Tanda terima pendaftaran", "Registration receipt"),
    "card": ("Kartu peserta (PDF)", "Membership card (PDF)"),
    "status": ("Status", "Status"),
    "covered_until": ("Terlindungi sampai", "Covered until"),
    "not_registered": ("Belum terdaftar", "Not registered"),
    "already_registered": ("Sudah terdaftar", "Already registered"),
    "search": ("Cari", "Search"),
    "next": ("Berikutnya", "Next"),
    "previous": ("Sebelumnya", "Previous"),
    "language": ("English", "Bahasa Indonesia"),
    "relationship": ("Hubungan", "Relationship"),
    "vulnerable": ("Pekerja rentan", "Vulnerable worker"),
    "jkk": ("Kecelakaan kerja (JKK)", "Work accident (JKK)"),
    "jkm": ("Kematian (JKM)", "Death (JKM)"),
    "jht": ("Hari tua (JHT)", "Old-age savings (JHT)"),
    "jkk_explain": (
        "Biaya perawatan tanpa batas, santunan selama tidak bisa bekerja, santunan cacat atau kematian akibat kerja",
        "Unlimited medical care, pay while unable to work, disability or death benefits for work accidents",
    ),
    "jkm_explain": (
        "Santunan Rp42 juta bagi ahli waris bila meninggal bukan karena kerja, dan beasiswa anak",
        "Rp42 million to the heirs on a death not caused by work, and scholarships for children",
    ),
    "jht_explain": ("Tabungan hari tua yang dapat dicairkan", "Old-age savings that can be withdrawn"),
}


def translate(key: str, lang: str) -> str:
    """The text for ``key`` in ``lang`` (the key itself if it is missing, so gaps show in review)."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
