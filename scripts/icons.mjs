// Draws the app's icons into resources/: the application icon (electron-builder makes the .ico and .icns
// from icon.png) and the tray icons (colour for Windows and Linux, a black template image for macOS).
// The drawing is two arrows chasing each other round a circle, the usual sign for "sync".
// Run it again after changing the drawing: `node scripts/icons.mjs`.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const out = path.resolve('resources');

function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function png(size, rgba) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

/** Coverage (0..1) of the sync sign at a point of the unit square (centre 0.5, 0.5). */
function syncSign(x, y, weight) {
  const dx = x - 0.5;
  const dy = y - 0.5;
  const r = Math.hypot(dx, dy);
  const a = Math.atan2(dy, dx); // -π..π
  const radius = 0.3;
  const ring = Math.abs(r - radius) < weight / 2;
  // Two arcs, each leaving a gap before the other's head.
  const inArc = (start) => {
    let t = a - start;
    while (t < 0) t += 2 * Math.PI;
    return t < Math.PI * 0.78;
  };
  if (ring && (inArc(0.2) || inArc(0.2 + Math.PI))) return true;
  // Arrow heads at the end of each arc, pointing along the circle.
  for (const end of [0.2 + Math.PI * 0.78, 0.2 + Math.PI * 1.78]) {
    const cx = 0.5 + radius * Math.cos(end);
    const cy = 0.5 + radius * Math.sin(end);
    const tx = -Math.sin(end); // tangent (direction of travel)
    const ty = Math.cos(end);
    const px = x - cx;
    const py = y - cy;
    const along = px * tx + py * ty; // 0 at the base, headLength at the tip
    const across = px * Math.cos(end) + py * Math.sin(end);
    const head = weight * 1.8;
    if (along >= 0 && along <= head && Math.abs(across) <= (head - along) * 0.75) return true;
  }
  return false;
}

function draw(size, { background, foreground, weight }) {
  const rgba = Buffer.alloc(size * size * 4);
  const samples = 4;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let cover = 0;
      let inside = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (background) {
            // A rounded square.
            const qx = Math.max(Math.abs(x - 0.5) - 0.5 + 0.06 + 0.18, 0);
            const qy = Math.max(Math.abs(y - 0.5) - 0.5 + 0.06 + 0.18, 0);
            if (Math.hypot(qx, qy) <= 0.18) inside++;
          }
          if (syncSign(x, y, weight)) cover++;
        }
      }
      const n = samples * samples;
      const i = (py * size + px) * 4;
      const fg = cover / n;
      const bg = background ? inside / n : 0;
      const alpha = Math.max(fg, bg);
      const mix = (f, b) => (alpha === 0 ? 0 : Math.round((f * fg + b * bg * (1 - fg)) / alpha));
      const b = background ?? [0, 0, 0];
      rgba[i] = mix(foreground[0], b[0]);
      rgba[i + 1] = mix(foreground[1], b[1]);
      rgba[i + 2] = mix(foreground[2], b[2]);
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  return png(size, rgba);
}

fs.mkdirSync(path.join(out, 'tray'), { recursive: true });
const blue = [31, 95, 191];
fs.writeFileSync(path.join(out, 'icon.png'), draw(1024, { background: blue, foreground: [255, 255, 255], weight: 0.085 }));
fs.writeFileSync(path.join(out, 'tray', 'tray.png'), draw(32, { background: null, foreground: blue, weight: 0.13 }));
fs.writeFileSync(path.join(out, 'tray', 'trayTemplate.png'), draw(16, { background: null, foreground: [0, 0, 0], weight: 0.14 }));
fs.writeFileSync(path.join(out, 'tray', 'trayTemplate@2x.png'), draw(32, { background: null, foreground: [0, 0, 0], weight: 0.13 }));
console.log('icons written to resources/');
