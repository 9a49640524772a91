/// Every word a resident reads or hears, in Bahasa Indonesia, in one place. Short sentences, one instruction each.
public enum Teks {
    // Idle and card
    public static let idleTitle = "Selamat Datang"
    public static let idleLines = [
        "Letakkan e-KTP Anda di atas pembaca kartu.", "Biarkan kartu di sana sampai selesai.",
    ]
    public static let idlePrompt = "Selamat datang. Letakkan e-KTP Anda di atas pembaca kartu."
    public static let readingTitle = "Membaca e-KTP"
    public static let readingLines = ["Mohon tunggu.", "Jangan angkat kartu Anda."]
    public static let readingPrompt = "Mohon tunggu. Jangan angkat kartu Anda."

    // PIN
    public static let pinTitle = "Masukkan PIN"
    public static func pinLines(length: Int) -> [String] { ["Ketik \(length) angka PIN Anda."] }
    public static let pinPrompt = "Ketik PIN Anda."
    public static func pinWrong(remaining: Int) -> String { "PIN salah. Sisa \(remaining) kali lagi." }
    public static let pinChecking = "Memeriksa PIN..."
    public static let delete = "Hapus"
    public static let ok = "OK"

    // Menu and purpose
    public static let menuTitle = "Pilih Surat"
    public static func menuLines(resident: String) -> [String] {
        ["Halo, \(resident).", "Sentuh surat yang Anda perlukan."]
    }
    public static let menuPrompt = "Sentuh surat yang Anda perlukan."
    public static func pageOf(_ page: Int, _ pages: Int) -> String { "Halaman \(page) dari \(pages)" }
    public static let purposeTitle = "Untuk Keperluan Apa?"
    public static let purposePrompt = "Pilih keperluan surat Anda."

    // Letters prepared elsewhere (OpenSID: Siap Diambil)
    public static let pickupsTitle = "Surat Siap Diambil"
    public static func pickupsLines(resident: String) -> [String] {
        // The title says the letters are ready; at body size "Surat Anda sudah siap." would take a row of its own
        // that a 7-inch panel does not have above its choices.
        ["Halo, \(resident).", "Sentuh surat untuk mencetaknya."]
    }
    public static let pickupsPrompt = "Surat Anda sudah siap. Sentuh surat untuk mencetaknya."
    /// The letter's title only: its number (up to 64 characters) would shrink the label below a readable size; the
    /// printing screen shows it.
    public static func pickupChoice(_ title: String, collected: Bool) -> String {
        collected ? "\(title) (sudah diambil)" : title
    }
    public static let pickupPrinted = "Surat sudah dicetak. Ambil di printer."
    public static func pickupAlreadyCollected(_ date: String?) -> String {
        "Surat ini sudah diambil" + (date.map { " pada \($0)" } ?? "") + ". Tidak dicetak lagi."
    }
    public static let continueToMenu = "Layanan Lain"

    // Confirm
    public static let confirmTitle = "Periksa Surat Anda"
    public static let confirmPrompt = "Periksa data Anda. Sentuh Cetak jika sudah benar."
    public static func confirmLines(letter: String, name: String, maskedNIK: String, purpose: String) -> [String] {
        [letter, "Nama: \(name)", "NIK: \(maskedNIK)", "Keperluan: \(purpose)"]
    }

    // Printing and done
    public static let printingTitle = "Sedang Mencetak"
    public static let printingLines = ["Mohon tunggu, surat Anda sedang dicetak."]
    public static let printingPrompt = "Mohon tunggu, surat Anda sedang dicetak."
    public static func letterNumber(_ number: String) -> String { "Nomor: \(number)" }
    public static let doneTitle = "Selesai"
    public static let doneLines = ["Ambil surat Anda di printer.", "Jangan lupa ambil e-KTP Anda."]
    public static let donePrompt = "Selesai. Ambil surat dan e-KTP Anda."
    public static let draftNote = "Bawa surat ini ke kantor desa untuk ditandatangani."
    /// Letters kept as files (no printer at the kiosk yet): the village office prints them.
    public static let doneSavedLines = [
        "Surat Anda sudah dibuat dan disimpan.", "Petugas desa akan mencetaknya untuk Anda.",
        "Jangan lupa ambil e-KTP Anda.",
    ]
    public static let doneSavedPrompt = "Selesai. Surat Anda sudah dibuat; petugas desa akan mencetaknya."

