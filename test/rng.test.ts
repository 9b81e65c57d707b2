import { describe, expect, it } from 'vitest';
import { Rng } from 'tinydense';

describe('Rng', () => {
  it('gives the same stream for the same seed and different streams for different seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const sa = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(sa);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(sa);
  });

  it('draws uniforms in [0, 1) and normals with mean 0 and variance 1', () => {
    const rng = new Rng(1);
    const u = Array.from({ length: 20000 }, () => rng.uniform());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    const n = Array.from({ length: 20000 }, () => rng.normal());
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const variance = n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
  });

  it('shuffles into a permutation, deterministically', () => {
    const p = new Rng(3).shuffle(Uint32Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(new Rng(3).shuffle(Uint32Array.from({ length: 100 }, (_, i) => i)))).toEqual(Array.from(p));
    expect(Array.from(p)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('restores its state exactly', () => {
    const rng = new Rng(9);
    rng.uniform();
    const state = rng.getState();
    const next = [rng.uniform(), rng.normal(), rng.int(10)];
    const again = new Rng(0);
    again.setState(state);
    expect([again.uniform(), again.normal(), again.int(10)]).toEqual(next);
  });
});
