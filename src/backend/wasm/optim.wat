;; The fast backend's fused float32 optimizer updates (Backend.sgdStep / adamStep / rmspropStep /
;; adagradStep) in WebAssembly SIMD, and the two loops a lasting tensor (a parameter's gradient) sees
;; every step besides: fill (zero_grad) and add (the gradient's accumulation). optim.ts gives each
;; operand's address: where it lies, when it lives in this memory (the matmul kernels' shared memory,
;; on which this module is then instantiated: arenaArray in ../cpu/wasm/index.ts), else a slot it
;; copied a chunk of the array into (and copies back from, for the arrays written: the parameter and
;; its state). Four elements a step: n is rounded up to a multiple of 4, the lanes past n compute on
;; stale data that is never copied out (so optim.ts passes an array where it lies only for a multiple
;; of 4 elements). fill and add take exactly n elements.
;; Built by scripts/build_wasm.ts four times: relaxed SIMD (with f32x4.relaxed_madd, a float32 FMA where
;; the engine fuses it, x86 with FMA3 and ARM64) and plain SIMD (each relaxed_madd a b c rewritten as
;; f32x4.add (f32x4.mul a b) c), each on a memory of its own (optim.generated.ts,
;; optim_plain.generated.ts) and on a shared one (optim_shared.generated.ts,
;; optim_plain_shared.generated.ts). optim.ts probes which one fuses.
;;
;; NOTE: each function is ../cpu/optim.ts's float32 loop, op for op: every relaxed_madd is one of its
;; fmaF (PyTorch's add-with-alpha and addcmul, one AVX2 FMA), every other f32x4 op rounds once as
;; its Math.fround does (mul, add, div and sqrt are correctly rounded in wasm). So where relaxed_madd
;; fuses, the results are the reference's bits (PyTorch's; test/optim_fused.test.ts checks every
;; option). The plain build rounds each multiply-add twice (the product, then the sum): off by at
;; most half an ulp of the product, which is an ulp or two of the result unless the sum cancels.
;; The scalars arrive as f32 params (JS rounds them to nearest, as the reference's Math.fround does).
;; `maximize` is a multiplication of g by $sg = -1 (exact) or a negated coefficient (fma(a, -g, c) =
;; fma(-a, g, c) exactly), Adam's missing decoupled decay a multiplication by 1.
;; NOTE: the common cases have loops of their own, with nothing but their update: plain SGD, SGD with
;; momentum, Adam / AdamW without L2 decay or amsgrad, RMSprop without options. The general loop of
;; each optimizer takes the options as flags, turned into all-ones / all-zeros lane masks before the
;; loop; it computes both sides of an option and picks with v128.bitselect, and loads and stores an
;; option's arrays whether it is on or not (the slot then holds stale data that optim.ts neither
;; fills nor copies out). Measured (Node 24, TurboFan, busy 2-core AMD EPYC, 200,704 floats in
;; 4096-float chunks, data already in the module's memory): SGD with momentum takes 70-115 us in its
;; own loop, 150-230 us in the general one (with `if`s on the flags inside the loop or with the masks
;; alike: ~25 instructions a vector against 8, no spills); Adam 210-270 us against 320-500, RMSprop
;; 170 against 320. The general loops keep the module small (synchronous compiles of modules under
;; 4 KiB: see ../cpu/wasm/index.ts).
(module
  (import "env" "memory" (memory 1 32768 shared))

  ;; fill: p[0 .. n) = v.
  (func (export "fill") (param $p i32) (param $n i32) (param $v f32)
    (local $end i32) (local $end4 i32) (local $vv v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $vv (f32x4.splat (local.get $v)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end4)))
      (v128.store (local.get $p) (local.get $vv))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (br $l)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (f32.store (local.get $p) (local.get $v))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $l))))

  ;; add: d[i] = d[i] + s[i], i in [0, n) (torch.add with alpha 1: one rounding).
  (func (export "add") (param $d i32) (param $s i32) (param $n i32)
    (local $end i32) (local $end4 i32)
    (local.set $end (i32.add (local.get $d) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $end4 (i32.add (local.get $d) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $d) (local.get $end4)))
      (v128.store (local.get $d) (f32x4.add (v128.load (local.get $d)) (v128.load (local.get $s))))
      (local.set $d (i32.add (local.get $d) (i32.const 16)))
      (local.set $s (i32.add (local.get $s) (i32.const 16)))
      (br $l)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $d) (local.get $end)))
      (f32.store (local.get $d) (f32.add (f32.load (local.get $d)) (f32.load (local.get $s))))
      (local.set $d (i32.add (local.get $d) (i32.const 4)))
      (local.set $s (i32.add (local.get $s) (i32.const 4)))
      (br $l))))

  ;; $mask(flags, bit): all ones where the flag bit is set, else zeros, in every lane
  (func $mask (param $flags i32) (param $bit i32) (result v128)
    (i32x4.splat (i32.sub (i32.const 0) (i32.and (i32.shr_u (local.get $flags) (local.get $bit)) (i32.const 1)))))

  ;; The end of n floats from byte address p, n rounded up to a multiple of 4.
  (func $end (param $p i32) (param $n i32) (result i32)
    (i32.add (local.get $p) (i32.shl (i32.and (i32.add (local.get $n) (i32.const 3)) (i32.const -4)) (i32.const 2))))

  ;; Plain SGD (no weight decay, no momentum): p = fma(nlr, g, p), nlr = -lr (lr for maximize).
  (func (export "sgd_plain") (param $p i32) (param $g i32) (param $n i32) (param $nlr f32)
    (local $end i32) (local $vnlr v128) (local $x v128) (local $d v128)
    (local.set $end (call $end (local.get $p) (local.get $n)))
    (local.set $vnlr (f32x4.splat (local.get $nlr)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $d (v128.load (local.get $g)))
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.relaxed_madd (local.get $vnlr) (local.get $d) (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (br $l))))