    // Timeout
    public static let timeoutTitle = "Masih di Sana?"
    public static let timeoutLines = ["Waktu Anda hampir habis.", "Sentuh Lanjutkan untuk meneruskan."]
    public static func secondsLeft(_ seconds: Int) -> String { "Sisa waktu: \(seconds) detik" }
    public static let timeoutPrompt = "Waktu Anda hampir habis. Sentuh Lanjutkan untuk meneruskan."

    // Satisfaction survey
    public static let surveyTitle = "Bagaimana Pelayanan Kami?"
    public static let surveyLines = ["Sentuh satu wajah.", "Jawaban Anda tanpa nama."]
    public static let surveyPrompt =
        "Bagaimana pelayanan kami? Sentuh satu wajah: sangat puas, puas, kurang puas, atau tidak puas. "
        + "Jawaban Anda tanpa nama."
    public static let skip = "Lewati"
    public static func rating(_ rating: SurveyAnswer.Rating) -> String {
        switch rating {
        case .verySatisfied: "Sangat Puas"
        case .satisfied: "Puas"
        case .dissatisfied: "Kurang Puas"
        case .veryDissatisfied: "Tidak Puas"
        }
    }

    // Queue tickets (antrean)
    public static let queueButton = "Ambil Nomor Antrean"
    /// On idle where a ticket needs no card: says so, for a visitor without an e-KTP.
    public static let queueWithoutCardButton = "Ambil Nomor Antrean (tanpa e-KTP)"
    public static let queueTitle = "Ambil Nomor Antrean"
    public static let queueLines = ["Untuk layanan yang dilayani petugas desa.", "Sentuh layanan yang Anda perlukan."]
    public static let queuePrompt = "Ambil nomor antrean. Sentuh layanan yang Anda perlukan."
    public static let queueTakingTitle = "Mencetak Nomor Antrean"
    public static let queueTakingLines = ["Mohon tunggu."]
    public static let queueTakingPrompt = "Mohon tunggu, nomor antrean Anda sedang dicetak."
    public static func queueTicketTitle(_ number: String) -> String { "Nomor Antrean: \(number)" }
    public static func queueTicketLines(service: String) -> [String] {
        [service, "Ambil struk nomor antrean Anda.", "Tunggu sampai nomor Anda dipanggil."]
    }
    public static func queueTicketPrompt(_ number: String) -> String {
        "Nomor antrean Anda \(spokenNumber(number)). Ambil struk Anda, lalu tunggu sampai nomor Anda dipanggil."
    }
    /// The slip did not print: the number stays the resident's, so the screen says it and asks them to note it.
    public static func queueNotPrintedLines(service: String, problem: PrinterProblem) -> [String] {
        [service, "Struk tidak tercetak (\(printerProblem(problem))).", "Catat nomor ini, lalu tunjukkan ke petugas."]
    }
    public static func queueNotPrintedPrompt(_ number: String) -> String {
        "Struk tidak tercetak. Nomor antrean Anda \(spokenNumber(number)). Catat nomor ini, lalu tunjukkan ke petugas."
    }
    /// The number as a voice should say it: the counter, and the station (the date is on the screen).
    static func spokenNumber(_ number: String) -> String {
        let parts = number.split(separator: "-")
        guard parts.count >= 2, let counter = Int(parts[1]) else { return number }
        return "\(counter)" + (parts.count > 2 ? ", kios \(parts[2].dropFirst())" : "")
    }

