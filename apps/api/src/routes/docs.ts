import type { LoketApp } from '../app.ts';

// The page loads Scalar's renderer from its CDN in the reader's browser; the server stays offline.
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Loket API</title><meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<noscript>The API reference needs JavaScript. The raw document is at <a href="/openapi.json">/openapi.json</a>.</noscript>
<script id="api-reference" data-url="/openapi.json"></script>
<script src="https://cdn.jsdelivr.net/npm/@scalar/api-reference"></script>
</body>
</html>`;

export function registerDocsRoutes(app: LoketApp): void {
  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Loket API',
      version: '1.0.0',
      description:
        'One inbox for citizens writing on WhatsApp, Telegram and Instagram. Everything under /v1 needs `Authorization: Bearer <token>`.',
    },
    security: [{ bearer: [] }],
  });
  app.get('/docs', (c) => c.html(DOCS_PAGE));
}
