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
    # compliance
    "compliance": ("Kepatuhan", "Compliance"),
    "compliance_risk": ("Pemberi kerja menurut risiko ketidakpatuhan", "Employers by risk of non-compliance"),
    "compliance_score_explain": (
        "Skor dari temuan terbuka: bobot per jenis PDS ditambah 1 per Rp500.000 iuran belum dibayar per bulan",
        "Score from open findings: a weight per PDS kind plus 1 per Rp500,000 unpaid a month",
    ),
    "compliance_score": ("Skor risiko", "Risk score"),
    "compliance_employer": ("Pemberi kerja", "Employer"),
    "compliance_size": ("Skala usaha", "Size"),
    "compliance_findings": ("Temuan terbuka", "Open findings"),
    "compliance_unpaid": ("Iuran belum dibayar per bulan", "Unpaid a month"),
    "compliance_none": ("Tidak ada temuan terbuka.", "No open findings."),
    "compliance_why": ("Mengapa skor ini", "Why this score"),
    "compliance_kind": ("Jenis", "Kind"),
    "compliance_month": ("Bulan", "Month"),
    "compliance_detail": ("Uraian", "Detail"),
    "compliance_open_case": ("Buka kasus", "Open a case"),
    "compliance_cases": ("Kasus", "Cases"),
    "compliance_case": ("Kasus", "Case"),
    "compliance_deadline": ("Batas waktu", "Deadline"),
    "compliance_fine": ("Denda", "Fine"),
    "compliance_recovered": ("Iuran yang berhasil ditagih", "Contribution recovered"),
    "compliance_steps": ("Langkah", "Steps"),
    "compliance_step": ("Langkah", "Step"),
    "compliance_date": ("Tanggal", "Date"),
    "compliance_by": ("Oleh", "By"),
    "compliance_note": ("Catatan", "Note"),
    "compliance_documents": ("Dokumen", "Documents"),
    "compliance_summary": ("Ringkasan kepatuhan kota", "City compliance summary"),
    "compliance_cases_opened": ("Kasus dibuka", "Cases opened"),
    "compliance_cases_resolved": ("Kasus selesai", "Cases resolved"),
    "compliance_open_cases": ("Kasus berjalan", "Open cases"),
}


def translate(key: str, lang: str) -> str:
    """The text for ``key`` in ``lang`` (the key itself if it is missing, so gaps show in review)."""
    pair = TEXT.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "en" else pair[0]
