import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'packages/**/*.test.ts'],
    environment: 'node',
    // Timeouts guard against hangs, not speed: tfjs on the CPU backend and whole-field tests take
    // seconds, several times longer on a loaded 2-core CI machine (a 5 s default failed there).
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