;; SGD with momentum, the common case (no weight decay, not the first step, not nesterov):
  ;; buf = fma(omd, g, buf * mom), p = fma(nlr, buf, p); omd = 1 - dampening (its negative for maximize).
  (func (export "sgd_momentum") (param $p i32) (param $g i32) (param $b i32) (param $n i32) (param $nlr f32) (param $mom f32) (param $omd f32)
    (local $end i32) (local $vnlr v128) (local $vmom v128) (local $vomd v128) (local $d v128) (local $t v128) (local $bi v128) (local $x v128)
    (local.set $end (call $end (local.get $p) (local.get $n)))
    (local.set $vnlr (f32x4.splat (local.get $nlr)))
    (local.set $vmom (f32x4.splat (local.get $mom)))
    (local.set $vomd (f32x4.splat (local.get $omd)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $d (v128.load (local.get $g)))
      (local.set $t (f32x4.mul (v128.load (local.get $b)) (local.get $vmom)))
      (local.set $bi (f32x4.relaxed_madd (local.get $vomd) (local.get $d) (local.get $t)))
      (v128.store (local.get $b) (local.get $bi))
      (local.set $x (v128.load (local.get $p)))
      (v128.store (local.get $p) (f32x4.relaxed_madd (local.get $vnlr) (local.get $bi) (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br $l))))

  ;; SGD. flags: 1 weight decay, 2 momentum, 4 first step (buf = d), 8 nesterov.
  ;; d = g * sg; wd: d = fma(wd, p, d); momentum: buf = first ? d : fma(omd, d, buf * mom),
  ;; d = nesterov ? fma(mom, buf, d) : buf; p = fma(nlr, d, p).
  (func (export "sgd") (param $p i32) (param $g i32) (param $b i32) (param $n i32) (param $flags i32)
    (param $nlr f32) (param $wd f32) (param $mom f32) (param $omd f32) (param $sg f32)
    (local $end i32) (local $vnlr v128) (local $vwd v128) (local $vmom v128) (local $vomd v128) (local $vsg v128)
    (local $mwd v128) (local $mmom v128) (local $mfirst v128) (local $mnest v128)
    (local $d v128) (local $x v128) (local $t v128) (local $bi v128)
    (local.set $end (call $end (local.get $p) (local.get $n)))
    (local.set $vnlr (f32x4.splat (local.get $nlr)))
    (local.set $vwd (f32x4.splat (local.get $wd)))
    (local.set $vmom (f32x4.splat (local.get $mom)))
    (local.set $vomd (f32x4.splat (local.get $omd)))
    (local.set $vsg (f32x4.splat (local.get $sg)))
    (local.set $mwd (call $mask (local.get $flags) (i32.const 0)))
    (local.set $mmom (call $mask (local.get $flags) (i32.const 1)))
    (local.set $mfirst (call $mask (local.get $flags) (i32.const 2)))
    (local.set $mnest (call $mask (local.get $flags) (i32.const 3)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $d (f32x4.mul (v128.load (local.get $g)) (local.get $vsg)))
      (local.set $x (v128.load (local.get $p)))
      (local.set $t (f32x4.relaxed_madd (local.get $vwd) (local.get $x) (local.get $d)))
      (local.set $d (v128.bitselect (local.get $t) (local.get $d) (local.get $mwd)))
      (local.set $t (f32x4.mul (v128.load (local.get $b)) (local.get $vmom)))
      (local.set $bi (f32x4.relaxed_madd (local.get $vomd) (local.get $d) (local.get $t)))
      (local.set $bi (v128.bitselect (local.get $d) (local.get $bi) (local.get $mfirst)))
      (v128.store (local.get $b) (local.get $bi))
      (local.set $t (f32x4.relaxed_madd (local.get $vmom) (local.get $bi) (local.get $d)))
      (local.set $t (v128.bitselect (local.get $t) (local.get $bi) (local.get $mnest)))
      (local.set $d (v128.bitselect (local.get $t) (local.get $d) (local.get $mmom)))
      (v128.store (local.get $p) (f32x4.relaxed_madd (local.get $vnlr) (local.get $d) (local.get $x)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br $l))))

;; Adam / AdamW without Adam's weight decay or amsgrad (the common case; "adam" below has the notes):
  ;; m = fma(omb1, g, m * b1), v = fma(omb2 * g, g, v * b2), p = p * decay + (nss * m) / (sqrt(v) / bc2 + eps),
  ;; g negated (sg) for maximize.
  (func (export "adam_plain") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $decay f32) (param $b1 f32) (param $omb1 f32) (param $b2 f32) (param $omb2 f32)
    (param $bc2 f32) (param $eps f32) (param $nss f32) (param $sg f32)
    (local $end i32) (local $vdecay v128) (local $vb1 v128) (local $vomb1 v128) (local $vb2 v128)
    (local $vomb2 v128) (local $vbc2 v128) (local $veps v128) (local $vnss v128) (local $vsg v128)
    (local $gi v128) (local $t v128) (local $u v128) (local $mi v128) (local $vi v128)
    (local.set $end (call $end (local.get $p) (local.get $n)))
    (local.set $vdecay (f32x4.splat (local.get $decay)))
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vomb1 (f32x4.splat (local.get $omb1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $vomb2 (f32x4.splat (local.get $omb2)))
    (local.set $vbc2 (f32x4.splat (local.get $bc2)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $vnss (f32x4.splat (local.get $nss)))
    (local.set $vsg (f32x4.splat (local.get $sg)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $gi (f32x4.mul (v128.load (local.get $g)) (local.get $vsg)))
      (local.set $t (f32x4.mul (v128.load (local.get $m)) (local.get $vb1)))
      (local.set $mi (f32x4.relaxed_madd (local.get $vomb1) (local.get $gi) (local.get $t)))
      (v128.store (local.get $m) (local.get $mi))
      (local.set $t (f32x4.mul (v128.load (local.get $v)) (local.get $vb2)))
      (local.set $u (f32x4.mul (local.get $vomb2) (local.get $gi)))
      (local.set $vi (f32x4.relaxed_madd (local.get $u) (local.get $gi) (local.get $t)))
      (v128.store (local.get $v) (local.get $vi))
      (v128.store (local.get $p) (f32x4.add (f32x4.mul (v128.load (local.get $p)) (local.get $vdecay))
        (f32x4.div (f32x4.mul (local.get $vnss) (local.get $mi))
          (f32x4.add (f32x4.div (f32x4.sqrt (local.get $vi)) (local.get $vbc2)) (local.get $veps)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $m (i32.add (local.get $m) (i32.const 16)))
      (local.set $v (i32.add (local.get $v) (i32.const 16)))
      (br $l))))

  ;; Adam / AdamW. flags: 1 Adam's weight decay (L2), 2 amsgrad.
  ;; g = g * sg; p = p * decay; wd: g = fma(wd, p, g); m = fma(omb1, g, m * b1);
  ;; v = fma(omb2 * g, g, v * b2); amsgrad: vm = (vm NaN or vm > v) ? vm : v, v = vm;
  ;; p = p + (nss * m) / (sqrt(v) / bc2 + eps).
  (func (export "adam") (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $vm i32) (param $n i32) (param $flags i32)
    (param $decay f32) (param $wd f32) (param $b1 f32) (param $omb1 f32) (param $b2 f32) (param $omb2 f32)
    (param $bc2 f32) (param $eps f32) (param $nss f32) (param $sg f32)
    (local $end i32) (local $vdecay v128) (local $vwd v128) (local $vb1 v128) (local $vomb1 v128) (local $vb2 v128)
    (local $vomb2 v128) (local $vbc2 v128) (local $veps v128) (local $vnss v128) (local $vsg v128) (local $mwd v128) (local $mams v128)
    (local $gi v128) (local $x v128) (local $t v128) (local $u v128) (local $mi v128) (local $vi v128)
    (local.set $end (call $end (local.get $p) (local.get $n)))
    (local.set $vdecay (f32x4.splat (local.get $decay)))
    (local.set $vwd (f32x4.splat (local.get $wd)))
    (local.set $vb1 (f32x4.splat (local.get $b1)))
    (local.set $vomb1 (f32x4.splat (local.get $omb1)))
    (local.set $vb2 (f32x4.splat (local.get $b2)))
    (local.set $vomb2 (f32x4.splat (local.get $omb2)))
    (local.set $vbc2 (f32x4.splat (local.get $bc2)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $vnss (f32x4.splat (local.get $nss)))
    (local.set $vsg (f32x4.splat (local.get $sg)))
    (local.set $mwd (call $mask (local.get $flags) (i32.const 0)))
    (local.set $mams (call $mask (local.get $flags) (i32.const 1)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $gi (f32x4.mul (v128.load (local.get $g)) (local.get $vsg)))
      (local.set $x (f32x4.mul (v128.load (local.get $p)) (local.get $vdecay)))
      (local.set $t (f32x4.relaxed_madd (local.get $vwd) (local.get $x) (local.get $gi)))
      (local.set $gi (v128.bitselect (local.get $t) (local.get $gi) (local.get $mwd)))
      (local.set $t (f32x4.mul (v128.load (local.get $m)) (local.get $vb1)))
      (local.set $mi (f32x4.relaxed_madd (local.get $vomb1) (local.get $gi) (local.get $t)))
      (v128.store (local.get $m) (local.get $mi))
      (local.set $t (f32x4.mul (v128.load (local.get $v)) (local.get $vb2)))
      (local.set $u (f32x4.mul (local.get $vomb2) (local.get $gi)))
      (local.set $vi (f32x4.relaxed_madd (local.get $u) (local.get $gi) (local.get $t)))
      (v128.store (local.get $v) (local.get $vi))
      ;; amsgrad: the reference's `x !== x || vi !== vi ? NaN : x > vi ? x : vi` (f32x4.max would
      ;; turn max(+0, -0) into +0): x where x is NaN or greater, else vi (NaN where vi is)
      (local.set $t (v128.load (local.get $vm)))
      (local.set $u (v128.and (local.get $mams)
        (v128.or (f32x4.ne (local.get $t) (local.get $t)) (f32x4.gt (local.get $t) (local.get $vi)))))
      (local.set $vi (v128.bitselect (local.get $t) (local.get $vi) (local.get $u)))
      (v128.store (local.get $vm) (local.get $vi))
      (v128.store (local.get $p) (f32x4.add (local.get $x)
        (f32x4.div (f32x4.mul (local.get $vnss) (local.get $mi))
          (f32x4.add (f32x4.div (f32x4.sqrt (local.get $vi)) (local.get $vbc2)) (local.get $veps)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $m (i32.add (local.get $m) (i32.const 16)))
      (local.set $v (i32.add (local.get $v) (i32.const 16)))
      (local.set $vm (i32.add (local.get $vm) (i32.const 16)))
      (br $l))))

;; RMSprop without weight decay, centering or momentum (the default; "rmsprop" below has the notes):
  ;; sq = fma(oma * g, g, sq * al), p = p + (nlr * g) / (sqrt(sq) + eps), g negated (sg) for maximize.
  (func (export "rmsprop_plain") (param $p i32) (param $g i32) (param $sq i32) (param $n i32)
    (param $al f32) (param $oma f32) (param $eps f32) (param $nlr f32) (param $sg f32)
    (local $end i32) (local $val v128) (local $voma v128) (local $veps v128) (local $vnlr v128) (local $vsg v128)
    (local $gi v128) (local $t v128) (local $u v128) (local $si v128)
    (local.set $end (call $end (local.get $p) (local.get $n)))
    (local.set $val (f32x4.splat (local.get $al)))
    (local.set $voma (f32x4.splat (local.get $oma)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $vnlr (f32x4.splat (local.get $nlr)))
    (local.set $vsg (f32x4.splat (local.get $sg)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $gi (f32x4.mul (v128.load (local.get $g)) (local.get $vsg)))
      (local.set $t (f32x4.mul (local.get $voma) (local.get $gi)))
      (local.set $u (f32x4.mul (v128.load (local.get $sq)) (local.get $val)))
      (local.set $si (f32x4.relaxed_madd (local.get $t) (local.get $gi) (local.get $u)))
      (v128.store (local.get $sq) (local.get $si))
      (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p))
        (f32x4.div (f32x4.mul (local.get $vnlr) (local.get $gi)) (f32x4.add (f32x4.sqrt (local.get $si)) (local.get $veps)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $sq (i32.add (local.get $sq) (i32.const 16)))
      (br $l))))

  ;; RMSprop. flags: 1 weight decay, 2 centered, 4 momentum.
  ;; g = g * sg; wd: g = fma(wd, p, g); sq = fma(oma * g, g, sq * al);
  ;; centered: ga = fma(oma, g, ga * al), avg = sqrt(fma(-ga, ga, sq)), else avg = sqrt(sq); avg += eps;
  ;; momentum: buf = buf * mom + g / avg, p = fma(nlr, buf, p); else p = p + (nlr * g) / avg.
  ;; (One division: q = (momentum ? g : nlr * g) / avg.)
  (func (export "rmsprop") (param $p i32) (param $g i32) (param $sq i32) (param $ga i32) (param $b i32) (param $n i32) (param $flags i32)
    (param $al f32) (param $oma f32) (param $wd f32) (param $eps f32) (param $nlr f32) (param $mom f32) (param $sg f32)
    (local $end i32) (local $val v128) (local $voma v128) (local $vwd v128) (local $veps v128) (local $vnlr v128)
    (local $vmom v128) (local $vsg v128) (local $mwd v128) (local $mc v128) (local $mmom v128)
    (local $gi v128) (local $x v128) (local $t v128) (local $u v128) (local $si v128) (local $ai v128) (local $q v128)
    (local.set $end (call $end (local.get $p) (local.get $n)))
    (local.set $val (f32x4.splat (local.get $al)))
    (local.set $voma (f32x4.splat (local.get $oma)))
    (local.set $vwd (f32x4.splat (local.get $wd)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $vnlr (f32x4.splat (local.get $nlr)))
    (local.set $vmom (f32x4.splat (local.get $mom)))
    (local.set $vsg (f32x4.splat (local.get $sg)))
    (local.set $mwd (call $mask (local.get $flags) (i32.const 0)))
    (local.set $mc (call $mask (local.get $flags) (i32.const 1)))
    (local.set $mmom (call $mask (local.get $flags) (i32.const 2)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $gi (f32x4.mul (v128.load (local.get $g)) (local.get $vsg)))
      (local.set $x (v128.load (local.get $p)))
      (local.set $t (f32x4.relaxed_madd (local.get $vwd) (local.get $x) (local.get $gi)))
      (local.set $gi (v128.bitselect (local.get $t) (local.get $gi) (local.get $mwd)))
      (local.set $t (f32x4.mul (local.get $voma) (local.get $gi)))
      (local.set $u (f32x4.mul (v128.load (local.get $sq)) (local.get $val)))
      (local.set $si (f32x4.relaxed_madd (local.get $t) (local.get $gi) (local.get $u)))
      (v128.store (local.get $sq) (local.get $si))
      (local.set $u (f32x4.mul (v128.load (local.get $ga)) (local.get $val)))
      (local.set $ai (f32x4.relaxed_madd (local.get $voma) (local.get $gi) (local.get $u)))
      (v128.store (local.get $ga) (local.get $ai))
      (local.set $t (f32x4.neg (local.get $ai)))
      (local.set $t (f32x4.relaxed_madd (local.get $t) (local.get $ai) (local.get $si)))
      (local.set $t (f32x4.add (f32x4.sqrt (v128.bitselect (local.get $t) (local.get $si) (local.get $mc))) (local.get $veps)))
      (local.set $q (f32x4.div
        (v128.bitselect (local.get $gi) (f32x4.mul (local.get $vnlr) (local.get $gi)) (local.get $mmom)) (local.get $t)))
      (local.set $t (f32x4.add (f32x4.mul (v128.load (local.get $b)) (local.get $vmom)) (local.get $q)))
      (v128.store (local.get $b) (local.get $t))
      (local.set $t (f32x4.relaxed_madd (local.get $vnlr) (local.get $t) (local.get $x)))
      (v128.store (local.get $p)
        (v128.bitselect (local.get $t) (f32x4.add (local.get $x) (local.get $q)) (local.get $mmom)))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $sq (i32.add (local.get $sq) (i32.const 16)))
      (local.set $ga (i32.add (local.get $ga) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br $l))))

  ;; Adagrad. flags: 1 weight decay.
  ;; g = g * sg; wd: g = fma(wd, p, g); sum = fma(g, g, sum); p = p + (nclr * g) / (sqrt(sum) + eps).
  (func (export "adagrad") (param $p i32) (param $g i32) (param $s i32) (param $n i32) (param $flags i32)
    (param $wd f32) (param $eps f32) (param $nclr f32) (param $sg f32)
    (local $end i32) (local $vwd v128) (local $veps v128) (local $vnclr v128) (local $vsg v128) (local $mwd v128)
    (local $gi v128) (local $x v128) (local $t v128) (local $si v128)
    (local.set $end (call $end (local.get $p) (local.get $n)))
    (local.set $vwd (f32x4.splat (local.get $wd)))
    (local.set $veps (f32x4.splat (local.get $eps)))
    (local.set $vnclr (f32x4.splat (local.get $nclr)))
    (local.set $vsg (f32x4.splat (local.get $sg)))
    (local.set $mwd (call $mask (local.get $flags) (i32.const 0)))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
      (local.set $gi (f32x4.mul (v128.load (local.get $g)) (local.get $vsg)))
      (local.set $x (v128.load (local.get $p)))
      (local.set $t (f32x4.relaxed_madd (local.get $vwd) (local.get $x) (local.get $gi)))
      (local.set $gi (v128.bitselect (local.get $t) (local.get $gi) (local.get $mwd)))
      (local.set $t (v128.load (local.get $s)))
      (local.set $si (f32x4.relaxed_madd (local.get $gi) (local.get $gi) (local.get $t)))
      (v128.store (local.get $s) (local.get $si))
      (v128.store (local.get $p) (f32x4.add (local.get $x)
        (f32x4.div (f32x4.mul (local.get $vnclr) (local.get $gi))
          (f32x4.add (f32x4.sqrt (local.get $si)) (local.get $veps)))))
      (local.set $p (i32.add (local.get $p) (i32.const 16)))
      (local.set $g (i32.add (local.get $g) (i32.const 16)))
      (local.set $s (i32.add (local.get $s) (i32.const 16)))
      (br $l)))))
