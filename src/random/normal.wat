;; PyTorch's AVX2 Box-Muller kernel (`normal_fill_16_AVX2`, with avx_mathfun.h's log256_ps and
;; sincos256_ps) in WebAssembly SIMD, four lanes at a time: the same float32 operations as
;; avx_mathfun.ts's one-lane emulation, in the same order, each rounded once, and with its fused
;; multiply-adds as f32x4.relaxed_madd. Where the engine fuses relaxed_madd (a true FMA:
;; distributions.ts probes it with `madd`) the results are the emulation's, i.e. PyTorch's, bit for
;; bit; elsewhere this module is not used. Built by scripts/build_wasm.ts into normal.generated.ts.
;; See avx_mathfun.ts for which multiplies are fused and why.
(module
  (memory (export "memory") 1)

  ;; one lane of relaxed_madd(a, b, c): the probe of whether it is fused
  (func (export "madd") (param $a f32) (param $b f32) (param $c f32) (result f32)
    (f32x4.extract_lane 0
      (f32x4.relaxed_madd (f32x4.splat (local.get $a)) (f32x4.splat (local.get $b)) (f32x4.splat (local.get $c)))))

  ;; log256_ps of four positive lanes
  (func $log (param $x v128) (result v128)
    (local $bits v128) (local $m v128) (local $e v128) (local $mask v128) (local $a v128) (local $z v128) (local $y v128)
    ;; cut off denormals (the kernel never gets there)
    (local.set $x (f32x4.max (local.get $x) (v128.const i32x4 0x00800000 0x00800000 0x00800000 0x00800000)))
    (local.set $bits (local.get $x))
    ;; mantissa in [0.5, 1) and exponent e = (bits >> 23) - 0x7f + 1
    (local.set $m (v128.or (v128.and (local.get $bits) (v128.const i32x4 0x807fffff 0x807fffff 0x807fffff 0x807fffff))
      (v128.const i32x4 0x3f000000 0x3f000000 0x3f000000 0x3f000000)))
    (local.set $e (i32x4.sub (i32x4.shr_u (local.get $bits) (i32.const 23)) (v128.const i32x4 126 126 126 126)))
    ;; m < sqrt(1/2): e -= 1, m = (m - 1) + m; else m = m - 1
    (local.set $mask (f32x4.lt (local.get $m) (v128.const f32x4 0.707106781186547524 0.707106781186547524 0.707106781186547524 0.707106781186547524)))
    (local.set $e (f32x4.convert_i32x4_s (i32x4.add (local.get $e) (local.get $mask))))
    (local.set $a (f32x4.sub (local.get $m) (v128.const f32x4 1 1 1 1)))
    (local.set $m (v128.bitselect (f32x4.add (local.get $a) (local.get $m)) (local.get $a) (local.get $mask)))
    (local.set $z (f32x4.mul (local.get $m) (local.get $m)))
    (local.set $y (f32x4.relaxed_madd (v128.const f32x4 7.0376836292e-2 7.0376836292e-2 7.0376836292e-2 7.0376836292e-2) (local.get $m)
      (v128.const f32x4 -1.151461031e-1 -1.151461031e-1 -1.151461031e-1 -1.151461031e-1)))
    (local.set $y (f32x4.relaxed_madd (local.get $y) (local.get $m) (v128.const f32x4 1.167699874e-1 1.167699874e-1 1.167699874e-1 1.167699874e-1)))
    (local.set $y (f32x4.relaxed_madd (local.get $y) (local.get $m) (v128.const f32x4 -1.2420140846e-1 -1.2420140846e-1 -1.2420140846e-1 -1.2420140846e-1)))
    (local.set $y (f32x4.relaxed_madd (local.get $y) (local.get $m) (v128.const f32x4 1.4249322787e-1 1.4249322787e-1 1.4249322787e-1 1.4249322787e-1)))
    (local.set $y (f32x4.relaxed_madd (local.get $y) (local.get $m) (v128.const f32x4 -1.6668057665e-1 -1.6668057665e-1 -1.6668057665e-1 -1.6668057665e-1)))
    (local.set $y (f32x4.relaxed_madd (local.get $y) (local.get $m) (v128.const f32x4 2.0000714765e-1 2.0000714765e-1 2.0000714765e-1 2.0000714765e-1)))
    (local.set $y (f32x4.relaxed_madd (local.get $y) (local.get $m) (v128.const f32x4 -2.4999993993e-1 -2.4999993993e-1 -2.4999993993e-1 -2.4999993993e-1)))
    (local.set $y (f32x4.relaxed_madd (local.get $y) (local.get $m) (v128.const f32x4 3.3333331174e-1 3.3333331174e-1 3.3333331174e-1 3.3333331174e-1)))
    (local.set $y (f32x4.mul (local.get $y) (local.get $m)))
    (local.set $y (f32x4.relaxed_madd (local.get $y) (local.get $z)
      (f32x4.mul (local.get $e) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $y (f32x4.sub (local.get $y) (f32x4.mul (local.get $z) (v128.const f32x4 0.5 0.5 0.5 0.5))))
    (f32x4.relaxed_madd (local.get $e) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)
      (f32x4.add (local.get $m) (local.get $y))))

  ;; one half of a block of 16: lanes from $p (u1 = 1 - data) and $p + 32 (u2); the cosine samples
  ;; go to $p, the sine samples to $p + 32
  (func $half (param $p i32) (param $mean v128) (param $std v128) (param $plain i32)
    (local $radius v128) (local $x v128) (local $ji v128) (local $j v128) (local $z v128)
    (local $yc v128) (local $ys v128) (local $swap v128) (local $s v128) (local $c v128) (local $n1 v128) (local $n2 v128)
    (local.set $radius (f32x4.sqrt (f32x4.mul (v128.const f32x4 -2 -2 -2 -2)
      (call $log (f32x4.sub (v128.const f32x4 1 1 1 1) (v128.load (local.get $p)))))))
    (local.set $x (f32x4.mul (v128.const f32x4 6.2831854820251465 6.2831854820251465 6.2831854820251465 6.2831854820251465)
      (v128.load offset=32 (local.get $p))))
    ;; sincos256_ps: octant j rounded up to even, the extended-precision reduction, both polynomials
    (local.set $ji (v128.and (i32x4.add (i32x4.trunc_sat_f32x4_s (f32x4.mul (local.get $x)
        (v128.const f32x4 1.27323954473516 1.27323954473516 1.27323954473516 1.27323954473516)))
      (v128.const i32x4 1 1 1 1)) (v128.const i32x4 -2 -2 -2 -2)))
    (local.set $j (f32x4.convert_i32x4_s (local.get $ji)))
    (local.set $x (f32x4.relaxed_madd (local.get $j) (v128.const f32x4 -0.78515625 -0.78515625 -0.78515625 -0.78515625) (local.get $x)))
    (local.set $x (f32x4.relaxed_madd (local.get $j) (v128.const f32x4 -2.4187564849853515625e-4 -2.4187564849853515625e-4 -2.4187564849853515625e-4 -2.4187564849853515625e-4) (local.get $x)))
    (local.set $x (f32x4.relaxed_madd (local.get $j) (v128.const f32x4 -3.77489497744594108e-8 -3.77489497744594108e-8 -3.77489497744594108e-8 -3.77489497744594108e-8) (local.get $x)))
    (local.set $z (f32x4.mul (local.get $x) (local.get $x)))
    (local.set $yc (f32x4.relaxed_madd (v128.const f32x4 2.443315711809948e-5 2.443315711809948e-5 2.443315711809948e-5 2.443315711809948e-5) (local.get $z)
      (v128.const f32x4 -1.388731625493765e-3 -1.388731625493765e-3 -1.388731625493765e-3 -1.388731625493765e-3)))
    (local.set $yc (f32x4.relaxed_madd (local.get $yc) (local.get $z) (v128.const f32x4 4.166664568298827e-2 4.166664568298827e-2 4.166664568298827e-2 4.166664568298827e-2)))
    (local.set $yc (f32x4.mul (local.get $yc) (local.get $z)))
    (local.set $yc (f32x4.relaxed_madd (local.get $yc) (local.get $z) (f32x4.neg (f32x4.mul (local.get $z) (v128.const f32x4 0.5 0.5 0.5 0.5)))))
    (local.set $yc (f32x4.add (local.get $yc) (v128.const f32x4 1 1 1 1)))
    (local.set $ys (f32x4.relaxed_madd (v128.const f32x4 -1.9515295891e-4 -1.9515295891e-4 -1.9515295891e-4 -1.9515295891e-4) (local.get $z)
      (v128.const f32x4 8.3321608736e-3 8.3321608736e-3 8.3321608736e-3 8.3321608736e-3)))
    (local.set $ys (f32x4.relaxed_madd (local.get $ys) (local.get $z) (v128.const f32x4 -1.6666654611e-1 -1.6666654611e-1 -1.6666654611e-1 -1.6666654611e-1)))
    (local.set $ys (f32x4.mul (local.get $ys) (local.get $z)))
    (local.set $ys (f32x4.relaxed_madd (local.get $ys) (local.get $x) (local.get $x)))
    ;; j & 2 picks the polynomial for the sine; j & 4 and ~(j - 2) & 4 give the signs
    (local.set $swap (i32x4.ne (v128.and (local.get $ji) (v128.const i32x4 2 2 2 2)) (v128.const i32x4 0 0 0 0)))
    (local.set $s (v128.xor (v128.bitselect (local.get $yc) (local.get $ys) (local.get $swap))
      (i32x4.shl (v128.and (local.get $ji) (v128.const i32x4 4 4 4 4)) (i32.const 29))))
    (local.set $c (v128.xor (v128.bitselect (local.get $ys) (local.get $yc) (local.get $swap))
      (i32x4.shl (v128.andnot (v128.const i32x4 4 4 4 4) (i32x4.sub (local.get $ji) (v128.const i32x4 2 2 2 2))) (i32.const 29))))
    (local.set $n1 (f32x4.mul (local.get $radius) (local.get $c)))
    (local.set $n2 (f32x4.mul (local.get $radius) (local.get $s)))
    (if (local.get $plain)
      (then
        ;; n + 0: fma(n, 1, 0) turns -0 into +0, and so does this
        (v128.store (local.get $p) (f32x4.add (local.get $n1) (v128.const f32x4 0 0 0 0)))
        (v128.store offset=32 (local.get $p) (f32x4.add (local.get $n2) (v128.const f32x4 0 0 0 0))))
      (else
        (v128.store (local.get $p) (f32x4.relaxed_madd (local.get $n1) (local.get $std) (local.get $mean)))
        (v128.store offset=32 (local.get $p) (f32x4.relaxed_madd (local.get $n2) (local.get $std) (local.get $mean))))))

  ;; normal_fill_16_AVX2 on $blocks blocks of 16 floats from byte address $p, in place
  (func (export "normal_fill") (param $p i32) (param $blocks i32) (param $mean f32) (param $std f32) (param $plain i32)
    (local $m v128) (local $s v128)
    (local.set $m (f32x4.splat (local.get $mean)))
    (local.set $s (f32x4.splat (local.get $std)))
    (loop $l
      (call $half (local.get $p) (local.get $m) (local.get $s) (local.get $plain))
      (call $half (i32.add (local.get $p) (i32.const 16)) (local.get $m) (local.get $s) (local.get $plain))
      (local.set $p (i32.add (local.get $p) (i32.const 64)))
      (br_if $l (local.tee $blocks (i32.sub (local.get $blocks) (i32.const 1))))))
)
