;; The float32 matmul kernel with relaxed SIMD: f32x4.relaxed_madd as a true float32 FMA, which is
;; what OpenBLAS's SGEMM does per step (one rounding), so where the engine fuses it the bits equal
;; the exact kernel's (matmul.wat) and the TypeScript kernel's. Where the engine lowers relaxed_madd
;; to mul + add (two roundings) the bits differ: index.ts probes that at first use and falls back to
;; matmul.wat then. Built by scripts/build_wasm.ts into matmul_relaxed.generated.ts.
;;
;; Same BLIS loops as matmul.wat (index.ts drives them), but float32 all the way: A is packed as f32
;; panels of 4 rows ([k][4], 16 bytes per k), B as f32 panels of 8 columns ([k][8], 32 bytes per k),
;; and a 4x8 micro-kernel keeps 8 f32x4 accumulators, 2 B vectors and 1 broadcast A value in
;; registers (11 of the xmm0-14 V8 gives wasm SIMD; no k-unrolling, see performance.md).
;; NOTE: measured on the 2-core Zen 4 (Node 20 with --experimental-wasm-relaxed-simd, bench/
;; wasm_matmul.ts): 47.6 GFLOP/s at 256^3, 49.4 at 1024^3, 44.3 at 64x784x256, 41.8 at 64x1000x100,
;; against ~9 for matmul.wat's float32. TurboFan's loop is 2 loads, 4 vbroadcastss, 8 vfmadd231ps
;; and no spills. A 5x8 tile (10 accumulators) ran 20 GFLOP/s; A packed from a transposed copy
;; (vector loads) was no faster than lane by lane.
;; NOTE: per K block the accumulators start at +0 and take relaxed_madd(a, b, acc) = a * b + acc in
;; k order; C is set to the block's sum (first block) or C = C + sum with f32x4.add (later blocks),
;; the same rule as the TypeScript kernel's `o[i] += acc` on a Float32Array.
;; NOTE: bytes 0-63 of memory are never written (index.ts puts its data from 64 on): packing reads
;; zeros from address 0 with stride 0 for the padding rows of A and padding columns of B.
(module
  ;; the memory comes from index.ts: shared (workers run `work` on it too) or, where threads are
  ;; unavailable, a plain one (scripts/build_wasm.ts builds that variant by dropping "shared")
  (import "env" "memory" (memory 1 32768 shared))

  ;; ---------------------------------------------------------------------------------------------
  ;; Micro-kernel: a 4x8 tile of C (f32, row stride $ldc bytes) over one K block of $kc >= 1.
  ;; $ap: [kc][4] f32 (rows), $bp: [kc][8] f32 (columns). $add = 0 sets C, else C += block sum.
  (func $k (param $ap i32) (param $bp i32) (param $kc i32) (param $c i32) (param $ldc i32) (param $add i32)
    (local $a v128) (local $b0 v128) (local $b1 v128)
    ;; $cRH: row R, columns 0-3 (H = 0) or 4-7 (H = 1); v128 locals start as +0.0 in every lane
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (loop $l
      (local.set $b0 (v128.load (local.get $bp)))
      (local.set $b1 (v128.load offset=16 (local.get $bp)))
      (local.set $a (v128.load32_splat (local.get $ap)))
      (local.set $c00 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c00)))
      (local.set $c01 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c01)))
      (local.set $a (v128.load32_splat offset=4 (local.get $ap)))
      (local.set $c10 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c10)))
      (local.set $c11 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c11)))
      (local.set $a (v128.load32_splat offset=8 (local.get $ap)))
      (local.set $c20 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c20)))
      (local.set $c21 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c21)))
      (local.set $a (v128.load32_splat offset=12 (local.get $ap)))
      (local.set $c30 (f32x4.relaxed_madd (local.get $a) (local.get $b0) (local.get $c30)))
      (local.set $c31 (f32x4.relaxed_madd (local.get $a) (local.get $b1) (local.get $c31)))
      (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
      (local.set $bp (i32.add (local.get $bp) (i32.const 32)))
      (br_if $l (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
    (if (local.get $add)
      (then
        (local.set $c00 (f32x4.add (v128.load (local.get $c)) (local.get $c00)))
        (local.set $c01 (f32x4.add (v128.load offset=16 (local.get $c)) (local.get $c01)))
        (local.set $ap (i32.add (local.get $c) (local.get $ldc)))
        (local.set $c10 (f32x4.add (v128.load (local.get $ap)) (local.get $c10)))
        (local.set $c11 (f32x4.add (v128.load offset=16 (local.get $ap)) (local.get $c11)))
        (local.set $ap (i32.add (local.get $ap) (local.get $ldc)))
        (local.set $c20 (f32x4.add (v128.load (local.get $ap)) (local.get $c20)))
        (local.set $c21 (f32x4.add (v128.load offset=16 (local.get $ap)) (local.get $c21)))
        (local.set $ap (i32.add (local.get $ap) (local.get $ldc)))
        (local.set $c30 (f32x4.add (v128.load (local.get $ap)) (local.get $c30)))
        (local.set $c31 (f32x4.add (v128.load offset=16 (local.get $ap)) (local.get $c31)))))
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
  ;; Macro-kernel: C[0:mc, 0:nc] from packed A ($mc/4 panels of [kc][4]) and packed B ($nc/8 panels
  ;; of [kc][8]); $mc a multiple of 4, $nc of 8; $ldc is C's row stride in bytes. $mode: 0 first K
  ;; block (set C), else add. Columns outer, rows inner: a B micro-panel stays in L1.
  (func $macro (export "macro") (param $mode i32) (param $ap i32) (param $bp i32) (param $c i32)
      (param $mc i32) (param $nc i32) (param $kc i32) (param $ldc i32)
    (local $jr i32) (local $ir i32) (local $cc i32)
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $jr) (local.get $nc)))
        (local.set $ir (i32.const 0))
        (local.set $cc (i32.add (local.get $c) (i32.shl (local.get $jr) (i32.const 2))))
        (block $rdone
          (loop $rows
            (br_if $rdone (i32.ge_u (local.get $ir) (local.get $mc)))
            (call $k
              (i32.add (local.get $ap) (i32.mul (local.get $ir) (i32.shl (local.get $kc) (i32.const 2))))
              (i32.add (local.get $bp) (i32.mul (local.get $jr) (i32.shl (local.get $kc) (i32.const 2))))
              (local.get $kc) (local.get $cc) (local.get $ldc) (local.get $mode))
            (local.set $cc (i32.add (local.get $cc) (i32.shl (local.get $ldc) (i32.const 2))))
            (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
            (br $rows)))
        (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
        (br $cols))))

  ;; ---------------------------------------------------------------------------------------------
  ;; Packing. $n >= 1 steps of a v128 ($vec) or an f32 ($one) from $s to $d; $s advances by $ss
  ;; bytes, $d by $ds. Source 0 with stride 0 writes zeros (see the NOTE at the top).
  (func $vec (param $s i32) (param $ss i32) (param $d i32) (param $ds i32) (param $n i32)
    (loop $l
      (v128.store (local.get $d) (v128.load (local.get $s)))
      (local.set $s (i32.add (local.get $s) (local.get $ss)))
      (local.set $d (i32.add (local.get $d) (local.get $ds)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
  (func $one (param $s i32) (param $ss i32) (param $d i32) (param $ds i32) (param $n i32)
    (loop $l
      (f32.store (local.get $d) (f32.load (local.get $s)))
      (local.set $s (i32.add (local.get $s) (local.get $ss)))
      (local.set $d (i32.add (local.get $d) (local.get $ds)))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; $w lanes (the rest of $lanes zeros) of $n steps: lane $i from $s + $i * $ls; $s advances by $ss
  ;; per step; lane $i lands at $d + 4 * $i, $d advancing by $ds.
  (func $lanes (param $s i32) (param $ls i32) (param $ss i32) (param $w i32) (param $lanes i32)
      (param $d i32) (param $ds i32) (param $n i32)
    (local $i i32)
    (loop $l
      (if (i32.lt_u (local.get $i) (local.get $w))
        (then (call $one (i32.add (local.get $s) (i32.mul (local.get $i) (local.get $ls))) (local.get $ss)
          (local.get $d) (local.get $ds) (local.get $n)))
        (else (call $one (i32.const 0) (i32.const 0) (local.get $d) (local.get $ds) (local.get $n))))
      (local.set $d (i32.add (local.get $d) (i32.const 4)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $lanes)))))

  ;; $n >= 1 4x4 transposes: step t reads 4 floats from each of the rows at $s, $s + $ls, $s + 2 $ls,
  ;; $s + 3 $ls (bytes) and writes vector i = [row0[i], row1[i], row2[i], row3[i]] at $d + i * $ds;
  ;; $s advances by 16 bytes and $d by 4 $ds per step. For packing a row-major A and a transposed B
  ;; (B[k][j] at j * cs + k): their panels' lanes come from 4 rows of the source.
  ;; NOTE: measured (the MLP's x @ W.T and its weight gradient, Node 24): packing those lane by lane
  ;; ($lanes) took ~6% of a training step, about a sixth of the micro-kernel's time.
  (func $tr4 (param $s i32) (param $ls i32) (param $d i32) (param $ds i32) (param $n i32)
    (local $a v128) (local $b v128) (local $c v128) (local $e v128) (local $t0 v128) (local $t1 v128)
    (loop $l
      (local.set $a (v128.load (local.get $s)))
      (local.set $b (v128.load (i32.add (local.get $s) (local.get $ls))))
      (local.set $c (v128.load (i32.add (local.get $s) (i32.shl (local.get $ls) (i32.const 1)))))
      (local.set $e (v128.load (i32.add (local.get $s) (i32.mul (local.get $ls) (i32.const 3)))))
      ;; t0 = a0 b0 a1 b1, t1 = c0 e0 c1 e1; then a2 b2 a3 b3 and c2 e2 c3 e3
      (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a) (local.get $b)))
      (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $c) (local.get $e)))
      (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
      (v128.store (i32.add (local.get $d) (local.get $ds))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
      (local.set $t0 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a) (local.get $b)))
      (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $c) (local.get $e)))
      (v128.store (i32.add (local.get $d) (i32.shl (local.get $ds) (i32.const 1)))
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
      (v128.store (i32.add (local.get $d) (i32.mul (local.get $ds) (i32.const 3)))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
      (local.set $s (i32.add (local.get $s) (i32.const 16)))
      (local.set $d (i32.add (local.get $d) (i32.shl (local.get $ds) (i32.const 2))))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))

  ;; 4 lanes of $n >= 0 steps of k from 4 source rows whose k runs are contiguous (lane $i's row at
  ;; $s + $i * $ls bytes): $tr4 for each 4 steps, $lanes for the rest; lane $i lands at $d + 4 * $i,
  ;; $d advancing by $ds per step.
  (func $rows4 (param $s i32) (param $ls i32) (param $d i32) (param $ds i32) (param $n i32)
    (local $q i32)
    (local.set $q (i32.shr_u (local.get $n) (i32.const 2)))
    (if (local.get $q) (then (call $tr4 (local.get $s) (local.get $ls) (local.get $d) (local.get $ds) (local.get $q))))
    (if (i32.and (local.get $n) (i32.const 3))
      (then (call $lanes (i32.add (local.get $s) (i32.shl (local.get $q) (i32.const 4))) (local.get $ls) (i32.const 4)
        (i32.const 4) (i32.const 4) (i32.add (local.get $d) (i32.mul (local.get $q) (i32.shl (local.get $ds) (i32.const 2))))
        (local.get $ds) (i32.and (local.get $n) (i32.const 3))))))

  ;; A rows [i0, i0+mc) ($mc a multiple of 4; rows >= M pack as zeros), k in [k0, k0+kc), kc >= 1:
  ;; dst[(p*kc + k)*4 + r] = A[i0 + 4p + r][k0 + k]. $src holds f32 with element strides $rs, $cs.
  (func $packA (export "packA") (param $src i32) (param $rs i32) (param $cs i32) (param $M i32)
      (param $i0 i32) (param $mc i32) (param $k0 i32) (param $kc i32) (param $dst i32)
    (local $row i32) (local $s i32)
    (local.set $row (local.get $i0))
    (block $done
      (loop $panels
        (br_if $done (i32.ge_u (local.get $row) (i32.add (local.get $i0) (local.get $mc))))
        (local.set $s (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $row) (local.get $rs))
          (i32.mul (local.get $k0) (local.get $cs))) (i32.const 2))))
        (if (i32.and (i32.eq (local.get $rs) (i32.const 1))
                     (i32.le_u (i32.add (local.get $row) (i32.const 4)) (local.get $M)))
          (then (call $vec (local.get $s) (i32.shl (local.get $cs) (i32.const 2)) (local.get $dst) (i32.const 16) (local.get $kc)))
          (else (if (i32.and (i32.eq (local.get $cs) (i32.const 1))
                             (i32.le_u (i32.add (local.get $row) (i32.const 4)) (local.get $M)))
          ;; a row-major A: 4 rows' contiguous k runs, transposed 4 x 4 at a time
          (then (call $rows4 (local.get $s) (i32.shl (local.get $rs) (i32.const 2)) (local.get $dst) (i32.const 16) (local.get $kc)))
          (else (call $lanes (local.get $s) (i32.shl (local.get $rs) (i32.const 2)) (i32.shl (local.get $cs) (i32.const 2))
            (select (i32.sub (local.get $M) (local.get $row)) (i32.const 4)
              (i32.lt_u (i32.sub (local.get $M) (local.get $row)) (i32.const 4)))
            (i32.const 4) (local.get $dst) (i32.const 16) (local.get $kc))))))
        (local.set $row (i32.add (local.get $row) (i32.const 4)))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $kc) (i32.const 4))))
        (br $panels))))

  ;; B columns [j0, j0+nc) ($nc a multiple of 4; a last panel of 4 is padded with 4 zero columns),
  ;; k in [k0, k0+kc), kc >= 1: dst[(q*kc + k)*8 + c] = B[k0 + k][j0 + 8q + c].
  (func $packB (export "packB") (param $src i32) (param $rs i32) (param $cs i32)
      (param $k0 i32) (param $kc i32) (param $j0 i32) (param $nc i32) (param $dst i32)
    (local $col i32) (local $s i32) (local $w i32)
    (local.set $col (local.get $j0))
    (block $done
      (loop $panels
        (br_if $done (i32.ge_u (local.get $col) (i32.add (local.get $j0) (local.get $nc))))
        (local.set $w (i32.sub (i32.add (local.get $j0) (local.get $nc)) (local.get $col)))
        (local.set $s (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $rs))
          (i32.mul (local.get $col) (local.get $cs))) (i32.const 2))))
        (if (i32.eq (local.get $cs) (i32.const 1))
          (then
            (call $vec (local.get $s) (i32.shl (local.get $rs) (i32.const 2)) (local.get $dst) (i32.const 32) (local.get $kc))
            (if (i32.ge_u (local.get $w) (i32.const 8))
              (then (call $vec (i32.add (local.get $s) (i32.const 16)) (i32.shl (local.get $rs) (i32.const 2))
                (i32.add (local.get $dst) (i32.const 16)) (i32.const 32) (local.get $kc)))
              (else (call $vec (i32.const 0) (i32.const 0)
                (i32.add (local.get $dst) (i32.const 16)) (i32.const 32) (local.get $kc)))))
          (else (if (i32.eq (local.get $rs) (i32.const 1))
          ;; a transposed B (each column's k run contiguous): columns 0-3 and 4-7 of the panel, each
          ;; 4 columns transposed 4 x 4 at a time (a last panel of 4 gets zero columns 4-7)
          (then
            (call $rows4 (local.get $s) (i32.shl (local.get $cs) (i32.const 2)) (local.get $dst) (i32.const 32) (local.get $kc))
            (if (i32.ge_u (local.get $w) (i32.const 8))
              (then (call $rows4 (i32.add (local.get $s) (i32.shl (local.get $cs) (i32.const 4))) (i32.shl (local.get $cs) (i32.const 2))
                (i32.add (local.get $dst) (i32.const 16)) (i32.const 32) (local.get $kc)))
              (else (call $vec (i32.const 0) (i32.const 0)
                (i32.add (local.get $dst) (i32.const 16)) (i32.const 32) (local.get $kc)))))
          (else (call $lanes (local.get $s) (i32.shl (local.get $cs) (i32.const 2)) (i32.shl (local.get $rs) (i32.const 2))
            (local.get $w) (i32.const 8) (local.get $dst) (i32.const 32) (local.get $kc))))))
        (local.set $col (i32.add (local.get $col) (i32.const 8)))
        (local.set $dst (i32.add (local.get $dst) (i32.shl (local.get $kc) (i32.const 5))))
        (br $panels))))

  ;; ---------------------------------------------------------------------------------------------
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

  ;; The threaded driver, run by the main thread and by each worker on the same job: the output is a
  ;; grid of chunks (row chunks x column chunks), each taken whole by one thread through an atomic
  ;; counter, so each element's sum is computed by one thread in the one-thread order. The packed
  ;; operands are shared by the threads and packed on first need: a chunk's thread claims its column
  ;; chunk of B (all K blocks, block kb at $bp + k0 * cp * 4, the 8-column panel for column j at
  ;; + j * kc * 4) and its row chunk of A (all K blocks, row chunk r's block kb at
  ;; $ap + (r * rows * K + k0 * rows) * 4) through a flag word each (0: not packed, 1: being packed,
  ;; 2: packed; $claim), packs what it claimed, and waits for what another thread is packing.
  ;; NOTE: so B is packed by all threads in parallel, one column chunk each, and every row of A once
  ;; (where a thread packed its chunk's rows into scratch of its own before, a row chunk under several
  ;; column chunks was packed once per chunk): column chunks can then be thin, which keeps the last
  ;; chunk short and the main thread's wait for it too. A packing thread never waits, so no thread
  ;; waits forever. The job's parameters are i32 words at $ctl (index.ts, J_*); the flags are zeroed
  ;; before the job opens.
  (func $claim (param $f i32) (result i32)
    (if (i32.eqz (i32.atomic.rmw.cmpxchg (local.get $f) (i32.const 0) (i32.const 1)))
      (then (return (i32.const 1))))
    (loop $wait (br_if $wait (i32.ne (i32.atomic.load (local.get $f)) (i32.const 2))))
    (i32.const 0))

  (func (export "work") (param $ctl i32) (param $slot i32)
    (local $ch i32) (local $r i32) (local $ic i32) (local $mc i32) (local $j0 i32) (local $nc i32)
    (local $kb i32) (local $k0 i32) (local $k1 i32) (local $kc i32) (local $cp i32) (local $nrow i32)
    (local $rc i32) (local $cc i32) (local $K i32) (local $ends i32) (local $nb i32) (local $flags i32)
    (local $apr i32) (local $f i32) (local $w i32) (local $ncol i32)
    (local.set $nrow (i32.load offset=132 (local.get $ctl)))
    (local.set $rc (i32.load offset=136 (local.get $ctl)))
    (local.set $cc (i32.load offset=140 (local.get $ctl)))
    (local.set $cp (i32.load offset=148 (local.get $ctl)))
    (local.set $ncol (i32.div_u (i32.load offset=128 (local.get $ctl)) (local.get $nrow)))
    (local.set $nb (i32.load offset=188 (local.get $ctl)))
    (local.set $ends (i32.load offset=192 (local.get $ctl)))
    (local.set $K (i32.load offset=224 (local.get $ctl)))
    (local.set $flags (i32.load offset=220 (local.get $ctl)))
    (block $done
      (loop $chunks
        (local.set $ch (i32.atomic.rmw.add offset=8 (local.get $ctl) (i32.const 1)))
        (br_if $done (i32.ge_u (local.get $ch) (i32.load offset=128 (local.get $ctl))))
        ;; row chunk by row chunk: chunk ch is row chunk ch / ncol, column chunk ch % ncol
        (local.set $r (i32.div_u (local.get $ch) (local.get $ncol)))
        (local.set $ic (i32.mul (local.get $r) (local.get $rc)))
        (local.set $mc (i32.sub (i32.load offset=144 (local.get $ctl)) (local.get $ic)))
        (if (i32.gt_u (local.get $mc) (local.get $rc)) (then (local.set $mc (local.get $rc))))
        (local.set $j0 (i32.mul (i32.rem_u (local.get $ch) (local.get $ncol)) (local.get $cc)))
        (local.set $nc (i32.sub (local.get $cp) (local.get $j0)))
        (if (i32.gt_u (local.get $nc) (local.get $cc)) (then (local.set $nc (local.get $cc))))
        ;; this chunk's columns of B: packed by this thread, or waited for
        (local.set $f (i32.add (local.get $flags)
          (i32.shl (i32.add (local.get $nrow) (i32.rem_u (local.get $ch) (local.get $ncol))) (i32.const 2))))
        (if (call $claim (local.get $f))
          (then
            ;; the columns the copy of B has (a multiple of 4; packB pads a last panel of 4)
            (local.set $w (i32.sub (i32.load offset=216 (local.get $ctl)) (local.get $j0)))
            (if (i32.gt_u (local.get $w) (local.get $nc)) (then (local.set $w (local.get $nc))))
            (local.set $kb (i32.const 0))
            (local.set $k0 (i32.const 0))
            (loop $pb
              (local.set $k1 (i32.load (i32.add (local.get $ends) (i32.shl (local.get $kb) (i32.const 2)))))
              (local.set $kc (i32.sub (local.get $k1) (local.get $k0)))
              (call $packB (i32.load offset=204 (local.get $ctl)) (i32.load offset=208 (local.get $ctl))
                (i32.load offset=212 (local.get $ctl)) (local.get $k0) (local.get $kc) (local.get $j0) (local.get $w)
                (i32.add (i32.load offset=176 (local.get $ctl))
                  (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $cp)) (i32.mul (local.get $j0) (local.get $kc))) (i32.const 2))))
              (local.set $k0 (local.get $k1))
              (br_if $pb (i32.lt_u (local.tee $kb (i32.add (local.get $kb) (i32.const 1))) (local.get $nb))))
            (i32.atomic.store (local.get $f) (i32.const 2))))
        ;; this chunk's rows of A, likewise
        (local.set $apr (i32.add (i32.load offset=196 (local.get $ctl))
          (i32.shl (i32.mul (i32.mul (local.get $r) (local.get $rc)) (local.get $K)) (i32.const 2))))
        (local.set $f (i32.add (local.get $flags) (i32.shl (local.get $r) (i32.const 2))))
        (if (call $claim (local.get $f))
          (then
            (local.set $kb (i32.const 0))
            (local.set $k0 (i32.const 0))
            (loop $pa
              (local.set $k1 (i32.load (i32.add (local.get $ends) (i32.shl (local.get $kb) (i32.const 2)))))
              (local.set $kc (i32.sub (local.get $k1) (local.get $k0)))
              (call $packA (i32.load offset=160 (local.get $ctl)) (i32.load offset=164 (local.get $ctl))
                (i32.load offset=168 (local.get $ctl)) (i32.load offset=172 (local.get $ctl))
                (local.get $ic) (local.get $mc) (local.get $k0) (local.get $kc)
                (i32.add (local.get $apr) (i32.shl (i32.mul (local.get $k0) (local.get $rc)) (i32.const 2))))
              (local.set $k0 (local.get $k1))
              (br_if $pa (i32.lt_u (local.tee $kb (i32.add (local.get $kb) (i32.const 1))) (local.get $nb))))
            (i32.atomic.store (local.get $f) (i32.const 2))))
        ;; the chunk, K block after K block
        (local.set $kb (i32.const 0))
        (local.set $k0 (i32.const 0))
        (loop $blocks
          (local.set $k1 (i32.load (i32.add (local.get $ends) (i32.shl (local.get $kb) (i32.const 2)))))
          (local.set $kc (i32.sub (local.get $k1) (local.get $k0)))
          (call $macro
            (select (i32.load offset=152 (local.get $ctl)) (i32.const 1) (i32.eqz (local.get $kb)))
            (i32.add (local.get $apr) (i32.shl (i32.mul (local.get $k0) (local.get $rc)) (i32.const 2)))
            (i32.add (i32.load offset=176 (local.get $ctl))
              (i32.shl (i32.add (i32.mul (local.get $k0) (local.get $cp)) (i32.mul (local.get $j0) (local.get $kc))) (i32.const 2)))
            (i32.add (i32.load offset=180 (local.get $ctl))
              (i32.add (i32.mul (local.get $ic) (i32.load offset=184 (local.get $ctl))) (i32.shl (local.get $j0) (i32.const 2))))
            (local.get $mc) (local.get $nc) (local.get $kc) (i32.load offset=184 (local.get $ctl)))
          (local.set $k0 (local.get $k1))
          (br_if $blocks (i32.lt_u (local.tee $kb (i32.add (local.get $kb) (i32.const 1))) (local.get $nb))))
        (br $chunks))))
)
