"""``exp``: e^x for the compiled kernel, bit for bit glibc's, as LLVM code at each call.

``math.exp`` in numba is a call into libm (~5 ns, and every live floating-point register is
saved around it); the twelve sigmoids of the tutorial's update made those calls 43 % of it.
With this exp the update takes ~100 ns instead of ~185 (one core, measured side by side).
This is glibc's algorithm (2.28 and later, sysdeps/ieee754/dbl-64/e_exp.c, with the fused
multiply-adds of its FMA build, read from its machine code) for 2^-54 <= |x| < 512:
e^x = 2^(k/128)·e^r, a table giving 2^(k/128); other x (tiny, huge, inf, nan) go to libm.
It is emitted as LLVM instructions rather than a numba function inlined at numba's level,
which doubled the kernel's cold compile (the type inference of every inlined copy).
``tests/engine/test_kernel_exp.py`` compares it with libm on millions of values.

numba's disk cache of the kernel is keyed on ``engine/kernel.py`` alone: a change here is
not seen by loops cached before it until that file changes too.
"""

from decimal import Decimal, localcontext

import numpy as np

from engine.compiled import use_cache_folder

use_cache_folder()  # numba reads its cache folder once, when it is imported
from llvmlite import ir  # noqa: E402
from numba import types  # noqa: E402
from numba.core import cgutils  # noqa: E402
from numba.extending import intrinsic  # noqa: E402


def _table():
    """2^(k/128) = H_k·(1 + T_k), H_k the nearest float64 and T_k the rounded rest: glibc's
    ``__exp_data.tab`` (equal, entry for entry), as (T, bits of H)."""
    tails, scales = np.empty(128), np.empty(128, np.int64)
    with localcontext() as context:
        context.prec = 60
        for k in range(128):
            exact = Decimal(2) ** (Decimal(k) / 128)
            scale = float(exact)
            tails[k] = float((exact - Decimal(scale)) / Decimal(scale))
            scales[k] = np.float64(scale).view(np.int64)
    return tails, scales


TAILS, SCALES = _table()
# glibc's __exp_data constants: 128/ln 2, −ln 2/128 in two parts, the polynomial, 1.5·2^52
_INV_LN2_N = float.fromhex("0x1.71547652b82fep+7")
_NEG_LN2_HI_N = float.fromhex("-0x1.62e42fefa0000p-8")
_NEG_LN2_LO_N = float.fromhex("-0x1.cf79abc9e3b3ap-47")
_C2 = float.fromhex("0x1.ffffffffffdbdp-2")
_C3 = float.fromhex("0x1.555555555543cp-3")
_C4 = float.fromhex("0x1.55555cf172b91p-5")
_C5 = float.fromhex("0x1.1111167a4d017p-7")
_SHIFT = float.fromhex("0x1.8p52")
_SHIFT_K = 0x4338000000000000 >> 7  # _SHIFT's bits / 128
# |x| in [2^-54, 512): the biased exponents glibc's fast path takes
_TOP_LOW, _TOP_HIGH = 0x3C9, 0x407

_DOUBLE, _INT64 = ir.DoubleType(), ir.IntType(64)


def _global_table(module, name, element, values):
    """A constant array in ``module``, made once per module."""
    if name in module.globals:
        return module.globals[name]
    array = ir.ArrayType(element, len(values))
    table = ir.GlobalVariable(module, array, name)
    table.linkage = "internal"
    table.global_constant = True
    table.initializer = ir.Constant(array, [ir.Constant(element, value) for value in values])
    return table


def _fma(builder, a, b, c):
    fma = cgutils.get_or_insert_function(
        builder.module, ir.FunctionType(_DOUBLE, [_DOUBLE] * 3), "llvm.fma.f64")
    return builder.call(fma, [a, b, c])


def _emit_outside(builder, x):
    """Whether x is outside glibc's fast path (tiny, huge, inf or nan): an i1."""
    top = builder.and_(builder.lshr(builder.bitcast(x, _INT64), ir.Constant(_INT64, 52)),
                       ir.Constant(_INT64, 0x7FF))
    return builder.or_(builder.icmp_unsigned("<", top, ir.Constant(_INT64, _TOP_LOW)),
                       builder.icmp_unsigned(">", top, ir.Constant(_INT64, _TOP_HIGH)))


def _emit_fast(builder, x):
    """glibc's fast path: e^x for 2^-54 <= |x| < 512, a meaningless number elsewhere. No
    branch, so that LLVM can put several lanes' exps in one vector."""
    module = builder.module

    def const(value):
        return ir.Constant(_DOUBLE, value)

    def lookup(name, element, values, at):
        table = _global_table(module, name, element, values)
        return builder.load(builder.gep(table, [ir.Constant(ir.IntType(32), 0), at]))

    kd = _fma(builder, x, const(_INV_LN2_N), const(_SHIFT))  # k + 1.5·2^52
    ki = builder.bitcast(kd, _INT64)
    kd = builder.fsub(kd, const(_SHIFT))
    r = _fma(builder, kd, const(_NEG_LN2_LO_N), _fma(builder, kd, const(_NEG_LN2_HI_N), x))
    at = builder.and_(ki, ir.Constant(_INT64, 127))
    r2 = builder.fmul(r, r)
    tail = builder.fadd(r, lookup("xor_lab_exp_tails", _DOUBLE, TAILS.tolist(), at))
    tail = _fma(builder, _fma(builder, r, const(_C3), const(_C2)), r2, tail)
    tail = _fma(builder, builder.fmul(r2, r2), _fma(builder, r, const(_C5), const(_C4)), tail)
    exponent = builder.shl(builder.sub(builder.ashr(ki, ir.Constant(_INT64, 7)),
                                       ir.Constant(_INT64, _SHIFT_K)),
                           ir.Constant(_INT64, 52))
    bits = builder.add(lookup("xor_lab_exp_scales", _INT64, SCALES.tolist(), at), exponent)
    scale = builder.bitcast(bits, _DOUBLE)  # 2^(k/128)
    return _fma(builder, scale, tail, scale)


def _emit(builder, x):
    libm = cgutils.get_or_insert_function(builder.module, ir.FunctionType(_DOUBLE, [_DOUBLE]),
                                          "llvm.exp.f64")
    with builder.if_else(_emit_outside(builder, x), likely=False) as (slow, fast):
        with slow:
            slow_block = builder.block
            slow_value = builder.call(libm, [x])
        with fast:
            fast_value = _emit_fast(builder, x)
            fast_block = builder.block
    result = builder.phi(_DOUBLE)
    result.add_incoming(slow_value, slow_block)
    result.add_incoming(fast_value, fast_block)
    return result


def _typed(x, result_type, emit):
    """The typing and code of an intrinsic of one float x whose code ``emit(builder, x)``
    makes."""
    if not isinstance(x, types.Float):
        return None

    def codegen(context, builder, signature, args):
        return emit(builder, context.cast(builder, args[0], signature.args[0], types.float64))

    return result_type(x), codegen


@intrinsic
def exp(typingctx, x):
    """e^x, bit for bit glibc's exp on x86-64 with FMA (elsewhere within an ulp of it)."""
    return _typed(x, types.float64, _emit)


@intrinsic
def exp_fast(typingctx, x):
    """``exp`` for 2^-54 <= |x| < 512 (where ``outside`` is False), without a branch."""
    return _typed(x, types.float64, _emit_fast)


@intrinsic
def outside(typingctx, x):
    """Whether ``exp`` of x goes to libm rather than ``exp_fast``."""
    return _typed(x, types.boolean, _emit_outside)
