#!/usr/bin/python3
"""The plain method for the quality bench: Snelgrove/Gatys done straightforwardly in PyTorch.

The bundled ResNet-18 and the Gaussian pyramid come from bench/reference.py (imported, not
copied); on top of them, with nothing of our engine's schedule or tricks:

* the Gram loss of the given layers summed over the octaves of the pyramid (reference.Objective
  with no total-variation term), plus for a transfer the content loss at octave 0;
* torch.optim.LBFGS(line_search_fn="strong_wolfe") for a budget of objective evaluations, in one
  run at the output size: from uniform noise (texture) or from the content (transfer);
* the result clamped to [0, 1] and written as an 8-bit PNG.

Outputs are cached: the key hashes this file, reference.py, the model, the input files and every
setting that changes the result, so a rerun with the same inputs and code skips the work.

    /usr/bin/python3 quality/plain.py CONFIG.json

CONFIG.json (written by the quality tool's `prepare`): name, model, threads, seed, evaluations,
octaves, styleLayers [{name, weight}], contentLayer, weights {style, content}, inputs {style,
content|null} (raw float32 files with a JSON sidecar, as the bench's), output (PNG), result
(JSON: seconds, evaluations, loss, cached, key), cacheDirectory.
"""
import hashlib
import json
import os
import shutil
import struct
import sys
import time
import zlib

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'bench'))
import reference  # noqa: E402  (the network, the pyramid and the Gram objective)

# Settings that change the result; paths, thread count and the cache's place do not.
RESULT_SETTINGS = ['seed', 'evaluations', 'octaves', 'styleLayers', 'contentLayer', 'weights']


def file_hash(path, h):
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(1 << 20), b''):
            h.update(block)


def cache_key(config):
    h = hashlib.sha256()
    for code in (os.path.abspath(__file__), os.path.abspath(reference.__file__)):
        file_hash(code, h)
    file_hash(config['model'], h)
    for name in ('style', 'content'):
        path = config['inputs'].get(name)
        h.update(name.encode())
        if path:
            file_hash(path, h)
            file_hash(path + '.json', h)
    h.update(json.dumps({k: config[k] for k in RESULT_SETTINGS}, sort_keys=True).encode())
    return h.hexdigest()[:32]


def write_png(path, image):
    """An [1,3,H,W] tensor in [0,1] as an 8-bit RGB PNG (zlib only: no image library needed), written atomically."""
    rgb = np.round(image[0].clamp(0, 1).permute(1, 2, 0).cpu().numpy() * 255).astype(np.uint8)
    h, w, _ = rgb.shape
    rows = b''.join(b'\x00' + row.tobytes() for row in rgb)

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff)

    png = (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 2, 0, 0, 0))
           + chunk(b'IDAT', zlib.compress(rows, 9)) + chunk(b'IEND', b''))
    temp = path + '.partial'
    with open(temp, 'wb') as f:
        f.write(png)
    os.replace(temp, path)


def synthesise(config):
    """The plain method itself: returns the image and the number of objective evaluations it took."""
    torch.manual_seed(config['seed'])
    net = reference.OnnxResNet(config['model'], torch.device('cpu'))
    style = reference.read_raw(config['inputs']['style'])
    content = reference.read_raw(config['inputs']['content']) if config['inputs'].get('content') else None
    weights = dict(config['weights'], totalVariation=0.0)  # no TV term
    layers = [l['name'] for l in config['styleLayers']]
    targets = reference.StyleTargets(net, style, config['octaves'], layers, config['inputs'])  # no colour inputs: no colour term
    objective = reference.Objective(net, dict(config, weights=weights), targets, content)
    start = content.clone() if content is not None else torch.rand(1, 3, config['height'], config['width'])
    pixels = start.requires_grad_(True)
    optimizer = torch.optim.LBFGS([pixels], lr=1, max_iter=config['evaluations'], max_eval=config['evaluations'],
                                  tolerance_grad=0, tolerance_change=0, line_search_fn='strong_wolfe')
    evaluations = [0]
    last = [float('nan')]

    def closure():
        optimizer.zero_grad()
        total, _ = objective(pixels)
        total.backward()
        evaluations[0] += 1
        last[0] = total.item()
        return total

    optimizer.step(closure)
    return pixels.detach(), evaluations[0], last[0]


def main(config_path):
    with open(config_path) as f:
        config = json.load(f)
    torch.set_num_threads(config['threads'])
    key = cache_key(config)
    cache = config['cacheDirectory']
    cached_png, cached_json = os.path.join(cache, key + '.png'), os.path.join(cache, key + '.json')
    if os.path.exists(cached_png) and os.path.exists(cached_json):
        with open(cached_json) as f:
            result = dict(json.load(f), cached=True)
        shutil.copyfile(cached_png, config['output'])
    else:
        clock = time.perf_counter()
        image, evaluations, loss = synthesise(config)
        write_png(config['output'], image)
        result = {'seconds': time.perf_counter() - clock, 'evaluations': evaluations, 'loss': loss,
                  'threads': torch.get_num_threads(), 'torch': torch.__version__, 'key': key, 'cached': False}
        os.makedirs(cache, exist_ok=True)
        shutil.copyfile(config['output'], cached_png + '.partial')
        os.replace(cached_png + '.partial', cached_png)
        with open(cached_json, 'w') as f:
            json.dump(result, f, indent=2)
    with open(config['result'], 'w') as f:
        json.dump(result, f, indent=2)
    print(f"  plain: {config['name']}: {result['seconds']:.1f} s, {result['evaluations']} evaluations"
          f"{' (cached)' if result['cached'] else ''}", flush=True)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
