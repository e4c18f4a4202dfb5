"""Plain-PyTorch definitions of Spikeforge's ResNets, for golden files and speed comparisons.

Every module here mirrors a class of framework/engine (io.spikeforge.engine.model.ResNet,
ResidualBlock, DirectEncodingStem, LayerMaker, the layers in io.spikeforge.engine.layer) and of the
lif plugin and of the rectangular surrogate (surrogates plugin), with the same state-dict names and layouts, so that
``model.state_dict()`` can be written to safetensors and imported with Spikeforge's WeightImport
(and back). No torchvision, no SpikingJelly: only torch.

What is mirrored, and where it comes from:

* ANN (``ResNet(spiking=None)``): stem conv3x3 (stride 1, padding 1, no bias) ``conv1``, ``bn1``,
  ReLU, no max-pooling; stages ``layer<s>.<b>`` of basic blocks whose first block strides by 2
  except in stage 1; the shortcut is the identity or ``downsample.0`` (conv1x1 with the block's
  stride, padding 0, no bias) + ``downsample.1`` (BN) where stride or width changes; global average
  pooling; ``fc`` (Linear with bias). Basic block: conv1-bn1-relu-conv2-bn2, add the shortcut,
  relu (ResNet.java, ResidualBlock.java).
* BN: ``nn.BatchNorm2d`` with eps 1e-5 and momentum 0.1 (BatchNorm2d.EPSILON / MOMENTUM):
  training mode normalizes with the biased batch variance and updates ``running_var`` with the
  unbiased one, exactly PyTorch's rule.
* Spiking (``ResNet(spiking=SpikingConfig(...))``), time-major ``[T*B, C, H, W]`` with rows
  ``t*B .. t*B+B-1`` holding time-step t:
  - direct encoding (DirectEncodingStem): ``conv1`` runs once on the ``[B, 3, H, W]`` images and
    its output is repeated T times along the batch axis (``x.repeat(T, 1, 1, 1)``); autograd then
    sums the T gradients, as the engine's backward does;
  - BN on the merged T*B batch (tdBN: statistics per channel over T, B, H, W). Mode ``"tdbn"``
    initializes the BN weight to 0.5 (ResNet.Builder.optTdbnInitialWeight default, the IDSNN
    threshold), mode ``"bn"`` to 1; the computation is the same;
  - neurons named ``sn1`` (stem), ``layer<s>.<b>.sn1`` and ``layer<s>.<b>.sn2``; a spiking basic
    block (IDSNN) puts ``sn2`` after the residual addition; a SEW-ADD block puts it after ``bn2``,
    adds ``downsample_sn`` after the projection shortcut, and outputs spikes + shortcut;
  - readout (ResNet.forward): global average pooling ``[T*B, C]``, the mean over T ``[B, C]``
    (TimeMean), then ``fc``. By linearity this equals the mean over T of fc's outputs, but the
    engine's order is kept so that the float rounding is the same kind.
* LIF neuron (plugins/lif MembraneDynamics + SpikingNeuron), per element and time-step t with
  ``V[-1] = v_reset``::

      H[t] = decay * V[t-1] + (1 - decay) * v_reset + gain * X[t]
      S[t] = H[t] > threshold            (>= when fire_at_threshold)
      V[t] = v_reset if S[t] else H[t]   (hard reset)   |  H[t] - threshold * S[t]  (soft)

  ``decay = 1 - 1/tau`` when tau is given (else decay, default 0.25 = IDSNN), ``gain = 1 - decay``
  when decay_input (SpikingJelly's decay_input=True), else 1. Defaults are the lif plugin's:
  decay 0.25, decay_input False, threshold 0.5, hard reset to 0, detach_reset True,
  fire_at_threshold False. With detach_reset the spike inside the reset is a constant for autograd.
* Rectangular surrogate (plugins/surrogates): ``dS/dH = 1/a`` where ``|H - threshold| < a/2``,
  else 0; width a = 1 by default.

The float32 operations are ordered as the engine orders them where that is cheap (for example the
charge ``H = gain * X + carry`` and the hard reset ``H - H * S``); results agree with the engine to
float rounding, not bit for bit.
"""

