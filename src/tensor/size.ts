/** torch.Size: a shape, as an array of numbers. */
export type Size = number[];
export const Size = (dims: readonly number[]): number[] => dims.slice();
