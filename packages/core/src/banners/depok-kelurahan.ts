// The default office's banner sites: Kota Depok's 11 kecamatan and 63 kelurahan, each with the code
// its banner's links carry (Telegram /start payload, WhatsApp prefilled text, Instagram ig.me ref).
//
// Generated from the project's shared seed data, `depok-kelurahan.json` (Kota Depok, Jawa Barat,
// Kemendagri 32.76), with its order kept: kecamatan, then kelurahan, alphabetical. Its note: "Codes
// here are slugs made for banner deep links, not official Kemendagri codes."
// Contacts and tickets store these codes and reports group by them: never rename a code that is
// printed on a banner; add a new entry instead.

export type BannerSite = {
  /** The code in the banner's links: `<kecamatan>--<kelurahan>`, lower case. */
  code: string;
  kelurahan: string;
  kecamatan: string;
};

export const DEPOK_KELURAHAN: readonly BannerSite[] = [
  { code: 'beji--beji', kelurahan: 'Beji', kecamatan: 'Beji' },
  { code: 'beji--beji-timur', kelurahan: 'Beji Timur', kecamatan: 'Beji' },
  { code: 'beji--kemiri-muka', kelurahan: 'Kemiri Muka', kecamatan: 'Beji' },
  { code: 'beji--kukusan', kelurahan: 'Kukusan', kecamatan: 'Beji' },
  { code: 'beji--pondok-cina', kelurahan: 'Pondok Cina', kecamatan: 'Beji' },
  { code: 'beji--tanah-baru', kelurahan: 'Tanah Baru', kecamatan: 'Beji' },
  { code: 'bojongsari--bojongsari', kelurahan: 'Bojongsari', kecamatan: 'Bojongsari' },
  { code: 'bojongsari--bojongsari-baru', kelurahan: 'Bojongsari Baru', kecamatan: 'Bojongsari' },
  { code: 'bojongsari--curug', kelurahan: 'Curug', kecamatan: 'Bojongsari' },
  { code: 'bojongsari--duren-mekar', kelurahan: 'Duren Mekar', kecamatan: 'Bojongsari' },
  { code: 'bojongsari--duren-seribu', kelurahan: 'Duren Seribu', kecamatan: 'Bojongsari' },
  { code: 'bojongsari--pondok-petir', kelurahan: 'Pondok Petir', kecamatan: 'Bojongsari' },
  { code: 'bojongsari--serua', kelurahan: 'Serua', kecamatan: 'Bojongsari' },
  { code: 'cilodong--cilodong', kelurahan: 'Cilodong', kecamatan: 'Cilodong' },
  { code: 'cilodong--jatimulya', kelurahan: 'Jatimulya', kecamatan: 'Cilodong' },
  { code: 'cilodong--kalibaru', kelurahan: 'Kalibaru', kecamatan: 'Cilodong' },
  { code: 'cilodong--kalimulya', kelurahan: 'Kalimulya', kecamatan: 'Cilodong' },
  { code: 'cilodong--sukamaju', kelurahan: 'Sukamaju', kecamatan: 'Cilodong' },
  { code: 'cimanggis--cisalak-pasar', kelurahan: 'Cisalak Pasar', kecamatan: 'Cimanggis' },
  { code: 'cimanggis--curug', kelurahan: 'Curug', kecamatan: 'Cimanggis' },
  { code: 'cimanggis--harjamukti', kelurahan: 'Harjamukti', kecamatan: 'Cimanggis' },
  { code: 'cimanggis--mekarsari', kelurahan: 'Mekarsari', kecamatan: 'Cimanggis' },
  { code: 'cimanggis--pasir-gunung-selatan', kelurahan: 'Pasir Gunung Selatan', kecamatan: 'Cimanggis' },
  { code: 'cimanggis--tugu', kelurahan: 'Tugu', kecamatan: 'Cimanggis' },
  { code: 'cinere--cinere', kelurahan: 'Cinere', kecamatan: 'Cinere' },
  { code: 'cinere--gandul', kelurahan: 'Gandul', kecamatan: 'Cinere' },
  { code: 'cinere--pangkalan-jati', kelurahan: 'Pangkalan Jati', kecamatan: 'Cinere' },
  { code: 'cinere--pangkalan-jati-baru', kelurahan: 'Pangkalan Jati Baru', kecamatan: 'Cinere' },
  { code: 'cipayung--bojong-pondok-terong', kelurahan: 'Bojong Pondok Terong', kecamatan: 'Cipayung' },
  { code: 'cipayung--cipayung', kelurahan: 'Cipayung', kecamatan: 'Cipayung' },
  { code: 'cipayung--cipayung-jaya', kelurahan: 'Cipayung Jaya', kecamatan: 'Cipayung' },
  { code: 'cipayung--pondok-jaya', kelurahan: 'Pondok Jaya', kecamatan: 'Cipayung' },
  { code: 'cipayung--ratu-jaya', kelurahan: 'Ratu Jaya', kecamatan: 'Cipayung' },
  { code: 'limo--grogol', kelurahan: 'Grogol', kecamatan: 'Limo' },
  { code: 'limo--krukut', kelurahan: 'Krukut', kecamatan: 'Limo' },
  { code: 'limo--limo', kelurahan: 'Limo', kecamatan: 'Limo' },
  { code: 'limo--meruyung', kelurahan: 'Meruyung', kecamatan: 'Limo' },
  { code: 'pancoran-mas--depok', kelurahan: 'Depok', kecamatan: 'Pancoran Mas' },
  { code: 'pancoran-mas--depok-jaya', kelurahan: 'Depok Jaya', kecamatan: 'Pancoran Mas' },
  { code: 'pancoran-mas--mampang', kelurahan: 'Mampang', kecamatan: 'Pancoran Mas' },
  { code: 'pancoran-mas--pancoran-mas', kelurahan: 'Pancoran Mas', kecamatan: 'Pancoran Mas' },
  { code: 'pancoran-mas--rangkapan-jaya', kelurahan: 'Rangkapan Jaya', kecamatan: 'Pancoran Mas' },
  { code: 'pancoran-mas--rangkapan-jaya-baru', kelurahan: 'Rangkapan Jaya Baru', kecamatan: 'Pancoran Mas' },
  { code: 'sawangan--bedahan', kelurahan: 'Bedahan', kecamatan: 'Sawangan' },
  { code: 'sawangan--cinangka', kelurahan: 'Cinangka', kecamatan: 'Sawangan' },
  { code: 'sawangan--kedaung', kelurahan: 'Kedaung', kecamatan: 'Sawangan' },
  { code: 'sawangan--pasir-putih', kelurahan: 'Pasir Putih', kecamatan: 'Sawangan' },
  { code: 'sawangan--pengasinan', kelurahan: 'Pengasinan', kecamatan: 'Sawangan' },
  { code: 'sawangan--sawangan', kelurahan: 'Sawangan', kecamatan: 'Sawangan' },
  { code: 'sawangan--sawangan-baru', kelurahan: 'Sawangan Baru', kecamatan: 'Sawangan' },
  { code: 'sukmajaya--abadijaya', kelurahan: 'Abadijaya', kecamatan: 'Sukmajaya' },
  { code: 'sukmajaya--bakti-jaya', kelurahan: 'Bakti Jaya', kecamatan: 'Sukmajaya' },
  { code: 'sukmajaya--cisalak', kelurahan: 'Cisalak', kecamatan: 'Sukmajaya' },
  { code: 'sukmajaya--mekarjaya', kelurahan: 'Mekarjaya', kecamatan: 'Sukmajaya' },
  { code: 'sukmajaya--sukmajaya', kelurahan: 'Sukmajaya', kecamatan: 'Sukmajaya' },
  { code: 'sukmajaya--tirtajaya', kelurahan: 'Tirtajaya', kecamatan: 'Sukmajaya' },
  { code: 'tapos--cilangkap', kelurahan: 'Cilangkap', kecamatan: 'Tapos' },
  { code: 'tapos--cimpaeun', kelurahan: 'Cimpaeun', kecamatan: 'Tapos' },
  { code: 'tapos--jatijajar', kelurahan: 'Jatijajar', kecamatan: 'Tapos' },
  { code: 'tapos--leuwinanggung', kelurahan: 'Leuwinanggung', kecamatan: 'Tapos' },
  { code: 'tapos--sukamaju-baru', kelurahan: 'Sukamaju Baru', kecamatan: 'Tapos' },
  { code: 'tapos--sukatani', kelurahan: 'Sukatani', kecamatan: 'Tapos' },
  { code: 'tapos--tapos', kelurahan: 'Tapos', kecamatan: 'Tapos' },
];