from __future__ import annotations

import dataclasses
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

BN_EPS = 1e-5
BN_MOMENTUM = 0.1
TDBN_INITIAL_WEIGHT = 0.5


# ---------------------------------------------------------------------------------------------
# Neurons
# ---------------------------------------------------------------------------------------------


class RectangularSpike(torch.autograd.Function):
    """S = step(u) with u = H - threshold; backward: 1/a where |u| < a/2, else 0."""

    @staticmethod
    def forward(ctx, u: torch.Tensor, width: float, at_zero_fires: bool) -> torch.Tensor:
        ctx.save_for_backward(u)
        ctx.width = width
        return (u >= 0).to(u.dtype) if at_zero_fires else (u > 0).to(u.dtype)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        (u,) = ctx.saved_tensors
        width = ctx.width
        slope = (u.abs() < width / 2).to(u.dtype) * (1.0 / width)
        return grad * slope, None, None


@dataclasses.dataclass(frozen=True)
class LifConfig:
    """The lif plugin's parameters; defaults are the plugin's (the IDSNN reference neuron)."""

    decay: Optional[float] = None
    tau: Optional[float] = None
    decay_input: bool = False
    threshold: float = 0.5
    reset: str = "hard"  # "hard" or "soft"
    v_reset: float = 0.0
    detach_reset: bool = True
    fire_at_threshold: bool = False
    surrogate_width: float = 1.0

    def resolved_decay(self) -> float:
        if self.decay is not None and self.tau is not None:
            raise ValueError("give decay or tau, not both")
        if self.tau is not None:
            return 1.0 - 1.0 / self.tau
        return 0.25 if self.decay is None else self.decay

    def gain(self) -> float:
        return 1.0 - self.resolved_decay() if self.decay_input else 1.0


class LIF(nn.Module):
    """A spiking layer over time-major ``[T*B, ...]`` input; no parameters.

    ``record_charges`` keeps H of the last forward (detached), for the threshold-margin checks of
    make_golden.py.
    """

    def __init__(self, config: LifConfig, time_steps: int):
        super().__init__()
        if config.reset == "soft" and config.v_reset != 0:
            raise ValueError("soft reset needs v_reset 0")
        self.config = config
        self.time_steps = time_steps
        self.record_charges = False
        self.last_charges: Optional[torch.Tensor] = None
        self.last_spikes: Optional[torch.Tensor] = None
        # single-step inference (ResNet.forward_steps): forward takes one step [B, ...] and keeps the carry
        self.stepping = False
        self.carry: Optional[torch.Tensor] = None

    def forward(self, current: torch.Tensor) -> torch.Tensor:
        if self.stepping:
            return self.step(current)
        c = self.config
        T = self.time_steps
        decay = c.resolved_decay()
        gain = c.gain()
        resting_pull = (1.0 - decay) * c.v_reset
        x = current.reshape(T, -1)
        carry = None
        spikes: List[torch.Tensor] = []
        charges: List[torch.Tensor] = []
        for t in range(T):
            charged = x[t] if gain == 1 else x[t] * gain
            if t == 0:
                initial_carry = decay * c.v_reset + resting_pull
                h = charged + initial_carry
            else:
                h = charged + carry
            s = RectangularSpike.apply(h - c.threshold, c.surrogate_width, c.fire_at_threshold)
            spikes.append(s)
            charges.append(h.detach())
            if t + 1 < T:
                s_reset = s.detach() if c.detach_reset else s
                if c.reset == "hard":
                    v = h - h * s_reset
                    if c.v_reset != 0:
                        v = v + s_reset * c.v_reset
                else:
                    v = h - s_reset * c.threshold
                if decay != 1:
                    v = v * decay
                if resting_pull != 0:
                    v = v + resting_pull
                carry = v
        out = torch.stack(spikes).reshape(current.shape)
        if self.record_charges:
            self.last_charges = torch.stack(charges).reshape(current.shape)
            self.last_spikes = out.detach()
        return out


    def step(self, current: torch.Tensor) -> torch.Tensor:
        """One time-step of forward's loop for inference (no surrogate), from ``self.carry`` (None: the start)."""
        c = self.config
        decay = c.resolved_decay()
        gain = c.gain()
        resting_pull = (1.0 - decay) * c.v_reset
        charged = current if gain == 1 else current * gain
        h = charged + (decay * c.v_reset + resting_pull if self.carry is None else self.carry)
        s = (h >= c.threshold if c.fire_at_threshold else h > c.threshold).to(h.dtype)
        if c.reset == "hard":
            v = h - h * s
            if c.v_reset != 0:
                v = v + s * c.v_reset
        else:
            v = h - s * c.threshold
        if decay != 1:
            v = v * decay
        if resting_pull != 0:
            v = v + resting_pull
        self.carry = v
        return s


