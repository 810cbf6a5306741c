/** The project's one seeded PRNG (mulberry32), shared with the app's tests. */
export { mulberry32 } from '@malaria/contract';

export function shuffleInPlace<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}