    // Maintenance
    public static let maintenanceTitle = "Mode Petugas"
    public static func maintenanceLines(health: Health) -> [String] {
        [
            "Printer: " + (health.printerProblem.map(printerProblem) ?? "siap"),
            "Layanan: " + (health.outOfService ? "dihentikan" : "berjalan"),
            "Penyimpanan: " + (health.diskFull ? "penuh" : "cukup"),
        ]
    }
    public static let maintenancePrompt = "Mode petugas."
    public static let testPrint = "Uji Cetak"
    public static let paperRefilled = "Kertas Sudah Diisi"
    public static let stopService = "Hentikan Layanan"
    public static let resumeService = "Buka Layanan"
    public static let testPrinting = "Uji cetak sedang berjalan..."
    /// The test print's outcome per printer the kiosk has (`nil`: none of that kind).
    public static func testPrinted(letter: PrintOutcome?, slip: PrintOutcome?) -> String {
        let parts = [letter.map { "surat " + printed($0) }, slip.map { "struk " + printed($0) }].compactMap { $0 }
        return parts.isEmpty ? "Uji cetak: tidak ada printer terpasang." : "Uji cetak: " + parts.joined(separator: ", ")
    }
    private static func printed(_ outcome: PrintOutcome) -> String {
        switch outcome {
        case .printed: "tercetak"
        case .pending: "terkirim, belum pasti tercetak"
        case .failed(let problem): "gagal (\(printerProblem(problem)))"
        }
    }
    public static let printerChecking = "Memeriksa printer..."
    public static let printerReady = "Printer siap: layanan dapat dilanjutkan."
    public static func printerStillReports(_ problem: PrinterProblem) -> String {
        "Printer masih melaporkan: \(printerProblem(problem))."
    }
    /// The answer to "Kertas Sudah Diisi", in words: a printer that cannot report its status is named as such,
    /// with how its test print went.
    public static func printerChecked(_ check: PrinterCheck) -> String {
        switch check {
        case .ready: printerReady
        case .problem(let problem): printerStillReports(problem)
        // The operator stands at the printer: the words say the kiosk went by the test print, so they look at it.
        case .unreported(.printed): "Status printer tidak terbaca; uji cetak terkirim, layanan dilanjutkan."
        case .unreported(let outcome): "Status printer tidak terbaca; uji cetak \(printed(outcome))."
        }
    }
    public static let exit = "Keluar"
    public static let checkLetter = "Periksa Surat"

    /// Maintenance's "Periksa Surat": a letter number typed, and whether this kiosk issued it.
    public enum CheckLetter {
        public static let title = "Periksa Surat"
        public static let typeNumber = "Ketik nomor surat:"
        public static let prompt = "Ketik nomor surat, lalu sentuh OK."
        public static let checking = "Memeriksa..."
        public static let again = "Periksa Lagi"
        public static let letters = "ABC"
        public static let digits = "123"
        public static let issuedTitle = "Diterbitkan Kios Ini"
        public static let notIssuedTitle = "Tidak Diterbitkan Kios Ini"
        public static let malformedTitle = "Nomor Tidak Sah"
        public static let failedTitle = "Tidak Dapat Diperiksa"
        public static func number(_ number: String) -> String { "Nomor: \(number)" }
        public static func kind(_ title: String) -> String { "Jenis: \(title)" }
        public static func date(_ date: String) -> String { "Tanggal: \(date)" }
        public static let issued = "Surat ini diterbitkan oleh kios ini."
        public static let purged = [
            "Nomor ini diterbitkan oleh kios ini.", "Catatannya sudah dihapus setelah masa simpan;",
            "tanggalnya tidak dapat diperiksa lagi.",
        ]
        public static let notIssued = [
            "Nomor ini tidak diterbitkan oleh kios ini.", "Periksa lagi nomornya, atau tanyakan ke kantor desa.",
        ]
        public static func typed(_ text: String) -> String { "Diketik: \(text)" }
        public static let malformed = [
            "Bentuk nomor surat: KODE/NOMOR/KODE DESA/BULAN/TAHUN", "Contoh: S-41/007/1809072001/XI/2026",
        ]
        public static let failed = ["Catatan kios tidak dapat dibaca.", "Coba lagi, atau hubungi teknisi."]
    }
    public static let diagnostics = "Diagnostik Layar"
    public static let diagnosticsLines = [
        "Sentuh layar: tanda + muncul di titik sentuhan.", "Warna harus urut: merah, hijau, biru, putih, hitam.",
    ]

