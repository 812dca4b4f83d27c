/**
 * Row heights with O(log n) prefix sums (a Fenwick tree): the offset of row i, the row at
 * a scroll offset, and a height update are all logarithmic, so 10,000 rows cost nothing
 * per frame and a streaming row that grows never triggers an O(n) pass.
 */
export class HeightIndex {
  private tree = new Float64Array(1);
  private heights = new Float64Array(0);
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** Replaces everything with `heights` (O(n) build). */
  reset(heights: ArrayLike<number>): void {
    this.n = heights.length;
    const capacity = Math.max(16, this.n * 2);
    this.heights = new Float64Array(capacity);
    this.heights.set(heights as ArrayLike<number>);
    this.rebuild(capacity);
  }

  push(height: number): void {
    if (this.n + 1 >= this.heights.length) {
      const grown = new Float64Array(this.heights.length * 2);
      grown.set(this.heights.subarray(0, this.n));
      this.heights = grown;
      this.rebuild(grown.length);
    }
    this.heights[this.n] = height;
    this.add(this.n, height);
    this.n++;
  }

  get(i: number): number {
    return this.heights[i] ?? 0;
  }

  /** Returns true when the height changed. */
  set(i: number, height: number): boolean {
    const delta = height - this.heights[i]!;
    if (delta === 0) return false;
    this.heights[i] = height;
    this.add(i, delta);
    return true;
  }

  /** Sum of the heights of rows [0, i). */
  offset(i: number): number {
    let sum = 0;
    for (let k = Math.min(i, this.n); k > 0; k -= k & -k) sum += this.tree[k]!;
    return sum;
  }

  total(): number {
    return this.offset(this.n);
  }

  /** The row that contains offset `y` (clamped to the first / last row). */
  indexAt(y: number): number {
    if (this.n === 0) return 0;
    let pos = 0;
    let rest = y;
    for (let step = highestPowerOfTwo(this.tree.length - 1); step > 0; step >>= 1) {
      const next = pos + step;
      if (next <= this.n && this.tree[next]! <= rest) {
        pos = next;
        rest -= this.tree[next]!;
      }
    }
    return Math.min(pos, this.n - 1);
  }

  private add(i: number, delta: number): void {
    for (let k = i + 1; k < this.tree.length; k += k & -k) this.tree[k]! += delta;
  }

  private rebuild(capacity: number): void {
    const tree = new Float64Array(capacity + 1);
    for (let k = 1; k <= capacity; k++) {
      if (k <= this.n) tree[k]! += this.heights[k - 1]!;
      const parent = k + (k & -k);
      if (parent <= capacity) tree[parent]! += tree[k]!;
    }
    this.tree = tree;
  }
}

function highestPowerOfTwo(n: number): number {
  let p = 1;
  while (p * 2 <= n) p *= 2;
  return p;
}
