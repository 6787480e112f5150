#!/usr/bin/python3
"""Independent PyTorch reference for the NeuralStyle bench.

Does the same work as one NeuralStyle optimisation step, written from the method's description
and not from our C# code: the bundled ResNet-18 (ONNX) rebuilt in torch with reflect padding,
Snelgrove's multi-octave Gram loss, content loss, relative total variation, and
torch.optim.LBFGS with one evaluation per step.

Run with Debian's python3-torch (1.13), python3-onnx and python3-numpy:

    /usr/bin/python3 bench/reference.py run CONFIG.json RESULT.json
    /usr/bin/python3 bench/reference.py job CONFIG.json RESULT.json      (a whole coarse-to-fine job)
    /usr/bin/python3 bench/reference.py peak DEVICE THREADS RESULT.json
    /usr/bin/python3 bench/reference.py info

The C# bench writes CONFIG.json and the input images (raw float32 + JSON sidecar) and reads
RESULT.json back.
"""
import json
import os
import platform
import statistics
import sys
import time

import numpy as np
import onnx
from onnx import numpy_helper
import torch
import torch.nn.functional as F

# Per-channel B, G, R means of the mean image the network's own preprocessing (ResNetPreprocess.onnx) subtracts.
BGR_MEAN = [103.06262, 115.902885, 123.151634]
# Burt & Adelson's 5-tap kernel with a = 0.4.
PYRAMID_TAPS = [0.05, 0.25, 0.4, 0.25, 0.05]
EPS = 1e-12


# ---------------------------------------------------------------- memory (Linux /proc)

def proc_status(key):
    """A Vm* line of /proc/self/status in bytes."""
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1]) * 1024
    raise KeyError(key)


def reset_peak_rss():
    """Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0), so the peak covers the steps only."""
    with open('/proc/self/clear_refs', 'w') as f:
        f.write('5')


# ---------------------------------------------------------------- the network, from the ONNX graph

class Conv:
    """A convolution with its batch norm folded in (in float64, then float32), and its stride."""

    def __init__(self, weight, bias, stride):
        self.weight = weight
        self.bias = bias
        self.stride = stride
        self.k = weight.shape[2]

    def to(self, device):
        self.weight = self.weight.to(device)
        self.bias = self.bias.to(device)
        return self


