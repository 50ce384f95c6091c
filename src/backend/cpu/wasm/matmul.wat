;; WebAssembly SIMD matmul kernels for the CPU backend: the interior columns of C = A @ B, bit for bit
;; the numbers of the TypeScript kernel (../matmul.ts). Built by scripts/build_wasm.ts into
;; matmul.generated.ts; loaded and driven by index.ts, which copies the operands in and the result out.
;;
;; BLIS loop order (index.ts drives the outer loops): A is packed as f64 panels of 4 rows ([k][4]),
;; B as f64 panels of 4 columns ([k][4]); a 4x4 micro-kernel keeps 8 f64x2 accumulators, 2 B vectors
;; and 1 broadcast A value in registers (V8 gives wasm SIMD xmm0-14; larger tiles spill).
;; NOTE: measured on the 2-core Zen 4 (Node 20, kernel alone, 128x320x256): float32 ~9.5 GFLOP/s,
;; float64 ~20. The float32 loop is bound by its f32<->f64 conversions (16 per k): 2x4 and 3x4 tiles
;; ran 4.6 and 7.0, 5x4 and 6x4 spill (7.4, 8.4), f32x4 accumulators split and merged every step 7.8,
;; f64x2.relaxed_madd for add+mul (exact here, the product being exact) only +12%. Unrolling the
;; float64 loop by 2 made V8 spill (15 against 20). Read V8's code with node --print-wasm-code.
;;
;; NOTE: float32 output reproduces the TS kernel's float32 FMA, acc = fround(a * b + acc): the
;; operands are promoted to f64 when packed, a * b is exact in f64, f64x2.add rounds once, and
;; f32x4.demote_f64x2_zero rounds to f32, which is exactly what Math.fround does to the f64 sum.
;; The accumulators stay f64x2 lanes holding f32 values (demote then promote back, both exact on the
;; way back): two conversions per 2 lanes, cheaper than keeping f32x4 and splitting it every step.
;; Plain f32x4 mul+add would round twice (other bits); relaxed_madd is fused on some CPUs only:
;; matmul_relaxed.wat uses it where index.ts's probe finds it fused (5x faster), this module elsewhere.
;; Each K block starts its accumulators at +0 and then sets C (first block) or adds into it with
;; f32x4.add, the same as `o[i] += acc` on a Float32Array (f32 addition via f64 rounds identically).
;; NOTE: float64 output: acc += a * b in k order with f64x2.mul then f64x2.add (JS never fuses), so
;; the bits equal the TS loop. A K chunk after the first reloads its accumulators from C, which holds
;; the exact f64 partial sum, so chunking K does not change the order of the sum.
(module
  ;; the memory comes from index.ts: shared (workers run `work` on it too) or, where threads are
  ;; unavailable, a plain one (scripts/build_wasm.ts builds that variant by dropping "shared")
  (import "env" "memory" (memory 1 32768 shared))

  ;; ---------------------------------------------------------------------------------------------
  ;; float32 micro-kernel: a 4x4 tile of C (f32, row stride $ldc bytes) over one K block of $kc >= 1.
  ;; $ap: [kc][4] f64 (rows), $bp: [kc][4] f64 (columns). $add = 0 sets C, else C += block sum.
  (func $k32 (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $add i32)
    (local $a v128) (local $b0 v128) (local $b1 v128) (local $v v128)
    ;; $cRH: row R, columns 0-1 (H = 0) or 2-3 (H = 1); v128 locals start as +0.0 in every lane
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (loop $k
      (local.set $b0 (v128.load (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))

      (local.set $a (v128.load64_splat (local.get $ap)))
      (local.set $c00 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
        (f64x2.add (f64x2.mul (local.get $a) (local.get $b0)) (local.get $c00)))))
      (local.set $c01 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
        (f64x2.add (f64x2.mul (local.get $a) (local.get $b1)) (local.get $c01)))))

      (local.set $a (v128.load64_splat offset=8 (local.get $ap)))
      (local.set $c10 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
        (f64x2.add (f64x2.mul (local.get $a) (local.get $b0)) (local.get $c10)))))
      (local.set $c11 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
        (f64x2.add (f64x2.mul (local.get $a) (local.get $b1)) (local.get $c11)))))

      (local.set $a (v128.load64_splat offset=16 (local.get $ap)))
      (local.set $c20 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
        (f64x2.add (f64x2.mul (local.get $a) (local.get $b0)) (local.get $c20)))))
      (local.set $c21 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
        (f64x2.add (f64x2.mul (local.get $a) (local.get $b1)) (local.get $c21)))))

      (local.set $a (v128.load64_splat offset=24 (local.get $ap)))
      (local.set $c30 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
        (f64x2.add (f64x2.mul (local.get $a) (local.get $b0)) (local.get $c30)))))
      (local.set $c31 (f64x2.promote_low_f32x4 (f32x4.demote_f64x2_zero
        (f64x2.add (f64x2.mul (local.get $a) (local.get $b1)) (local.get $c31)))))

      (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
      (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
      (br_if $k (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    ;; C row by row: 4 f32 from two accumulators (f32 values, so demote is exact), set or added.
    ;; NOTE: inline, not a call: a call after the loop made V8 spill the accumulators inside it.
    (local.set $v (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $c00)) (f32x4.demote_f64x2_zero (local.get $c01))))
    (if (local.get $add) (then (local.set $v (f32x4.add (v128.load (local.get $c)) (local.get $v)))))
    (v128.store (local.get $c) (local.get $v))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (local.set $v (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $c10)) (f32x4.demote_f64x2_zero (local.get $c11))))
    (if (local.get $add) (then (local.set $v (f32x4.add (v128.load (local.get $c)) (local.get $v)))))
    (v128.store (local.get $c) (local.get $v))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (local.set $v (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $c20)) (f32x4.demote_f64x2_zero (local.get $c21))))
    (if (local.get $add) (then (local.set $v (f32x4.add (v128.load (local.get $c)) (local.get $v)))))
    (v128.store (local.get $c) (local.get $v))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (local.set $v (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $c30)) (f32x4.demote_f64x2_zero (local.get $c31))))
    (if (local.get $add) (then (local.set $v (f32x4.add (v128.load (local.get $c)) (local.get $v)))))
    (v128.store (local.get $c) (local.get $v)))

  ;; ---------------------------------------------------------------------------------------------
  ;; float64 micro-kernel: a 4x4 tile of C (f64, row stride $ldc bytes) over $kc >= 1 values of k.
  ;; $cont = 0 starts from +0, else continues the sums already in C (a later K chunk).
  (func $k64 (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $cont i32)
    (local $a v128) (local $b0 v128) (local $b1 v128) (local $p i32)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (if (local.get $cont)
      (then
        (local.set $p (local.get $c))
        (local.set $c00 (v128.load (local.get $p)))
        (local.set $c01 (v128.load offset=16 (local.get $p)))
        (local.set $p (i32.add (local.get $p) (local.get $ldc)))
        (local.set $c10 (v128.load (local.get $p)))
        (local.set $c11 (v128.load offset=16 (local.get $p)))
        (local.set $p (i32.add (local.get $p) (local.get $ldc)))
        (local.set $c20 (v128.load (local.get $p)))
        (local.set $c21 (v128.load offset=16 (local.get $p)))
        (local.set $p (i32.add (local.get $p) (local.get $ldc)))
        (local.set $c30 (v128.load (local.get $p)))
        (local.set $c31 (v128.load offset=16 (local.get $p)))))
    (loop $k
      (local.set $b0 (v128.load (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))
      (local.set $a (v128.load64_splat (local.get $ap)))
      (local.set $c00 (f64x2.add (local.get $c00) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c01 (f64x2.add (local.get $c01) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=8 (local.get $ap)))
      (local.set $c10 (f64x2.add (local.get $c10) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c11 (f64x2.add (local.get $c11) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=16 (local.get $ap)))
      (local.set $c20 (f64x2.add (local.get $c20) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c21 (f64x2.add (local.get $c21) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $a (v128.load64_splat offset=24 (local.get $ap)))
      (local.set $c30 (f64x2.add (local.get $c30) (f64x2.mul (local.get $a) (local.get $b0))))
      (local.set $c31 (f64x2.add (local.get $c31) (f64x2.mul (local.get $a) (local.get $b1))))
      (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
      (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
      (br_if $k (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    (v128.store (local.get $c) (local.get $c00))
    (v128.store offset=16 (local.get $c) (local.get $c01))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c10))
    (v128.store offset=16 (local.get $c) (local.get $c11))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c20))
    (v128.store offset=16 (local.get $c) (local.get $c21))
    (local.set $c (i32.add (local.get $c) (local.get $ldc)))
    (v128.store (local.get $c) (local.get $c30))
    (v128.store offset=16 (local.get $c) (local.get $c31)))

  ;; ---------------------------------------------------------------------------------------------
  ;; Macro-kernel: C[0:mc, 0:nc] from packed A ($mc/4 panels of [kc][4]) and packed B ($nc/4 panels
  ;; of [kc][4]). $mc and $nc are multiples of 4; $ldc is C's row stride in bytes.
  ;; $f64: C is f64 (else f32). $mode: 0 first K block/chunk, else add (f32) or continue (f64).
  ;; Columns outer, rows inner: one B micro-panel stays in L1 while the A panels stream from L2.
  (func $macro (export "macro") (param $f64 i32) (param $mode i32) (param $ap i32) (param $bp i32) (param $c i32)
      (param $mc i32) (param $nc i32) (param $kc i32) (param $ldc i32)
    (local $jr i32) (local $ir i32) (local $panel i32) (local $cc i32) (local $es i32)
    (local.set $panel (i32.shl (local.get $kc) (i32.const 5)))  ;; bytes of one packed panel: kc*4*8
    (local.set $es (select (i32.const 8) (i32.const 4) (local.get $f64)))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $jr) (local.get $nc)))
        (local.set $ir (i32.const 0))
        (local.set $cc (i32.add (local.get $c) (i32.mul (local.get $jr) (local.get $es))))
        (block $rdone
          (loop $rows
            (br_if $rdone (i32.ge_u (local.get $ir) (local.get $mc)))
            (if (local.get $f64)
              (then (call $k64
                (i32.add (local.get $ap) (i32.mul (i32.shr_u (local.get $ir) (i32.const 2)) (local.get $panel)))
                (i32.add (local.get $bp) (i32.mul (i32.shr_u (local.get $jr) (i32.const 2)) (local.get $panel)))
                (local.get $kc) (local.get $cc) (local.get $ldc) (local.get $mode)))
              (else (call $k32
                (i32.add (local.get $ap) (i32.mul (i32.shr_u (local.get $ir) (i32.const 2)) (local.get $panel)))
                (i32.add (local.get $bp) (i32.mul (i32.shr_u (local.get $jr) (i32.const 2)) (local.get $panel)))
                (local.get $kc) (local.get $cc) (local.get $ldc) (local.get $mode))))
            (local.set $cc (i32.add (local.get $cc) (i32.shl (local.get $ldc) (i32.const 2))))
            (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
            (br $rows)))
        (local.set $jr (i32.add (local.get $jr) (i32.const 4)))
        (br $cols))))

  ;; ---------------------------------------------------------------------------------------------
  ;; Packing into f64 panels of 4 lanes ([k][4], 32 bytes per k); f32 values promote exactly.
  ;; $src holds f32 ($f64 = 0) or f64 values with element strides $rs (rows) and $cs (columns).
  ;; Where the 4 lanes are adjacent in the source (A's copy transposed, B's row-major), one vector
  ;; load gives a whole k step; elsewhere each lane is copied alone.

  ;; $n steps: 4 adjacent values at $s -> 4 f64 at $d; $s advances by $ss bytes, $d by 32.
  (func $quads (param $s i32) (param $ss i32) (param $f64 i32) (param $n i32) (param $d i32)
    (local $v v128)
    (if (local.get $f64)
      (then (loop $l
        (v128.store (local.get $d) (v128.load (local.get $s)))
        (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $ss)))
        (local.set $d (i32.add (local.get $d) (i32.const 32)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
      (else (loop $l
        (local.set $v (v128.load (local.get $s)))
        (v128.store (local.get $d) (f64x2.promote_low_f32x4 (local.get $v)))
        (v128.store offset=16 (local.get $d) (f64x2.promote_low_f32x4
          (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v))))
        (local.set $s (i32.add (local.get $s) (local.get $ss)))
        (local.set $d (i32.add (local.get $d) (i32.const 32)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))))

  ;; $n steps: 1 value at $s -> 1 f64 at $d; $s advances by $ss bytes, $d by 32 (one lane).
  (func $lane (param $s i32) (param $ss i32) (param $f64 i32) (param $n i32) (param $d i32)
    (if (local.get $f64)
      (then (loop $l
        (f64.store (local.get $d) (f64.load (local.get $s)))
        (local.set $s (i32.add (local.get $s) (local.get $ss)))
        (local.set $d (i32.add (local.get $d) (i32.const 32)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
      (else (loop $l
        (f64.store (local.get $d) (f64.promote_f32 (f32.load (local.get $s))))
        (local.set $s (i32.add (local.get $s) (local.get $ss)))
        (local.set $d (i32.add (local.get $d) (i32.const 32)))
        (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))))

  ;; A rows [i0, i0+mc) ($mc a multiple of 4; rows >= M pack as zeros), k in [k0, k0+kc), kc >= 1:
  ;; dst[(p*kc + k)*4 + r] = A[i0 + 4p + r][k0 + k].
  (func $packA (export "packA") (param $src i32) (param $f64 i32) (param $rs i32) (param $cs i32) (param $M i32)
      (param $i0 i32) (param $mc i32) (param $k0 i32) (param $kc i32) (param $dst i32)
    (local $sh i32) (local $row i32) (local $r i32) (local $k i32) (local $d i32) (local $ss i32)
    (local.set $sh (select (i32.const 3) (i32.const 2) (local.get $f64)))
    (local.set $ss (i32.shl (local.get $cs) (local.get $sh)))
    (local.set $row (local.get $i0))
    (local.set $d (local.get $dst))
    (block $done
      (loop $panels
        (br_if $done (i32.ge_u (local.get $row) (i32.add (local.get $i0) (local.get $mc))))
        (if (i32.and (i32.eq (local.get $rs) (i32.const 1))
                     (i32.le_u (i32.add (local.get $row) (i32.const 4)) (local.get $M)))
          (then (call $quads
            (i32.add (local.get $src) (i32.shl (i32.add (local.get $row) (i32.mul (local.get $k0) (local.get $cs))) (local.get $sh)))
            (local.get $ss) (local.get $f64) (local.get $kc) (local.get $d)))
          (else
            (local.set $r (i32.const 0))
            (loop $lanes
              (if (i32.lt_u (i32.add (local.get $row) (local.get $r)) (local.get $M))
                (then (call $lane
                  (i32.add (local.get $src) (i32.shl (i32.add
                    (i32.mul (i32.add (local.get $row) (local.get $r)) (local.get $rs))
                    (i32.mul (local.get $k0) (local.get $cs))) (local.get $sh)))
                  (local.get $ss) (local.get $f64) (local.get $kc)
                  (i32.add (local.get $d) (i32.shl (local.get $r) (i32.const 3)))))
                (else
                  (local.set $k (i32.const 0))
                  (loop $zeros
                    (f64.store (i32.add (i32.add (local.get $d) (i32.shl (local.get $r) (i32.const 3)))
                                        (i32.shl (local.get $k) (i32.const 5))) (f64.const 0))
                    (br_if $zeros (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $kc))))))
              (br_if $lanes (i32.lt_u (local.tee $r (i32.add (local.get $r) (i32.const 1))) (i32.const 4))))))
        (local.set $row (i32.add (local.get $row) (i32.const 4)))
        (local.set $d (i32.add (local.get $d) (i32.shl (local.get $kc) (i32.const 5))))
        (br $panels))))

  ;; B columns [j0, j0+nc) ($nc a multiple of 4), k in [k0, k0+kc), kc >= 1:
  ;; dst[(q*kc + k)*4 + c] = B[k0 + k][j0 + 4q + c].
  (func $packB (export "packB") (param $src i32) (param $f64 i32) (param $rs i32) (param $cs i32)
      (param $k0 i32) (param $kc i32) (param $j0 i32) (param $nc i32) (param $dst i32)
    (local $sh i32) (local $col i32) (local $c i32) (local $d i32) (local $ss i32)
    (local.set $sh (select (i32.const 3) (i32.const 2) (local.get $f64)))
    (local.set $ss (i32.shl (local.get $rs) (local.get $sh)))
    (local.set $col (local.get $j0))
    (local.set $d (local.get $dst))
    (block $done
      (loop $panels
        (br_if $done (i32.ge_u (local.get $col) (i32.add (local.get $j0) (local.get $nc))))
        (if (i32.eq (local.get $cs) (i32.const 1))
          (then (call $quads
            (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $rs)) (local.get $col)) (local.get $sh)))
            (local.get $ss) (local.get $f64) (local.get $kc) (local.get $d)))
          (else
            (local.set $c (i32.const 0))
            (loop $lanes
              (call $lane
                (i32.add (local.get $src) (i32.shl (i32.add
                  (i32.mul (local.get $k0) (local.get $rs))
                  (i32.mul (i32.add (local.get $col) (local.get $c)) (local.get $cs))) (local.get $sh)))
                (local.get $ss) (local.get $f64) (local.get $kc)
                (i32.add (local.get $d) (i32.shl (local.get $c) (i32.const 3))))
              (br_if $lanes (i32.lt_u (local.tee $c (i32.add (local.get $c) (i32.const 1))) (i32.const 4))))))
        (local.set $col (i32.add (local.get $col) (i32.const 4)))
        (local.set $d (i32.add (local.get $d) (i32.shl (local.get $kc) (i32.const 5))))
        (br $panels))))

;; Compacts the result for copying out: rows 1..$rows-1 of C move from $c + i * $ldc to
  ;; $c + i * $row ($row <= $ldc, both bytes), so the M x cols result (no padding columns) lies in one
  ;; run for a single copy out. memory.copy moves each row as memmove does (the rows only move down).
  ;; NOTE: measured (1000 x 100 float32 from a 104-column C): copying row by row out of the memory
  ;; (a subarray per row) took ~94 us here, this and one copy ~10 us + the copy.
  (func (export "compact") (param $c i32) (param $ldc i32) (param $row i32) (param $rows i32)
    (local $i i32) (local $s i32) (local $d i32)
    (local.set $s (local.get $c))
    (local.set $d (local.get $c))
    (local.set $i (i32.const 1))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $s (i32.add (local.get $s) (local.get $ldc)))
        (local.set $d (i32.add (local.get $d) (local.get $row)))
        (memory.copy (local.get $d) (local.get $s) (local.get $row))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l))))

    ;; ---------------------------------------------------------------------------------------------
  ;; The threaded driver, run by the main thread and by each worker on the same job: the output is a
  ;; grid of chunks (row chunks x column chunks), each taken whole by one thread through an atomic
  ;; counter, so each element's sum is computed by one thread in the one-thread order. B is packed
  ;; beforehand (all of it, chunk after chunk of K: chunk kb at $bp + k0 * cp * 8, its 4-column panel
  ;; for column j at + j * kc * 8); A is packed per chunk of output and of K into the thread's own
  ;; scratch (slot $slot of the scratch area). The job's parameters are i32 words at $ctl (index.ts,
  ;; J_*): see there.
  (func (export "work") (param $ctl i32) (param $slot i32)
    (local $ch i32) (local $ap i32) (local $ic i32) (local $mc i32) (local $j0 i32) (local $nc i32)
    (local $kb i32) (local $k0 i32) (local $k1 i32) (local $kc i32) (local $cp i32) (local $nrow i32)
    (local $rc i32) (local $cc i32) (local $f64 i32)
    (local.set $ap (i32.add (i32.load offset=196 (local.get $ctl))
      (i32.mul (local.get $slot) (i32.load offset=200 (local.get $ctl)))))
    (local.set $nrow (i32.load offset=132 (local.get $ctl)))
    (local.set $rc (i32.load offset=136 (local.get $ctl)))
    (local.set $cc (i32.load offset=140 (local.get $ctl)))
    (local.set $cp (i32.load offset=148 (local.get $ctl)))
    (local.set $f64 (i32.load offset=156 (local.get $ctl)))
    (block $done
      (loop $chunks
        (local.set $ch (i32.atomic.rmw.add offset=8 (local.get $ctl) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $ch) (i32.load offset=128 (local.get $ctl))))
        (local.set $ic (i32.mul (i32.rem_u (local.get $ch) (local.get $nrow)) (local.get $rc)))
        (local.set $mc (i32.sub (i32.load offset=144 (local.get $ctl)) (local.get $ic)))
        (if (i32.gt_u (local.get $mc) (local.get $rc)) (then (local.set $mc (local.get $rc))))
        (local.set $j0 (i32.mul (i32.div_u (local.get $ch) (local.get $nrow)) (local.get $cc)))
        (local.set $nc (i32.sub (local.get $cp) (local.get $j0)))
        (if (i32.gt_u (local.get $nc) (local.get $cc)) (then (local.set $nc (local.get $cc))))
        (local.set $kb (i32.const 0))
        (local.set $k0 (i32.const 0))
        (loop $blocks
          (local.set $k1 (i32.load (i32.add (i32.load offset=192 (local.get $ctl)) (i32.shl (local.get $kb) (i32.const 2)))))
          (local.set $kc (i32.sub (local.get $k1) (local.get $k0)))
          (call $packA (i32.load offset=160 (local.get $ctl)) (local.get $f64) (i32.load offset=164 (local.get $ctl))
            (i32.load offset=168 (local.get $ctl)) (i32.load offset=172 (local.get $ctl))
            (local.get $ic) (local.get $mc) (local.get $k0) (local.get $kc) (local.get $ap))
          (call $macro (local.get $f64)
            (select (i32.load offset=152 (local.get $ctl)) (i32.const 1) (i32.eqz (local.get $kb)))
            (local.get $ap)
            (i32.add (i32.load offset=176 (local.get $ctl))
              (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $cp)) (i32.mul (local.get $j0) (local.get $kc))) (i32.const 3)))
            (i32.add (i32.load offset=180 (local.get $ctl))
              (i32.add (i32.mul (local.get $ic) (i32.load offset=184 (local.get $ctl)))
                (i32.shl (local.get $j0) (select (i32.const 3) (i32.const 2) (local.get $f64)))))
            (local.get $mc) (local.get $nc) (local.get $kc) (i32.load offset=184 (local.get $ctl)))
          (local.set $k0 (local.get $k1))
          (br_if $blocks (i32.lt_u (local.tee $kb (i32.add (local.get $kb) (i32.const 1))) (i32.load offset=188 (local.get $ctl)))))
        (br $chunks))))
)
