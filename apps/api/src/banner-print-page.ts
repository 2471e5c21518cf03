// The printable sheet of every kelurahan's banner QR code: one self-contained HTML page (the QR codes
// are inline SVG data URLs, the CSS is inline), so it prints the same offline and loads nothing from
// anywhere. Vector QR codes stay sharp at any print size.
import type { BannerChannel, BannerSite } from '@loket/core';

export type PrintableBanner = { site: BannerSite; link: string; qrSvg: string };

const CHANNEL_NAMES: Record<BannerChannel, string> = {
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  instagram: 'Instagram',
};

/** The page's own headers: nothing but inline styles and data: images may load. */
export const PRINT_PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; img-src data:; style-src 'unsafe-inline'",
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
};

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char] ?? char);
}

function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(svg, 'utf8').toString('base64')}`;
}

// A4 portrait with 10 mm margins leaves 190 x 277 mm: three columns of four cards, twelve a page.
const STYLE = `
@page { size: A4 portrait; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111; }
header { margin: 0 0 6mm; }
header h1 { font-size: 16pt; margin: 0 0 2mm; }
header p { margin: 0; font-size: 10pt; color: #444; }
.grid { display: grid; grid-template-columns: repeat(3, 1fr); gap: 5mm; }
.card { border: 0.3mm dashed #888; padding: 3mm; margin: 0; text-align: center;
  break-inside: avoid; page-break-inside: avoid; display: flex; flex-direction: column; align-items: center; }
.card h2 { font-size: 12pt; margin: 0; }
.card .kecamatan { font-size: 9pt; color: #444; margin: 0.5mm 0 1.5mm; }
.card img { width: 36mm; height: 36mm; }
.card .cta { font-size: 8pt; margin: 1.5mm 0 0; }
.card .code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 7pt; color: #555; margin: 0.5mm 0 0; }
@media screen { body { padding: 10mm; max-width: 210mm; margin: auto; } }
@media print { .screen-only { display: none; } }
`;

export function bannerPrintPage(options: {
  officeName: string;
  channel: BannerChannel;
  account: string;
  banners: readonly PrintableBanner[];
}): string {
  const { officeName, channel, account, banners } = options;
  const channelName = CHANNEL_NAMES[channel];
  const cards = banners
    .map(
      ({ site, link, qrSvg }) => `
  <figure class="card">
    <h2>${escapeHtml(site.kelurahan)}</h2>
    <p class="kecamatan">Kecamatan ${escapeHtml(site.kecamatan)}</p>
    <img src="${svgDataUrl(qrSvg)}" alt="${escapeHtml(`QR ${channelName}: ${link}`)}">
    <p class="cta">Pindai untuk chat dengan ${escapeHtml(officeName)} lewat ${channelName}</p>
    <p class="code">${escapeHtml(site.code)}</p>
  </figure>`,
    )
    .join('');
  return `<!doctype html>
<html lang="id">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`QR spanduk kelurahan (${channelName}) - ${officeName}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
  <h1>${escapeHtml(officeName)}: QR spanduk kelurahan, ${channelName}</h1>
  <p>${banners.length} kelurahan, akun ${escapeHtml(account)}. Setiap QR membawa kode kelurahannya, sehingga laporan menghitung warga yang datang dari spanduk itu.</p>
  <p class="screen-only">Cetak halaman ini di kertas A4 (Ctrl+P), lalu gunting sepanjang garis putus-putus.</p>
</header>
<main class="grid">${cards}
</main>
</body>
</html>
`;
}