class OnnxResNet:
    """Stem (conv 7x7/2 + BN + ReLU), max-pool 3x3/2, then stages of basic blocks, read by following the graph.

    This export (CNTK) has blocks [2, 2, 2, 3]; stages begin where a block has a projection shortcut.
    Every pad is REFLECT, symmetric k//2 (the engine's synthesis padding).
    """

    def __init__(self, path, device):
        model = onnx.load(path)
        graph = model.graph
        self.init = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
        self.consumers = {}
        for node in graph.node:
            for name in set(node.input):
                self.consumers.setdefault(name, []).append(node)
        x = [i.name for i in graph.input if i.name not in self.init][0]

        stem_conv = self.only(x, 'Conv')
        stem_bn = self.only(stem_conv.output[0], 'BatchNormalization')
        stem_relu = self.only(stem_bn.output[0], 'Relu')
        self.stem = self.fold(stem_conv, stem_bn)
        pool = self.only(stem_relu.output[0], 'MaxPool')
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in pool.attribute}
        self.pool_k, self.pool_s = attrs['kernel_shape'][0], attrs['strides'][0]
        x = pool.output[0]

        self.stages = []
        while any(n.op_type == 'Conv' for n in self.consumers.get(x, [])):
            block, x = self.read_block(x)
            if not self.stages or block[2] is not None:
                self.stages.append([])
            self.stages[-1].append(block)
        for conv in self.all_convs():
            conv.to(device)

    def only(self, tensor, op):
        nodes = self.consumers.get(tensor, [])
        if len(nodes) != 1 or nodes[0].op_type != op:
            raise ValueError(f'{tensor} should feed one {op}, feeds {[n.op_type for n in nodes]}')
        return nodes[0]

    def read_block(self, x):
        main = proj = None
        for conv in [n for n in self.consumers[x] if n.op_type == 'Conv']:
            bn = self.only(conv.output[0], 'BatchNormalization')
            after = self.consumers[bn.output[0]][0].op_type
            if after == 'Relu':
                main = (conv, bn)
            elif after == 'Add':
                proj = (conv, bn)
        relu1 = self.only(main[1].output[0], 'Relu')
        conv2 = self.only(relu1.output[0], 'Conv')
        bn2 = self.only(conv2.output[0], 'BatchNormalization')
        add = self.only(bn2.output[0], 'Add')
        relu2 = self.only(add.output[0], 'Relu')
        block = (self.fold(*main), self.fold(conv2, bn2), self.fold(*proj) if proj else None)
        return block, relu2.output[0]

    def fold(self, conv, bn):
        w = self.init[conv.input[1]].astype(np.float64)
        b = self.init[conv.input[2]].astype(np.float64) if len(conv.input) > 2 else np.zeros(w.shape[0])
        gamma, beta, mean, var = (self.init[n].astype(np.float64) for n in bn.input[1:5])
        eps = next((a.f for a in bn.attribute if a.name == 'epsilon'), 1e-5)
        scale = gamma / np.sqrt(var + eps)
        stride = next(a.ints[0] for a in conv.attribute if a.name == 'strides')
        return Conv(torch.from_numpy((w * scale[:, None, None, None]).astype(np.float32)),
                    torch.from_numpy(((b - mean) * scale + beta).astype(np.float32)), stride)

    def all_convs(self):
        yield self.stem
        for stage in self.stages:
            for block in stage:
                yield from (c for c in block if c is not None)

    # -- forward

    def conv(self, x, c, flops):
        p = c.k // 2
        if p:
            x = F.pad(x, (p, p, p, p), mode='reflect')
        y = F.conv2d(x, c.weight, c.bias, stride=c.stride)
        # Counted from the shapes actually run: 2·Cin·Cout·k²·Hout·Wout multiply-adds as two FLOPs each.
        flops[0] += 2 * c.weight.shape[1] * c.weight.shape[0] * c.k * c.k * y.shape[2] * y.shape[3]
        return y

    def block(self, x, block, flops):
        conv1, conv2, proj = block
        out = F.relu(self.conv(x, conv1, flops), inplace=True)
        out = self.conv(out, conv2, flops)
        # As torchvision's BasicBlock: in-place residual add and ReLU.
        out += self.conv(x, proj, flops) if proj is not None else x
        return F.relu(out, inplace=True)

    def features(self, rgb01, wanted, flops):
        """Activations of the wanted layers (stem, layer1..layerN); runs only as deep as needed."""
        bgr = rgb01[:, [2, 1, 0]] * 255.0
        x = bgr - torch.tensor(BGR_MEAN, device=rgb01.device).view(1, 3, 1, 1)
        out = {}
        x = F.relu(self.conv(x, self.stem, flops), inplace=True)
        out['stem'] = x
        p = self.pool_k // 2
        x = F.max_pool2d(F.pad(x, (p, p, p, p), mode='reflect'), self.pool_k, self.pool_s)
        deepest = max(int(name[5:]) if name.startswith('layer') else 0 for name in wanted)
        for i in range(deepest):
            for block in self.stages[i]:
                x = self.block(x, block, flops)
            out[f'layer{i + 1}'] = x
        return {k: out[k] for k in wanted}


# ---------------------------------------------------------------- pyramid and losses

def blur(x):
    """Separable 5-tap blur per channel with reflected borders, size kept."""
    c = x.shape[1]
    taps = torch.tensor(PYRAMID_TAPS, dtype=x.dtype, device=x.device)
    x = F.conv2d(F.pad(x, (2, 2, 0, 0), mode='reflect'), taps.view(1, 1, 1, 5).repeat(c, 1, 1, 1), groups=c)
    return F.conv2d(F.pad(x, (0, 0, 2, 2), mode='reflect'), taps.view(1, 1, 5, 1).repeat(c, 1, 1, 1), groups=c)


def pyramid(image, octaves):
    levels = [image]
    for _ in range(octaves - 1):
        levels.append(blur(levels[-1])[:, :, ::2, ::2])
    return levels


def gram(f):
    _, c, h, w = f.shape
    flat = f.reshape(c, h * w)
    return flat @ flat.t() / (c * h * w)


