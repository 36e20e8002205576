// A tiny static web server for the built sites, so that pages load in the
// browser as they would on a static host. One server (one free port) per
// run; the folder it serves is switched from one site to the next, so every
// site lives at the root of the same origin, as its root-relative links
// (/en/stories/) expect.
//
// Rules, like GitHub Pages, Netlify or a shared host:
//   /dir/        -> /dir/index.html
//   /dir         -> 301 to /dir/ when dir/index.html exists
//   missing file -> the site's /404.html with status 404
// Only GET and HEAD; nothing outside the served folder is ever read.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

function contentType(file) {
  if (file.endsWith('atom.xml')) return 'application/atom+xml; charset=utf-8';
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

async function isFile(p) {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}

// What a request path maps to: { file, status } or { redirect }.
export async function resolvePath(root, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    decoded = null;
  }
  if (decoded !== null && !decoded.includes('\0')) {
    const file = path.join(root, path.normalize(decoded));
    if (file === root || file.startsWith(root + path.sep)) {
      if (decoded.endsWith('/')) {
        const index = path.join(file, 'index.html');
        if (await isFile(index)) return { file: index, status: 200 };
      } else if (await isFile(file)) {
        return { file, status: 200 };
      } else if (await isFile(path.join(file, 'index.html'))) {
        return { redirect: `${urlPath}/` };
      }
    }
  }
  return { file: path.join(root, '404.html'), status: 404 };
}

async function handle(root, req, res) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const urlPath = new URL(req.url, 'http://x').pathname;
  const found = await resolvePath(root, urlPath);
  if (found.redirect) {
    res.writeHead(301, { Location: found.redirect }).end();
    return;
  }
  let body;
  try {
    body = await readFile(found.file);
  } catch {
    body = Buffer.from('Not found');
  }
  res.writeHead(found.status, {
    'Content-Type': contentType(found.file),
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

// Starts the server on 127.0.0.1 and a free port. Returns
// { origin, serve(folder), close() }.
export async function startServer() {
  let root = null;
  const server = createServer((req, res) => {
    if (!root) {
      res.writeHead(503).end();
      return;
    }
    handle(root, req, res).catch((err) => {
      res.writeHead(500).end(String(err));
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    serve(folder) {
      root = path.resolve(folder);
    },
    close() {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
