import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JavaRandom } from '../../../src/ml/clustering/java-random.js';

// Produced by Java 17: r = new java.util.Random(0); 5 × r.nextDouble(), 5 × r.nextInt(7),
// 3 × r.nextInt(64), 3 × r.nextInt(1000003), in that order from one generator.
const JAVA_DOUBLES = [0.730967787376657, 0.24053641567148587, 0.6374174253501083, 0.5504370051176339, 0.5975452777972018];
const JAVA_INTS_7 = [1, 2, 0, 2, 4];
const JAVA_INTS_64 = [62, 56, 1];
const JAVA_INTS_1000003 = [311178, 906189, 457373];

test('java random: draws of seed 0', () => {
  const random = new JavaRandom(0);
  assert.deepEqual(Array.from({ length: 5 }, () => random.nextFloat()), JAVA_DOUBLES);
  assert.deepEqual(Array.from({ length: 5 }, () => random.nextInt(7)), JAVA_INTS_7);
  assert.deepEqual(Array.from({ length: 3 }, () => random.nextInt(64)), JAVA_INTS_64);
  assert.deepEqual(Array.from({ length: 3 }, () => random.nextInt(1000003)), JAVA_INTS_1000003);
});

test('java random: invalid bound rejected', () => {
  assert.throws(() => new JavaRandom(0).nextInt(0), /invalid bound: 0/);
});