def total_variation(image):
    dx = (image[:, :, :, 1:] - image[:, :, :, :-1]).square().mean()
    dy = (image[:, :, 1:, :] - image[:, :, :-1, :]).square().mean()
    return dx + dy


class StyleTargets:
    """Gram targets and ‖T‖² per style layer on every octave of the style's pyramid, the style's TV per octave, and
    the colour term's targets per octave: the style's pixels projected on fixed directions ([3,K]), sorted, and their
    mean variance. The directions and the sampled pixels (at most 65536 per octave) come from the C# side, so both
    engines compare with the same quantiles."""

    def __init__(self, net, style, octaves, layers, inputs):
        unused = [0]
        with torch.no_grad():
            self.levels = []
            self.roughness = []
            for level in pyramid(style, octaves):
                feats = net.features(level, layers, unused)
                grams = [gram(feats[n]) for n in layers]
                self.levels.append([(g, g.square().sum()) for g in grams])
                self.roughness.append(max(total_variation(level).item(), 1e-6))
            self.colours = []
            if inputs.get('colourDirections'):
                self.directions = read_raw(inputs['colourDirections']).to(style.device)
                for path in inputs['colourPixels'][:octaves]:
                    projected = self.directions.t() @ read_raw(path).to(style.device)
                    self.colours.append((projected.sort(1).values, projected.var(1).mean() + EPS))


def colour_distance(image, directions, sorted_source, variance):
    """Sliced Wasserstein distance of the image's pixels to the source's on the fixed directions: mean over directions
    and pixels of (sorted projection − source quantile)², the source's quantiles linearly interpolated to the
    image's pixel count, relative to the source's variance."""
    projected = (directions.t() @ image[0].reshape(3, -1)).sort(1).values
    n = projected.shape[1]
    target = sorted_source if sorted_source.shape[1] == n else \
        F.interpolate(sorted_source.unsqueeze(0), size=n, mode='linear', align_corners=True).squeeze(0)
    return (projected - target).square().mean() / variance


class Objective:
    """style = Σ_octaves Σ_layers w·‖G−T‖²/‖T‖² · (Style/Σw); content = Content·‖F−P‖²/‖P‖² at octave 0;
    TV = weight / (style image's TV at the stage's scale) · TV(image); colour (added to style, as our engine reports it) =
    Colour · colour_distance(image, the style's octave at the stage's offset).

    A coarse-to-fine stage at 1/2^offset of the final size matches the style's octaves offset, offset+1, …
    (offset 0: a single-stage run)."""

    def __init__(self, net, config, targets, content, offset=0):
        self.net = net
        self.octaves = len(targets.levels) - offset
        self.layers = [l['name'] for l in config['styleLayers']]
        self.layer_weights = [l['weight'] for l in config['styleLayers']]
        w = config['weights']
        self.w_style, self.w_content, self.w_tv = w['style'], w['content'], w['totalVariation']
        self.w_colour = w.get('colour', 0.0)
        if self.w_colour > 0:
            self.directions = targets.directions
            self.colour = targets.colours[offset]
        self.content_layer = config['contentLayer']
        self.targets = targets.levels[offset:]
        self.roughness = targets.roughness[offset]
        unused = [0]
        with torch.no_grad():
            self.content = None
            if content is not None and self.w_content > 0:
                p = net.features(content, [self.content_layer], unused)[self.content_layer]
                self.content = (p, p.square().sum())
        self.flops = [0]

    def __call__(self, image):
        """Total loss (with graph) and the weighted terms as floats."""
        self.flops[0] = 0
        total = image.new_zeros(())
        style_value = content_value = 0.0
        for octave, level in enumerate(pyramid(image, self.octaves)):
            wanted = list(self.layers)
            with_content = octave == 0 and self.content is not None
            if with_content and self.content_layer not in wanted:
                wanted.append(self.content_layer)
            feats = self.net.features(level, wanted, self.flops)
            loss = 0
            for name, lw, (t, t2) in zip(self.layers, self.layer_weights, self.targets[octave]):
                loss = loss + lw * (gram(feats[name]) - t).square().sum() / (t2 + EPS)
            term = loss * (self.w_style / sum(self.layer_weights))
            style_value += term.item()
            total = total + term
            if with_content:
                p, p2 = self.content
                term = (feats[self.content_layer] - p).square().sum() / (p2 + EPS) * self.w_content
                content_value = term.item()
                total = total + term
        if self.w_colour > 0:  # a style term on the pixels themselves, at the stage's own size
            term = colour_distance(image, self.directions, *self.colour) * self.w_colour
            style_value += term.item()
            total = total + term
        term = total_variation(image) * (self.w_tv / self.roughness)
        tv_value = term.item()
        total = total + term
        return total, {'content': content_value, 'style': style_value, 'totalVariation': tv_value,
                       'total': content_value + style_value + tv_value}