    /// The panel's facts on the diagnostics screen: a technician compares them with the panel's data sheet.
    public static func panelFacts(
        device: String, width: Int, height: Int, format: String, stride: Int, size: SizeMM, rotation: Int,
        panAndVsync: Bool, pages: Int
    ) -> [String] {
        [
            "Perangkat: \(device), \(width)x\(height) piksel, \(format), baris \(stride) byte",
            "Ukuran: \(size), rotasi \(rotation)°, pan+vsync: \(panAndVsync ? "ya" : "tidak"), \(pages) halaman",
        ]
    }

    /// Where a touch panel's calibration came from, on the diagnostics screen.
    public enum CalibrationSource {
        case configured, udev, none, udevMalformed
    }

    /// One input device on the diagnostics screen: a keypad's node and name; a touch panel's too, with its
    /// protocol, axis ranges and calibration with its source.
    public static func inputDevice(
        path: String, name: String,
        touch: (protocolName: String, x: AxisRange, y: AxisRange, calibration: String, source: CalibrationSource)?
    ) -> String {
        guard let touch else { return "Keypad: \(path) (\(name))" }
        let source =
            switch touch.source {
            case .configured: "konfigurasi"
            case .udev: "udev"
            case .none: "tidak ada"
            case .udevMalformed: "udev rusak, tidak dipakai"
            }
        return "Sentuh: \(path) (\(name)), \(touch.protocolName), "
            + "x \(touch.x.minimum)..\(touch.x.maximum), y \(touch.y.minimum)..\(touch.y.maximum), "
            + "kalibrasi \(touch.calibration) (\(source))"
    }

    /// The diagnostics screen's input line when no device is open.
    public static let noInputDevices = "Masukan: tidak ada perangkat terhubung"

    // Buttons
    public static let cancel = "Batal"
    public static let back = "Kembali"
    public static let print = "Cetak"
    public static let finish = "Selesai"
    public static let extend = "Lanjutkan"
    public static let previous = "Sebelumnya"
    public static let next = "Berikutnya"

    // Errors: what happened, then what to do.
    public static func errorTitle(_ error: KioskError) -> String {
        switch error {
        case .unknownCard: "Kartu Belum Terdaftar"
        case .cardUnreadable: "Kartu Tidak Terbaca"
        case .locked: "Kartu Dikunci Sementara"
        case .printer(.paperOut): "Kertas Habis"
        case .printer(.offline): "Printer Tidak Menyala"
        case .printer: "Printer Bermasalah"
        case .diskFull: "Penyimpanan Penuh"
        case .outOfService: "Layanan Sedang Tutup"
        case .storageFailed: "Terjadi Kesalahan"
        }
    }

    public static func errorLines(_ error: KioskError) -> [String] {
        switch error {
        case .unknownCard: ["e-KTP ini belum terdaftar untuk layanan mandiri.", "Silakan hubungi petugas desa."]
        case .cardUnreadable: ["Angkat kartu, lalu letakkan lagi.", "Jika tetap gagal, hubungi petugas desa."]
        case .locked: ["PIN salah terlalu banyak.", "Coba lagi nanti atau hubungi petugas desa."]
        case .printer(let problem):
            ["Surat belum tercetak (\(printerProblem(problem))).", "Silakan hubungi petugas desa."]
        case .diskFull: ["Layanan dihentikan sementara.", "Silakan hubungi petugas desa."]
        case .outOfService: ["Silakan datang lagi nanti", "atau hubungi petugas desa."]
        case .storageFailed: ["Surat tidak dapat dibuat.", "Silakan coba lagi atau hubungi petugas desa."]
        }
    }

