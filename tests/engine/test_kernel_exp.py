"""The compiled kernel's e^x (engine.kernel_exp.exp) against libm's, which it replaces."""

import math
import platform
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("numba")

from numba import njit  # noqa: E402

from engine import kernel_exp  # noqa: E402


@njit(cache=False)
def _inlined(x, out):
    for i in range(x.shape[0]):
        out[i] = kernel_exp.exp(x[i])


@njit(cache=False)
def _libm(x, out):
    for i in range(x.shape[0]):
        out[i] = math.exp(x[i])


def _both(x):
    x = np.ascontiguousarray(x, dtype=np.float64)
    ours, theirs = np.empty_like(x), np.empty_like(x)
    _inlined(x, ours)
    _libm(x, theirs)
    return ours, theirs


def _glibc_with_fma() -> bool:
    """True where libm's exp is glibc's (2.28+) FMA build, the one _exp copies."""
    name, version = platform.libc_ver()
    if sys.platform != "linux" or name != "glibc" or platform.machine() != "x86_64":
        return False
    if tuple(int(part) for part in version.split(".")[:2]) < (2, 28):
        return False
    cpuinfo = Path("/proc/cpuinfo")
    return cpuinfo.exists() and " fma " in cpuinfo.read_text()


SAMPLES = np.concatenate([
    np.random.default_rng(7).normal(0.0, scale, 200_000)
    for scale in (1e-12, 1e-3, 0.5, 4.0, 30.0, 200.0, 600.0)
] + [np.random.default_rng(8).uniform(-520.0, 520.0, 200_000)])
SPECIAL = np.array([0.0, -0.0, math.inf, -math.inf, math.nan, 2.0 ** -54, -(2.0 ** -54),
                    2.0 ** -55, 5e-324, 511.999, 512.0, -512.0, 709.78, 709.79, -745.1, -708.4])


def test_close_to_the_true_exponential_everywhere():
    ours, _ = _both(SAMPLES)
    with np.errstate(over="ignore"):
        exact = np.exp(SAMPLES)
    finite = np.isfinite(exact) & (exact > 1e-300)
    assert np.all(np.abs(ours[finite] - exact[finite]) <= 4e-16 * exact[finite])


def test_special_values_are_libms():
    ours, theirs = _both(SPECIAL)
    assert np.array_equal(ours, theirs, equal_nan=True)


@pytest.mark.skipif(not _glibc_with_fma(), reason="libm's exp is not glibc's FMA build here")
def test_bit_for_bit_glibcs_exp():
    ours, theirs = _both(SAMPLES)
    assert np.array_equal(ours.view(np.int64), theirs.view(np.int64))


def test_table_is_two_to_the_k_over_128():
    scales, tails = kernel_exp.SCALES.view(np.float64), kernel_exp.TAILS
    exact = 2.0 ** (np.arange(128) / 128)
    assert np.all(np.abs(scales - exact) <= 2.3e-16 * exact)  # H_k: 2^(k/128) to 1 ulp
    assert np.all(np.abs(tails) <= 1.2e-16)  # T_k: the rest, below half an ulp

