import seedrandom from 'seedrandom';

/** A stream of uniform random numbers in [0, 1); every random choice in dendrite draws from one. */
export interface Random {
  next(): number;
}

/**
 * A reproducible stream from a seed: the `seedrandom` library's default algorithm (ARC4), the one
 * TensorFlow Playground seeds from its URL, so the same seed gives the same numbers everywhere.
 * A number seed is used as its decimal text (`5` and `'5'` are the same seed).
 */
export function seededRandom(seed: string | number): Random {
  const next = seedrandom(String(seed));
  return { next: () => next() };
}

/** A uniform draw from [low, high), as the Playground makes it. */
export function uniform(random: Random, low: number, high: number): number {
  return random.next() * (high - low) + low;
}

/**
 * A normal draw with the given mean and variance, by the polar method exactly as the Playground
 * draws it (two uniforms per try), so a shared stream stays in step.
 */
export function normal(random: Random, mean = 0, variance = 1): number {
  let v1: number;
  let v2: number;
  let s: number;
  do {
    v1 = 2 * random.next() - 1;
    v2 = 2 * random.next() - 1;
    s = v1 * v1 + v2 * v2;
  } while (s > 1);
  return mean + Math.sqrt(variance) * (Math.sqrt((-2 * Math.log(s)) / s) * v1);
}

/** Shuffles `items` in place (Fisher–Yates, drawing as the Playground does) and returns them. */
export function shuffle<T>(items: T[], random: Random): T[] {
  for (let remaining = items.length; remaining > 0;) {
    const index = Math.floor(random.next() * remaining);
    remaining--;
    [items[remaining], items[index]] = [items[index]!, items[remaining]!];
  }
  return items;
}