@dataclasses.dataclass(frozen=True)
class SpikingConfig:
    """Makes ResNet a spiking network: T, the neuron, the block type and the BN mode."""

    time_steps: int
    neuron: LifConfig = LifConfig()
    block: str = "spiking_basic"  # "spiking_basic" (IDSNN) or "sew_add"
    batch_norm: str = "tdbn"  # "tdbn" (weight starts at tdbn_initial_weight) or "bn" (weight 1)
    tdbn_initial_weight: float = TDBN_INITIAL_WEIGHT


# ---------------------------------------------------------------------------------------------
# Layers and blocks
# ---------------------------------------------------------------------------------------------


def batch_norm(channels: int, spiking: Optional[SpikingConfig]) -> nn.BatchNorm2d:
    bn = nn.BatchNorm2d(channels, eps=BN_EPS, momentum=BN_MOMENTUM)
    if spiking is not None and spiking.batch_norm == "tdbn":
        with torch.no_grad():
            bn.weight.fill_(spiking.tdbn_initial_weight)
    return bn


def conv(in_channels: int, out_channels: int, kernel: int, stride: int) -> nn.Conv2d:
    return nn.Conv2d(in_channels, out_channels, kernel, stride=stride, padding=kernel // 2, bias=False)


class BasicBlock(nn.Module):
    """ResidualBlock: ANN basic block, IDSNN spiking basic block or SEW-ADD block."""

    def __init__(self, in_channels: int, out_channels: int, stride: int, spiking: Optional[SpikingConfig]):
        super().__init__()
        self.spiking = spiking
        self.sew = spiking is not None and spiking.block == "sew_add"
        self.conv1 = conv(in_channels, out_channels, 3, stride)
        self.bn1 = batch_norm(out_channels, spiking)
        self.conv2 = conv(out_channels, out_channels, 3, 1)
        self.bn2 = batch_norm(out_channels, spiking)
        if stride != 1 or in_channels != out_channels:
            self.downsample = nn.Sequential(conv(in_channels, out_channels, 1, stride),
                                            batch_norm(out_channels, spiking))
        else:
            self.downsample = None
        if spiking is None:
            self.relu = nn.ReLU()
        else:
            self.sn1 = LIF(spiking.neuron, spiking.time_steps)
            self.sn2 = LIF(spiking.neuron, spiking.time_steps)
            if self.sew and self.downsample is not None:
                self.downsample_sn = LIF(spiking.neuron, spiking.time_steps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        act1 = self.relu if self.spiking is None else self.sn1
        out = self.bn2(self.conv2(act1(self.bn1(self.conv1(x)))))
        shortcut = x
        if self.downsample is not None:
            shortcut = self.downsample(x)
            if self.sew:
                shortcut = self.downsample_sn(shortcut)
        if self.sew:
            return self.sn2(out) + shortcut
        out = out + shortcut
        return self.relu(out) if self.spiking is None else self.sn2(out)


class ResNet(nn.Module):
    """Spikeforge's CIFAR-style ResNet (ResNet.java) with torchvision / SpikingJelly names.

    ``widths`` and ``blocks_per_stage`` as ResNet.Builder.optWidths / optBlocksPerStage (one value
    for all stages or one per stage).
    """

    def __init__(self, widths: Sequence[int], blocks_per_stage: Sequence[int] | int, classes: int = 10,
                 input_channels: int = 3, spiking: Optional[SpikingConfig] = None):
        super().__init__()
        if isinstance(blocks_per_stage, int):
            blocks_per_stage = [blocks_per_stage] * len(widths)
        if len(blocks_per_stage) == 1:
            blocks_per_stage = list(blocks_per_stage) * len(widths)
        if len(blocks_per_stage) != len(widths):
            raise ValueError("one blocks-per-stage entry per stage")
        self.spiking = spiking
        self.time_steps = spiking.time_steps if spiking is not None else 1
        self.conv1 = conv(input_channels, widths[0], 3, 1)
        self.bn1 = batch_norm(widths[0], spiking)
        if spiking is None:
            self.relu = nn.ReLU()
        else:
            self.sn1 = LIF(spiking.neuron, spiking.time_steps)
        in_channels = widths[0]
        for s, (width, blocks) in enumerate(zip(widths, blocks_per_stage)):
            stage = []
            for b in range(blocks):
                stride = 2 if s > 0 and b == 0 else 1
                stage.append(BasicBlock(in_channels, width, stride, spiking))
                in_channels = width
            self.add_module(f"layer{s + 1}", nn.Sequential(*stage))
        self.stages = len(widths)
        self.fc = nn.Linear(in_channels, classes)
        self.reset_parameters_like_spikeforge()

    def reset_parameters_like_spikeforge(self) -> None:
        """torchvision's init, as SeededInitialization (the distributions; not the same numbers)."""
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        x = self.conv1(images)
        if self.spiking is not None:
            x = x.repeat(self.time_steps, 1, 1, 1)  # direct encoding: [T*B, C, H, W], time-major
        x = self.bn1(x)
        x = self.relu(x) if self.spiking is None else self.sn1(x)
        for s in range(self.stages):
            x = getattr(self, f"layer{s + 1}")(x)
        x = x.mean(dim=(2, 3))  # global average pooling
        if self.spiking is not None:
            x = x.reshape(self.time_steps, -1, x.shape[1]).mean(dim=0)  # TimeMean: [T*B, C] -> [B, C]
        return self.fc(x)

    def forward_steps(self, images: torch.Tensor) -> torch.Tensor:
        """Inference one time-step at a time (as Spikeforge's StepwiseInference): the stem's conv1 and bn1
        once (in eval mode the same at every step), each LIF carrying its state between steps, the time
        mean as a running sum. Only for a spiking model in eval mode."""
        if self.spiking is None or self.training:
            raise ValueError("forward_steps is for a spiking model in eval mode")
        layers = list(self.spiking_layers().values())
        for layer in layers:
            layer.stepping, layer.carry = True, None
        try:
            stem = self.bn1(self.conv1(images))
            total = None
            for _ in range(self.time_steps):
                x = self.sn1(stem)
                for s in range(self.stages):
                    x = getattr(self, f"layer{s + 1}")(x)
                x = x.mean(dim=(2, 3))
                total = x if total is None else total + x
            return self.fc(total / self.time_steps)
        finally:
            for layer in layers:
                layer.stepping, layer.carry = False, None

    def spiking_layers(self) -> dict:
        """Spiking layers by Spikeforge name (``sn1``, ``layer1.0.sn2``, ``layer2.0.downsample_sn``, ...)."""
        return {name: m for name, m in self.named_modules() if isinstance(m, LIF)}
