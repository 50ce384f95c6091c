;; The moves of convolution's im2col and col2im (src/backend/wasm/conv.ts), 16 bytes at a time.
;; Build: npm run build:wasm (scripts/build_wasm.ts writes conv.generated.ts).
;;
;; Patches are rows: row ((c * kh + i) * kw + j) of the patch matrix holds, for every output position
;; (oh, ow), input element (c, oh * sh + i * dh - padT, ow + j * dw - padL) (stride 1 along W), or 0
;; where that lies in the padding. The caller gives, per kernel row i, the output rows whose input row
;; is inside the input [ohLo, ohHi) and the byte offset of the first one's input row (hoff); per kernel
;; column j likewise [owLo, owHi) and woff; a table of i32 triples at $tab: kh for i, then kw for j.
;; All sizes and offsets are in bytes; es is the element size (4: float32, 8: float64).
;; NOTE: the memory is imported: where matmul runs on worker threads this module is instantiated on
;; the matmul kernels' shared memory (src/backend/cpu/wasm/index.ts, arenaRegion), so the patch matrix
;; it writes is read by the GEMM where it lies, and the patch gradients the GEMM writes are read here,
;; with no copy between two memories; elsewhere (scripts/build_wasm.ts's plain build) on a memory of
;; its own. Offsets are the caller's: nothing here assumes where in memory its data starts.
(module
  (import "env" "memory" (memory 1 32768 shared))

  ;; n bytes (a multiple of 4) from s to d
  (func $copy (param $d i32) (param $s i32) (param $n i32)
    (local $e i32)
    (local.set $e (i32.add (local.get $d) (i32.and (local.get $n) (i32.const -16))))
    (block $done
      (loop $v
        (br_if $done (i32.ge_u (local.get $d) (local.get $e)))
        (v128.store (local.get $d) (v128.load (local.get $s)))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (local.set $s (i32.add (local.get $s) (i32.const 16)))
        (br $v)))
    (local.set $e (i32.add (local.get $e) (i32.and (local.get $n) (i32.const 15))))
    (block $done
      (loop $t
        (br_if $done (i32.ge_u (local.get $d) (local.get $e)))
        (i32.store (local.get $d) (i32.load (local.get $s)))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (local.set $s (i32.add (local.get $s) (i32.const 4)))
        (br $t))))

  ;; n bytes (a multiple of 4) of zeros at d
  (func $zero (param $d i32) (param $n i32)
    (local $e i32)
    (local.set $e (i32.add (local.get $d) (i32.and (local.get $n) (i32.const -16))))
    (block $done
      (loop $v
        (br_if $done (i32.ge_u (local.get $d) (local.get $e)))
        (v128.store (local.get $d) (v128.const i32x4 0 0 0 0))
        (local.set $d (i32.add (local.get $d) (i32.const 16)))
        (br $v)))
    (local.set $e (i32.add (local.get $e) (i32.and (local.get $n) (i32.const 15))))
    (block $done
      (loop $t
        (br_if $done (i32.ge_u (local.get $d) (local.get $e)))
        (i32.store (local.get $d) (i32.const 0))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (br $t))))

  ;; d[k] += s[k] over n bytes: float32 (es = 4) or float64 (es = 8) elements
  (func $add (param $d i32) (param $s i32) (param $n i32) (param $es i32)
    (local $e i32)
    (local.set $e (i32.add (local.get $d) (i32.and (local.get $n) (i32.const -16))))
    (if (i32.eq (local.get $es) (i32.const 4))
      (then
        (block $done
          (loop $v
            (br_if $done (i32.ge_u (local.get $d) (local.get $e)))
            (v128.store (local.get $d) (f32x4.add (v128.load (local.get $d)) (v128.load (local.get $s))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (local.set $s (i32.add (local.get $s) (i32.const 16)))
            (br $v)))
        (local.set $e (i32.add (local.get $e) (i32.and (local.get $n) (i32.const 15))))
        (block $done
          (loop $t
            (br_if $done (i32.ge_u (local.get $d) (local.get $e)))
            (f32.store (local.get $d) (f32.add (f32.load (local.get $d)) (f32.load (local.get $s))))
            (local.set $d (i32.add (local.get $d) (i32.const 4)))
            (local.set $s (i32.add (local.get $s) (i32.const 4)))
            (br $t))))
      (else
        (block $done
          (loop $v
            (br_if $done (i32.ge_u (local.get $d) (local.get $e)))
            (v128.store (local.get $d) (f64x2.add (v128.load (local.get $d)) (v128.load (local.get $s))))
            (local.set $d (i32.add (local.get $d) (i32.const 16)))
            (local.set $s (i32.add (local.get $s) (i32.const 16)))
            (br $v)))
        (if (i32.and (local.get $n) (i32.const 8))
          (then (f64.store (local.get $d) (f64.add (f64.load (local.get $d)) (f64.load (local.get $s)))))))))

  ;; patches of Cg channels of one item: x (channel stride chan bytes) -> cols (row stride ld bytes);
  ;; ow: output row length in elements, l: output positions per patch row (OH * OW), rowStep: bytes
  ;; between the input rows of consecutive output rows (sh * W * es)
  (func (export "im2col")
    (param $x i32) (param $cols i32) (param $es i32) (param $Cg i32) (param $chan i32)
    (param $ow i32) (param $l i32) (param $kh i32) (param $kw i32) (param $rowStep i32)
    (param $ld i32) (param $tab i32)
    (local $c i32) (local $i i32) (local $j i32) (local $row i32) (local $xc i32)
    (local $ohLo i32) (local $ohHi i32) (local $hoff i32) (local $owLo i32) (local $owHi i32) (local $woff i32)
    (local $owB i32) (local $d i32) (local $s i32) (local $oh i32) (local $pre i32) (local $mid i32) (local $post i32)
    (local.set $owB (i32.mul (local.get $ow) (local.get $es)))
    (local.set $row (local.get $cols))
    (local.set $xc (local.get $x))
    (local.set $c (i32.const 0))
    (block $cdone
      (loop $cl
        (br_if $cdone (i32.ge_s (local.get $c) (local.get $Cg)))
        (local.set $i (i32.const 0))
        (block $idone
          (loop $il
            (br_if $idone (i32.ge_s (local.get $i) (local.get $kh)))
            (local.set $ohLo (i32.load (i32.add (local.get $tab) (i32.mul (local.get $i) (i32.const 12)))))
            (local.set $ohHi (i32.load offset=4 (i32.add (local.get $tab) (i32.mul (local.get $i) (i32.const 12)))))
            (local.set $hoff (i32.load offset=8 (i32.add (local.get $tab) (i32.mul (local.get $i) (i32.const 12)))))
            (local.set $j (i32.const 0))
            (block $jdone
              (loop $jl
                (br_if $jdone (i32.ge_s (local.get $j) (local.get $kw)))
                (local.set $owLo (i32.load (i32.add (local.get $tab) (i32.mul (i32.add (local.get $kh) (local.get $j)) (i32.const 12)))))
                (local.set $owHi (i32.load offset=4 (i32.add (local.get $tab) (i32.mul (i32.add (local.get $kh) (local.get $j)) (i32.const 12)))))
                (local.set $woff (i32.load offset=8 (i32.add (local.get $tab) (i32.mul (i32.add (local.get $kh) (local.get $j)) (i32.const 12)))))
                ;; output rows whose input row is padding
                (call $zero (local.get $row) (i32.mul (local.get $ohLo) (local.get $owB)))
                (call $zero (i32.add (local.get $row) (i32.mul (local.get $ohHi) (local.get $owB)))
                  (i32.mul (i32.sub (local.get $l) (i32.mul (local.get $ohHi) (local.get $ow))) (local.get $es)))
                (local.set $pre (i32.mul (local.get $owLo) (local.get $es)))
                (local.set $mid (i32.mul (i32.sub (local.get $owHi) (local.get $owLo)) (local.get $es)))
                (local.set $post (i32.mul (i32.sub (local.get $ow) (local.get $owHi)) (local.get $es)))
                (local.set $d (i32.add (local.get $row) (i32.mul (local.get $ohLo) (local.get $owB))))
                (local.set $s (i32.add (local.get $xc) (i32.add (local.get $hoff) (local.get $woff))))
                (local.set $oh (local.get $ohLo))
                (block $odone
                  (loop $ol
                    (br_if $odone (i32.ge_s (local.get $oh) (local.get $ohHi)))
                    (if (local.get $pre) (then (call $zero (local.get $d) (local.get $pre))))
                    (call $copy (i32.add (local.get $d) (local.get $pre)) (local.get $s) (local.get $mid))
                    (if (local.get $post) (then (call $zero (i32.add (local.get $d) (i32.add (local.get $pre) (local.get $mid))) (local.get $post))))
                    (local.set $d (i32.add (local.get $d) (local.get $owB)))
                    (local.set $s (i32.add (local.get $s) (local.get $rowStep)))
                    (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
                    (br $ol)))
                (local.set $row (i32.add (local.get $row) (local.get $ld)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $jl)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $il)))
        (local.set $xc (i32.add (local.get $xc) (local.get $chan)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cl))))

  ;; the adjoint of im2col: every patch element inside the input is added into gx (same layout as x)
  (func (export "col2im")
    (param $cols i32) (param $gx i32) (param $es i32) (param $Cg i32) (param $chan i32)
    (param $ow i32) (param $kh i32) (param $kw i32) (param $rowStep i32)
    (param $ld i32) (param $tab i32)
    (local $c i32) (local $i i32) (local $j i32) (local $row i32) (local $xc i32)
    (local $ohLo i32) (local $ohHi i32) (local $hoff i32) (local $owLo i32) (local $owHi i32) (local $woff i32)
    (local $owB i32) (local $d i32) (local $s i32) (local $oh i32) (local $pre i32) (local $mid i32)
    (local.set $owB (i32.mul (local.get $ow) (local.get $es)))
    (local.set $row (local.get $cols))
    (local.set $xc (local.get $gx))
    (local.set $c (i32.const 0))
    (block $cdone
      (loop $cl
        (br_if $cdone (i32.ge_s (local.get $c) (local.get $Cg)))
        (local.set $i (i32.const 0))
        (block $idone
          (loop $il
            (br_if $idone (i32.ge_s (local.get $i) (local.get $kh)))
            (local.set $ohLo (i32.load (i32.add (local.get $tab) (i32.mul (local.get $i) (i32.const 12)))))
            (local.set $ohHi (i32.load offset=4 (i32.add (local.get $tab) (i32.mul (local.get $i) (i32.const 12)))))
            (local.set $hoff (i32.load offset=8 (i32.add (local.get $tab) (i32.mul (local.get $i) (i32.const 12)))))
            (local.set $j (i32.const 0))
            (block $jdone
              (loop $jl
                (br_if $jdone (i32.ge_s (local.get $j) (local.get $kw)))
                (local.set $owLo (i32.load (i32.add (local.get $tab) (i32.mul (i32.add (local.get $kh) (local.get $j)) (i32.const 12)))))
                (local.set $owHi (i32.load offset=4 (i32.add (local.get $tab) (i32.mul (i32.add (local.get $kh) (local.get $j)) (i32.const 12)))))
                (local.set $woff (i32.load offset=8 (i32.add (local.get $tab) (i32.mul (i32.add (local.get $kh) (local.get $j)) (i32.const 12)))))
                (local.set $pre (i32.mul (local.get $owLo) (local.get $es)))
                (local.set $mid (i32.mul (i32.sub (local.get $owHi) (local.get $owLo)) (local.get $es)))
                (local.set $d (i32.add (local.get $row) (i32.mul (local.get $ohLo) (local.get $owB))))
                (local.set $s (i32.add (local.get $xc) (i32.add (local.get $hoff) (local.get $woff))))
                (local.set $oh (local.get $ohLo))
                (block $odone
                  (loop $ol
                    (br_if $odone (i32.ge_s (local.get $oh) (local.get $ohHi)))
                    (call $add (local.get $s) (i32.add (local.get $d) (local.get $pre)) (local.get $mid) (local.get $es))
                    (local.set $d (i32.add (local.get $d) (local.get $owB)))
                    (local.set $s (i32.add (local.get $s) (local.get $rowStep)))
                    (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
                    (br $ol)))
                (local.set $row (i32.add (local.get $row) (local.get $ld)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $jl)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $il)))
        (local.set $xc (i32.add (local.get $xc) (local.get $chan)))
        (local.set $c (i32.add (local.get $c) (i32.const 1)))
        (br $cl))))
  ;; 2x2 max pooling with stride 2 over P planes of H x W float32 at x: maxima (P x OH x OW) at y and
  ;; where each came from in its plane (h * W + w, i32) at idx. Four outputs at a time; a row's last
  ;; group may run past the row: its extra lanes are overwritten by the next row's first group, and the
  ;; caller leaves 16 bytes of room after x, y and idx for the very last one. Ties keep the first
  ;; position and a NaN wins (PyTorch's val > max || isnan(val)), in the window's row-major order.
  (func (export "maxpool2x2_f32")
    (param $x i32) (param $y i32) (param $idx i32) (param $P i32) (param $H i32) (param $W i32)
    (param $OH i32) (param $OW i32)
    (local $p i32) (local $oh i32) (local $ow i32) (local $r0 i32) (local $r1 i32) (local $plane i32)
    (local $t0 v128) (local $t1 v128) (local $b0 v128) (local $b1 v128)
    (local $v v128) (local $m v128) (local $mi v128) (local $i0 v128) (local $c v128)
    (local $rowB i32)
    (local.set $rowB (i32.shl (local.get $W) (i32.const 2)))
    (local.set $plane (local.get $x))
    (block $pdone
      (loop $pl
        (br_if $pdone (i32.ge_s (local.get $p) (local.get $P)))
        (local.set $oh (i32.const 0))
        (block $hdone
          (loop $hl
            (br_if $hdone (i32.ge_s (local.get $oh) (local.get $OH)))
            (local.set $r0 (i32.add (local.get $plane) (i32.mul (i32.shl (local.get $oh) (i32.const 1)) (local.get $rowB))))
            (local.set $r1 (i32.add (local.get $r0) (local.get $rowB)))
            ;; index of each group's first window's top-left element: 2 * oh * W + 2 * ow + (0, 2, 4, 6)
            (local.set $i0 (i32x4.add
              (i32x4.splat (i32.mul (i32.shl (local.get $oh) (i32.const 1)) (local.get $W)))
              (v128.const i32x4 0 2 4 6)))
            (local.set $ow (i32.const 0))
            (block $wdone
              (loop $wl
                (br_if $wdone (i32.ge_s (local.get $ow) (local.get $OW)))
                (local.set $t0 (v128.load (local.get $r0)))
                (local.set $t1 (v128.load offset=16 (local.get $r0)))
                (local.set $b0 (v128.load (local.get $r1)))
                (local.set $b1 (v128.load offset=16 (local.get $r1)))
                ;; top-left: the even lanes of the top row
                (local.set $m (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $t0) (local.get $t1)))
                (local.set $mi (local.get $i0))
                ;; top-right
                (local.set $v (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $t0) (local.get $t1)))
                (local.set $c (v128.or (f32x4.gt (local.get $v) (local.get $m)) (f32x4.ne (local.get $v) (local.get $v))))
                (local.set $m (v128.bitselect (local.get $v) (local.get $m) (local.get $c)))
                (local.set $mi (v128.bitselect (i32x4.add (local.get $i0) (v128.const i32x4 1 1 1 1)) (local.get $mi) (local.get $c)))
                ;; bottom-left
                (local.set $v (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $b0) (local.get $b1)))
                (local.set $c (v128.or (f32x4.gt (local.get $v) (local.get $m)) (f32x4.ne (local.get $v) (local.get $v))))
                (local.set $m (v128.bitselect (local.get $v) (local.get $m) (local.get $c)))
                (local.set $mi (v128.bitselect (i32x4.add (local.get $i0) (i32x4.splat (local.get $W))) (local.get $mi) (local.get $c)))
                ;; bottom-right
                (local.set $v (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $b0) (local.get $b1)))
                (local.set $c (v128.or (f32x4.gt (local.get $v) (local.get $m)) (f32x4.ne (local.get $v) (local.get $v))))
                (local.set $m (v128.bitselect (local.get $v) (local.get $m) (local.get $c)))
                (local.set $mi (v128.bitselect (i32x4.add (local.get $i0) (i32x4.splat (i32.add (local.get $W) (i32.const 1)))) (local.get $mi) (local.get $c)))
                (v128.store (local.get $y) (local.get $m))
                (v128.store (local.get $idx) (local.get $mi))
                (local.set $y (i32.add (local.get $y) (i32.const 16)))
                (local.set $idx (i32.add (local.get $idx) (i32.const 16)))
                (local.set $r0 (i32.add (local.get $r0) (i32.const 32)))
                (local.set $r1 (i32.add (local.get $r1) (i32.const 32)))
                (local.set $i0 (i32x4.add (local.get $i0) (v128.const i32x4 8 8 8 8)))
                (local.set $ow (i32.add (local.get $ow) (i32.const 4)))
                (br $wl)))
            ;; back to the true end of the row
            (local.set $y (i32.sub (local.get $y) (i32.shl (i32.sub (local.get $ow) (local.get $OW)) (i32.const 2))))
            (local.set $idx (i32.sub (local.get $idx) (i32.shl (i32.sub (local.get $ow) (local.get $OW)) (i32.const 2))))
            (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
            (br $hl)))
        (local.set $plane (i32.add (local.get $plane) (i32.mul (local.get $H) (local.get $rowB))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $pl))))
)