    public static func printerProblem(_ problem: PrinterProblem) -> String {
        switch problem {
        case .paperOut: "kertas habis"
        case .coverOpen: "tutup printer terbuka"
        case .paperJam: "kertas macet"
        case .offline: "printer mati"
        case .cutterError: "pemotong kertas macet"
        case .unknown: "printer tidak menjawab"
        }
    }

    /// The province's verification page, which a letter's QR opens on any phone (`kiosk-sim api` serves the
    /// reference one): a bank clerk or a police officer reads it, so it says plainly what to do.
    public enum Verification {
        public static let pageTitle = "Pemeriksaan Surat Desa"
        public static let header = "Provinsi Lampung · Layanan Mandiri Desa"
        public static let valid = "SAH"
        public static let forged = "PALSU"
        public static let altered = "DIUBAH"
        public static let unknownKiosk = "KIOS TIDAK DIKENAL"
        public static let damaged = "KODE TIDAK TERBACA"
        public static let validLead = "Surat ini diterbitkan oleh kios layanan desa di bawah ini, dan kode QR-nya asli."
        public static let validNotYetRecorded =
            "Catatan surat ini belum sampai ke provinsi (kios mungkin belum tersambung). Tanda tangan kios tetap cocok."
        public static let forgedLead =
            "Kode QR ini tidak ditandatangani oleh kios yang disebutkannya. Jangan terima surat ini dan laporkan ke kantor desa."
        public static let alteredLead =
            "Kode QR ini berasal dari surat asli, tetapi isinya telah diubah. Data surat yang asli:"
        public static let unknownKioskLead =
            "Kios yang disebut kode QR ini tidak terdaftar di provinsi. Tanyakan keaslian surat ini ke kantor desa."
        public static let damagedLead =
            "Kode QR ini bukan kode surat desa, atau rusak (terpotong). Pindai ulang dari surat aslinya, atau tanyakan ke kantor desa."
        public static let compare =
            "Cocokkan nomor, tanggal, dan nama pada kertas dengan data di atas. Jika berbeda, surat itu telah diubah."
        public static let number = "Nomor surat"
        public static let kind = "Jenis surat"
        public static let date = "Tanggal"
        public static let village = "Desa"
        public static let kiosk = "Kios"
        public static let holder = "Pemegang"
        public static let holderUnknown = "belum tercatat di provinsi"
        public static let privacy = "Halaman ini tidak pernah menampilkan NIK. Nama pemegang disamarkan."
    }

    /// The village board beside the idle screen (Permendagri 20/2018 art. 39 and 72).
    public enum Board {
        public static func realisation(year: Int) -> String { "Realisasi APBDes \(year)" }
        public static func bidang(year: Int) -> String { "Belanja per Bidang \(year)" }
        public static func activities(year: Int) -> String { "Kegiatan Desa \(year)" }
        public static let announcements = "Pengumuman Desa"
        public static let of = "dari"
        public static let done = "Selesai"
        public static func activityCounts(done: String, notDone: String) -> String {
            "Selesai: \(done) · Belum selesai: \(notDone)"
        }
        public static func dataPer(_ date: String) -> String { "Data per \(date)" }
        public static func stale(since date: String) -> String { "BELUM DIPERBARUI sejak \(date)" }
        public static func complaints(_ place: String) -> String { "Pengaduan: \(place)" }
        public static func validUntil(_ date: String) -> String { "Berlaku sampai \(date)" }
        /// The page of the board opened in detail by a touch.
        public static let detailTitle = "Papan Informasi Desa"
        public static let detailPrompt = "Papan informasi desa. Sentuh Kembali untuk kembali."
    }
}