# ---------------------------------------------------------------- commands

def read_raw(path):
    """A raw little-endian float32 NCHW tensor with its JSON sidecar (PATH.json)."""
    with open(path + '.json') as f:
        meta = json.load(f)
    if meta['dtype'] != 'float32' or meta['byteOrder'] != 'little':
        raise ValueError(f'{path}: unsupported {meta}')
    data = np.fromfile(path, dtype='<f4')
    return torch.from_numpy(data.reshape(meta['shape']).copy())


def sync(device):
    if device.type == 'cuda':
        torch.cuda.synchronize()


def lbfgs(pixels, objective, config, losses):
    """torch.optim.LBFGS with one evaluation per step and no line search, and its closure, which appends each
    evaluation's terms to losses."""
    optimizer = torch.optim.LBFGS([pixels], lr=config['learningRate'], max_iter=1, history_size=config['historySize'],
                                  line_search_fn=None)

    def closure():
        optimizer.zero_grad()
        total, terms = objective(pixels)
        total.backward()
        losses.append(terms)
        return total

    return optimizer, closure


def run(config_path, result_path):
    with open(config_path) as f:
        config = json.load(f)
    torch.set_num_threads(config['threads'])
    device = torch.device(config['device'])
    net = OnnxResNet(config['model'], device)
    style = read_raw(config['inputs']['style']).to(device)
    content = read_raw(config['inputs']['content']).to(device) if config['inputs'].get('content') else None
    objective = Objective(net, config, StyleTargets(net, style, config['octaves'], [l['name'] for l in config['styleLayers']],
                                                    config['inputs']), content)
    pixels = read_raw(config['inputs']['start']).to(device).requires_grad_(True)
    losses = []
    optimizer, closure = lbfgs(pixels, objective, config, losses)

    rss_before = proc_status('VmRSS')
    setup_peak = proc_status('VmHWM')
    reset_peak_rss()
    step_seconds = []
    for _ in range(config['warmupSteps'] + config['timedSteps']):
        sync(device)
        start = time.perf_counter()
        optimizer.step(closure)
        sync(device)
        step_seconds.append(time.perf_counter() - start)
    timed = step_seconds[config['warmupSteps']:]
    result = {
        'engine': 'pytorch-reference',
        'version': f'torch {torch.__version__}',
        'device': config['device'],
        'threads': torch.get_num_threads(),
        'loss0': losses[0],
        'lossLast': losses[-1],
        'stepSeconds': step_seconds,
        'medianStepSeconds': statistics.median(timed),
        'rssBeforeStepsBytes': rss_before,
        'setupPeakRssBytes': setup_peak,
        'peakRssBytes': proc_status('VmHWM'),
        'convFlopsForwardPerStep': objective.flops[0],
    }
    if device.type == 'cuda':
        result['gpuPeakAllocatedBytes'] = torch.cuda.max_memory_allocated()
    with open(result_path, 'w') as f:
        json.dump(result, f, indent=2)
    print(f"  reference: {config['name']}: median {result['medianStepSeconds']:.3f} s/step, "
          f"peak RSS {result['peakRssBytes'] / 2**20:.0f} MiB, loss0 {losses[0]['total']:.8g}", flush=True)


