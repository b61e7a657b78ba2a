/**
 * Which kernels this thread's policies run, chosen once per thread like the
 * tfjs backend: "tfjs" (the default: tfjs ops only, the numerics every
 * recorded run log was made with) or "simd" (sampling through the fused
 * decoder of `FastDecode.ts` and causal attention through the wasm SIMD
 * kernels of `AttentionKernel.ts`: same math, different float rounding, so
 * different samples for a seed; plus the buffer-sharing wasm `Identity` of
 * `WasmKernels.ts`, which changes no value). The trainer's worker replicas
 * choose "simd".
 */
import * as tf from "@tensorflow/tfjs"
import { kernelsSupport } from "./AttentionKernel.ts"
import { shareIdentity } from "./WasmKernels.ts"

export type KernelChoice = "tfjs" | "simd"

let choice: KernelChoice = "tfjs"

/** Sets the kernels of this thread's policies (existing ones included). */
export const useKernels = (k: KernelChoice): void => {
  choice = k
  shareIdentity(k === "simd")
}

export const kernelChoice = (): KernelChoice => choice

/** True when this thread runs the SIMD kernels and a model of head dim `hd` can use them (on the wasm backend: they read its heap). */
export const simdKernels = (hd: number): boolean => choice === "simd" && kernelsSupport(hd) && tf.getBackend() === "wasm"
