import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { deflateSync } from 'node:zlib';
import { loadCovers } from '../../src/report/covers.js';
import { temporaryDir } from '../support/cli.js';

/** Returns a valid 1 × 1 PNG. */
function tinyPng(): Buffer {
  const crc = (bytes: Buffer) => {
    let c = ~0;
    for (const byte of bytes) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
    }
    return ~c >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc(body), 8 + data.length);
    return out;
  };
  const header = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from([0, 255, 0, 0]))), chunk('IEND', Buffer.alloc(0))]);
}

let server: Server;
let base = '';
before(async () => {
  server = createServer((request, response) => {
    if (request.url === '/cover.png') response.writeHead(200, { 'content-type': 'image/png' }).end(tinyPng());
    else if (request.url === '/page.html') response.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>');
    else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

test('covers: reachable and local images embedded', async () => {
  const local = join(temporaryDir(), 'local.png');
  writeFileSync(local, tinyPng());
  const covers = await loadCovers([`${base}/cover.png`, local], { cacheDir: temporaryDir() });
  assert.match(covers.get(`${base}/cover.png`) ?? '', /^data:image\/png;base64,/);
  assert.match(covers.get(local) ?? '', /^data:image\/png;base64,/);
});

test('covers: missing or non-image left out', async () => {
  const covers = await loadCovers([`${base}/missing.png`, `${base}/page.html`, '/no/such/file.png'], { cacheDir: temporaryDir() });
  assert.equal(covers.size, 0);
});
