// Reference boxes from face-api.js's TinyFaceDetector on tfjs's plain CPU
// backend, for PPM (P6) images given on the command line.
const faceapi = require('face-api.js');
const fs = require('fs');
const path = require('path');
const tf = faceapi.tf;
function readPPM(p) {
  const b = fs.readFileSync(p);
  let pos = 0; const tok = [];
  const ws = c => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
  while (tok.length < 4) {
    while (ws(b[pos])) pos++;
    const s = pos; while (!ws(b[pos])) pos++;
    tok.push(b.toString('latin1', s, pos));
  }
  pos++;
  const w = +tok[1], h = +tok[2];
  return tf.tensor3d(Int32Array.from(b.subarray(pos, pos + w * h * 3)), [h, w, 3], 'int32');
}
(async () => {
  await tf.setBackend('cpu'); await tf.ready();
  const dir = process.env.MODEL_DIR;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'tiny_face_detector_model-weights_manifest.json')));
  const bin = fs.readFileSync(path.join(dir, manifest[0].paths[0]));
  const ab = bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.length);
  const wm = tf.io.decodeWeights(ab, manifest[0].weights);
  faceapi.nets.tinyFaceDetector.loadFromWeightMap(wm);
  const inputSize = +(process.env.INPUT_SIZE || 416);
  const scoreThreshold = +(process.env.SCORE || 0.1);
  const out = {};
  for (const f of process.argv.slice(2)) {
    const img = readPPM(f);
    const dets = await faceapi.detectAllFaces(img, new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold }));
    out[path.basename(f)] = dets.map(d => ({ x: d.box.x, y: d.box.y, w: d.box.width, h: d.box.height, score: d.score }));
    img.dispose();
  }
  console.log(JSON.stringify(out, null, 1));
})().catch(e => { console.error(e); process.exit(1); });
