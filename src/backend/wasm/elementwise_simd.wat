;; float32 elementwise kernels in WebAssembly SIMD (f32x4) for the fast backend. Built by
;; scripts/build_wasm.ts into elementwise_simd.generated.ts; driven by elementwise_simd.ts, which copies
;; a chunk of each operand into this module's memory, calls one of these and copies the result out.
;; Every function works in place on n floats at byte address $p (or $pa): the result overwrites the
;; first operand. n is rounded up to a multiple of 4 (16 for comparisons, 8 for mul_mask and
;; select_mask): the lanes
;; past n are scratch the caller ignores, so n must be at least 1 and the regions padded.
;;
;; Two kinds:
;; 1. exp, log, tanh, sigmoid, silu: Cephes' single-precision polynomials (expf, logf, tanhf),
;;    evaluated without fused multiply-adds (plain SIMD, no relaxed ops), within ~2 float32 ulp of
;;    the correctly rounded results (test/elementwise_fast.test.ts measures it against Math.* in
;;    float64), like Sleef's u10 functions PyTorch uses. Special values: exp(+inf) = +inf, exp(-inf) = 0,
;;    results below the normal range come out denormal (2^k is applied in two halves); log(0) = -inf,
;;    log(x < 0) = NaN, log(+inf) = +inf, denormal inputs are scaled by 2^23 first; NaN propagates
;;    everywhere (a NaN lane stays NaN through pmin/pmax as their first operand, and never takes a
;;    finite branch).
;; 2. Exact ones, which give the bits of the TypeScript loops (elementwise_kernels.generated.ts) for
;;    every input: those compute in float64 and round once on the store, which for one +, -, *, / or
;;    sqrt of float32 operands is the correctly rounded float32 result (float64 has more than
;;    2 * 24 + 2 bits), i.e. what f32x4.add/sub/mul/div/sqrt give; denormals are kept by both (wasm
;;    SIMD never flushes). The selects copy the loops' comparisons exactly (NaN and -0 included; see
;;    each section). addScaled (a + p b) rounds p b in float64 in the loop, so it runs in f64x2 here.
;;    A NaN result is a NaN in both, but its payload bits may differ.
(module
  ;; 2 pages, the driver's regions: two of 8192 floats (A, B) and one of 8192 bytes (masks, bool results)
  (memory (export "memory") 2)

  ;; exp(x) * 2^bias for one vector (bias: i32x4, 0 or up to 64 in lanes where x <= 0)
  (func $exp (param $x v128) (param $bias v128) (result v128)
    (local $k v128) (local $r v128) (local $p v128) (local $ki v128) (local $k1 v128)
    ;; clamp so that 2^k stays within two normal halves (k in [-174, 128]); exp(88.8) overflows to +inf by itself
    ;; (pmin / pmax: one instruction each; a NaN x is their first operand and comes through)
    (local.set $x (f32x4.pmax (f32x4.pmin (local.get $x) (v128.const f32x4 88.8 88.8 88.8 88.8))
                              (v128.const f32x4 -120 -120 -120 -120)))
    ;; k = round(x / ln 2); r = x - k ln 2 (ln 2 in two parts, Cephes' C1 and C2)
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
    (local.set $r (f32x4.sub (local.get $x) (f32x4.mul (local.get $k) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    (local.set $r (f32x4.sub (local.get $r) (f32x4.mul (local.get $k) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    ;; p(r) = 1 + r + r^2 (0.5 + r (1/6 + ...))
    (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $p (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r)) (local.get $r))
                             (v128.const f32x4 1 1 1 1)))
    ;; times 2^k1 * 2^(k2 + bias), k1 = k >> 1, k2 = k - k1: both factors normal
    ;; k as an integer: k + 1.5 * 2^23 holds k in its low mantissa bits (cheaper than trunc_sat)
    (local.set $ki (i32x4.sub (f32x4.add (local.get $k) (v128.const f32x4 12582912 12582912 12582912 12582912))
                              (v128.const i32x4 0x4b400000 0x4b400000 0x4b400000 0x4b400000)))
    (local.set $k1 (i32x4.shr_s (local.get $ki) (i32.const 1)))
    (local.set $p (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (local.get $k1) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
    (f32x4.mul (local.get $p)
      (i32x4.shl (i32x4.add (i32x4.add (i32x4.sub (local.get $ki) (local.get $k1)) (local.get $bias)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))

  ;; log(x) for one vector
  (func $log (param $x v128) (result v128)
    (local $m v128) (local $e v128) (local $z v128) (local $y v128) (local $small v128) (local $lt v128) (local $bits v128)
    ;; denormals: scale by 2^23 and take 23 off the exponent
    (local.set $small (f32x4.lt (local.get $x) (v128.const f32x4 1.17549435e-38 1.17549435e-38 1.17549435e-38 1.17549435e-38)))
    (local.set $bits (v128.bitselect (f32x4.mul (local.get $x) (v128.const f32x4 8388608 8388608 8388608 8388608)) (local.get $x) (local.get $small)))
    ;; x = m 2^e, m in [0.5, 1)
    (local.set $e (f32x4.convert_i32x4_s (i32x4.sub (i32x4.shr_u (local.get $bits) (i32.const 23)) (v128.const i32x4 126 126 126 126))))
    (local.set $e (f32x4.sub (local.get $e) (v128.and (local.get $small) (v128.const f32x4 23 23 23 23))))
    (local.set $m (v128.or (v128.and (local.get $bits) (v128.const i32x4 0x007fffff 0x007fffff 0x007fffff 0x007fffff))
                           (v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000)))
    ;; m < sqrt(1/2): e -= 1, m = 2m - 1; else m = m - 1
    (local.set $lt (f32x4.lt (local.get $m) (v128.const f32x4 0.707106781186547524 0.707106781186547524 0.707106781186547524 0.707106781186547524)))
    (local.set $e (f32x4.sub (local.get $e) (v128.and (local.get $lt) (v128.const f32x4 1 1 1 1))))
    (local.set $m (f32x4.sub (f32x4.add (local.get $m) (v128.and (local.get $lt) (local.get $m))) (v128.const f32x4 1 1 1 1)))
    (local.set $z (f32x4.mul (local.get $m) (local.get $m)))
    (local.set $y (v128.const f32x4 7.0376836292e-2 7.0376836292e-2 7.0376836292e-2 7.0376836292e-2))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (v128.const f32x4 -1.1514610310e-1 -1.1514610310e-1 -1.1514610310e-1 -1.1514610310e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (v128.const f32x4 1.1676998740e-1 1.1676998740e-1 1.1676998740e-1 1.1676998740e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (v128.const f32x4 -1.2420140846e-1 -1.2420140846e-1 -1.2420140846e-1 -1.2420140846e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (v128.const f32x4 1.4249322787e-1 1.4249322787e-1 1.4249322787e-1 1.4249322787e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (v128.const f32x4 -1.6668057665e-1 -1.6668057665e-1 -1.6668057665e-1 -1.6668057665e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (v128.const f32x4 2.0000714765e-1 2.0000714765e-1 2.0000714765e-1 2.0000714765e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (v128.const f32x4 -2.4999993993e-1 -2.4999993993e-1 -2.4999993993e-1 -2.4999993993e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $m)) (v128.const f32x4 3.3333331174e-1 3.3333331174e-1 3.3333331174e-1 3.3333331174e-1)))
    (local.set $y (f32x4.mul (f32x4.mul (local.get $y) (local.get $m)) (local.get $z)))
    (local.set $y (f32x4.add (local.get $y) (f32x4.mul (local.get $e) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $y (f32x4.sub (local.get $y) (f32x4.mul (local.get $z) (v128.const f32x4 0.5 0.5 0.5 0.5))))
    (local.set $y (f32x4.add (f32x4.add (local.get $m) (local.get $y)) (f32x4.mul (local.get $e) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))))
    ;; x = +inf: +inf; x = 0: -inf; x < 0 or NaN: NaN
    (local.set $y (v128.bitselect (local.get $x) (local.get $y) (f32x4.eq (local.get $x) (v128.const f32x4 inf inf inf inf))))
    (local.set $y (v128.bitselect (v128.const f32x4 -inf -inf -inf -inf) (local.get $y) (f32x4.eq (local.get $x) (v128.const f32x4 0 0 0 0))))
    (v128.bitselect (local.get $y) (v128.const f32x4 nan nan nan nan) (f32x4.ge (local.get $x) (v128.const f32x4 0 0 0 0))))

  ;; tanh(x) for one vector: Cephes' odd polynomial below |x| = 0.625, else 1 - 2 / (exp(2|x|) + 1) with x's sign
  (func $tanh (param $x v128) (result v128)
    (local $a v128) (local $z v128) (local $y v128) (local $big v128)
    (local.set $a (f32x4.abs (local.get $x)))
    (local.set $z (f32x4.mul (local.get $x) (local.get $x)))
    (local.set $y (v128.const f32x4 -5.70498872745e-3 -5.70498872745e-3 -5.70498872745e-3 -5.70498872745e-3))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $z)) (v128.const f32x4 2.06390887954e-2 2.06390887954e-2 2.06390887954e-2 2.06390887954e-2)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $z)) (v128.const f32x4 -5.37397155531e-2 -5.37397155531e-2 -5.37397155531e-2 -5.37397155531e-2)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $z)) (v128.const f32x4 1.33314422036e-1 1.33314422036e-1 1.33314422036e-1 1.33314422036e-1)))
    (local.set $y (f32x4.add (f32x4.mul (local.get $y) (local.get $z)) (v128.const f32x4 -3.33332819422e-1 -3.33332819422e-1 -3.33332819422e-1 -3.33332819422e-1)))
    (local.set $y (f32x4.add (f32x4.mul (f32x4.mul (local.get $y) (local.get $z)) (local.get $x)) (local.get $x)))
    (local.set $big (f32x4.sub (v128.const f32x4 1 1 1 1)
      (f32x4.div (v128.const f32x4 2 2 2 2) (f32x4.add (call $exp (f32x4.add (local.get $a) (local.get $a)) (v128.const i32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1)))))
    ;; the sign of x onto the large branch (a NaN lane takes this branch and stays NaN)
    (local.set $big (v128.or (local.get $big) (v128.and (local.get $x) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))
    (v128.bitselect (local.get $y) (local.get $big) (f32x4.lt (local.get $a) (v128.const f32x4 0.625 0.625 0.625 0.625))))

  ;; 1 / (1 + exp(-x)), as exp(x) / (1 + exp(x)) for x < 0 so that tiny results keep their precision
  (func $sigmoid (param $x v128) (result v128)
    (local $e v128)
    (local.set $e (call $exp (f32x4.neg (f32x4.abs (local.get $x))) (v128.const i32x4 0 0 0 0)))
    (f32x4.div
      (v128.bitselect (local.get $e) (v128.const f32x4 1 1 1 1) (f32x4.lt (local.get $x) (v128.const f32x4 0 0 0 0)))
      (f32x4.add (local.get $e) (v128.const f32x4 1 1 1 1))))

  (func (export "exp") (param $p i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (v128.store (local.get $p) (call $exp (v128.load (local.get $p)) (v128.const i32x4 0 0 0 0)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $l))))

  (func (export "log") (param $p i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (v128.store (local.get $p) (call $log (v128.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $l))))

  (func (export "tanh") (param $p i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (v128.store (local.get $p) (call $tanh (v128.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $l))))

  (func (export "sigmoid") (param $p i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (v128.store (local.get $p) (call $sigmoid (v128.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $l))))

;; x / (1 + exp(-x)). NOTE: for x < 0 as x e / (1 + e), e = exp(x), with e computed times 2^64 and
  ;; the result scaled back at the end, so that x in [-104, -87] (where e is denormal) keeps a
  ;; float32's precision until the one final rounding; silu(-inf) is NaN, as x / (1 + exp(-x)) gives.
  (func $silu (param $x v128) (result v128)
    (local $neg v128) (local $eb v128) (local $scale v128) (local $r v128)
    (local.set $neg (f32x4.lt (local.get $x) (v128.const f32x4 0 0 0 0)))
    (local.set $eb (call $exp (f32x4.neg (f32x4.abs (local.get $x))) (v128.and (local.get $neg) (v128.const i32x4 64 64 64 64))))
    (local.set $scale (v128.bitselect (v128.const f32x4 0x1p-64 0x1p-64 0x1p-64 0x1p-64) (v128.const f32x4 1 1 1 1) (local.get $neg)))
    (local.set $r (f32x4.div
      (v128.bitselect (f32x4.mul (local.get $x) (local.get $eb)) (local.get $x) (local.get $neg))
      (f32x4.add (f32x4.mul (local.get $eb) (local.get $scale)) (v128.const f32x4 1 1 1 1))))
    ;; below -120 (where exp is clamped) x e^x rounds to -0
    (local.set $r (v128.bitselect (v128.const f32x4 -0 -0 -0 -0) (f32x4.mul (local.get $r) (local.get $scale))
      (f32x4.lt (local.get $x) (v128.const f32x4 -120 -120 -120 -120))))
    (v128.bitselect (v128.const f32x4 nan nan nan nan) (local.get $r)
      (f32x4.eq (local.get $x) (v128.const f32x4 -inf -inf -inf -inf))))

  (func (export "silu") (param $p i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (v128.store (local.get $p) (call $silu (v128.load (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $l))))

  ;; ------------------------------------------------------------------ exact unary ops, in place
  ;; relu: x <= 0 gives +0 (also for -0), NaN stays (the loop's t[+!(x <= 0)]); sign: 1, -1, +0 for
  ;; either zero and for NaN (the loop's SIGN table, PyTorch's (0 < x) - (x < 0)); nearest: round half
  ;; to even (roundHalfEven);
  ;; cube, rsquare, rsqrt: x ** 3, x ** -2, x ** -0.5 with x * x (or sqrt x) rounded to float32 first,
  ;; as the float32 loops do.
  (func (export "relu") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (v128.andnot (local.get $x) (f32x4.le (local.get $x) (v128.const f32x4 0 0 0 0))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "neg") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.neg (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "abs") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.abs (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "sqrt") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.sqrt (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "square") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.mul (local.get $x) (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "cube") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.mul (f32x4.mul (local.get $x) (local.get $x)) (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "reciprocal") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.div (v128.const f32x4 1 1 1 1) (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "rsqrt") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.div (v128.const f32x4 1 1 1 1) (f32x4.sqrt (local.get $x))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "rsquare") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.div (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $x) (local.get $x))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "floor") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.floor (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "ceil") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.ceil (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "trunc") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.trunc (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "nearest") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.nearest (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "sign") (param $p i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (v128.or (v128.and (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 1 1 1 1)) (v128.and (f32x4.lt (local.get $x) (v128.const f32x4 0 0 0 0)) (v128.const f32x4 -1 -1 -1 -1))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  ;; clamp(x, a, b): x < a ? a : x, then > b ? b : it (NaN stays); leaky_relu: x > 0 ? x : x a;
  ;; gt_mask: 1 where x > a, else +0. (a, b: the float32-rounded scalar parameters; b unused but by clamp.)
  (func (export "clamp") (param $p i32) (param $n i32) (param $a f32) (param $b f32)
    (local $end i32) (local $x v128) (local $va v128) (local $vb v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $vb (f32x4.splat (local.get $b)))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (local.set $x (v128.bitselect (local.get $va) (local.get $x) (f32x4.lt (local.get $x) (local.get $va))))
      (v128.store (local.get $p) (v128.bitselect (local.get $vb) (local.get $x) (f32x4.gt (local.get $x) (local.get $vb))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "leaky_relu") (param $p i32) (param $n i32) (param $a f32) (param $b f32)
    (local $end i32) (local $x v128) (local $va v128) (local $vb v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $vb (f32x4.splat (local.get $b)))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (v128.bitselect (local.get $x) (f32x4.mul (local.get $x) (local.get $va)) (f32x4.gt (local.get $x) (v128.const f32x4 0 0 0 0))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "gt_mask") (param $p i32) (param $n i32) (param $a f32) (param $b f32)
    (local $end i32) (local $x v128) (local $va v128) (local $vb v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $va (f32x4.splat (local.get $a)))
    (local.set $vb (f32x4.splat (local.get $b)))
    (loop $l
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (v128.and (f32x4.gt (local.get $x) (local.get $va)) (v128.const f32x4 1 1 1 1)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  ;; threshold_bwd: A = B <= t ? +0 : A (relu's backward, PyTorch's threshold_backward: a NaN in B
  ;; fails the test and keeps A).
  (func (export "threshold_bwd") (param $pa i32) (param $pb i32) (param $n i32) (param $t f32)
    (local $end i32) (local $vt v128)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vt (f32x4.splat (local.get $t)))
    (loop $l
      (v128.store (local.get $pa) (v128.andnot (v128.load (local.get $pa)) (f32x4.le (v128.load (local.get $pb)) (local.get $vt))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $pa) (local.get $end)))))

  ;; ------------------------------------------------------------------ exact binary ops
  ;; *_vv: A = A op B; *_vs: A = A op s; *_sv: A = s op A (add and mul commute, so their _vs serve).
  ;; maximum: NaN if either is NaN, else a > b ? a : b (so maximum(+0, -0) is -0, the second operand,
  ;; as the loop's t[+(x > y) | nan << 1] gives; f32x4.max would give +0). minimum likewise with <.
  ;; (A NaN a selects a itself; a NaN b with a non-NaN a fails a > b and selects b.)
  (func (export "add_vv") (param $pa i32) (param $pb i32) (param $n i32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $a (v128.load (local.get $pa)))
      (local.set $b (v128.load (local.get $pb)))
      (v128.store (local.get $pa) (f32x4.add (local.get $a) (local.get $b)))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $pa) (local.get $end)))))

  (func (export "add_vs") (param $p i32) (param $n i32) (param $s f32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $b (f32x4.splat (local.get $s)))
    (loop $l
      (local.set $a (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.add (local.get $a) (local.get $b)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "sub_vv") (param $pa i32) (param $pb i32) (param $n i32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $a (v128.load (local.get $pa)))
      (local.set $b (v128.load (local.get $pb)))
      (v128.store (local.get $pa) (f32x4.sub (local.get $a) (local.get $b)))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $pa) (local.get $end)))))

  (func (export "sub_vs") (param $p i32) (param $n i32) (param $s f32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $b (f32x4.splat (local.get $s)))
    (loop $l
      (local.set $a (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.sub (local.get $a) (local.get $b)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "sub_sv") (param $p i32) (param $n i32) (param $s f32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $a (f32x4.splat (local.get $s)))
    (loop $l
      (local.set $b (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.sub (local.get $a) (local.get $b)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "mul_vv") (param $pa i32) (param $pb i32) (param $n i32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $a (v128.load (local.get $pa)))
      (local.set $b (v128.load (local.get $pb)))
      (v128.store (local.get $pa) (f32x4.mul (local.get $a) (local.get $b)))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $pa) (local.get $end)))))

  (func (export "mul_vs") (param $p i32) (param $n i32) (param $s f32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $b (f32x4.splat (local.get $s)))
    (loop $l
      (local.set $a (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.mul (local.get $a) (local.get $b)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "div_vv") (param $pa i32) (param $pb i32) (param $n i32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $a (v128.load (local.get $pa)))
      (local.set $b (v128.load (local.get $pb)))
      (v128.store (local.get $pa) (f32x4.div (local.get $a) (local.get $b)))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $pa) (local.get $end)))))

  (func (export "div_vs") (param $p i32) (param $n i32) (param $s f32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $b (f32x4.splat (local.get $s)))
    (loop $l
      (local.set $a (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.div (local.get $a) (local.get $b)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "div_sv") (param $p i32) (param $n i32) (param $s f32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $a (f32x4.splat (local.get $s)))
    (loop $l
      (local.set $b (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.div (local.get $a) (local.get $b)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "maximum_vv") (param $pa i32) (param $pb i32) (param $n i32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $a (v128.load (local.get $pa)))
      (local.set $b (v128.load (local.get $pb)))
      (v128.store (local.get $pa) (v128.bitselect (local.get $a) (local.get $b) (v128.or (f32x4.gt (local.get $a) (local.get $b)) (f32x4.ne (local.get $a) (local.get $a)))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $pa) (local.get $end)))))

  (func (export "maximum_vs") (param $p i32) (param $n i32) (param $s f32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $b (f32x4.splat (local.get $s)))
    (loop $l
      (local.set $a (v128.load (local.get $p)))
      (v128.store (local.get $p) (v128.bitselect (local.get $a) (local.get $b) (v128.or (f32x4.gt (local.get $a) (local.get $b)) (f32x4.ne (local.get $a) (local.get $a)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "maximum_sv") (param $p i32) (param $n i32) (param $s f32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $a (f32x4.splat (local.get $s)))
    (loop $l
      (local.set $b (v128.load (local.get $p)))
      (v128.store (local.get $p) (v128.bitselect (local.get $a) (local.get $b) (v128.or (f32x4.gt (local.get $a) (local.get $b)) (f32x4.ne (local.get $a) (local.get $a)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "minimum_vv") (param $pa i32) (param $pb i32) (param $n i32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $a (v128.load (local.get $pa)))
      (local.set $b (v128.load (local.get $pb)))
      (v128.store (local.get $pa) (v128.bitselect (local.get $a) (local.get $b) (v128.or (f32x4.lt (local.get $a) (local.get $b)) (f32x4.ne (local.get $a) (local.get $a)))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $pa) (local.get $end)))))

  (func (export "minimum_vs") (param $p i32) (param $n i32) (param $s f32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $b (f32x4.splat (local.get $s)))
    (loop $l
      (local.set $a (v128.load (local.get $p)))
      (v128.store (local.get $p) (v128.bitselect (local.get $a) (local.get $b) (v128.or (f32x4.lt (local.get $a) (local.get $b)) (f32x4.ne (local.get $a) (local.get $a)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "minimum_sv") (param $p i32) (param $n i32) (param $s f32)
    (local $end i32) (local $a v128) (local $b v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $a (f32x4.splat (local.get $s)))
    (loop $l
      (local.set $b (v128.load (local.get $p)))
      (v128.store (local.get $p) (v128.bitselect (local.get $a) (local.get $b) (v128.or (f32x4.lt (local.get $a) (local.get $b)) (f32x4.ne (local.get $a) (local.get $a)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  ;; a + p b (addScaled, alpha of add / sub) as the loop computes it: in float64, rounded once to
  ;; float32; 4 floats a step as two f64x2 halves. axpy_vs takes q = p y computed by the caller (the
  ;; loop's same float64 product); axpy_sv computes x + p A for a scalar x.
  (func $hi (param $v v128) (result v128)
    (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $v) (local.get $v)))
  (func $join (param $lo v128) (param $hi v128) (result v128)
    (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi))))

  (func (export "axpy_vv") (param $pa i32) (param $pb i32) (param $n i32) (param $p f64)
    (local $end i32) (local $a v128) (local $b v128) (local $vp v128)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vp (f64x2.splat (local.get $p)))
    (loop $l
      (local.set $a (v128.load (local.get $pa)))
      (local.set $b (v128.load (local.get $pb)))
      (v128.store (local.get $pa) (call $join
        (f64x2.add (f64x2.promote_low_f32x4 (local.get $a)) (f64x2.mul (local.get $vp) (f64x2.promote_low_f32x4 (local.get $b))))
        (f64x2.add (f64x2.promote_low_f32x4 (call $hi (local.get $a))) (f64x2.mul (local.get $vp) (f64x2.promote_low_f32x4 (call $hi (local.get $b)))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $pa) (local.get $end)))))

  (func (export "axpy_vs") (param $p i32) (param $n i32) (param $q f64)
    (local $end i32) (local $a v128) (local $vq v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vq (f64x2.splat (local.get $q)))
    (loop $l
      (local.set $a (v128.load (local.get $p)))
      (v128.store (local.get $p) (call $join
        (f64x2.add (f64x2.promote_low_f32x4 (local.get $a)) (local.get $vq))
        (f64x2.add (f64x2.promote_low_f32x4 (call $hi (local.get $a))) (local.get $vq))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  (func (export "axpy_sv") (param $p i32) (param $n i32) (param $x f64) (param $s f64)
    (local $end i32) (local $b v128) (local $vx v128) (local $vs v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vx (f64x2.splat (local.get $x)))
    (local.set $vs (f64x2.splat (local.get $s)))
    (loop $l
      (local.set $b (v128.load (local.get $p)))
      (v128.store (local.get $p) (call $join
        (f64x2.add (local.get $vx) (f64x2.mul (local.get $vs) (f64x2.promote_low_f32x4 (local.get $b))))
        (f64x2.add (local.get $vx) (f64x2.mul (local.get $vs) (f64x2.promote_low_f32x4 (call $hi (local.get $b)))))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $p) (local.get $end)))))

  ;; A = A * m for a bool mask of bytes at $pm (relu's backward, g * (y > 0)): the byte as a float, so
  ;; that NaN * 0 = NaN and -x * 0 = -0 as in the loop's a[i] * m[i]. 8 floats a step.
  (func (export "mul_mask") (param $pa i32) (param $pm i32) (param $n i32)
    (local $end i32) (local $m v128)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 2))))
    (loop $l
      (local.set $m (v128.load8x8_u (local.get $pm)))
      (v128.store (local.get $pa) (f32x4.mul (v128.load (local.get $pa)) (f32x4.convert_i32x4_u (i32x4.extend_low_i16x8_u (local.get $m)))))
      (v128.store offset=16 (local.get $pa) (f32x4.mul (v128.load offset=16 (local.get $pa)) (f32x4.convert_i32x4_u (i32x4.extend_high_i16x8_u (local.get $m)))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
      (local.set $pm (i32.add (local.get $pm) (i32.const 8)))
      (br_if $l (i32.lt_u (local.get $pa) (local.get $end)))))

  ;; A = m ? s : A ($when = 1) or m ? A : s ($when = 0) for a bool mask of bytes at $pm: a where with
  ;; one scalar side (g.masked_fill(y <= 0, 0), relu's backward): a select of bits, no arithmetic, so
  ;; an infinite or NaN A is kept or replaced whole, as the loop's table lookup. 8 floats a step.
  (func (export "select_mask") (param $pa i32) (param $pm i32) (param $n i32) (param $s f32) (param $when i32)
    (local $end i32) (local $m v128) (local $vs v128) (local $flip v128)
    (local.set $end (i32.add (local.get $pa) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vs (f32x4.splat (local.get $s)))
    ;; lanes of the mask test m != 0, inverted for $when = 0 (all ones xor)
    (local.set $flip (i32x4.splat (i32.sub (i32.const 0) (i32.eqz (local.get $when)))))
    (loop $l
      (local.set $m (v128.load8x8_u (local.get $pm)))
      (v128.store (local.get $pa) (v128.bitselect (local.get $vs) (v128.load (local.get $pa))
        (v128.xor (local.get $flip) (i32x4.ne (i32x4.extend_low_i16x8_u (local.get $m)) (v128.const i32x4 0 0 0 0)))))
      (v128.store offset=16 (local.get $pa) (v128.bitselect (local.get $vs) (v128.load offset=16 (local.get $pa))
        (v128.xor (local.get $flip) (i32x4.ne (i32x4.extend_high_i16x8_u (local.get $m)) (v128.const i32x4 0 0 0 0)))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 32)))
      (local.set $pm (i32.add (local.get $pm) (i32.const 8)))
      (br_if $l (i32.lt_u (local.get $pa) (local.get $end)))))

  ;; ------------------------------------------------------------------ comparisons into bytes
  ;; O[k] = A[k] cmp B[k] (or s) as 0 / 1 bytes at $po, 16 a step: the lane masks (-1 / 0) narrowed
  ;; to bytes and ANDed with 1. NaN compares as the loops' do (only ne is true).
  (func (export "eq_vv") (param $pa i32) (param $pb i32) (param $po i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $po) (i32.shl (local.get $n) (i32.const 0))))
    (loop $l
      (v128.store (local.get $po) (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i8x16.narrow_i16x8_s
        (i16x8.narrow_i32x4_s (f32x4.eq (v128.load offset=0 (local.get $pa)) (v128.load offset=0 (local.get $pb))) (f32x4.eq (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb))))
        (i16x8.narrow_i32x4_s (f32x4.eq (v128.load offset=32 (local.get $pa)) (v128.load offset=32 (local.get $pb))) (f32x4.eq (v128.load offset=48 (local.get $pa)) (v128.load offset=48 (local.get $pb)))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 64)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $po) (local.get $end)))))

  (func (export "eq_vs") (param $pa i32) (param $po i32) (param $n i32) (param $s f32)
    (local $end i32) (local $vs v128)
    (local.set $end (i32.add (local.get $po) (i32.shl (local.get $n) (i32.const 0))))
    (local.set $vs (f32x4.splat (local.get $s)))
    (loop $l
      (v128.store (local.get $po) (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i8x16.narrow_i16x8_s
        (i16x8.narrow_i32x4_s (f32x4.eq (v128.load offset=0 (local.get $pa)) (local.get $vs)) (f32x4.eq (v128.load offset=16 (local.get $pa)) (local.get $vs)))
        (i16x8.narrow_i32x4_s (f32x4.eq (v128.load offset=32 (local.get $pa)) (local.get $vs)) (f32x4.eq (v128.load offset=48 (local.get $pa)) (local.get $vs))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $po) (local.get $end)))))

  (func (export "ne_vv") (param $pa i32) (param $pb i32) (param $po i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $po) (i32.shl (local.get $n) (i32.const 0))))
    (loop $l
      (v128.store (local.get $po) (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i8x16.narrow_i16x8_s
        (i16x8.narrow_i32x4_s (f32x4.ne (v128.load offset=0 (local.get $pa)) (v128.load offset=0 (local.get $pb))) (f32x4.ne (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb))))
        (i16x8.narrow_i32x4_s (f32x4.ne (v128.load offset=32 (local.get $pa)) (v128.load offset=32 (local.get $pb))) (f32x4.ne (v128.load offset=48 (local.get $pa)) (v128.load offset=48 (local.get $pb)))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 64)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $po) (local.get $end)))))

  (func (export "ne_vs") (param $pa i32) (param $po i32) (param $n i32) (param $s f32)
    (local $end i32) (local $vs v128)
    (local.set $end (i32.add (local.get $po) (i32.shl (local.get $n) (i32.const 0))))
    (local.set $vs (f32x4.splat (local.get $s)))
    (loop $l
      (v128.store (local.get $po) (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i8x16.narrow_i16x8_s
        (i16x8.narrow_i32x4_s (f32x4.ne (v128.load offset=0 (local.get $pa)) (local.get $vs)) (f32x4.ne (v128.load offset=16 (local.get $pa)) (local.get $vs)))
        (i16x8.narrow_i32x4_s (f32x4.ne (v128.load offset=32 (local.get $pa)) (local.get $vs)) (f32x4.ne (v128.load offset=48 (local.get $pa)) (local.get $vs))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $po) (local.get $end)))))

  (func (export "lt_vv") (param $pa i32) (param $pb i32) (param $po i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $po) (i32.shl (local.get $n) (i32.const 0))))
    (loop $l
      (v128.store (local.get $po) (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i8x16.narrow_i16x8_s
        (i16x8.narrow_i32x4_s (f32x4.lt (v128.load offset=0 (local.get $pa)) (v128.load offset=0 (local.get $pb))) (f32x4.lt (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb))))
        (i16x8.narrow_i32x4_s (f32x4.lt (v128.load offset=32 (local.get $pa)) (v128.load offset=32 (local.get $pb))) (f32x4.lt (v128.load offset=48 (local.get $pa)) (v128.load offset=48 (local.get $pb)))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 64)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $po) (local.get $end)))))

  (func (export "lt_vs") (param $pa i32) (param $po i32) (param $n i32) (param $s f32)
    (local $end i32) (local $vs v128)
    (local.set $end (i32.add (local.get $po) (i32.shl (local.get $n) (i32.const 0))))
    (local.set $vs (f32x4.splat (local.get $s)))
    (loop $l
      (v128.store (local.get $po) (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i8x16.narrow_i16x8_s
        (i16x8.narrow_i32x4_s (f32x4.lt (v128.load offset=0 (local.get $pa)) (local.get $vs)) (f32x4.lt (v128.load offset=16 (local.get $pa)) (local.get $vs)))
        (i16x8.narrow_i32x4_s (f32x4.lt (v128.load offset=32 (local.get $pa)) (local.get $vs)) (f32x4.lt (v128.load offset=48 (local.get $pa)) (local.get $vs))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $po) (local.get $end)))))

  (func (export "le_vv") (param $pa i32) (param $pb i32) (param $po i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $po) (i32.shl (local.get $n) (i32.const 0))))
    (loop $l
      (v128.store (local.get $po) (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i8x16.narrow_i16x8_s
        (i16x8.narrow_i32x4_s (f32x4.le (v128.load offset=0 (local.get $pa)) (v128.load offset=0 (local.get $pb))) (f32x4.le (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb))))
        (i16x8.narrow_i32x4_s (f32x4.le (v128.load offset=32 (local.get $pa)) (v128.load offset=32 (local.get $pb))) (f32x4.le (v128.load offset=48 (local.get $pa)) (v128.load offset=48 (local.get $pb)))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 64)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $po) (local.get $end)))))

  (func (export "le_vs") (param $pa i32) (param $po i32) (param $n i32) (param $s f32)
    (local $end i32) (local $vs v128)
    (local.set $end (i32.add (local.get $po) (i32.shl (local.get $n) (i32.const 0))))
    (local.set $vs (f32x4.splat (local.get $s)))
    (loop $l
      (v128.store (local.get $po) (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i8x16.narrow_i16x8_s
        (i16x8.narrow_i32x4_s (f32x4.le (v128.load offset=0 (local.get $pa)) (local.get $vs)) (f32x4.le (v128.load offset=16 (local.get $pa)) (local.get $vs)))
        (i16x8.narrow_i32x4_s (f32x4.le (v128.load offset=32 (local.get $pa)) (local.get $vs)) (f32x4.le (v128.load offset=48 (local.get $pa)) (local.get $vs))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $po) (local.get $end)))))

  (func (export "gt_vv") (param $pa i32) (param $pb i32) (param $po i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $po) (i32.shl (local.get $n) (i32.const 0))))
    (loop $l
      (v128.store (local.get $po) (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i8x16.narrow_i16x8_s
        (i16x8.narrow_i32x4_s (f32x4.gt (v128.load offset=0 (local.get $pa)) (v128.load offset=0 (local.get $pb))) (f32x4.gt (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb))))
        (i16x8.narrow_i32x4_s (f32x4.gt (v128.load offset=32 (local.get $pa)) (v128.load offset=32 (local.get $pb))) (f32x4.gt (v128.load offset=48 (local.get $pa)) (v128.load offset=48 (local.get $pb)))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 64)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $po) (local.get $end)))))

  (func (export "gt_vs") (param $pa i32) (param $po i32) (param $n i32) (param $s f32)
    (local $end i32) (local $vs v128)
    (local.set $end (i32.add (local.get $po) (i32.shl (local.get $n) (i32.const 0))))
    (local.set $vs (f32x4.splat (local.get $s)))
    (loop $l
      (v128.store (local.get $po) (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i8x16.narrow_i16x8_s
        (i16x8.narrow_i32x4_s (f32x4.gt (v128.load offset=0 (local.get $pa)) (local.get $vs)) (f32x4.gt (v128.load offset=16 (local.get $pa)) (local.get $vs)))
        (i16x8.narrow_i32x4_s (f32x4.gt (v128.load offset=32 (local.get $pa)) (local.get $vs)) (f32x4.gt (v128.load offset=48 (local.get $pa)) (local.get $vs))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $po) (local.get $end)))))

  (func (export "ge_vv") (param $pa i32) (param $pb i32) (param $po i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $po) (i32.shl (local.get $n) (i32.const 0))))
    (loop $l
      (v128.store (local.get $po) (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i8x16.narrow_i16x8_s
        (i16x8.narrow_i32x4_s (f32x4.ge (v128.load offset=0 (local.get $pa)) (v128.load offset=0 (local.get $pb))) (f32x4.ge (v128.load offset=16 (local.get $pa)) (v128.load offset=16 (local.get $pb))))
        (i16x8.narrow_i32x4_s (f32x4.ge (v128.load offset=32 (local.get $pa)) (v128.load offset=32 (local.get $pb))) (f32x4.ge (v128.load offset=48 (local.get $pa)) (v128.load offset=48 (local.get $pb)))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
      (local.set $pb (i32.add (local.get $pb) (i32.const 64)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $po) (local.get $end)))))

  (func (export "ge_vs") (param $pa i32) (param $po i32) (param $n i32) (param $s f32)
    (local $end i32) (local $vs v128)
    (local.set $end (i32.add (local.get $po) (i32.shl (local.get $n) (i32.const 0))))
    (local.set $vs (f32x4.splat (local.get $s)))
    (loop $l
      (v128.store (local.get $po) (v128.and (v128.const i8x16 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1) (i8x16.narrow_i16x8_s
        (i16x8.narrow_i32x4_s (f32x4.ge (v128.load offset=0 (local.get $pa)) (local.get $vs)) (f32x4.ge (v128.load offset=16 (local.get $pa)) (local.get $vs)))
        (i16x8.narrow_i32x4_s (f32x4.ge (v128.load offset=32 (local.get $pa)) (local.get $vs)) (f32x4.ge (v128.load offset=48 (local.get $pa)) (local.get $vs))))))
      (local.set $pa (i32.add (local.get $pa) (i32.const 64)))
      (local.set $po (i32.add (local.get $po) (i32.const 16)))
      (br_if $l (i32.lt_u (local.get $po) (local.get $end)))))
)