def job(config_path, result_path):
    """A whole coarse-to-fine job, the schedule the C# bench planned: at each stage the image (upsampled bicubically
    from the previous stage, clamped to [0,1]) is optimised for the stage's steps against the style's octaves from
    the stage's offset on and, for a transfer, the content's pyramid level at that offset."""
    started = time.perf_counter()
    with open(config_path) as f:
        config = json.load(f)
    torch.set_num_threads(config['threads'])
    device = torch.device(config['device'])
    net = OnnxResNet(config['model'], device)
    layers = [l['name'] for l in config['styleLayers']]
    targets = StyleTargets(net, read_raw(config['inputs']['style']).to(device), config['octaves'], layers, config['inputs'])
    content_levels = None
    if config['inputs'].get('content'):
        with torch.no_grad():
            content_levels = pyramid(read_raw(config['inputs']['content']).to(device), config['octaves'])
    first = config['stages'][0]
    image = content_levels[first['styleOctaveOffset']] if config['inputs']['start'] == 'content' \
        else read_raw(config['inputs']['start']).to(device)
    stages = []
    for stage in config['stages']:
        stage_started = time.perf_counter()
        if tuple(image.shape[2:]) != (stage['height'], stage['width']):
            image = F.interpolate(image, size=(stage['height'], stage['width']), mode='bicubic', align_corners=False).clamp(0, 1)
        offset = stage['styleOctaveOffset']
        objective = Objective(net, config, targets, content_levels[offset] if content_levels else None, offset)
        pixels = image.detach().clone().requires_grad_(True)
        losses = []
        optimizer, closure = lbfgs(pixels, objective, config, losses)
        for _ in range(stage['steps']):
            optimizer.step(closure)
        sync(device)
        image = pixels.detach()
        del optimizer, pixels, objective
        stages.append({'width': stage['width'], 'height': stage['height'], 'steps': stage['steps'],
                       'seconds': time.perf_counter() - stage_started, 'firstLoss': losses[0]['total'], 'lastLoss': losses[-1]['total'],
                       'rssBytes': proc_status('VmRSS')})
        print(f"  reference: {config['name']}: stage {len(stages)} ({stage['width']}x{stage['height']}, {stage['steps']} steps) "
              f"{stages[-1]['seconds']:.1f} s, RSS {stages[-1]['rssBytes'] / 2**20:.0f} MiB", flush=True)
    result = {'engine': 'pytorch-reference', 'version': f'torch {torch.__version__}', 'threads': torch.get_num_threads(),
              'seconds': time.perf_counter() - started, 'peakRssBytes': proc_status('VmHWM'), 'stages': stages}
    with open(result_path, 'w') as f:
        json.dump(result, f, indent=2)


def peak(device_name, threads, result_path):
    """Best of a few large square fp32 matmuls: the machine's practical peak for dense float math."""
    torch.set_num_threads(threads)
    device = torch.device(device_name)
    n = 4096 if device.type == 'cuda' else 2048
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    best = float('inf')
    for _ in range(8):
        sync(device)
        start = time.perf_counter()
        torch.mm(a, b)
        sync(device)
        best = min(best, time.perf_counter() - start)
    gflops = 2 * n ** 3 / best / 1e9
    with open(result_path, 'w') as f:
        json.dump({'engine': 'pytorch-reference', 'device': device_name, 'n': n, 'bestSeconds': best,
                   'gflops': gflops, 'threads': torch.get_num_threads()}, f, indent=2)
    print(f'  reference: matmul {n}x{n} on {device_name}: {gflops:.1f} GFLOP/s', flush=True)


def info():
    print(json.dumps({'torch': torch.__version__, 'onnx': onnx.__version__, 'numpy': np.__version__,
                      'python': platform.python_version(), 'defaultThreads': torch.get_num_threads(),
                      'cudaAvailable': torch.cuda.is_available(),
                      'cudaDevice': torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
                      'parallelBackend': torch.__config__.parallel_info().splitlines()[-1].strip()}))


if __name__ == '__main__':
    command = sys.argv[1] if len(sys.argv) > 1 else ''
    if command == 'run' and len(sys.argv) == 4:
        run(sys.argv[2], sys.argv[3])
    elif command == 'job' and len(sys.argv) == 4:
        job(sys.argv[2], sys.argv[3])
    elif command == 'peak' and len(sys.argv) == 5:
        peak(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif command == 'info':
        info()
    else:
        sys.exit(__doc__)
